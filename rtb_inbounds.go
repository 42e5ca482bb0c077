package retreaver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// RTBInbound is one row of the RTB inbounds log: one real-time bidding ping a
// campaign received, whatever came of it (claimed, expired, rejected, no
// target). [RTBInboundsService] lists them; [ExportsService] exports them as
// CSV, and its rows read into the same type.
//
// CallUUID is the join key to the call log: [CallsService.Get] with it returns
// the call this reservation became. It is not UUID, the reservation's own
// identifier. A reservation that never became a call (a rejected or no-target
// ping) has no call: the API then sends the all-zero UUID
// 00000000-0000-0000-0000-000000000000, never null, and CallUUID is "". The same
// holds for DuplicateOriginalUUID.
type RTBInbound struct {
	// UUID is this reservation's own identifier.
	UUID string `json:"uuid"`
	// CallUUID is the UUID of the call this reservation belongs to, the key to
	// join with [Call].UUID; "" when there is none (the API's all-zero UUID).
	CallUUID string `json:"call_uuid"`
	// PostbackKeyID is the postback (RTB) key the ping came with.
	PostbackKeyID int64 `json:"postback_key_id"`
	// AffiliateID is Retreaver's id of the affiliate (publisher, source).
	AffiliateID int64 `json:"affiliate_id"`
	// CampaignID is Retreaver's id of the campaign pinged.
	CampaignID int64 `json:"campaign_id"`
	// TargetID is Retreaver's id of the target (call endpoint); 0 when none.
	TargetID int64 `json:"target_id"`
	// CallerNumber is the caller's number as the ping gave it.
	CallerNumber string `json:"caller_number"`
	// Status is one of RTBInboundExpired, RTBInboundClaimed, RTBInboundNoTarget,
	// RTBInboundRejected, or a status the reference does not list (one of the
	// API's internal Ping Shield statuses; retreavertest lists a live, unconfirmed
	// reservation as "reserved"). RTBInboundListOptions.Statuses filters by the
	// four documented ones only.
	Status string `json:"status"`
	// Revenue and Payout are the reservation's amounts in dollars.
	Revenue Money `json:"revenue"`
	Payout  Money `json:"payout"`
	// DuplicateOrder is the reservation's rank among duplicates (0: the first).
	DuplicateOrder int `json:"duplicate_order"`
	// DuplicateOriginalUUID is the UUID of the reservation this one duplicates;
	// "" when it is none (the API's all-zero UUID).
	DuplicateOriginalUUID string `json:"duplicate_original_uuid"`
	CallerState           string `json:"caller_state"`
	CallerCity            string `json:"caller_city"`
	CallerZip             string `json:"caller_zip"`
	CallerCountry         string `json:"caller_country"`
	// CreatedAt is when the ping arrived.
	CreatedAt time.Time `json:"created_at"`
	// ConfirmedAt is when the reservation was confirmed; nil when it was not.
	ConfirmedAt *time.Time `json:"confirmed_at"`
	// EndedAt is when the reservation ended; nil while it has not.
	EndedAt *time.Time `json:"ended_at"`
	// TimeToResolve is the seconds between the ping and its resolution.
	TimeToResolve float64 `json:"time_to_resolve"`
	// FiredPixelsCount and FiredPixelsErrorCount count the pixels fired for the
	// reservation and those that failed.
	FiredPixelsCount      int `json:"fired_pixels_count"`
	FiredPixelsErrorCount int `json:"fired_pixels_error_count"`

	// The pbm_* fields are sent only when payout bid modification is enabled
	// for the campaign's company (see [PBMTablesService]); they are zero
	// otherwise.

	// PBMTableVersion is the table_version of the payout bid modification
	// table that was applied (sent as a string or a number).
	PBMTableVersion string `json:"pbm_table_version"`
	// PBMRuleID is the rule_id of the rule that matched; nil when none did.
	PBMRuleID *int64 `json:"pbm_rule_id"`
	// PBMBucket is the ping's deterministic bucket, 0 to 9999; nil when absent.
	PBMBucket *int `json:"pbm_bucket"`
	// PBMVariant names the variant the rule put the ping in ("treatment", ...).
	PBMVariant string `json:"pbm_variant"`
	// PBMOriginalPayout is the payout before the rule modified it.
	PBMOriginalPayout Money `json:"pbm_original_payout"`
	// PBMPercentOfRevenue is the payout_pct of the rule applied; nil when absent.
	PBMPercentOfRevenue *float64 `json:"pbm_percent_of_revenue"`

	// Extra holds, for rows read from an export's CSV, every column that is
	// not one of the fields above (keyed by its label), and every cell of a
	// known column that does not read as its field's type (the field is then
	// left zero). Nothing of a row is dropped. nil for rows read from JSON and
	// rows that had nothing extra.
	Extra map[string]string `json:"-"`
}

// zeroUUID is how the API writes an absent UUID on RTB inbounds and their
// exports.
const zeroUUID = "00000000-0000-0000-0000-000000000000"

// absentUUID turns the API's all-zero UUID into "".
func absentUUID(s string) string {
	if s == zeroUUID {
		return ""
	}
	return s
}

// UnmarshalJSON reads an RTB inbound, with pbm_table_version as a string or a
// number, and the all-zero UUIDs as "".
func (r *RTBInbound) UnmarshalJSON(b []byte) error {
	var v rtbInboundJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = *v.finish()
	return nil
}

// rtbInboundJSON is an RTB inbound as the API sends it. Pages decode into it
// directly, in their one pass: through RTBInbound.UnmarshalJSON each row would
// be scanned twice more.
type rtbInboundJSON struct {
	rtbInboundFields
	PBMTableVersion looseText `json:"pbm_table_version"`
}

// rtbInboundFields are the fields of RTBInbound, without its UnmarshalJSON.
type rtbInboundFields RTBInbound

// finish returns the inbound, its odd fields read.
func (v *rtbInboundJSON) finish() *RTBInbound {
	r := (*RTBInbound)(&v.rtbInboundFields)
	r.PBMTableVersion = string(v.PBMTableVersion)
	r.CallUUID = absentUUID(r.CallUUID)
	r.DuplicateOriginalUUID = absentUUID(r.DuplicateOriginalUUID)
	return r
}

// Statuses of an [RTBInbound], the values RTBInboundListOptions.Statuses
// accepts. They are untyped, so that they fit both RTBInbound.Status and
// RTBInboundListOptions.Statuses.
const (
	RTBInboundExpired  = "expired"   // the reservation lapsed before a call came
	RTBInboundClaimed  = "claimed"   // a call came for the reservation
	RTBInboundNoTarget = "no-target" // no target would take the call
	RTBInboundRejected = "rejected"  // the ping was refused
)

// rtbInboundStatuses are the statuses the status[] filter takes.
var rtbInboundStatuses = []string{RTBInboundExpired, RTBInboundClaimed, RTBInboundNoTarget, RTBInboundRejected}

// Range is a closed interval of amounts, sent as a two-element array: for
// RTBInboundListOptions.Revenue, revenue[]=Min&revenue[]=Max.
type Range struct {
	Min, Max float64
}

func (r *Range) validate(name string) error {
	if r == nil {
		return nil
	}
	for _, f := range []float64{r.Min, r.Max} {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return invalidArg("%s range must be finite numbers, got [%v, %v]", name, r.Min, r.Max)
		}
	}
	if r.Max < r.Min {
		return invalidArg("%s range max %v is below its min %v", name, r.Max, r.Min)
	}
	return nil
}

func (r *Range) texts() []string {
	return []string{strconv.FormatFloat(r.Min, 'f', -1, 64), strconv.FormatFloat(r.Max, 'f', -1, 64)}
}

// RTBInboundListOptions filters the RTB inbounds log ([RTBInboundsService.List])
// and its exports ([ExportsService.CreateRTBInbounds]). Every filter is
// optional for the log; an export needs a time window (CreatedAt, or
// CreatedAtStart). Everything is checked before any request: an unknown
// status, a reversed range, a window of more than 2 months or given both ways
// is an error wrapping ErrInvalidArgument.
//
// IDs are Retreaver's own ids (the id of every JSON answer). The API silently
// drops ids the key's account cannot reach from the filter.
type RTBInboundListOptions struct {
	ListOptions
	// CampaignIDs, AffiliateIDs, TargetIDs and PostbackKeyIDs keep the rows of
	// any of these campaigns, affiliates (sources), targets (call endpoints) and
	// postback (RTB) keys: campaign_id[]=1&campaign_id[]=2, ...
	CampaignIDs, AffiliateIDs, TargetIDs, PostbackKeyIDs []int64
	// Statuses keeps the rows of any of these statuses (status[]): see
	// RTBInboundExpired, RTBInboundClaimed, RTBInboundNoTarget and
	// RTBInboundRejected.
	Statuses []string
	// Duplicate keeps only duplicate reservations (true) or only the others
	// (false); nil keeps both.
	Duplicate *bool
	// CallerState is a two-letter US or Canadian state or province; CallerCountry
	// a two-letter country code.
	CallerState, CallerCountry string
	// Revenue and Payout keep the rows whose amount lies in the range
	// (revenue[]=min&revenue[]=max).
	Revenue, Payout *Range
	// CreatedAt is a relative window such as "last_7d". It excludes
	// CreatedAtStart and CreatedAtEnd (the API would silently ignore them).
	CreatedAt string
	// CreatedAtStart and CreatedAtEnd bound the window explicitly, at most 2
	// months apart; they are sent in UTC, to the second. An export that sets
	// only CreatedAtStart ends now.
	CreatedAtStart, CreatedAtEnd time.Time
	// WithFilters asks for the filters object: every campaign, publisher,
	// target, postback key and status the account can filter by. Only
	// [RTBInboundsService.ListWithFilters] hands it back (and sends
	// with_filters=true whatever this says); List sends the flag as set, All
	// never sends it (it would come back with every page), and exports ignore it.
	WithFilters bool
}

// checkRelativeWindow accepts a relative window token such as "last_7d". The
// reference names no list of tokens, so only its spelling is checked.
func checkRelativeWindow(s string) error {
	if s == "" {
		return invalidArg("created at (a relative window such as last_7d) is blank")
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return invalidArg("created at %q is not a relative window such as last_7d", s)
		}
	}
	return nil
}

// validate checks the options before any request is made.
func (o *RTBInboundListOptions) validate() error {
	if o == nil {
		return nil
	}
	if err := o.ListOptions.validate(); err != nil {
		return err
	}
	for _, ids := range []struct {
		name string
		ids  []int64
	}{{"campaign", o.CampaignIDs}, {"affiliate", o.AffiliateIDs}, {"target", o.TargetIDs}, {"postback key", o.PostbackKeyIDs}} {
		for _, id := range ids.ids {
			if id <= 0 {
				return invalidArg("%s id must be positive, got %d", ids.name, id)
			}
		}
	}
	for _, s := range o.Statuses {
		if !slices.Contains(rtbInboundStatuses, s) {
			return invalidArg("RTB inbound status must be one of %s, got %q", strings.Join(rtbInboundStatuses, ", "), s)
		}
	}
	for _, c := range []struct{ name, v string }{{"caller state", o.CallerState}, {"caller country", o.CallerCountry}} {
		if c.v != "" && !isTwoLetters(c.v) {
			return invalidArg("%s must be two letters, got %q", c.name, c.v)
		}
	}
	if err := o.Revenue.validate("revenue"); err != nil {
		return err
	}
	if err := o.Payout.validate("payout"); err != nil {
		return err
	}
	explicit := !o.CreatedAtStart.IsZero() || !o.CreatedAtEnd.IsZero()
	if o.CreatedAt != "" {
		if explicit {
			return invalidArg("created at %q (a relative window) and created at start/end exclude each other", o.CreatedAt)
		}
		return checkRelativeWindow(o.CreatedAt)
	}
	return checkWindow(o.CreatedAtStart, o.CreatedAtEnd)
}

// checkWindow checks explicit bounds: end not before start, at most 2
// calendar months apart (the start's date two months on, same clock time).
func checkWindow(start, end time.Time) error {
	if start.IsZero() || end.IsZero() {
		return nil
	}
	if end.Before(start) {
		return invalidArg("created at end %s is before created at start %s", end.UTC().Format(time.RFC3339), start.UTC().Format(time.RFC3339))
	}
	if limit := start.UTC().AddDate(0, 2, 0); end.UTC().After(limit) {
		return invalidArg("created at window %s to %s is longer than 2 months (the API's limit)",
			start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339))
	}
	return nil
}

func isTwoLetters(s string) bool {
	return len(s) == 2 && isASCIILetter(s[0]) && isASCIILetter(s[1])
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// timeParam formats a bound as the API takes it: RFC 3339 in UTC, to the second.
func timeParam(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func idTexts(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}

// rtbInboundFilter is one filter of RTBInboundListOptions, as a listing's
// query sends it (text, name[] for an array) and as an export's params do
// (JSON).
type rtbInboundFilter struct {
	name  string
	array bool
	json  any
	text  []string
}

// filters lists the filters o sets, the time window included, once for both
// a listing's query and an export's params.
func (o *RTBInboundListOptions) filters() []rtbInboundFilter {
	var fs []rtbInboundFilter
	for _, f := range []struct {
		name string
		ids  []int64
	}{{"campaign_id", o.CampaignIDs}, {"affiliate_id", o.AffiliateIDs}, {"target_id", o.TargetIDs}, {"postback_key_id", o.PostbackKeyIDs}} {
		if len(f.ids) > 0 {
			fs = append(fs, rtbInboundFilter{f.name, true, f.ids, idTexts(f.ids)})
		}
	}
	if len(o.Statuses) > 0 {
		fs = append(fs, rtbInboundFilter{"status", true, o.Statuses, slices.Clone(o.Statuses)})
	}
	if o.Duplicate != nil {
		fs = append(fs, rtbInboundFilter{"duplicate", false, *o.Duplicate, []string{strconv.FormatBool(*o.Duplicate)}})
	}
	for _, f := range []struct{ name, value string }{{"caller_state", o.CallerState}, {"caller_country", o.CallerCountry}, {"created_at", o.CreatedAt}} {
		if f.value != "" {
			fs = append(fs, rtbInboundFilter{f.name, false, f.value, []string{f.value}})
		}
	}
	for _, f := range []struct {
		name string
		r    *Range
	}{{"revenue", o.Revenue}, {"payout", o.Payout}} {
		if f.r != nil {
			fs = append(fs, rtbInboundFilter{f.name, true, []float64{f.r.Min, f.r.Max}, f.r.texts()})
		}
	}
	for _, f := range []struct {
		name string
		t    time.Time
	}{{"created_at_start", o.CreatedAtStart}, {"created_at_end", o.CreatedAtEnd}} {
		if !f.t.IsZero() {
			fs = append(fs, rtbInboundFilter{f.name, false, timeParam(f.t), []string{timeParam(f.t)}})
		}
	}
	return fs
}

// query returns the log's query string, without page and with_filters, for
// checkListOptions: o is not nil and has been validated.
func (o *RTBInboundListOptions) query() url.Values {
	q := url.Values{}
	for _, f := range o.filters() {
		key := f.name
		if f.array {
			key += "[]"
		}
		q[key] = f.text
	}
	return q
}

// RTBInboundsService reads the RTB inbounds log (api/v5/rtb_inbounds): one
// row per real-time bidding ping the company's campaigns received, newest
// first, 100 a page (the page size is fixed). For a large historical range,
// export it instead ([ExportsService.RTBInbounds]).
type RTBInboundsService service

const (
	rtbInboundsPath = "api/v5/rtb_inbounds.json"
	rtbInboundsRoot = "rtb_inbounds"
)

// List returns one page of the log (page opts.Page, the first when 0).
func (s *RTBInboundsService) List(ctx context.Context, opts *RTBInboundListOptions) (*Page[RTBInbound], error) {
	q, start, err := checkListOptions(opts)
	if err != nil {
		return nil, err
	}
	if opts != nil && opts.WithFilters {
		q.Set("with_filters", "true")
	}
	return s.fetch(ctx, q, start, false, nil)
}

// ListWithFilters returns one page of the log like List, and the filters
// object the API adds when asked (with_filters=true, sent whatever
// opts.WithFilters says): the values the account can filter by, for building
// a picker without listing campaigns, affiliates, targets and keys
// separately. An answer without the object is an error wrapping
// ErrUnexpectedResponse.
func (s *RTBInboundsService) ListWithFilters(ctx context.Context, opts *RTBInboundListOptions) (*Page[RTBInbound], RTBInboundFilters, error) {
	q, start, err := checkListOptions(opts)
	if err != nil {
		return nil, nil, err
	}
	q.Set("with_filters", "true")
	var filters RTBInboundFilters
	p, err := s.fetch(ctx, q, start, false, &filters)
	if err != nil {
		return nil, nil, err
	}
	return p, filters, nil
}

// All iterates over every row of the log matching opts, page after page from
// opts.Page, following the Link header. It ends with an error wrapping
// ErrPagination when the pages stop advancing, and retries an empty page that
// comes before the last page announced.
func (s *RTBInboundsService) All(ctx context.Context, opts *RTBInboundListOptions) iter.Seq2[*RTBInbound, error] {
	q, start, err := checkListOptions(opts)
	if err != nil {
		return failed[RTBInbound](err)
	}
	return paginate(ctx, start, func(ctx context.Context, page int, wantItems bool) (*Page[RTBInbound], error) {
		return s.fetch(ctx, q, page, wantItems, nil)
	})
}

// fetch fetches page page of the log. filters, when non-nil, receives the
// answer's filters object, which must then be there; otherwise the object is
// not decoded at all.
func (s *RTBInboundsService) fetch(ctx context.Context, q url.Values, page int, wantItems bool, filters *RTBInboundFilters) (*Page[RTBInbound], error) {
	r := s.client.newRequest(http.MethodGet, rtbInboundsPath, withPage(q, page), nil)
	return fetchPageOf(ctx, s.client.cfg, r, wantItems, func(body []byte) ([]*RTBInbound, error) {
		if filters == nil {
			var env struct {
				Items *[]*rtbInboundJSON `json:"rtb_inbounds"`
			}
			err := decodeValue(body, &env)
			return rtbInboundRows(env.Items, err)
		}
		var env struct {
			Items   *[]*rtbInboundJSON `json:"rtb_inbounds"`
			Filters RTBInboundFilters  `json:"filters"`
		}
		err := decodeValue(body, &env)
		if err == nil && env.Filters == nil {
			err = errors.New("answer has no \"filters\" object although with_filters=true")
		}
		*filters = env.Filters
		return rtbInboundRows(env.Items, err)
	})
}

// rtbInboundRows finishes the rows of a page decoded from
// {"rtb_inbounds": [...]}: the array is required, not null, without a null
// element.
func rtbInboundRows(rows *[]*rtbInboundJSON, err error) ([]*RTBInbound, error) {
	if err != nil {
		return nil, err
	}
	if rows == nil {
		return nil, fmt.Errorf("answer has no %q array", rtbInboundsRoot)
	}
	items := make([]*RTBInbound, len(*rows))
	for i, it := range *rows {
		if it == nil {
			return nil, fmt.Errorf("%s element %d is null", rtbInboundsRoot, i)
		}
		items[i] = it.finish()
	}
	return items, nil
}

// RTBInboundFilters is the filters object of an RTB inbounds answer
// ([RTBInboundsService.ListWithFilters]), by key: the values the account can
// filter the log by (its campaigns, publishers, targets, postback keys and
// statuses), to build a picker without listing each separately. The reference
// describes the object without printing one, so each value is kept as the API
// sent it: decode it into a type of your own once you have seen it.
type RTBInboundFilters map[string]json.RawMessage
