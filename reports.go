package retreaver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ReportDomainCalls is the only report domain the API offers today: statistics of
// calls. [ReportOptions.Domain] defaults to it.
const ReportDomainCalls = "calls"

// Facets of a report: what each row of a [Report] aggregates over
// ([ReportOptions.Facet]).
const (
	ReportFacetPublisher = "publisher" // one row per publisher (affiliate)
	ReportFacetBuyer     = "buyer"     // one row per buyer (target)
	ReportFacetCampaign  = "campaign"  // one row per campaign
	ReportFacetNumber    = "number"    // one row per tracking number
	ReportFacetDaily     = "daily"     // one row per day
	ReportFacetTagValue  = "tag_value" // one row per tag value; see ReportOptions.TagValueKey
	ReportFacetState     = "state"     // one row per caller state
)

// reportDateLayout is how report dates are sent.
const reportDateLayout = "2006-01-02"

// ReportOptions says which report to fetch. Facet and both dates are required.
type ReportOptions struct {
	// Domain is what the report is about. The API knows only [ReportDomainCalls]
	// today; "" means it, and any other value is an error wrapping
	// ErrInvalidArgument.
	Domain string
	// Facet is what each row aggregates over: one of ReportFacetPublisher,
	// ReportFacetBuyer, ReportFacetCampaign, ReportFacetNumber, ReportFacetDaily,
	// ReportFacetTagValue or ReportFacetState. Required.
	Facet string
	// CreatedAtStart and CreatedAtEnd bound the calls counted. Both are required and
	// are sent as dates (2006-01-02): the calendar day of each time in its own
	// location, the time of day is dropped. The start day must be before the end
	// day and the two less than 2 years apart.
	CreatedAtStart time.Time
	CreatedAtEnd   time.Time
	// TagValueKey, with Facet ReportFacetTagValue only, reports on the values of one
	// tag key (such as "utm_campaign"). The API indexes only the tag keys the
	// company has created as Tags: a report on any other key is empty, not an
	// error.
	TagValueKey string
	// Page is the page to fetch, from 1 (0: the first). [ReportsService.All] starts
	// from it.
	Page int
	// PerPage is the number of rows a page (0: the API's default).
	PerPage int
}

// validate checks the options before any request is made.
func (o *ReportOptions) validate() error {
	if o == nil {
		return invalidArg("report options are nil: facet and dates are required")
	}
	if o.Domain != "" && o.Domain != ReportDomainCalls {
		return invalidArg("report domain must be %q, got %q", ReportDomainCalls, o.Domain)
	}
	switch o.Facet {
	case ReportFacetPublisher, ReportFacetBuyer, ReportFacetCampaign, ReportFacetNumber,
		ReportFacetDaily, ReportFacetTagValue, ReportFacetState:
	case "":
		return invalidArg("report facet is required")
	default:
		return invalidArg("unknown report facet %q", o.Facet)
	}
	if o.TagValueKey != "" && o.Facet != ReportFacetTagValue {
		return invalidArg("tag value key is only valid with facet %q, not %q", ReportFacetTagValue, o.Facet)
	}
	if o.CreatedAtStart.IsZero() || o.CreatedAtEnd.IsZero() {
		return invalidArg("report created at start and end are both required")
	}
	start, end := civilDate(o.CreatedAtStart), civilDate(o.CreatedAtEnd)
	if !start.Before(end) {
		return invalidArg("report start %s must be before its end %s",
			start.Format(reportDateLayout), end.Format(reportDateLayout))
	}
	if !end.Before(start.AddDate(2, 0, 0)) {
		return invalidArg("report start %s and end %s must be less than 2 years apart",
			start.Format(reportDateLayout), end.Format(reportDateLayout))
	}
	if o.Page < 0 {
		return invalidArg("page must not be negative, got %d", o.Page)
	}
	if o.PerPage < 0 {
		return invalidArg("per page must not be negative, got %d", o.PerPage)
	}
	return nil
}

// civilDate is t's calendar day in t's own location, as midnight UTC.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// values is the query string of the report; page > 0 overrides o.Page.
func (o *ReportOptions) values(page int) url.Values {
	q := url.Values{
		"domain":           {ReportDomainCalls},
		"facet":            {o.Facet},
		"created_at_start": {o.CreatedAtStart.Format(reportDateLayout)},
		"created_at_end":   {o.CreatedAtEnd.Format(reportDateLayout)},
	}
	if o.Domain != "" {
		q.Set("domain", o.Domain)
	}
	if o.TagValueKey != "" {
		q.Set("tag_value_key", o.TagValueKey)
	}
	if page <= 0 {
		page = o.Page
	}
	if page > 0 {
		q.Set("page", strconv.Itoa(page))
	}
	if o.PerPage > 0 {
		q.Set("per_page", strconv.Itoa(o.PerPage))
	}
	return q
}

// Report is one page of a report: aggregate call statistics, one row per facet
// value (per publisher, per day, ...).
type Report struct {
	// Count is the number of rows in this page.
	Count int `json:"count"`
	// CountTotal is the number of rows of the whole report, every page together.
	CountTotal int `json:"count_total"`
	// Rows are this page's rows (the answer's "data").
	Rows []*ReportRow `json:"data"`
}

// UnmarshalJSON reads a report answer, accepting counts written as 2 or 2.0 and
// skipping null rows.
func (r *Report) UnmarshalJSON(b []byte) error {
	var v struct {
		Count      json.RawMessage `json:"count"`
		CountTotal json.RawMessage `json:"count_total"`
		Data       []*ReportRow    `json:"data"`
	}
	if err := unmarshalLenient(b, &v); err != nil {
		return err
	}
	var out Report
	var err error
	if out.Count, err = looseInt(v.Count, "count"); err != nil {
		return err
	}
	if out.CountTotal, err = looseInt(v.CountTotal, "count_total"); err != nil {
		return err
	}
	for _, row := range v.Data {
		if row != nil {
			out.Rows = append(out.Rows, row)
		}
	}
	*r = out
	return nil
}

// ReportRow is one row of a [Report]: the statistics of the calls of one facet
// value. Counts the API sends as floats are float64 here; numbers sent as strings
// are read, and null reads as 0.
type ReportRow struct {
	// ID identifies the facet value: a publisher's or buyer's id, a date, a state,
	// a tag value. The API sends a string or, for some facets, an integer; either
	// is kept here as text ("12").
	ID string `json:"id"`
	// FacetName is the facet value's display name (a publisher's name, a day, ...).
	FacetName string `json:"facet_name"`
	// TotalCalls is the number of calls.
	TotalCalls int `json:"total_calls"`

	RepeatCount              float64 `json:"repeat_count"`
	DuplicateCount           float64 `json:"duplicate_count"`
	UniqueCalls              float64 `json:"unique_calls"`
	ConvertedCount           float64 `json:"converted_count"`
	Revenue                  float64 `json:"revenue"`
	Payout                   float64 `json:"payout"`
	Cost                     float64 `json:"cost"`
	TotalDuration            float64 `json:"total_duration"` // seconds
	TotalDurationPercent     float64 `json:"total_duration_percent"`
	RescuedCount             float64 `json:"rescued_count"`
	RescuedRevenue           float64 `json:"rescued_revenue"`
	ConnectedDuration        float64 `json:"connected_duration"` // seconds
	ConnectedDurationPercent float64 `json:"connected_duration_percent"`
	InProgressCount          float64 `json:"in_progress_count"`
	Profit                   float64 `json:"profit"`
	RepeatCountPercent       float64 `json:"repeat_count_percent"`
	DuplicateCountPercent    float64 `json:"duplicate_count_percent"`
	ConvertedCountPercent    float64 `json:"converted_count_percent"`
	RescuedCountPercent      float64 `json:"rescued_count_percent"`
	EPC                      float64 `json:"epc"` // earnings per call
	CPC                      float64 `json:"cpc"` // cost per call
}

// floatFields lists the row's float fields by JSON name.
func (r *ReportRow) floatFields() []struct {
	name string
	p    *float64
} {
	return []struct {
		name string
		p    *float64
	}{
		{"repeat_count", &r.RepeatCount},
		{"duplicate_count", &r.DuplicateCount},
		{"unique_calls", &r.UniqueCalls},
		{"converted_count", &r.ConvertedCount},
		{"revenue", &r.Revenue},
		{"payout", &r.Payout},
		{"cost", &r.Cost},
		{"total_duration", &r.TotalDuration},
		{"total_duration_percent", &r.TotalDurationPercent},
		{"rescued_count", &r.RescuedCount},
		{"rescued_revenue", &r.RescuedRevenue},
		{"connected_duration", &r.ConnectedDuration},
		{"connected_duration_percent", &r.ConnectedDurationPercent},
		{"in_progress_count", &r.InProgressCount},
		{"profit", &r.Profit},
		{"repeat_count_percent", &r.RepeatCountPercent},
		{"duplicate_count_percent", &r.DuplicateCountPercent},
		{"converted_count_percent", &r.ConvertedCountPercent},
		{"rescued_count_percent", &r.RescuedCountPercent},
		{"epc", &r.EPC},
		{"cpc", &r.CPC},
	}
}

// UnmarshalJSON reads a row, accepting a string or integer id, integers written as
// floats (2.0), numbers written as strings ("12.5") and nulls.
func (r *ReportRow) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	var row ReportRow
	var err error
	if row.ID, err = looseText(m["id"], "id"); err != nil {
		return err
	}
	if row.FacetName, err = looseText(m["facet_name"], "facet_name"); err != nil {
		return err
	}
	if row.TotalCalls, err = looseInt(m["total_calls"], "total_calls"); err != nil {
		return err
	}
	for _, f := range row.floatFields() {
		if *f.p, err = looseFloat(m[f.name], f.name); err != nil {
			return err
		}
	}
	*r = row
	return nil
}

// looseFloat reads a JSON number, a string holding one, or null (0).
func looseFloat(raw json.RawMessage, field string) (float64, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return 0, nil
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, fmt.Errorf("%s: %w", field, err)
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return 0, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%s: %.40q is not a number", field, s)
	}
	return f, nil
}

// looseInt reads an integer written as 2, 2.0 or "2", or null (0). A fraction is
// an error.
func looseInt(raw json.RawMessage, field string) (int, error) {
	f, err := looseFloat(raw, field)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, fmt.Errorf("%s: %v is not an integer", field, f)
	}
	return int(f), nil
}

// looseText reads a string, a number (kept as its text; 12.0 becomes "12"), or
// null ("").
func looseText(raw json.RawMessage, field string) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "", nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("%s: %w", field, err)
		}
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf("%s: %.40q is neither a string nor a number", field, raw)
	}
	if _, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
		return n.String(), nil
	}
	if f, err := n.Float64(); err == nil && f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	}
	return n.String(), nil
}

// decodeReport decodes a report answer. A JSON object with none of count,
// count_total and data is not a report (an error object sent with status 200).
func decodeReport(body []byte) (*Report, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil, errors.New("body is not a JSON object")
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(body, &keys); err != nil {
		return nil, err
	}
	_, hasCount := keys["count"]
	_, hasTotal := keys["count_total"]
	_, hasData := keys["data"]
	if !hasCount && !hasTotal && !hasData {
		return nil, errors.New("answer has no count, count_total or data")
	}
	rep := new(Report)
	if err := json.Unmarshal(body, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// ReportsService reads aggregate call statistics (api/v1/reports.json): calls,
// conversions, revenue, payout, cost and durations, per publisher, buyer,
// campaign, number, day, tag value or caller state.
type ReportsService service

const reportsPath = "api/v1/reports.json"

// Get returns one page of a report. opts is required: Facet, CreatedAtStart and
// CreatedAtEnd must be set (see [ReportOptions]); invalid options fail with an
// error wrapping ErrInvalidArgument before any request. A report with no calls,
// or on a tag key the company has not created, has no rows and no error.
func (s *ReportsService) Get(ctx context.Context, opts *ReportOptions) (*Report, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	return s.get(ctx, opts, 0)
}

func (s *ReportsService) get(ctx context.Context, opts *ReportOptions, page int) (*Report, error) {
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: reportsPath, query: opts.values(page)})
	if err != nil {
		return nil, err
	}
	rep, err := decodeReport(resp.body)
	if err != nil {
		return nil, resp.decodeError(err)
	}
	return rep, nil
}

// All iterates over every row of a report, page after page from opts.Page (the
// first when 0), opts.PerPage rows a page. It stops when the rows seen reach the
// report's count_total or when a page comes back empty, whichever comes first, so
// a server whose count_total is never reached cannot keep it going. Invalid
// options are yielded as the only error, before any request.
func (s *ReportsService) All(ctx context.Context, opts *ReportOptions) iter.Seq2[*ReportRow, error] {
	if err := opts.validate(); err != nil {
		return failed[ReportRow](err)
	}
	if ctx == nil {
		return failed[ReportRow](invalidArg("context is nil"))
	}
	o := *opts // later changes to opts do not affect the iteration
	return func(yield func(*ReportRow, error) bool) {
		page := max(o.Page, 1)
		seen := 0
		if o.PerPage > 0 {
			seen = (page - 1) * o.PerPage // rows of the pages skipped
		}
		for {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			rep, err := s.get(ctx, &o, page)
			if err != nil {
				yield(nil, err)
				return
			}
			if len(rep.Rows) == 0 {
				return
			}
			for _, row := range rep.Rows {
				if !yield(row, nil) {
					return
				}
			}
			seen += len(rep.Rows)
			if seen >= rep.CountTotal {
				return
			}
			page++
		}
	}
}
