package retreavertest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// without returns the fields less some.
func without(fields []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return slices.Contains(drop, f) })
}

// Each version serves its own shape of the same calls: v3 sends the number
// with its name, v4 and v5 the campaign as {"id", "name"} in place of
// campaign_id.
func TestCallVersionsShapes(t *testing.T) {
	a := newAPI(t, WithDemoData())
	v2 := a.list("/api/v2/calls.json", nil, "call")
	v3 := a.list("/api/v3/calls.json", nil, "call")
	v4 := a.list("/api/v4/calls.json", nil, "call")
	v5 := a.list("/api/v5/calls.json", nil, "call")
	require.Equal(t, sorted(v2Fields), keys(v3[0]))
	require.Equal(t, sorted(append(without(v2Fields, "campaign_id"), "campaign")), keys(v4[0]))
	require.Equal(t, v4, v5)

	named := 0
	for i, c2 := range v2 {
		c3, c4 := v3[i], v4[i]
		require.Equal(t, c2["uuid"], c3["uuid"])
		number := c3["number"].(map[string]any)
		require.Equal(t, c2["number"], number["number"])
		require.Contains(t, number, "name")
		if number["name"] != nil {
			named++
		}
		require.Equal(t, number, c4["number"])
		camp := c4["campaign"].(map[string]any)
		require.Equal(t, strconv.FormatInt(num(c2["campaign_id"]), 10), camp["id"], "the id is a string")
		require.Equal(t, c2["campaign_name"], camp["name"])
		require.Equal(t, c2["campaign_name"], c4["campaign_name"])
		for _, k := range without(v2Fields, "number", "campaign_id") {
			require.Equal(t, c2[k], c4[k], k)
		}
	}
	require.Positive(t, named, "demo numbers have names")

	uuid := v2[0]["uuid"].(string)
	for v, want := range map[string]map[string]any{"3": v3[0], "4": v4[0], "5": v5[0]} {
		require.Equal(t, want, a.obj(http.MethodGet, "/api/v"+v+"/calls/"+uuid+".json", nil, http.StatusOK, "call"), v)
		a.call(http.MethodGet, "/api/v"+v+"/calls/00000000-0000-4000-8000-000000000000.json", nil, nil, http.StatusNotFound)
	}
	a.call(http.MethodGet, "/api/v6/calls.json", nil, nil, http.StatusNotFound)

	// Every version takes the V2 filters and paging.
	q := url.Values{"client_cid": {"1001"}, "order": {"asc"}, "per_page": {"5"}, "page": {"2"}}
	want := a.list("/api/v2/calls.json", q, "call")
	require.Len(t, want, 5)
	for _, v := range []string{"3", "4", "5"} {
		got := a.list("/api/v"+v+"/calls.json", q, "call")
		require.Len(t, got, 5)
		for i := range got {
			require.Equal(t, want[i]["uuid"], got[i]["uuid"], v)
		}
	}
}

// A call of a number created through the API has a number without a name; a
// demo number's call has its name.
func TestCallNumberNames(t *testing.T) {
	a := newAPI(t, WithDemoData())
	n := a.obj(http.MethodPost, "/numbers.json", obj{"number": obj{"cid": "1002", "afid": "0002"}}, http.StatusCreated, "number")
	fresh, err := a.srv.AddCall(a.srv.CompanyID, Call{Number: n["number"].(string), CID: "1002"})
	require.NoError(t, err)
	got := a.obj(http.MethodGet, "/api/v3/calls/"+fresh+".json", nil, http.StatusOK, "call")
	require.Equal(t, map[string]any{"number": n["number"], "name": nil}, got["number"])

	demo, err := a.srv.AddCall(a.srv.CompanyID, Call{CID: "1001", AFID: "0001"})
	require.NoError(t, err)
	got = a.obj(http.MethodGet, "/api/v4/calls/"+demo+".json", nil, http.StatusOK, "call")
	require.Equal(t, "Nancy Drew Number 1", got["number"].(map[string]any)["name"])
	require.Equal(t, "Medicare Advantage - Inbound", got["campaign"].(map[string]any)["name"])
}

// call_flow_events=true adds each call's flow events in versions 2 to 5, not
// in version 1; without it no version sends them.
func TestCallFlowEvents(t *testing.T) {
	a := newAPI(t, WithDemoData())
	flow := url.Values{"call_flow_events": {"true"}, "per_page": {"100"}}
	for _, v := range []string{"2", "3", "4", "5"} {
		for _, c := range a.list("/api/v"+v+"/calls.json", nil, "call") {
			require.NotContains(t, c, "call_flow_events", v)
		}
		for _, c := range a.list("/api/v"+v+"/calls.json", flow, "call") {
			events := c["call_flow_events"].([]any)
			first := events[0].(map[string]any)
			require.Equal(t, []string{"created_at", "description", "event"}, keys(first))
			require.Equal(t, "call_received", first["event"])
			require.Equal(t, c["start_time"], first["created_at"])
			last := events[len(events)-1].(map[string]any)
			if c["end_time"] != nil {
				require.Equal(t, "call_ended", last["event"])
				require.Equal(t, c["end_time"], last["created_at"])
			} else {
				require.NotEqual(t, "call_ended", last["event"])
			}
		}
	}
	for _, c := range a.list("/api/v1/calls.json", flow, "call") {
		require.NotContains(t, c, "call_flow_events")
	}
	uuid := a.list("/api/v4/calls.json", nil, "call")[0]["uuid"].(string)
	resp, body := a.raw(http.MethodGet, "/api/v4/calls/"+uuid+".json", url.Values{"call_flow_events": {"true"}}, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(body), `"call_flow_events":[{"event":"call_received"`)
}
