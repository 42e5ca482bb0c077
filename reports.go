package retreaver

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ReportDomainCalls is the only report domain the API offers today: statistics of
// calls. [ReportOptions.Domain] defaults to it.
const ReportDomainCalls = "calls"

// ReportFacet is what each row of a [Report] aggregates over
// ([ReportOptions.Facet]), and so what [ReportRow.ID] holds.
type ReportFacet string

// Facets of a report.
const (
	ReportFacetPublisher ReportFacet = "publisher" // one row per publisher (affiliate); ID is its id
	ReportFacetBuyer     ReportFacet = "buyer"     // one row per buyer (target); ID is the target's id
	ReportFacetCampaign  ReportFacet = "campaign"  // one row per campaign; ID is its id
	ReportFacetNumber    ReportFacet = "number"    // one row per tracking number; ID is its id
	ReportFacetDaily     ReportFacet = "daily"     // one row per day; ID is the day
	ReportFacetTagValue  ReportFacet = "tag_value" // one row per tag key, or per value of TagValueKey
	ReportFacetState     ReportFacet = "state"     // one row per caller state; ID is the state
)

// reportDateLayout is how report dates are sent.
const reportDateLayout = "2006-01-02"

// ReportOptions says which report to fetch. Facet and both days are required.
type ReportOptions struct {
	// Domain is what the report is about. The API knows only [ReportDomainCalls]
	// today; "" means it, and any other value is an error wrapping
	// ErrInvalidArgument.
	Domain string
	// Facet is what each row aggregates over. Required.
	Facet ReportFacet
	// CreatedAtStart and CreatedAtEnd are the first and the last day of the
	// report, both included: the calendar day of each time in its own location
	// (the time of day is dropped). The same day twice is a report of that one
	// day. Both are required, the end may not be before the start, and the report
	// may span less than 2 years. (The API reads created_at_end as the end of the
	// window, not included, so the day after CreatedAtEnd is sent.)
	CreatedAtStart time.Time
	CreatedAtEnd   time.Time
	// TagValueKey, with Facet ReportFacetTagValue only, reports on the values of one
	// tag key (such as "utm_campaign"); without it, each row is a tag key. The API
	// indexes only the tag keys the company has created as Tags: a report on any
	// other key is empty, not an error.
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
	if end.Before(start) {
		return invalidArg("report end day %s is before its start day %s",
			end.Format(reportDateLayout), start.Format(reportDateLayout))
	}
	if !end.AddDate(0, 0, 1).Before(start.AddDate(2, 0, 0)) {
		return invalidArg("report days %s to %s span 2 years or more",
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
		"facet":            {string(o.Facet)},
		"created_at_start": {civilDate(o.CreatedAtStart).Format(reportDateLayout)},
		"created_at_end":   {civilDate(o.CreatedAtEnd).AddDate(0, 0, 1).Format(reportDateLayout)},
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
// skipping null rows. An object with none of count, count_total and data is not
// a report (an error object sent with status 200).
func (r *Report) UnmarshalJSON(b []byte) error {
	var v reportJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	out, err := v.report()
	if err != nil {
		return err
	}
	*r = *out
	return nil
}

// reportJSON is a report answer as the API sends it. The answer decodes into it
// directly, rows included, in one pass: through Report.UnmarshalJSON and
// ReportRow.UnmarshalJSON, the body and then each row would be scanned twice
// more.
type reportJSON struct {
	Count      *looseInt        `json:"count"`
	CountTotal *looseInt        `json:"count_total"`
	Data       []*reportRowJSON `json:"data"`
}

// report finishes the decoding: null rows are skipped, and an object with none
// of count, count_total and data is no report.
func (v *reportJSON) report() (*Report, error) {
	if v.Count == nil && v.CountTotal == nil && v.Data == nil {
		return nil, errors.New("answer has no count, count_total or data: not a report")
	}
	out := &Report{Rows: make([]*ReportRow, 0, len(v.Data))}
	if v.Count != nil {
		out.Count = int(*v.Count)
	}
	if v.CountTotal != nil {
		out.CountTotal = int(*v.CountTotal)
	}
	for _, row := range v.Data {
		if row != nil {
			out.Rows = append(out.Rows, row.row())
		}
	}
	return out, nil
}

// ReportRow is one row of a [Report]: the statistics of the calls of one facet
// value. Amounts are [Money]; counts, durations and percentages, which the API
// computes as averages and ratios, are float64 (null reads as 0).
type ReportRow struct {
	// ID identifies the facet value: the id of the publisher (affiliate), buyer
	// (target), campaign or number; the day for ReportFacetDaily; the caller's
	// state for ReportFacetState; for ReportFacetTagValue the tag key, or the tag
	// value when ReportOptions.TagValueKey is set. The API sends a string or an
	// integer; either is kept here as text ("30417").
	ID string `json:"id"`
	// FacetName is the facet value's display name (a buyer's "name - number", a
	// day, a tag value, ...).
	FacetName string `json:"facet_name"`
	// TotalCalls is the number of calls.
	TotalCalls int `json:"total_calls"`

	RepeatCount              float64 `json:"repeat_count"`
	DuplicateCount           float64 `json:"duplicate_count"`
	UniqueCalls              float64 `json:"unique_calls"`
	ConvertedCount           float64 `json:"converted_count"`
	Revenue                  Money   `json:"revenue"`
	Payout                   Money   `json:"payout"`
	Cost                     Money   `json:"cost"`
	TotalDuration            float64 `json:"total_duration"` // seconds, average per call
	TotalDurationPercent     float64 `json:"total_duration_percent"`
	RescuedCount             float64 `json:"rescued_count"`
	RescuedRevenue           Money   `json:"rescued_revenue"`
	ConnectedDuration        float64 `json:"connected_duration"` // seconds
	ConnectedDurationPercent float64 `json:"connected_duration_percent"`
	InProgressCount          float64 `json:"in_progress_count"` // calls going on now
	Profit                   Money   `json:"profit"`
	RepeatCountPercent       float64 `json:"repeat_count_percent"`
	DuplicateCountPercent    float64 `json:"duplicate_count_percent"`
	ConvertedCountPercent    float64 `json:"converted_count_percent"`
	RescuedCountPercent      float64 `json:"rescued_count_percent"`
	EPC                      Money   `json:"epc"` // earnings per call
	CPC                      Money   `json:"cpc"` // cost per call
}

// UnmarshalJSON reads a row, accepting an id sent as a string or an integer and
// total_calls written as 2 or 2.0.
func (r *ReportRow) UnmarshalJSON(b []byte) error {
	v := reportRowJSON{reportRowFields: reportRowFields(*r)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = *v.row()
	return nil
}

// reportRowJSON is a report row as the API sends it.
type reportRowJSON struct {
	reportRowFields
	ID         looseText `json:"id"`
	TotalCalls looseInt  `json:"total_calls"`
}

// reportRowFields are the fields of ReportRow, without its UnmarshalJSON.
type reportRowFields ReportRow

func (v *reportRowJSON) row() *ReportRow {
	r := (*ReportRow)(&v.reportRowFields)
	r.ID, r.TotalCalls = string(v.ID), int(v.TotalCalls)
	return r
}

// ReportsService reads aggregate call statistics (api/v1/reports.json): calls,
// conversions, revenue, payout, cost and durations, per publisher, buyer,
// campaign, number, day, tag value or caller state. The API caches reports: they
// are not for polling in real time.
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
	_, rep, err := s.page(ctx, opts, 0, false)
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// page fetches one page of a report: the report, and its rows as a Page, which
// carries what pagination needs. wantRows makes an empty page an error, as for
// every list.
func (s *ReportsService) page(ctx context.Context, o *ReportOptions, page int, wantRows bool) (*Page[ReportRow], *Report, error) {
	var rep *Report
	r := s.client.newRequest(http.MethodGet, reportsPath, o.values(page), nil)
	p, err := fetchPageOf(ctx, s.client.cfg, r, wantRows, func(body []byte) ([]*ReportRow, error) {
		v, err := decodeBare[reportJSON](body)
		if err != nil {
			return nil, err
		}
		if rep, err = v.report(); err != nil {
			return nil, err
		}
		return rep.Rows, nil
	})
	return p, rep, err
}

// All iterates over every row of a report, page after page from opts.Page (the
// first when 0), opts.PerPage rows a page, until the rows seen reach the report's
// count_total. Reports carry no Link header; like every iterator, All ends with
// ErrPagination when a page answers exactly what the page before it did (a
// server that ignores page), and a page that comes back empty before count_total
// is reached is retried, then an error. Invalid options are yielded as the only
// error, before any request.
func (s *ReportsService) All(ctx context.Context, opts *ReportOptions) iter.Seq2[*ReportRow, error] {
	if err := opts.validate(); err != nil {
		return failed[ReportRow](err)
	}
	o := *opts // later changes to opts do not affect the iteration
	return func(yield func(*ReportRow, error) bool) {
		start := max(o.Page, 1)
		seen, total := 0, -1
		if o.PerPage > 0 {
			seen = (start - 1) * o.PerPage // rows of the pages skipped
		}
		paginate(ctx, start, func(ctx context.Context, page int, _ bool) (*Page[ReportRow], error) {
			p, rep, err := s.page(ctx, &o, page, total > seen)
			if err != nil {
				return nil, err
			}
			rows := p.Items
			seen += len(rows)
			total = rep.CountTotal
			out := &Page[ReportRow]{Items: rows, sum: p.sum}
			if len(rows) > 0 && seen < total {
				out.NextPage = page + 1
			}
			return out, nil
		})(yield)
	}
}
