package retreaver

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"strconv"
	"time"
)

// Call is one phone call of the call log. The v2 API fills every field; the v1 API
// (CallsV1) fills those up to RecordingURL. Nullable numbers, booleans and
// timestamps are pointers; strings the API sends as null are "".
type Call struct {
	UUID               string     `json:"uuid"`
	Caller             string     `json:"caller"`
	CallerNumberSent   string     `json:"caller_number_sent"`
	CallerZip          string     `json:"caller_zip"`
	CallerState        string     `json:"caller_state"`
	CallerCity         string     `json:"caller_city"`
	CallerCountry      string     `json:"caller_country"`
	DialedCallDuration int        `json:"dialed_call_duration"` // seconds connected to the target
	TotalDuration      int        `json:"total_duration"`       // seconds, whole call
	IVRDuration        int        `json:"ivr_duration"`         // seconds in the IVR
	HoldDuration       int        `json:"hold_duration"`        // seconds on hold
	Status             string     `json:"status"`               // e.g. "finished"
	StartTime          *time.Time `json:"start_time"`
	ForwardedTime      *time.Time `json:"forwarded_time"` // nil when never forwarded
	EndTime            *time.Time `json:"end_time"`       // nil while in progress
	CID                string     `json:"cid"`            // campaign's customer ID
	AFID               string     `json:"afid"`           // affiliate's customer ID
	SID                string     `json:"sid"`            // affiliate sub ID
	DialedNumber       string     `json:"dialed_number"`
	UpdatedAt          time.Time  `json:"updated_at"`
	CreatedAt          time.Time  `json:"created_at"`
	RecordingURL       string     `json:"recording_url"`

	// Fields of the v2 API.

	Revenue                 Money           `json:"revenue"` // zero (IsZero) when the API sends null
	Payout                  Money           `json:"payout"`
	PostbackValue           Money           `json:"postback_value"`
	NetworkSaleTimerFired   *bool           `json:"network_sale_timer_fired"`
	AffiliateSaleTimerFired *bool           `json:"affiliate_sale_timer_fired"`
	TargetSaleTimerFired    *bool           `json:"target_sale_timer_fired"`
	HungUpBy                string          `json:"hung_up_by"` // "caller", "target", ...
	Duplicate               bool            `json:"duplicate"`
	PayableDuplicate        bool            `json:"payable_duplicate"`
	ReceivableDuplicate     bool            `json:"receivable_duplicate"`
	CallpixelsTargetID      *int64          `json:"callpixels_target_id"`
	SystemTargetID          *int64          `json:"system_target_id"`
	SystemCampaignID        *int64          `json:"system_campaign_id"`
	SystemAffiliateID       *int64          `json:"system_affiliate_id"`
	FiredPixelsCount        int             `json:"fired_pixels_count"`
	ChargeTotal             Money           `json:"charge_total"`
	KeysPressed             []string        `json:"keys_pressed"` // nil when the API sends null
	Repeat                  *bool           `json:"repeat"`
	AffiliateRepeat         *bool           `json:"affiliate_repeat"`
	TargetRepeat            *bool           `json:"target_repeat"`
	NumberRepeat            *bool           `json:"number_repeat"`
	VisitorURL              string          `json:"visitor_url"`
	CompanyID               int64           `json:"company_id"`
	ConversionsDeterminedAt *time.Time      `json:"conversions_determined_at"`
	BillableMinutes         int             `json:"billable_minutes"`
	UpstreamCallUUID        string          `json:"upstream_call_uuid"`
	DownstreamCallUUIDs     []string        `json:"downstream_call_uuids"`
	TargetGroup             CallTargetGroup `json:"target_group"` // zero when the call had none
	// Number is the tracking number the caller dialed. Version 2 sends it as a
	// string; versions 3 and later as {"number", "name"}, whose name fills
	// NumberName.
	Number            string            `json:"number"`
	Converted         bool              `json:"converted"`
	Payable           bool              `json:"payable"`
	Receivable        bool              `json:"receivable"`
	ConversionSeconds *int              `json:"conversion_seconds"`
	TID               string            `json:"tid"`
	Tags              map[string]string `json:"tags"`
	FiredPixels       []FiredPixel      `json:"fired_pixels"`
	Via               string            `json:"via"` // e.g. "inbound-dial"
	Rescued           bool              `json:"rescued"`
	// CampaignID is campaign_id (versions 2 and 3) or campaign.id (version 4
	// and later), sent as a number or a numeric string; nil when absent.
	CampaignID             *int64 `json:"campaign_id"`
	CampaignName           string `json:"campaign_name"` // campaign_name, or campaign.name from version 4 on
	NumberID               *int64 `json:"number_id"`
	TargetID               *int64 `json:"target_id"`
	AffiliateName          string `json:"affiliate_name"`
	Connected              bool   `json:"connected"`
	ProfitGross            Money  `json:"profit_gross"` // revenue - payout - total cost
	ProfitNet              Money  `json:"profit_net"`   // revenue - payout
	TargetName             string `json:"target_name"`
	TimeToCallInSeconds    *int   `json:"time_to_call_in_seconds"`
	TimeToConnectInSeconds *int   `json:"time_to_connect_in_seconds"` // IVR + hold
	TotalCost              Money  `json:"total_cost"`

	// NumberName is the name of the tracking number (versions 3 and later).
	NumberName string `json:"-"`
	// CallFlowEvents are the call's flow events, sent when
	// CallListOptions.CallFlowEvents asks for them. Their shape is not documented
	// yet, so they are kept as the API sent them; nil when absent or null.
	CallFlowEvents json.RawMessage `json:"call_flow_events"`
}

// UnmarshalJSON reads a call of any version of the calls API: number as a
// string or as {"number", "name"}, campaign_id as a number or a numeric string,
// and campaign as {"id", "name"}.
func (c *Call) UnmarshalJSON(b []byte) error {
	v := callJSON{callFields: callFields(*c), Number: callNumber{c.Number, c.NumberName}}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = *v.call()
	return nil
}

// callJSON is a call as the API sends it, in any version. Answers and pages
// decode into it directly (callElement), fired pixels included, in the one
// pass over the body: through Call.UnmarshalJSON, each call would be scanned
// twice more.
type callJSON struct {
	callFields
	Number      callNumber       `json:"number"`
	CampaignID  looseID          `json:"campaign_id"`
	Campaign    *callCampaign    `json:"campaign"`
	FiredPixels []firedPixelJSON `json:"fired_pixels"`
}

// callFields are the fields of Call, without its UnmarshalJSON.
type callFields Call

// callCampaign is a call's campaign from version 4 on.
type callCampaign struct {
	ID   looseID `json:"id"`
	Name string  `json:"name"`
}

// call finishes the decoding.
func (v *callJSON) call() *Call {
	c := (*Call)(&v.callFields)
	c.Number, c.NumberName = v.Number.number, v.Number.name
	c.FiredPixels = unwrapEach(v.FiredPixels)
	if string(c.CallFlowEvents) == "null" {
		c.CallFlowEvents = nil // a json.RawMessage keeps a null as the text "null"
	}
	c.CampaignID = v.CampaignID.ptr()
	if v.Campaign != nil {
		if id := v.Campaign.ID.ptr(); id != nil {
			c.CampaignID = id
		}
		if v.Campaign.Name != "" {
			c.CampaignName = v.Campaign.Name
		}
	}
	return c
}

// callNumber is a call's number: a string (version 2), or {"number", "name"}
// (versions 3 and later).
type callNumber struct{ number, name string }

// UnmarshalJSON reads the string or the object; null changes nothing.
func (n *callNumber) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return json.Unmarshal(b, &n.number)
	}
	var v struct {
		Number string `json:"number"`
		Name   string `json:"name"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	n.number, n.name = v.Number, v.Name
	return nil
}

// CallTargetGroup names the target group a call was routed through. The API sends
// an empty object when there was none; then both fields are zero.
type CallTargetGroup struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// FiredPixel is one webhook or tracking pixel fired for a call. The API wraps each
// in {"fired_pixel": {...}}; both that and the bare object decode.
type FiredPixel struct {
	URL         string     `json:"url"`
	FireOrder   int        `json:"fire_order"`
	BatchUUID   string     `json:"batch_uuid"`
	CreatedAt   time.Time  `json:"created_at"`
	FiredAt     *time.Time `json:"fired_at"` // nil until fired
	Status      string     `json:"status"`   // "new", "fired", ...
	WebhookName string     `json:"webhook_name"`
}

// UnmarshalJSON accepts a fired pixel wrapped in {"fired_pixel": ...} or bare.
func (p *FiredPixel) UnmarshalJSON(b []byte) error {
	var v firedPixelJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = v.value()
	return nil
}

// firedPixelJSON is a fired pixel as the API sends it: wrapped in
// {"fired_pixel": ...} or bare.
type firedPixelJSON struct {
	firedPixelFields
	Wrapped *firedPixelFields `json:"fired_pixel"`
}

type firedPixelFields FiredPixel

func (v firedPixelJSON) value() FiredPixel {
	if v.Wrapped != nil {
		return FiredPixel(*v.Wrapped)
	}
	return FiredPixel(v.firedPixelFields)
}

func (FiredPixel) wrapperKey() string { return "fired_pixel" }

// SortBy is what a call listing is ordered by ([CallListOptions.SortBy]).
type SortBy string

// Values of CallListOptions.SortBy.
const (
	SortByCreatedAt SortBy = "created_at"
	SortByUpdatedAt SortBy = "updated_at" // the API then always answers newest first
)

// Order is the direction of a call listing ([CallListOptions.Order]).
type Order string

// Values of CallListOptions.Order.
const (
	OrderAsc  Order = "asc"
	OrderDesc Order = "desc"
)

// CallListOptions filters and orders a call listing. Every field is optional; times
// are sent as RFC 3339 in UTC, to the second.
type CallListOptions struct {
	ListOptions
	// PerPage asks for up to 100 calls a page (the API's default is 25).
	PerPage int `url:"per_page,omitempty"`
	// CreatedAtStart returns calls created at or after this time.
	CreatedAtStart time.Time `url:"created_at_start,omitempty" layout:"2006-01-02T15:04:05Z07:00"`
	// CreatedAtEnd returns calls created at or before this time.
	CreatedAtEnd time.Time `url:"created_at_end,omitempty" layout:"2006-01-02T15:04:05Z07:00"`
	// SortBy is SortByCreatedAt (the default) or SortByUpdatedAt.
	SortBy SortBy `url:"sort_by,omitempty"`
	// Order is OrderDesc (the default) or OrderAsc.
	Order Order `url:"order,omitempty"`
	// Caller returns only calls from this number, such as "+13015236555".
	Caller string `url:"caller,omitempty"`
	// ClientAFID returns only calls of this affiliate (its afid).
	ClientAFID string `url:"client_afid,omitempty"`
	// ClientCID returns only calls of this campaign (its cid).
	ClientCID string `url:"client_cid,omitempty"`
	// ClientTID returns only calls routed to this target (its tid).
	ClientTID string `url:"client_tid,omitempty"`
	// SubID returns only calls of this affiliate sub ID.
	SubID string `url:"sub_id,omitempty"`
	// CallFlowEvents asks for each call's flow events (Call.CallFlowEvents).
	CallFlowEvents bool `url:"call_flow_events,omitempty"`
}

// inUTC returns a copy of o with its times in UTC: a time whose offset has
// seconds would otherwise be sent cut to the minute.
func (o *CallListOptions) inUTC() listOptions {
	c := *o
	c.CreatedAtStart = c.CreatedAtStart.UTC()
	c.CreatedAtEnd = c.CreatedAtEnd.UTC()
	return &c
}

// validate checks the options before any request is made.
func (o *CallListOptions) validate() error {
	if o == nil {
		return nil
	}
	if err := o.ListOptions.validate(); err != nil {
		return err
	}
	if o.PerPage < 0 || o.PerPage > 100 {
		return invalidArg("per page must be between 1 and 100, got %d", o.PerPage)
	}
	switch o.SortBy {
	case "", SortByCreatedAt, SortByUpdatedAt:
	default:
		return invalidArg("sort by must be %q or %q, got %q", SortByCreatedAt, SortByUpdatedAt, o.SortBy)
	}
	switch o.Order {
	case "", OrderAsc, OrderDesc:
	default:
		return invalidArg("order must be %q or %q, got %q", OrderAsc, OrderDesc, o.Order)
	}
	if !o.CreatedAtStart.IsZero() && !o.CreatedAtEnd.IsZero() && o.CreatedAtEnd.Before(o.CreatedAtStart) {
		return invalidArg("created at end %s is before created at start %s",
			o.CreatedAtEnd.Format(time.RFC3339), o.CreatedAtStart.Format(time.RFC3339))
	}
	return nil
}

// CallsService reads the call log through the v2 API (api/v2/calls) or the
// version chosen with [WithCallsVersion]. Version 2 added revenue, payout,
// profit, tags, fired pixels and more to each call.
type CallsService service

const callRoot = "call"

// callElement is a Call as the API wraps it (see element).
type callElement struct {
	V *callJSON `json:"call"`
}

func (e callElement) object() *Call {
	if e.V == nil {
		return nil
	}
	return e.V.call()
}

// path is api/v{version}/calls.
func (s *CallsService) path() string {
	return "api/v" + strconv.Itoa(s.client.cfg.callsVersion) + "/calls"
}

func (s *CallsService) lister() lister[callElement, Call] {
	return lister[callElement, Call]{c: s.client, path: s.path() + ".json", root: callRoot}
}

// List returns one page of calls (newest first unless opts says otherwise).
func (s *CallsService) List(ctx context.Context, opts *CallListOptions) (*Page[Call], error) {
	return s.lister().list(ctx, opts)
}

// All iterates over every call matching opts, page after page from opts.Page. For
// a complete, exact pull of a time range use [CallsService.Export].
func (s *CallsService) All(ctx context.Context, opts *CallListOptions) iter.Seq2[*Call, error] {
	return s.lister().iterate(ctx, opts)
}

// Get returns the call with this UUID.
func (s *CallsService) Get(ctx context.Context, uuid string) (*Call, error) {
	if err := requireID("call uuid", uuid); err != nil {
		return nil, err
	}
	return get[callElement](ctx, s.client, pathJoin(s.path(), uuid), callRoot)
}

// CallsV1Service reads the call log through the original API (api/v1/calls).
// Prefer [CallsService], whose calls carry more fields.
type CallsV1Service service

const callsV1Path = "api/v1/calls"

func (s *CallsV1Service) lister() lister[callElement, Call] {
	return lister[callElement, Call]{c: s.client, path: callsV1Path + ".json", root: callRoot}
}

// List returns one page of calls (newest first unless opts says otherwise).
func (s *CallsV1Service) List(ctx context.Context, opts *CallListOptions) (*Page[Call], error) {
	return s.lister().list(ctx, opts)
}

// All iterates over every call matching opts, page after page from opts.Page.
func (s *CallsV1Service) All(ctx context.Context, opts *CallListOptions) iter.Seq2[*Call, error] {
	return s.lister().iterate(ctx, opts)
}

// Get returns the call with this UUID.
func (s *CallsV1Service) Get(ctx context.Context, uuid string) (*Call, error) {
	if err := requireID("call uuid", uuid); err != nil {
		return nil, err
	}
	return get[callElement](ctx, s.client, pathJoin(callsV1Path, uuid), callRoot)
}
