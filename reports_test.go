package retreaver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

func reportDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// reports_documented.json holds the shapes no reference example shows: ids as
// "0002", total_calls as 2.0, an amount as a string, a row of nulls.
func TestReportsGetDecodesDocumentedReport(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v1/reports.json", 200, fixture(t, "reports_documented.json"))

	rep, err := c.Reports.Get(context.Background(), validReportOptions())
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", "api/v1/reports.json", url.Values{
		"domain":           {"calls"},
		"facet":            {"publisher"},
		"created_at_start": {"2024-10-25"},
		"created_at_end":   {"2024-11-05"}, // the day after the last day
	}, false)
	assertNoBody(t, rec.only(t))

	require.Equal(t, 3, rep.Count)
	require.Equal(t, 3, rep.CountTotal)
	require.Len(t, rep.Rows, 3)

	require.Equal(t, ReportRow{
		ID:                       "0002",
		FacetName:                "Super Affiliate",
		TotalCalls:               2, // sent as 2.0
		RepeatCount:              1,
		DuplicateCount:           0,
		UniqueCalls:              1,
		ConvertedCount:           1,
		Revenue:                  MustMoney("25.5"),
		Payout:                   MustMoney("10.0"),
		Cost:                     MustMoney("0.16"),
		TotalDuration:            312,
		TotalDurationPercent:     61.42,
		RescuedCount:             0,
		RescuedRevenue:           MustMoney("0.0"),
		ConnectedDuration:        290,
		ConnectedDurationPercent: 92.95,
		InProgressCount:          0,
		Profit:                   MustMoney("15.34"),
		RepeatCountPercent:       50,
		DuplicateCountPercent:    0,
		ConvertedCountPercent:    50,
		RescuedCountPercent:      0,
		EPC:                      MustMoney("12.75"),
		CPC:                      MustMoney("0.08"),
	}, *rep.Rows[0])

	second := rep.Rows[1]
	require.Equal(t, "27449", second.ID) // an integer id
	require.Equal(t, "Taylor Anderson - Sales", second.FacetName)
	require.Equal(t, 1, second.TotalCalls)
	require.Equal(t, 1.0, second.DuplicateCount)
	require.Equal(t, MustMoney("5.0"), second.Revenue) // sent as "5.0"
	require.Equal(t, MustMoney("0.08"), second.Cost)
	require.Equal(t, 14.0, second.TotalDuration)
	require.Equal(t, 2.76, second.TotalDurationPercent)
	require.Equal(t, 1.0, second.RescuedCount)
	require.Equal(t, MustMoney("5.0"), second.RescuedRevenue)
	require.Equal(t, 2.0, second.ConnectedDuration)
	require.Equal(t, 14.29, second.ConnectedDurationPercent)
	require.Equal(t, MustMoney("4.92"), second.Profit)
	require.Equal(t, 100.0, second.DuplicateCountPercent)
	require.Equal(t, 100.0, second.RescuedCountPercent)
	require.Equal(t, MustMoney("5.0"), second.EPC)
	require.Equal(t, MustMoney("0.08"), second.CPC)

	// nulls read as zero.
	require.Equal(t, ReportRow{ID: "2024-10-25"}, *rep.Rows[2])
}

// getReport fetches a report with opts from a stub that answers the fixture,
// and checks the query sent.
func getReport(t *testing.T, opts *ReportOptions, fixtureName string, query url.Values) *Report {
	t.Helper()
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v1/reports.json", 200, fixture(t, fixtureName))
	rep, err := c.Reports.Get(context.Background(), opts)
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", "api/v1/reports.json", query, false)
	assertNoBody(t, rec.only(t))
	return rep
}

// The reference's Buyer Calls In Progress Report: its query asks for
// 2026-04-22 to 2026-04-24, the days 22 and 23 (created_at_end is the day after
// the last day), "today and tomorrow" on the 23rd.
func TestReportsBuyerInProgressExample(t *testing.T) {
	rep := getReport(t, &ReportOptions{
		Facet:          ReportFacetBuyer,
		CreatedAtStart: reportDay(2026, 4, 22),
		CreatedAtEnd:   reportDay(2026, 4, 23),
	}, "reports_buyer_in_progress.json", url.Values{
		"domain":           {"calls"},
		"facet":            {"buyer"},
		"created_at_start": {"2026-04-22"},
		"created_at_end":   {"2026-04-24"},
	})
	require.Equal(t, 2, rep.Count)
	require.Equal(t, 2, rep.CountTotal)
	// The example elides the other fields ("...": "..."): they stay zero.
	require.Equal(t, []*ReportRow{
		{ID: "30417", FacetName: "Alex Johnson - +14155551234", TotalCalls: 5, InProgressCount: 2},
		{ID: "27299", FacetName: "Power Axle - +16476695972", TotalCalls: 3, InProgressCount: 1},
	}, rep.Rows, "integer ids read as their text, in_progress_count 2.0 as 2")
}

// tagValueRow is the row of the reference's tag value examples.
func tagValueRow(id string, totalCalls int, repeatCount float64) ReportRow {
	return ReportRow{
		ID:                       id,
		FacetName:                id,
		TotalCalls:               totalCalls,
		RepeatCount:              repeatCount,
		DuplicateCount:           0,
		UniqueCalls:              1,
		ConvertedCount:           0,
		Revenue:                  MustMoney("0.0"),
		Payout:                   MustMoney("0.0"),
		Cost:                     MustMoney("0.12"),
		TotalDuration:            3.666666666666667,
		TotalDurationPercent:     0.4714045207910327,
		RescuedCount:             0,
		RescuedRevenue:           MustMoney("0.0"),
		ConnectedDuration:        0,
		ConnectedDurationPercent: 0,
		InProgressCount:          0,
		Profit:                   MustMoney("-0.12"),
		RepeatCountPercent:       66.66666666666666,
		DuplicateCountPercent:    0,
		ConvertedCountPercent:    0,
		RescuedCountPercent:      0,
		EPC:                      MustMoney("0"),
		CPC:                      MustMoney("0"),
	}
}

func TestReportsTagValueExample(t *testing.T) {
	rep := getReport(t, &ReportOptions{
		Facet:          ReportFacetTagValue,
		CreatedAtStart: reportDay(2024, 10, 25),
		CreatedAtEnd:   reportDay(2024, 10, 27),
	}, "reports_tag_value.json", url.Values{
		"domain":           {"calls"},
		"facet":            {"tag_value"},
		"created_at_start": {"2024-10-25"},
		"created_at_end":   {"2024-10-28"},
	})
	require.Equal(t, 3, rep.Count)
	require.Equal(t, 3, rep.CountTotal)
	require.Len(t, rep.Rows, 1)
	require.Equal(t, tagValueRow("utm_campaign", 3, 2), *rep.Rows[0])
	row := rep.Rows[0]
	require.Equal(t, "-0.12", row.Profit.String(), "amounts as written")
	require.Equal(t, "0.12", row.Cost.String())
	require.Equal(t, "0", row.EPC.String())
	require.False(t, row.Revenue.IsZero(), "0.0 is an amount")
}

func TestReportsTagValueNameExample(t *testing.T) {
	rep := getReport(t, &ReportOptions{
		Facet:          ReportFacetTagValue,
		TagValueKey:    "utm_campaign",
		CreatedAtStart: reportDay(2024, 10, 25),
		CreatedAtEnd:   reportDay(2024, 10, 27),
	}, "reports_tag_value_name.json", url.Values{
		"domain":           {"calls"},
		"facet":            {"tag_value"},
		"created_at_start": {"2024-10-25"},
		"created_at_end":   {"2024-10-28"},
		"tag_value_key":    {"utm_campaign"},
	})
	require.Equal(t, 3, rep.Count)
	require.Equal(t, 3, rep.CountTotal)
	require.Equal(t, []*ReportRow{
		Ptr(tagValueRow("ret_campaign_123", 2, 2)),
		Ptr(tagValueRow("ret_campaign_456", 1, 0)), // repeat_count written 0
	}, rep.Rows)
}

func TestReportsUnindexedTagExample(t *testing.T) {
	rep := getReport(t, &ReportOptions{
		Facet:          ReportFacetTagValue,
		TagValueKey:    "unindexed_tag_value",
		CreatedAtStart: reportDay(2024, 10, 25),
		CreatedAtEnd:   reportDay(2024, 10, 27),
	}, "reports_unindexed_tag.json", url.Values{
		"domain":           {"calls"},
		"facet":            {"tag_value"},
		"created_at_start": {"2024-10-25"},
		"created_at_end":   {"2024-10-28"},
		"tag_value_key":    {"unindexed_tag_value"},
	})
	require.Zero(t, rep.Count)
	require.Zero(t, rep.CountTotal)
	require.NotNil(t, rep.Rows)
	require.Empty(t, rep.Rows)
}

func TestReportsGetSendsEveryOption(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v1/reports.json", 200, `{"count":0,"count_total":0,"data":[]}`)
	est := time.FixedZone("EST", -5*3600)
	_, err := c.Reports.Get(context.Background(), &ReportOptions{
		Domain: ReportDomainCalls,
		Facet:  ReportFacetTagValue,
		// 23:30 EST on the 25th is the 26th in UTC: the date is the time's own day.
		CreatedAtStart: time.Date(2024, 10, 25, 23, 30, 0, 0, est),
		CreatedAtEnd:   time.Date(2026, 10, 23, 12, 0, 0, 0, time.UTC),
		TagValueKey:    "utm_campaign",
		Page:           2,
		PerPage:        50,
	})
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", "api/v1/reports.json", url.Values{
		"domain":           {"calls"},
		"facet":            {"tag_value"},
		"created_at_start": {"2024-10-25"},
		"created_at_end":   {"2026-10-24"}, // the day after the last day
		"tag_value_key":    {"utm_campaign"},
		"page":             {"2"},
		"per_page":         {"50"},
	}, false)
}

func TestReportsUnknownTagKeyIsEmptyNotError(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v1/reports.json", 200, `{"count":0,"count_total":0,"data":[]}`)
	opts := validReportOptions()
	opts.Facet = ReportFacetTagValue
	opts.TagValueKey = "never_created"

	rep, err := c.Reports.Get(context.Background(), opts)
	require.NoError(t, err)
	require.Zero(t, rep.Count)
	require.Zero(t, rep.CountTotal)
	require.Empty(t, rep.Rows)

	n := 0
	for row, err := range c.Reports.All(context.Background(), opts) {
		require.NoError(t, err)
		require.NotNil(t, row)
		n++
	}
	require.Zero(t, n)
	require.Len(t, rec.all(), 2)
	require.Equal(t, "1", rec.all()[1].Query.Get("page"))
}

func TestReportsGetRejectsAnswersThatAreNotReports(t *testing.T) {
	for name, tc := range map[string]struct{ ctype, body string }{
		"html page":        {"text/html", "<!DOCTYPE html><html><body>Sign in</body></html>"},
		"error object":     {"application/json", `{"error":"Invalid facet"}`},
		"array":            {"application/json", `[]`},
		"fractional count": {"application/json", `{"count":1,"count_total":1,"data":[{"id":"a","total_calls":2.5}]}`},
		"bad float":        {"application/json", `{"count":1,"count_total":1,"data":[{"id":"a","revenue":"lots"}]}`},
		"truncated":        {"application/json", `{"count":1,"count_total":1,"data":[{"id":"a"`},
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			mt.RegisterResponder("GET", testBaseURL+"api/v1/reports.json", func(req *http.Request) (*http.Response, error) {
				resp := httpmock.NewStringResponse(200, tc.body)
				resp.Header.Set("Content-Type", tc.ctype)
				return resp, nil
			})
			rep, err := c.Reports.Get(context.Background(), validReportOptions())
			require.Nil(t, rep)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			require.ErrorIs(t, err, ErrUnexpectedResponse)
			require.NotContains(t, err.Error(), testKey)
		})
	}
}

func TestReportsGetReturnsAPIErrors(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "GET", "api/v1/reports.json", 422, `{"errors":{"created_at_start":["must be before created_at_end"]}}`)
	_, err := c.Reports.Get(context.Background(), validReportOptions())
	require.ErrorIs(t, err, ErrUnprocessable)
	require.Contains(t, err.Error(), "must be before created_at_end")
	require.NotContains(t, err.Error(), testKey)
}

// reportPage builds a report answer with n rows named from first on.
func reportBody(first, n, total int) string {
	rows := make([]string, n)
	for i := range rows {
		rows[i] = fmt.Sprintf(`{"id":%d,"facet_name":"row %d","total_calls":%d.0,"revenue":"1.5"}`, first+i, first+i, first+i)
	}
	return fmt.Sprintf(`{"count":%d,"count_total":%d,"data":[%s]}`, n, total, strings.Join(rows, ","))
}

func TestReportsAllPagesUntilCountTotal(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		if w.Path != "/api/v1/reports.json" {
			return httpmock.NewStringResponse(404, `{"error":"no route"}`), nil
		}
		var body string
		switch w.Query.Get("page") {
		case "1":
			body = reportBody(1, 2, 5)
		case "2":
			body = reportBody(3, 2, 5)
		case "3":
			body = reportBody(5, 1, 5)
		default:
			body = reportBody(99, 2, 5) // never asked for: count_total is reached on page 3
		}
		return httpmock.NewStringResponse(200, body), nil
	})
	opts := validReportOptions()
	opts.PerPage = 2

	var ids []string
	for row, err := range c.Reports.All(context.Background(), opts) {
		require.NoError(t, err)
		ids = append(ids, row.ID)
		require.Equal(t, "row "+row.ID, row.FacetName)
		require.Equal(t, MustMoney("1.5"), row.Revenue)
	}
	require.Equal(t, []string{"1", "2", "3", "4", "5"}, ids)

	reqs := rec.all()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assertWire(t, r, "GET", "api/v1/reports.json", url.Values{
			"domain":           {"calls"},
			"facet":            {"publisher"},
			"created_at_start": {"2024-10-25"},
			"created_at_end":   {"2024-11-05"}, // the day after the last day
			"page":             {fmt.Sprint(i + 1)},
			"per_page":         {"2"},
		}, false)
	}
}

func TestReportsAllStartsAtOptsPage(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		switch w.Query.Get("page") {
		case "2":
			return httpmock.NewStringResponse(200, reportBody(3, 2, 6)), nil
		case "3":
			return httpmock.NewStringResponse(200, reportBody(5, 2, 6)), nil
		}
		return httpmock.NewStringResponse(200, reportBody(99, 2, 6)), nil
	})
	opts := validReportOptions()
	opts.Page, opts.PerPage = 2, 2
	var ids []string
	for row, err := range c.Reports.All(context.Background(), opts) {
		require.NoError(t, err)
		ids = append(ids, row.ID)
	}
	require.Equal(t, []string{"3", "4", "5", "6"}, ids)
	require.Len(t, rec.all(), 2, "rows of the skipped page count toward count_total")
}

func TestReportsAllEmptyPageBeforeCountTotalIsAnError(t *testing.T) {
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	// A server whose count_total is never reached.
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		switch w.Query.Get("page") {
		case "1":
			return httpmock.NewStringResponse(200, reportBody(1, 3, 1000)), nil
		case "2":
			return httpmock.NewStringResponse(200, reportBody(4, 3, 1000)), nil
		}
		return httpmock.NewStringResponse(200, `{"count":0,"count_total":1000,"data":[]}`), nil
	})
	n := 0
	var last error
	for _, err := range c.Reports.All(context.Background(), validReportOptions()) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	require.Equal(t, 6, n)
	require.ErrorIs(t, last, ErrUnexpectedResponse, "rows end short of count_total: never in silence")
	require.ErrorContains(t, last, "empty page")
	reqs := rec.all()
	require.Len(t, reqs, 4, "pages 1 and 2, then page 3 and its retry")
	require.Equal(t, "3", reqs[3].Query.Get("page"))
}

func TestReportsAllOfOneDay(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v1/reports.json", 200, reportBody(1, 2, 2))
	yesterday := reportDay(2024, 10, 25)
	opts := &ReportOptions{Facet: ReportFacetCampaign, CreatedAtStart: yesterday, CreatedAtEnd: yesterday}
	n := 0
	for _, err := range c.Reports.All(context.Background(), opts) {
		require.NoError(t, err)
		n++
	}
	require.Equal(t, 2, n)
	assertWire(t, rec.only(t), "GET", "api/v1/reports.json", url.Values{
		"domain":           {"calls"},
		"facet":            {"campaign"},
		"created_at_start": {"2024-10-25"},
		"created_at_end":   {"2024-10-26"},
		"page":             {"1"},
	}, false)
}

func TestReportsAllEndsWhenTheServerIgnoresPage(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v1/reports.json", 200, reportBody(1, 3, 1_000_000))
	n := 0
	var last error
	for _, err := range c.Reports.All(context.Background(), validReportOptions()) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	require.ErrorIs(t, last, ErrPagination)
	require.Equal(t, 3, n, "the repeated page is not yielded")
	require.Len(t, rec.all(), 2)
}

func TestReportsAllStopsOnBreakAndYieldsErrors(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		if w.Query.Get("page") == "1" {
			return httpmock.NewStringResponse(200, reportBody(1, 2, 10)), nil
		}
		return httpmock.NewStringResponse(500, `{"error":"boom"}`), nil
	})
	for range c.Reports.All(context.Background(), validReportOptions()) {
		break
	}
	require.Len(t, rec.all(), 1, "breaking stops fetching")

	var rows int
	var errs []error
	for row, err := range c.Reports.All(context.Background(), validReportOptions()) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		require.NotNil(t, row)
		rows++
	}
	require.Equal(t, 2, rows)
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], ErrServer)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range c.Reports.All(ctx, validReportOptions()) {
		require.ErrorIs(t, err, context.Canceled)
	}
}

func TestReportsValidation(t *testing.T) {
	with := func(f func(o *ReportOptions)) *ReportOptions {
		o := validReportOptions()
		f(o)
		return o
	}
	cases := map[string]*ReportOptions{
		"nil options":    nil,
		"other domain":   with(func(o *ReportOptions) { o.Domain = "numbers" }),
		"no facet":       with(func(o *ReportOptions) { o.Facet = "" }),
		"unknown facet":  with(func(o *ReportOptions) { o.Facet = "affiliate" }),
		"facet case":     with(func(o *ReportOptions) { o.Facet = "Publisher" }),
		"no start":       with(func(o *ReportOptions) { o.CreatedAtStart = time.Time{} }),
		"no end":         with(func(o *ReportOptions) { o.CreatedAtEnd = time.Time{} }),
		"end before":     with(func(o *ReportOptions) { o.CreatedAtEnd = reportDay(2024, 10, 24) }),
		"two years":      with(func(o *ReportOptions) { o.CreatedAtEnd = reportDay(2026, 10, 24) }),
		"over two years": with(func(o *ReportOptions) { o.CreatedAtEnd = reportDay(2027, 1, 1) }),
		"tag key without tag facet": with(func(o *ReportOptions) {
			o.Facet = ReportFacetDaily
			o.TagValueKey = "utm_campaign"
		}),
		"negative page":     with(func(o *ReportOptions) { o.Page = -1 }),
		"negative per page": with(func(o *ReportOptions) { o.PerPage = -5 }),
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			_, err := c.Reports.Get(context.Background(), opts)
			require.ErrorIs(t, err, ErrInvalidArgument)

			var errs []error
			for row, err := range c.Reports.All(context.Background(), opts) {
				require.Nil(t, row)
				errs = append(errs, err)
			}
			require.Len(t, errs, 1)
			require.True(t, errors.Is(errs[0], ErrInvalidArgument), "%v", errs[0])
			noRequests(t, mt)
		})
	}
}

func TestReportsValidationAcceptsEdges(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v1/reports.json", 200, `{"count":0,"count_total":0,"data":null}`)
	for _, facet := range []ReportFacet{ReportFacetPublisher, ReportFacetBuyer, ReportFacetCampaign,
		ReportFacetNumber, ReportFacetDaily, ReportFacetTagValue, ReportFacetState} {
		opts := validReportOptions()
		opts.Facet = facet
		// The last day whose next day is less than 2 years after the start.
		opts.CreatedAtEnd = reportDay(2026, 10, 23)
		rep, err := c.Reports.Get(context.Background(), opts)
		require.NoError(t, err, facet)
		require.Empty(t, rep.Rows)
	}
	require.Len(t, rec.all(), 7)
	require.Equal(t, "state", rec.all()[6].Query.Get("facet"))
}
