package retreaver

import (
	"context"
	"encoding/json"
	"iter"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
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

	Revenue                 *Money            `json:"revenue"`
	Payout                  *Money            `json:"payout"`
	PostbackValue           *Money            `json:"postback_value"`
	NetworkSaleTimerFired   *bool             `json:"network_sale_timer_fired"`
	AffiliateSaleTimerFired *bool             `json:"affiliate_sale_timer_fired"`
	TargetSaleTimerFired    *bool             `json:"target_sale_timer_fired"`
	HungUpBy                string            `json:"hung_up_by"` // "caller", "target", ...
	Duplicate               bool              `json:"duplicate"`
	PayableDuplicate        bool              `json:"payable_duplicate"`
	ReceivableDuplicate     bool              `json:"receivable_duplicate"`
	CallpixelsTargetID      *int64            `json:"callpixels_target_id"`
	SystemTargetID          *int64            `json:"system_target_id"`
	SystemCampaignID        *int64            `json:"system_campaign_id"`
	SystemAffiliateID       *int64            `json:"system_affiliate_id"`
	FiredPixelsCount        int               `json:"fired_pixels_count"`
	ChargeTotal             Money             `json:"charge_total"`
	KeysPressed             []string          `json:"keys_pressed"` // nil when the API sends null
	Repeat                  *bool             `json:"repeat"`
	AffiliateRepeat         *bool             `json:"affiliate_repeat"`
	TargetRepeat            *bool             `json:"target_repeat"`
	NumberRepeat            *bool             `json:"number_repeat"`
	VisitorURL              string            `json:"visitor_url"`
	CompanyID               int64             `json:"company_id"`
	ConversionsDeterminedAt *time.Time        `json:"conversions_determined_at"`
	BillableMinutes         int               `json:"billable_minutes"`
	UpstreamCallUUID        string            `json:"upstream_call_uuid"`
	DownstreamCallUUIDs     []string          `json:"downstream_call_uuids"`
	TargetGroup             CallTargetGroup   `json:"target_group"` // zero when the call had none
	Number                  string            `json:"number"`
	Converted               bool              `json:"converted"`
	Payable                 bool              `json:"payable"`
	Receivable              bool              `json:"receivable"`
	ConversionSeconds       *int              `json:"conversion_seconds"`
	TID                     string            `json:"tid"`
	Tags                    map[string]string `json:"tags"`
	FiredPixels             []FiredPixel      `json:"fired_pixels"`
	Via                     string            `json:"via"` // e.g. "inbound-dial"
	Rescued                 bool              `json:"rescued"`
	CampaignID              *int64            `json:"campaign_id"`
	CampaignName            string            `json:"campaign_name"`
	NumberID                *int64            `json:"number_id"`
	TargetID                *int64            `json:"target_id"`
	AffiliateName           string            `json:"affiliate_name"`
	Connected               bool              `json:"connected"`
	ProfitGross             Money             `json:"profit_gross"` // revenue - payout - total cost
	ProfitNet               Money             `json:"profit_net"`   // revenue - payout
	TargetName              string            `json:"target_name"`
	TimeToCallInSeconds     *int              `json:"time_to_call_in_seconds"`
	TimeToConnectInSeconds  *int              `json:"time_to_connect_in_seconds"` // IVR + hold
	TotalCost               Money             `json:"total_cost"`
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
	// A call carries several pixels and a page up to 100 calls: the common
	// shapes are read without reflection, everything else as below.
	if v, ok := scanFiredPixel(b); ok {
		*p = v
		return nil
	}
	type plain FiredPixel
	return decodeElement(b, "fired_pixel", (*plain)(p))
}

// scanFiredPixel decodes a fired pixel, wrapped or bare, in one pass and without
// reflection, to the same value encoding/json would give. It handles the shapes
// the API sends: an object of the pixel's fields (strings, an integer, RFC 3339
// times, nulls) and of unknown fields with scalar values, optionally under
// "fired_pixel". On anything else (nested unknown values, keys that only match
// a field case-insensitively, times that need leniency, repeated wrappers,
// malformed input) ok is false and the caller decodes with encoding/json.
func scanFiredPixel(b []byte) (p FiredPixel, ok bool) {
	s := jsonScanner{b: b}
	var bare, wrapped FiredPixel
	hasWrapped, seenWrapper := false, false
	if !s.object(func(key []byte) bool {
		if string(key) != "fired_pixel" {
			return s.pixelField(&bare, key)
		}
		if seenWrapper { // encoding/json would merge the two: let it
			return false
		}
		seenWrapper = true
		if s.null() {
			return true
		}
		hasWrapped = true
		return s.object(func(key []byte) bool { return s.pixelField(&wrapped, key) })
	}) {
		return FiredPixel{}, false
	}
	s.ws()
	if s.i != len(s.b) {
		return FiredPixel{}, false
	}
	if hasWrapped {
		return wrapped, true
	}
	return bare, true
}

// jsonScanner reads the simple JSON of scanFiredPixel. Every method reports
// false on input it does not handle.
type jsonScanner struct {
	b []byte
	i int
}

func (s *jsonScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// object reads {"key": value, ...}, calling field to read each value.
func (s *jsonScanner) object(field func(key []byte) bool) bool {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '{' {
		return false
	}
	s.i++
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return true
	}
	for {
		s.ws()
		key, ok := s.rawString()
		if !ok {
			return false
		}
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return false
		}
		s.i++
		s.ws()
		if !field(key) {
			return false
		}
		s.ws()
		if s.i >= len(s.b) {
			return false
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			return true
		default:
			return false
		}
	}
}

// rawString reads a string without escapes and returns its bytes (quotes
// excluded). Strings with escapes or invalid UTF-8 are not handled.
func (s *jsonScanner) rawString() ([]byte, bool) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false
	}
	start := s.i + 1
	ascii := true
	for j := start; j < len(s.b); j++ {
		c := s.b[j]
		switch {
		case c == '"':
			v := s.b[start:j]
			if !ascii && !utf8.Valid(v) {
				return nil, false
			}
			s.i = j + 1
			return v, true
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false
}

// null reads null if it comes next.
func (s *jsonScanner) null() bool {
	if len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	return false
}

// str reads a string value; null leaves *dst alone, as encoding/json does.
func (s *jsonScanner) str(dst *string) bool {
	if s.null() {
		return true
	}
	v, ok := s.rawString()
	if !ok {
		return false
	}
	*dst = string(v)
	return true
}

// time reads an RFC 3339 time with time.Time's own decoder; null leaves *dst alone.
func (s *jsonScanner) time(dst *time.Time) bool {
	if s.null() {
		return true
	}
	start := s.i
	if _, ok := s.rawString(); !ok {
		return false
	}
	return dst.UnmarshalJSON(s.b[start:s.i]) == nil
}

// pixelField reads the value of one key of a fired pixel into p.
func (s *jsonScanner) pixelField(p *FiredPixel, key []byte) bool {
	switch string(key) {
	case "url":
		return s.str(&p.URL)
	case "batch_uuid":
		return s.str(&p.BatchUUID)
	case "status":
		return s.str(&p.Status)
	case "webhook_name":
		return s.str(&p.WebhookName)
	case "created_at":
		return s.time(&p.CreatedAt)
	case "fired_at":
		if s.null() {
			p.FiredAt = nil
			return true
		}
		var t time.Time
		if !s.time(&t) {
			return false
		}
		p.FiredAt = &t
		return true
	case "fire_order":
		if s.null() {
			return true
		}
		start := s.i
		if s.i < len(s.b) && s.b[s.i] == '-' {
			s.i++
		}
		digits := s.i
		for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
			s.i++
		}
		if s.i == digits || (s.b[digits] == '0' && s.i > digits+1) { // JSON: no empty number, no leading zero
			return false
		}
		n, err := strconv.ParseInt(string(s.b[start:s.i]), 10, strconv.IntSize)
		if err != nil || (s.i < len(s.b) && (s.b[s.i] == '.' || s.b[s.i] == 'e' || s.b[s.i] == 'E')) {
			return false // a fraction or exponent: encoding/json's error
		}
		p.FireOrder = int(n)
		return true
	}
	for _, f := range firedPixelKeys {
		if strings.EqualFold(string(key), f) { // encoding/json's case-insensitive match
			return false
		}
	}
	return s.skipScalar()
}

var firedPixelKeys = [...]string{"url", "fire_order", "batch_uuid", "created_at", "fired_at", "status", "webhook_name", "fired_pixel"}

// skipScalar skips a string, number, true, false or null, checking it with
// encoding/json. Objects and arrays are not handled.
func (s *jsonScanner) skipScalar() bool {
	start := s.i
	if s.i < len(s.b) && s.b[s.i] == '"' {
		s.i++
		for s.i < len(s.b) && s.b[s.i] != '"' {
			if s.b[s.i] == '\\' {
				s.i++
			}
			s.i++
		}
		s.i++
	} else {
		for s.i < len(s.b) && strings.IndexByte(",} \t\n\r", s.b[s.i]) < 0 {
			if c := s.b[s.i]; c == '{' || c == '[' {
				return false
			}
			s.i++
		}
	}
	return s.i <= len(s.b) && s.i > start && json.Valid(s.b[start:s.i])
}

// Values of CallListOptions.SortBy and CallListOptions.Order.
const (
	SortByCreatedAt = "created_at"
	SortByUpdatedAt = "updated_at" // the API then always answers newest first
	OrderAsc        = "asc"
	OrderDesc       = "desc"
)

// CallListOptions filters and orders a call listing. Every field is optional; times
// are sent as RFC 3339 with the time's own offset, to the second.
type CallListOptions struct {
	ListOptions
	// PerPage asks for up to 100 calls a page (the API's default is 25).
	PerPage int `url:"per_page,omitempty"`
	// CreatedAtStart returns calls created at or after this time.
	CreatedAtStart time.Time `url:"created_at_start,omitempty" layout:"2006-01-02T15:04:05Z07:00"`
	// CreatedAtEnd returns calls created at or before this time.
	CreatedAtEnd time.Time `url:"created_at_end,omitempty" layout:"2006-01-02T15:04:05Z07:00"`
	// SortBy is SortByCreatedAt (the default) or SortByUpdatedAt.
	SortBy string `url:"sort_by,omitempty"`
	// Order is OrderDesc (the default) or OrderAsc.
	Order string `url:"order,omitempty"`
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

// CallsService reads the call log through the v2 API (api/v2/calls), which adds
// revenue, payout, profit, tags, fired pixels and more to each call.
type CallsService service

const (
	callsV2Path = "api/v2/calls"
	callsV1Path = "calls"
	callRoot    = "call"
)

func (s *CallsService) lister() lister[Call] {
	return lister[Call]{c: s.client, path: callsV2Path + ".json", root: callRoot}
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
	return get[Call](ctx, s.client, pathJoin(callsV2Path, uuid), callRoot)
}

// CallsV1Service reads the call log through the original API (calls.json). Prefer
// [CallsService] (v2), which returns more fields.
type CallsV1Service service

func (s *CallsV1Service) lister() lister[Call] {
	return lister[Call]{c: s.client, path: callsV1Path + ".json", root: callRoot}
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
	return get[Call](ctx, s.client, pathJoin(callsV1Path, uuid), callRoot)
}
