package retreavertest

import (
	"net/http"
	"net/url"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every field of the reference's V2 call example.
var v2Fields = []string{"uuid", "caller", "caller_number_sent", "caller_zip", "caller_state", "caller_city", "caller_country",
	"dialed_call_duration", "total_duration", "ivr_duration", "hold_duration", "status", "start_time", "forwarded_time",
	"end_time", "cid", "afid", "sid", "dialed_number", "revenue", "payout", "postback_value", "network_sale_timer_fired",
	"affiliate_sale_timer_fired", "target_sale_timer_fired", "hung_up_by", "duplicate", "payable_duplicate",
	"receivable_duplicate", "callpixels_target_id", "system_target_id", "system_campaign_id", "system_affiliate_id",
	"fired_pixels_count", "charge_total", "keys_pressed", "repeat", "affiliate_repeat", "target_repeat", "number_repeat",
	"visitor_url", "company_id", "conversions_determined_at", "updated_at", "created_at", "billable_minutes",
	"upstream_call_uuid", "downstream_call_uuids", "target_group", "recording_url", "number", "converted", "payable",
	"receivable", "conversion_seconds", "tid", "tags", "fired_pixels", "via", "rescued", "campaign_id", "campaign_name",
	"number_id", "target_id", "affiliate_name", "connected", "profit_gross", "profit_net", "target_name",
	"time_to_call_in_seconds", "time_to_connect_in_seconds", "total_cost"}

var v1Fields = []string{"uuid", "caller", "caller_zip", "caller_state", "caller_city", "caller_country", "dialed_call_duration",
	"total_duration", "status", "start_time", "forwarded_time", "end_time", "cid", "afid", "sid", "dialed_number",
	"updated_at", "created_at", "recording_url"}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sorted(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}

func TestCallShapes(t *testing.T) {
	a := newAPI(t, WithDemoData())
	v2 := a.list("/api/v2/calls.json", nil, "call")
	require.Len(t, v2, DefaultPageSize)
	require.Equal(t, sorted(v2Fields), keys(v2[0]))
	v1 := a.list("/api/v1/calls.json", nil, "call")
	require.Equal(t, sorted(v1Fields), keys(v1[0]))
	require.Equal(t, v2[0]["uuid"], v1[0]["uuid"])
	require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, v1[0]["created_at"])

	one := a.obj(http.MethodGet, "/api/v2/calls/"+v2[3]["uuid"].(string)+".json", nil, http.StatusOK, "call")
	require.Equal(t, v2[3], one)
	one = a.obj(http.MethodGet, "/api/v1/calls/"+v2[3]["uuid"].(string)+".json", nil, http.StatusOK, "call")
	require.Equal(t, v1[3], one)
	a.call(http.MethodGet, "/api/v2/calls/00000000-0000-4000-8000-000000000000.json", nil, nil, http.StatusNotFound)

	// Look over every call for the typed shapes the reference shows.
	all := a.allCalls(nil)
	require.Equal(t, a.srv.CallCount(a.srv.CompanyID), len(all))
	seen := map[string]bool{}
	for _, c := range all {
		require.IsType(t, "", c["charge_total"])
		require.IsType(t, "", c["total_cost"])
		require.IsType(t, "", c["profit_gross"])
		require.IsType(t, float64(0), c["profit_net"])
		for k, v := range c["tags"].(map[string]any) {
			require.IsType(t, "", v, k)
		}
		for _, p := range c["fired_pixels"].([]any) {
			fp := p.(map[string]any)["fired_pixel"].(map[string]any)
			require.Len(t, fp, 7)
		}
		require.Equal(t, float64(len(c["fired_pixels"].([]any))), c["fired_pixels_count"])
		if c["revenue"] != nil {
			seen["revenue"] = true
			require.IsType(t, float64(0), c["revenue"])
		}
		if c["end_time"] == nil {
			seen["in-progress"] = true
			require.Equal(t, "in-progress", c["status"])
		}
		if g := c["target_group"].(map[string]any); len(g) == 2 {
			seen["group"] = true
			require.Contains(t, g, "name")
		}
		if c["keys_pressed"] == nil {
			seen["keys null"] = true
		}
		if c["repeat"] == true {
			seen["repeat"] = true
		}
	}
	require.Equal(t, map[string]bool{"revenue": true, "in-progress": true, "group": true, "keys null": true, "repeat": true}, seen)
}

func TestCallPaginationAndSort(t *testing.T) {
	a := newAPI(t)
	a.srv.SeedCalls(60)
	q := url.Values{"sort_by": {"created_at"}, "order": {"asc"}, "company_id": {itoa(a.srv.CompanyID)}}
	resp, _ := a.raw(http.MethodGet, "/api/v1/calls.json", q, nil)
	l := parseLinks(t, resp.Header.Get("Link"))
	require.Equal(t, []string{"first", "next", "last"}, l.rels)
	require.Equal(t, "3", l.byRel["last"].Query().Get("page"))
	for _, k := range []string{"api_key", "company_id", "sort_by", "order"} {
		require.Equal(t, a.call2(q, k), l.byRel["next"].Query().Get(k), k)
	}

	q.Set("page", "2")
	resp, body := a.raw(http.MethodGet, "/api/v1/calls.json", q, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	l = parseLinks(t, resp.Header.Get("Link"))
	require.Equal(t, []string{"first", "prev", "next", "last"}, l.rels)
	require.Equal(t, "1", l.byRel["prev"].Query().Get("page"))
	q.Set("page", "3")
	resp, _ = a.raw(http.MethodGet, "/api/v1/calls.json", q, nil)
	require.Equal(t, []string{"first", "prev", "last"}, parseLinks(t, resp.Header.Get("Link")).rels)
	q.Set("page", "4")
	require.Empty(t, a.list("/api/v1/calls.json", q, "call"))

	asc := a.list("/api/v2/calls.json", url.Values{"order": {"asc"}, "per_page": {"100"}}, "call")
	desc := a.list("/api/v2/calls.json", url.Values{"per_page": {"100"}}, "call")
	require.Len(t, asc, 60)
	for i := range asc {
		require.Equal(t, asc[i]["uuid"], desc[len(desc)-1-i]["uuid"])
		if i > 0 {
			require.LessOrEqual(t, asc[i-1]["created_at"], asc[i]["created_at"])
		}
	}
	// per_page is capped at 100.
	a.srv.SeedCalls(60)
	require.Len(t, a.list("/api/v2/calls.json", url.Values{"per_page": {"500"}}, "call"), 100)
	// updated_at is always descending, even with order=asc.
	byUpd := a.list("/api/v2/calls.json", url.Values{"sort_by": {"updated_at"}, "order": {"asc"}}, "call")
	for i := 1; i < len(byUpd); i++ {
		require.GreaterOrEqual(t, byUpd[i-1]["updated_at"], byUpd[i]["updated_at"])
	}
}

// call2 returns the value of a query parameter the helper adds or the test set.
func (a *api) call2(q url.Values, k string) string {
	if k == "api_key" {
		return a.srv.APIKey
	}
	return q.Get(k)
}

func TestCallFilters(t *testing.T) {
	a := newAPI(t, WithDemoData())
	all := a.list("/api/v2/calls.json", url.Values{"per_page": {"100"}, "order": {"asc"}}, "call")
	pivot := all[40]
	start := all[10]["created_at"].(string)
	end := pivot["created_at"].(string)
	in := a.list("/api/v2/calls.json", url.Values{"per_page": {"100"}, "order": {"asc"}, "created_at_start": {start}, "created_at_end": {end}}, "call")
	require.Len(t, in, 31, "both ends inclusive")
	require.Equal(t, all[10]["uuid"], in[0]["uuid"])

	// An unescaped "+00:00" offset (a space on arrival) still parses.
	resp, body := a.raw(http.MethodGet, "/api/v2/calls.json?created_at_start=2016-01-01T00:00:00+00:00", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	a.call(http.MethodGet, "/api/v2/calls.json", url.Values{"created_at_start": {"yesterday"}}, nil, http.StatusBadRequest)

	match := func(filter, field string) {
		want := pivot[field]
		require.NotNil(t, want, field)
		got := a.list("/api/v2/calls.json", url.Values{filter: {want.(string)}, "per_page": {"100"}}, "call")
		require.NotEmpty(t, got)
		for _, c := range got {
			require.Equal(t, want, c[field], filter)
		}
	}
	match("caller", "caller")
	match("client_cid", "cid")
	for _, c := range all {
		if c["afid"] != nil && c["sid"] != nil && c["tid"] != nil {
			pivot = c
			break
		}
	}
	match("client_afid", "afid")
	match("client_tid", "tid")
	match("sub_id", "sid")
	require.Empty(t, a.list("/api/v2/calls.json", url.Values{"client_cid": {"no-such-cid"}}, "call"))
	// "+" escaped as %2B, or arriving as a space.
	got := a.list("/api/v1/calls.json", url.Values{"caller": {pivot["caller"].(string)}}, "call")
	resp, body = a.raw(http.MethodGet, "/api/v1/calls.json?caller="+pivot["caller"].(string), nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(body), pivot["uuid"])
	require.NotEmpty(t, got)
}
