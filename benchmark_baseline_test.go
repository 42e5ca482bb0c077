package retreaver

import (
	"encoding/json"
	"time"
)

// The hand-written side of the decode benchmarks: what a careful client written
// with net/http and encoding/json alone would decode each answer into. Each
// struct mirrors the fields and types of the SDK's model; nested elements that
// the API wraps ({"timer": {...}}) are decoded the plain encoding/json way, as
// a slice of structs holding the wrapped one. Amounts, which come as a number,
// a string holding one, or null, are json.Number; text that comes as a string
// or a number (a report row's id, a suppressed number's cid) is rawText.

// rawText is text sent as a string or a number.
type rawText string

func (t *rawText) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, (*string)(t))
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*t = rawText(n)
	return nil
}

type rawFiredPixel struct {
	URL         string     `json:"url"`
	FireOrder   int        `json:"fire_order"`
	BatchUUID   string     `json:"batch_uuid"`
	CreatedAt   time.Time  `json:"created_at"`
	FiredAt     *time.Time `json:"fired_at"`
	Status      string     `json:"status"`
	WebhookName string     `json:"webhook_name"`
}

// rawCall is Call as the v2 API sends it.
type rawCall struct {
	UUID                    string      `json:"uuid"`
	Caller                  string      `json:"caller"`
	CallerNumberSent        string      `json:"caller_number_sent"`
	CallerZip               string      `json:"caller_zip"`
	CallerState             string      `json:"caller_state"`
	CallerCity              string      `json:"caller_city"`
	CallerCountry           string      `json:"caller_country"`
	DialedCallDuration      int         `json:"dialed_call_duration"`
	TotalDuration           int         `json:"total_duration"`
	IVRDuration             int         `json:"ivr_duration"`
	HoldDuration            int         `json:"hold_duration"`
	Status                  string      `json:"status"`
	StartTime               *time.Time  `json:"start_time"`
	ForwardedTime           *time.Time  `json:"forwarded_time"`
	EndTime                 *time.Time  `json:"end_time"`
	CID                     string      `json:"cid"`
	AFID                    string      `json:"afid"`
	SID                     string      `json:"sid"`
	DialedNumber            string      `json:"dialed_number"`
	UpdatedAt               time.Time   `json:"updated_at"`
	CreatedAt               time.Time   `json:"created_at"`
	RecordingURL            string      `json:"recording_url"`
	Revenue                 json.Number `json:"revenue"`
	Payout                  json.Number `json:"payout"`
	PostbackValue           json.Number `json:"postback_value"`
	NetworkSaleTimerFired   *bool       `json:"network_sale_timer_fired"`
	AffiliateSaleTimerFired *bool       `json:"affiliate_sale_timer_fired"`
	TargetSaleTimerFired    *bool       `json:"target_sale_timer_fired"`
	HungUpBy                string      `json:"hung_up_by"`
	Duplicate               bool        `json:"duplicate"`
	PayableDuplicate        bool        `json:"payable_duplicate"`
	ReceivableDuplicate     bool        `json:"receivable_duplicate"`
	CallpixelsTargetID      *int64      `json:"callpixels_target_id"`
	SystemTargetID          *int64      `json:"system_target_id"`
	SystemCampaignID        *int64      `json:"system_campaign_id"`
	SystemAffiliateID       *int64      `json:"system_affiliate_id"`
	FiredPixelsCount        int         `json:"fired_pixels_count"`
	ChargeTotal             json.Number `json:"charge_total"`
	KeysPressed             []string    `json:"keys_pressed"`
	Repeat                  *bool       `json:"repeat"`
	AffiliateRepeat         *bool       `json:"affiliate_repeat"`
	TargetRepeat            *bool       `json:"target_repeat"`
	NumberRepeat            *bool       `json:"number_repeat"`
	VisitorURL              string      `json:"visitor_url"`
	CompanyID               int64       `json:"company_id"`
	ConversionsDeterminedAt *time.Time  `json:"conversions_determined_at"`
	BillableMinutes         int         `json:"billable_minutes"`
	UpstreamCallUUID        string      `json:"upstream_call_uuid"`
	DownstreamCallUUIDs     []string    `json:"downstream_call_uuids"`
	TargetGroup             struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"target_group"`
	Number            string            `json:"number"`
	Converted         bool              `json:"converted"`
	Payable           bool              `json:"payable"`
	Receivable        bool              `json:"receivable"`
	ConversionSeconds *int              `json:"conversion_seconds"`
	TID               string            `json:"tid"`
	Tags              map[string]string `json:"tags"`
	FiredPixels       []struct {
		FiredPixel rawFiredPixel `json:"fired_pixel"`
	} `json:"fired_pixels"`
	Via                    string          `json:"via"`
	Rescued                bool            `json:"rescued"`
	CampaignID             *int64          `json:"campaign_id"`
	CampaignName           string          `json:"campaign_name"`
	NumberID               *int64          `json:"number_id"`
	TargetID               *int64          `json:"target_id"`
	AffiliateName          string          `json:"affiliate_name"`
	Connected              bool            `json:"connected"`
	ProfitGross            json.Number     `json:"profit_gross"`
	ProfitNet              json.Number     `json:"profit_net"`
	TargetName             string          `json:"target_name"`
	TimeToCallInSeconds    *int            `json:"time_to_call_in_seconds"`
	TimeToConnectInSeconds *int            `json:"time_to_connect_in_seconds"`
	TotalCost              json.Number     `json:"total_cost"`
	CallFlowEvents         json.RawMessage `json:"call_flow_events"`
}

// rawCallV4 is a call as version 4 sends it: number as {"number", "name"} and
// the campaign as {"id", "name"}.
type rawCallV4 struct {
	rawCall
	Number struct {
		Number string `json:"number"`
		Name   string `json:"name"`
	} `json:"number"`
	Campaign struct {
		ID   *int64 `json:"id"`
		Name string `json:"name"`
	} `json:"campaign"`
}

type rawAffiliate struct {
	ID          int64     `json:"id"`
	AFID        string    `json:"afid"`
	FirstName   string    `json:"first_name"`
	LastName    string    `json:"last_name"`
	CompanyName string    `json:"company_name"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

type rawCap struct {
	ID     int64  `json:"id"`
	Filled int    `json:"filled"`
	Cap    *int   `json:"cap"`
	Type   string `json:"type"`
}

type rawTagValue struct {
	ID       int64  `json:"id"`
	Key      string `json:"key"`
	Value    string `json:"value"`
	Operator string `json:"operator"`
}

type rawTarget struct {
	ID              int64      `json:"id"`
	Number          string     `json:"number"`
	SIPUsername     string     `json:"sip_username"`
	SIPPassword     string     `json:"sip_password"`
	CIDNumberID     *int64     `json:"cid_number_id"`
	ObfuscateCID    bool       `json:"obfuscate_cid"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	ObjectKey       string     `json:"object_key"`
	TID             string     `json:"tid"`
	Priority        int        `json:"priority"`
	Weight          int        `json:"weight"`
	TimeoutSeconds  int        `json:"timeout_seconds"`
	TimerOffset     int        `json:"timer_offset"`
	SendDigits      string     `json:"send_digits"`
	ConcurrencyCap  *int       `json:"concurrency_cap"`
	CallsInProgress int        `json:"calls_in_progress"`
	InbandSignals   bool       `json:"inband_signals"`
	TimeZone        string     `json:"time_zone"`
	Paused          bool       `json:"paused"`
	PausedAt        *time.Time `json:"paused_at"`
	Name            string     `json:"name"`
	Caps            []rawCap   `json:"caps"`
	BusinessHours   []struct {
		ID        int64     `json:"id"`
		TargetID  int64     `json:"target_id"`
		WorkDay   bool      `json:"work_day"`
		TimeOpen  int       `json:"time_open"`
		TimeClose int       `json:"time_close"`
		DayOfWeek int       `json:"day_of_week"`
		Invert    bool      `json:"invert"`
		CreatedAt time.Time `json:"created_at"`
		UpdatedAt time.Time `json:"updated_at"`
	} `json:"business_hours"`
	TagValues        []rawTagValue    `json:"tag_values"`
	TargetGroupIDs   []int64          `json:"target_group_ids"`
	TargetGroups     []rawTargetGroup `json:"target_groups"`
	ConversionGroups []struct {
		ID             int64         `json:"id"`
		Name           string        `json:"name"`
		DedupeSeconds  int           `json:"dedupe_seconds"`
		EvalOrder      int           `json:"eval_order"`
		Postback       bool          `json:"postback"`
		ConversionType string        `json:"conversion_type"`
		PostbackUUID   string        `json:"postback_uuid"`
		TagValues      []rawTagValue `json:"tag_values"`
		Conversions    []struct {
			ID              int64       `json:"id"`
			Type            string      `json:"type"`
			Seconds         int         `json:"seconds"`
			Revenue         json.Number `json:"revenue"`
			Payout          json.Number `json:"payout"`
			PayoutModifier  *string     `json:"payout_modifier"`
			PostbackTimeout int         `json:"postback_timeout"`
			MatchTrigger    *string     `json:"match_trigger"`
		} `json:"conversions"`
	} `json:"conversion_groups"`
}

type rawTargetGroup struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	TargetIDs []int64 `json:"target_ids"`
	Targets   []struct {
		ID       int64  `json:"id"`
		Number   string `json:"number"`
		Name     string `json:"name"`
		Priority int    `json:"priority"`
		Weight   int    `json:"weight"`
	} `json:"targets"`
	ConcurrencyCap  *int     `json:"concurrency_cap"`
	CallsInProgress int      `json:"calls_in_progress"`
	Behavior        int      `json:"behavior"`
	Priority        *int     `json:"priority"`
	Weight          *int     `json:"weight"`
	Caps            []rawCap `json:"caps"`
}

type rawGreeting struct {
	Message              string     `json:"message"`
	VoiceGender          string     `json:"voice_gender"`
	AudioFileName        string     `json:"audio_file_name"`
	AudioFileContentType string     `json:"audio_file_content_type"`
	AudioFileSize        *int64     `json:"audio_file_size"`
	AudioFileUpdatedAt   *time.Time `json:"audio_file_updated_at"`
	Inherited            bool       `json:"inherited"`
}

type rawTimer struct {
	ID        int64  `json:"id"`
	Seconds   int    `json:"seconds"`
	URL       string `json:"url"`
	Inherited bool   `json:"inherited"`
}

type rawMenuOption struct {
	ID           int64  `json:"id"`
	Option       string `json:"option"`
	TargetCID    string `json:"target_cid"`
	TargetNumber string `json:"target_number"`
	Inherited    bool   `json:"inherited"`
}

// rawCampaign is a campaign; the API wraps its timers and menu options.
type rawCampaign struct {
	ID                     int64       `json:"id"`
	CID                    string      `json:"cid"`
	Name                   string      `json:"name"`
	CreatedAt              time.Time   `json:"created_at"`
	UpdatedAt              time.Time   `json:"updated_at"`
	RecordCalls            bool        `json:"record_calls"`
	RecordSeconds          int         `json:"record_seconds"`
	DedupeSeconds          int         `json:"dedupe_seconds"`
	AffiliateCanPullNumber bool        `json:"affiliate_can_pull_number"`
	ShowKey                string      `json:"show_key"`
	Greeting               rawGreeting `json:"greeting"`
	Timers                 []struct {
		Timer rawTimer `json:"timer"`
	} `json:"timers"`
	MenuOptions []struct {
		MenuOption rawMenuOption `json:"menu_option"`
	} `json:"menu_options"`
}

// rawNumber is a tracking number; the API sends its timers bare and wraps its
// menu options.
type rawNumber struct {
	ID                   int64       `json:"id"`
	Number               string      `json:"number"`
	TollFree             bool        `json:"toll_free"`
	CreatedAt            time.Time   `json:"created_at"`
	UpdatedAt            time.Time   `json:"updated_at"`
	SID                  string      `json:"sid"`
	AFID                 string      `json:"afid"`
	CID                  string      `json:"cid"`
	UsesCampaignSettings bool        `json:"uses_campaign_settings"`
	Greeting             rawGreeting `json:"greeting"`
	Timers               []rawTimer  `json:"timers"`
	MenuOptions          []struct {
		MenuOption rawMenuOption `json:"menu_option"`
	} `json:"menu_options"`
}

type rawNumberPool struct {
	ID                   int64     `json:"id"`
	NumbersCount         int       `json:"numbers_count"`
	Type                 string    `json:"type"`
	Country              string    `json:"country"`
	MaxPoolSize          int       `json:"max_pool_size"`
	BufferSeconds        int       `json:"buffer_seconds"`
	CreatedAt            time.Time `json:"created_at"`
	UpdatedAt            time.Time `json:"updated_at"`
	GoogleAnalytics      bool      `json:"google_analytics"`
	HideEmbeddedAccess   bool      `json:"hide_embedded_access"`
	AFID                 string    `json:"afid"`
	CID                  string    `json:"cid"`
	ReserveSize          int       `json:"reserve_size"`
	GoogleAnalyticsPaths []struct {
		Name string `json:"name"`
		Path string `json:"path"`
	} `json:"google_analytics_paths"`
}

type rawCompany struct {
	ID                       int64       `json:"id"`
	Name                     string      `json:"name"`
	CreatedAt                time.Time   `json:"created_at"`
	UpdatedAt                time.Time   `json:"updated_at"`
	EmbeddedKey              string      `json:"embedded_key"`
	PerNumber                json.Number `json:"per_number"`
	UseGlobalSuppressionList bool        `json:"use_global_suppression_list"`
	Balance                  json.Number `json:"balance"`
	OwnerUserName            string      `json:"owner_user_name"`
}

type rawContact struct {
	ID             int64 `json:"id"`
	ContactNumbers []struct {
		ID          int64  `json:"id"`
		Number      string `json:"number"`
		Description string `json:"description"`
	} `json:"contact_numbers"`
	TagValues []rawTagValue `json:"tag_values"`
}

type rawSuppressedNumber struct {
	ID             int64     `json:"id"`
	Number         string    `json:"number"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	CanResubscribe bool      `json:"can_resubscribe"`
	CompanyID      int64     `json:"company_id"`
	CID            rawText   `json:"cid"`
	AffiliateID    *int64    `json:"affiliate_id"`
	CampaignID     *int64    `json:"campaign_id"`
}

type rawStaticCallerNumber struct {
	ID        int64     `json:"id"`
	Number    string    `json:"number"`
	CreatedAt time.Time `json:"created_at"`
}

type rawCallerListNumber struct {
	Number    string    `json:"number"`
	CreatedAt time.Time `json:"created_at"`
}

// rawRTBInbound is an RTB inbound, in the page {"rtb_inbounds": [...]}.
type rawRTBInbound struct {
	UUID                  string      `json:"uuid"`
	CallUUID              string      `json:"call_uuid"`
	PostbackKeyID         int64       `json:"postback_key_id"`
	AffiliateID           int64       `json:"affiliate_id"`
	CampaignID            int64       `json:"campaign_id"`
	TargetID              int64       `json:"target_id"`
	CallerNumber          string      `json:"caller_number"`
	Status                string      `json:"status"`
	Revenue               json.Number `json:"revenue"`
	Payout                json.Number `json:"payout"`
	DuplicateOrder        int         `json:"duplicate_order"`
	DuplicateOriginalUUID string      `json:"duplicate_original_uuid"`
	CallerState           string      `json:"caller_state"`
	CallerCity            string      `json:"caller_city"`
	CallerZip             string      `json:"caller_zip"`
	CallerCountry         string      `json:"caller_country"`
	CreatedAt             time.Time   `json:"created_at"`
	ConfirmedAt           *time.Time  `json:"confirmed_at"`
	EndedAt               *time.Time  `json:"ended_at"`
	TimeToResolve         float64     `json:"time_to_resolve"`
	FiredPixelsCount      int         `json:"fired_pixels_count"`
	FiredPixelsErrorCount int         `json:"fired_pixels_error_count"`
	PBMTableVersion       json.Number `json:"pbm_table_version"`
	PBMRuleID             *int64      `json:"pbm_rule_id"`
	PBMBucket             *int        `json:"pbm_bucket"`
	PBMVariant            string      `json:"pbm_variant"`
	PBMOriginalPayout     json.Number `json:"pbm_original_payout"`
	PBMPercentOfRevenue   *float64    `json:"pbm_percent_of_revenue"`
}

// rawReport is a report page; rows may hold nulls, counts may be written 2.0.
type rawReport struct {
	Count      float64 `json:"count"`
	CountTotal float64 `json:"count_total"`
	Data       []*struct {
		ID                       rawText     `json:"id"`
		FacetName                string      `json:"facet_name"`
		TotalCalls               float64     `json:"total_calls"`
		RepeatCount              float64     `json:"repeat_count"`
		DuplicateCount           float64     `json:"duplicate_count"`
		UniqueCalls              float64     `json:"unique_calls"`
		ConvertedCount           float64     `json:"converted_count"`
		Revenue                  json.Number `json:"revenue"`
		Payout                   json.Number `json:"payout"`
		Cost                     json.Number `json:"cost"`
		TotalDuration            float64     `json:"total_duration"`
		TotalDurationPercent     float64     `json:"total_duration_percent"`
		RescuedCount             float64     `json:"rescued_count"`
		RescuedRevenue           json.Number `json:"rescued_revenue"`
		ConnectedDuration        float64     `json:"connected_duration"`
		ConnectedDurationPercent float64     `json:"connected_duration_percent"`
		InProgressCount          float64     `json:"in_progress_count"`
		Profit                   json.Number `json:"profit"`
		RepeatCountPercent       float64     `json:"repeat_count_percent"`
		DuplicateCountPercent    float64     `json:"duplicate_count_percent"`
		ConvertedCountPercent    float64     `json:"converted_count_percent"`
		RescuedCountPercent      float64     `json:"rescued_count_percent"`
		EPC                      json.Number `json:"epc"`
		CPC                      json.Number `json:"cpc"`
	} `json:"data"`
}

// The list elements, each holding its object under the API's root key.
type (
	rawCallElem struct {
		V *rawCall `json:"call"`
	}
	rawCallV4Elem struct {
		V *rawCallV4 `json:"call"`
	}
	rawAffiliateElem struct {
		V *rawAffiliate `json:"affiliate"`
	}
	rawTargetElem struct {
		V *rawTarget `json:"target"`
	}
	rawTargetGroupElem struct {
		V *rawTargetGroup `json:"target_group"`
	}
	rawCampaignElem struct {
		V *rawCampaign `json:"campaign"`
	}
	rawNumberElem struct {
		V *rawNumber `json:"number"`
	}
	rawNumberPoolElem struct {
		V *rawNumberPool `json:"number_pool"`
	}
	rawCompanyElem struct {
		V *rawCompany `json:"company"`
	}
	rawContactElem struct {
		V *rawContact `json:"contact"`
	}
	rawSuppressedNumberElem struct {
		V *rawSuppressedNumber `json:"suppressed_number"`
	}
	rawStaticCallerNumberElem struct {
		V *rawStaticCallerNumber `json:"static_caller_number"`
	}
	rawCallerListNumberElem struct {
		V *rawCallerListNumber `json:"caller_list_number"`
	}
)

func (e rawCallElem) ok() bool               { return e.V != nil }
func (e rawCallV4Elem) ok() bool             { return e.V != nil }
func (e rawAffiliateElem) ok() bool          { return e.V != nil }
func (e rawTargetElem) ok() bool             { return e.V != nil }
func (e rawTargetGroupElem) ok() bool        { return e.V != nil }
func (e rawCampaignElem) ok() bool           { return e.V != nil }
func (e rawNumberElem) ok() bool             { return e.V != nil }
func (e rawNumberPoolElem) ok() bool         { return e.V != nil }
func (e rawCompanyElem) ok() bool            { return e.V != nil }
func (e rawContactElem) ok() bool            { return e.V != nil }
func (e rawSuppressedNumberElem) ok() bool   { return e.V != nil }
func (e rawStaticCallerNumberElem) ok() bool { return e.V != nil }
func (e rawCallerListNumberElem) ok() bool   { return e.V != nil }
