package retreavertest

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var reportRowFields = []string{"id", "facet_name", "total_calls", "repeat_count", "duplicate_count", "unique_calls",
	"converted_count", "revenue", "payout", "cost", "total_duration", "total_duration_percent", "rescued_count",
	"rescued_revenue", "connected_duration", "connected_duration_percent", "in_progress_count", "profit",
	"repeat_count_percent", "duplicate_count_percent", "converted_count_percent", "rescued_count_percent", "epc", "cpc"}

func reportQuery(facet string, from, to time.Time) url.Values {
	return url.Values{"domain": {"calls"}, "facet": {facet}, "created_at_start": {from.Format("2006-01-02")},
		"created_at_end": {to.Format("2006-01-02")}}
}

func TestReportValidation(t *testing.T) {
	a := newAPI(t)
	today := time.Now().UTC()
	ok := reportQuery("daily", today.AddDate(0, 0, -7), today)
	a.call(http.MethodGet, "/api/v1/reports.json", ok, nil, http.StatusOK)
	for name, change := range map[string]func(q url.Values){
		"no domain":   func(q url.Values) { q.Del("domain") },
		"bad domain":  func(q url.Values) { q.Set("domain", "numbers") },
		"no facet":    func(q url.Values) { q.Del("facet") },
		"bad facet":   func(q url.Values) { q.Set("facet", "weather") },
		"no start":    func(q url.Values) { q.Del("created_at_start") },
		"no end":      func(q url.Values) { q.Del("created_at_end") },
		"backwards":   func(q url.Values) { q.Set("created_at_start", "2030-01-01") },
		"three years": func(q url.Values) { q.Set("created_at_start", today.AddDate(-3, 0, 0).Format("2006-01-02")) },
	} {
		q := url.Values{}
		for k, v := range ok {
			q[k] = v
		}
		change(q)
		v := a.call(http.MethodGet, "/api/v1/reports.json", q, nil, http.StatusUnprocessableEntity)
		require.NotEmpty(t, v.(map[string]any)["error"], name)
	}
	q := reportQuery("daily", today, today)
	q.Set("created_at_end", "25/10/2024")
	v := a.call(http.MethodGet, "/api/v1/reports.json", q, nil, http.StatusBadRequest)
	require.NotEmpty(t, v.(map[string]any)["error"])
}

func TestReportsFromCalls(t *testing.T) {
	a := newAPI(t, WithDemoData())
	today := time.Now().UTC()
	total := a.srv.CallCount(a.srv.CompanyID)

	// Daily rows over the whole window add up to every call.
	q := reportQuery("daily", today.AddDate(0, 0, -31), today)
	q.Set("per_page", "100")
	v := a.call(http.MethodGet, "/api/v1/reports.json", q, nil, http.StatusOK).(map[string]any)
	rows := v["data"].([]any)
	require.Equal(t, float64(len(rows)), v["count"])
	require.Equal(t, v["count"], v["count_total"])
	sum := 0.0
	prev := ""
	for _, r := range rows {
		row := r.(map[string]any)
		require.Equal(t, sorted(reportRowFields), keys(row))
		require.Greater(t, row["id"].(string), prev)
		prev = row["id"].(string)
		sum += row["total_calls"].(float64)
	}
	require.Equal(t, float64(total), sum)

	// Paging: count is the page, count_total every row.
	q.Set("per_page", "5")
	q.Set("page", "2")
	resp, body := a.raw(http.MethodGet, "/api/v1/reports.json", q, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, resp.Header.Get("Link"), `rel="prev"`)
	require.Contains(t, string(body), `"count":5,`)

	// Publisher rows: afid ids, affiliate names, sums that match the call log.
	q = reportQuery("publisher", today.AddDate(0, 0, -31), today)
	rows = a.call(http.MethodGet, "/api/v1/reports.json", q, nil, http.StatusOK).(map[string]any)["data"].([]any)
	require.NotEmpty(t, rows)
	top := rows[0].(map[string]any)
	calls := a.allCalls(url.Values{"client_afid": {top["id"].(string)}})
	require.Equal(t, float64(len(calls)), top["total_calls"])
	revenue, converted := 0.0, 0
	for _, c := range calls {
		if r, ok := c["revenue"].(float64); ok {
			revenue += r
		}
		if c["converted"] == true {
			converted++
		}
	}
	require.InDelta(t, revenue, top["revenue"], 0.001)
	require.Equal(t, float64(converted), top["converted_count"])
	require.Equal(t, calls[0]["affiliate_name"], top["facet_name"])
	require.Contains(t, string(marshal(top)), `"repeat_count":`)

	// Buyer rows have integer ids; state rows state codes.
	rows = a.call(http.MethodGet, "/api/v1/reports.json", reportQuery("buyer", today.AddDate(0, 0, -31), today), nil, http.StatusOK).(map[string]any)["data"].([]any)
	require.IsType(t, float64(0), rows[0].(map[string]any)["id"])
	rows = a.call(http.MethodGet, "/api/v1/reports.json", reportQuery("state", today.AddDate(0, 0, -31), today), nil, http.StatusOK).(map[string]any)["data"].([]any)
	require.Len(t, rows[0].(map[string]any)["id"], 2)

	// tag_value: keys created as tags are indexed, others give an empty report.
	q = reportQuery("tag_value", today.AddDate(0, 0, -31), today)
	q.Set("tag_value_key", "utm_campaign")
	rows = a.call(http.MethodGet, "/api/v1/reports.json", q, nil, http.StatusOK).(map[string]any)["data"].([]any)
	require.NotEmpty(t, rows)
	q.Set("tag_value_key", "geo")
	v = a.call(http.MethodGet, "/api/v1/reports.json", q, nil, http.StatusOK).(map[string]any)
	require.Equal(t, float64(0), v["count_total"])
	require.Equal(t, []any{}, v["data"])

	// An old window has no rows.
	v = a.call(http.MethodGet, "/api/v1/reports.json", reportQuery("campaign", today.AddDate(-1, 0, 0), today.AddDate(-1, 0, 5)), nil, http.StatusOK).(map[string]any)
	require.Equal(t, float64(0), v["count"])
}
