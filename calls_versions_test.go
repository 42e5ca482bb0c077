package retreaver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// Versions of the calls API: WithCallsVersion, the v3 number object, the v4
// campaign object and call_flow_events.

const versionedCallUUID = "f1abfb78-ab8a-4146-9946-8169fbcc6d6c"

// getCall decodes body as the answer of Calls.Get on a client of calls API
// version v.
func getCall(t *testing.T, v int, body string) *Call {
	t.Helper()
	c, mt := newTestClient(t, WithCallsVersion(v))
	path := fmt.Sprintf("api/v%d/calls/%s.json", v, versionedCallUUID)
	rec := stub(t, mt, "GET", path, 200, body)
	call, err := c.Calls.Get(context.Background(), versionedCallUUID)
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", path, nil, false)
	return call
}

func TestCallV3NumberObject(t *testing.T) {
	call := getCall(t, 3, fixture(t, "call_number_v3_repaired.json"))
	require.Equal(t, "+18886064349", call.Number)
	require.Equal(t, "Publisher Joe Number", call.NumberName)

	// The v2 form of the same example: a plain string, no name.
	call = getCall(t, 2, fixture(t, "call_number_v2_repaired.json"))
	require.Equal(t, "+18886064349", call.Number)
	require.Equal(t, "", call.NumberName)
}

func TestCallV4CampaignObject(t *testing.T) {
	body := fixture(t, "call_campaign_v4_repaired.json")
	call := getCall(t, 4, body)
	require.Equal(t, Ptr(int64(12345)), call.CampaignID, `"id": "12345"`)
	require.Equal(t, "Woof Woof", call.CampaignName)

	numeric := strings.Replace(body, `"id": "12345"`, `"id": 12345`, 1)
	require.NotEqual(t, body, numeric)
	call = getCall(t, 4, numeric)
	require.Equal(t, Ptr(int64(12345)), call.CampaignID, `"id": 12345`)
	require.Equal(t, "Woof Woof", call.CampaignName)

	// The v2 form of the example: campaign_id as a string.
	call = getCall(t, 2, fixture(t, "call_campaign_v2_repaired.json"))
	require.Equal(t, Ptr(int64(12345)), call.CampaignID)
	require.Equal(t, "", call.CampaignName)
}

func TestCallNumberAndCampaignShapes(t *testing.T) {
	decode := func(t *testing.T, in string) (Call, error) {
		t.Helper()
		var c Call
		err := json.Unmarshal([]byte(in), &c)
		return c, err
	}
	cases := []struct {
		in           string
		number, name string
		campaignID   *int64
		campaignName string
	}{
		{`{"number":"+1","campaign_id":9872,"campaign_name":"Main"}`, "+1", "", Ptr(int64(9872)), "Main"},
		{`{"number":{"number":"+1","name":null},"campaign_id":null}`, "+1", "", nil, ""},
		{`{"number":null,"campaign":null}`, "", "", nil, ""},
		{`{"number":{},"campaign":{}}`, "", "", nil, ""},
		{`{"campaign":{"id":"","name":"Woof"}}`, "", "", nil, "Woof"},
		{`{"campaign_id":7,"campaign_name":"Old","campaign":{"id":8,"name":"New"}}`, "", "", Ptr(int64(8)), "New"},
		{`{"campaign_id":7,"campaign_name":"Old","campaign":{"id":null,"name":""}}`, "", "", Ptr(int64(7)), "Old"},
		{` {"number" : { "name" : "N" , "number" : "+2" } } `, "+2", "N", nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			c, err := decode(t, tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.number, c.Number)
			require.Equal(t, tc.name, c.NumberName)
			require.Equal(t, tc.campaignID, c.CampaignID)
			require.Equal(t, tc.campaignName, c.CampaignName)
		})
	}
	for _, bad := range []string{
		`{"number":5}`, `{"number":["+1"]}`, `{"number":{"number":5}}`,
		`{"campaign":{"id":"abc"}}`, `{"campaign":{"id":1.5}}`, `{"campaign":"12345"}`, `{"campaign_id":"x"}`,
	} {
		_, err := decode(t, bad)
		require.Error(t, err, bad)
	}
}

func TestCallFlowEventsKeptRaw(t *testing.T) {
	events := `[{"event":"ivr","key":"1","at":"2024-11-04T16:52:20Z"},{"event":"dial","target_id":27449}]`
	call := getCall(t, 2, `{"call":{"uuid":"`+versionedCallUUID+`","call_flow_events":`+events+`}}`)
	require.JSONEq(t, events, string(call.CallFlowEvents))
	require.Equal(t, versionedCallUUID, call.UUID)

	call = getCall(t, 2, `{"call":{"uuid":"`+versionedCallUUID+`","call_flow_events":{"unexpected":"shape"}}}`)
	require.JSONEq(t, `{"unexpected":"shape"}`, string(call.CallFlowEvents), "any shape is kept")

	call = getCall(t, 2, `{"call":{"uuid":"`+versionedCallUUID+`"}}`)
	require.Nil(t, call.CallFlowEvents, "absent")

	call = getCall(t, 2, `{"call":{"uuid":"`+versionedCallUUID+`","call_flow_events": null}}`)
	require.Nil(t, call.CallFlowEvents, "null")

	call = getCall(t, 2, `{"call":{"uuid":"`+versionedCallUUID+`","call_flow_events":[]}}`)
	require.Equal(t, json.RawMessage(`[]`), call.CallFlowEvents, "an empty list is kept")
}

func TestCallListOptionsCallFlowEvents(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v2/calls.json", 200, `[]`)
	_, err := c.Calls.List(context.Background(), &CallListOptions{CallFlowEvents: true})
	require.NoError(t, err)
	for range c.Calls.All(context.Background(), &CallListOptions{CallFlowEvents: true, PerPage: 10}) {
		t.Fatal("no calls")
	}
	_, err = c.Calls.List(context.Background(), &CallListOptions{CallFlowEvents: false})
	require.NoError(t, err)
	reqs := rec.all()
	require.Len(t, reqs, 3)
	assertWire(t, reqs[0], "GET", "api/v2/calls.json", url.Values{"call_flow_events": {"true"}}, false)
	assertWire(t, reqs[1], "GET", "api/v2/calls.json", url.Values{"call_flow_events": {"true"}, "per_page": {"10"}, "page": {"1"}}, false)
	assertWire(t, reqs[2], "GET", "api/v2/calls.json", nil, false)
}

// Every method of CallsService uses the version chosen: List, All, Get and
// Export; CallsV1 stays on api/v1.
func TestCallsVersionRoutes(t *testing.T) {
	for v := DefaultCallsVersion; v <= MaxCallsVersion; v++ {
		t.Run(fmt.Sprintf("v%d", v), func(t *testing.T) {
			listPath := fmt.Sprintf("api/v%d/calls.json", v)
			getPath := fmt.Sprintf("api/v%d/calls/%s.json", v, versionedCallUUID)
			c, mt := newTestClient(t, WithCallsVersion(v))
			rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
				switch w.Path {
				case "/" + listPath, "/api/v1/calls.json":
					return httpmock.NewStringResponse(200, `[{"call":{"uuid":"`+versionedCallUUID+`"}}]`), nil
				case "/" + getPath:
					return httpmock.NewStringResponse(200, `{"call":{"uuid":"`+versionedCallUUID+`"}}`), nil
				}
				return httpmock.NewStringResponse(404, `{"error":"Not found"}`), nil
			})
			ctx := context.Background()
			opts := &CallListOptions{ClientCID: "0044", CallFlowEvents: true}

			page, err := c.Calls.List(ctx, opts)
			require.NoError(t, err)
			require.Len(t, page.Items, 1)
			for call, err := range c.Calls.All(ctx, opts) {
				require.NoError(t, err)
				require.Equal(t, versionedCallUUID, call.UUID)
			}
			call, err := c.Calls.Get(ctx, versionedCallUUID)
			require.NoError(t, err)
			require.Equal(t, versionedCallUUID, call.UUID)
			for call, err := range c.Calls.Export(ctx, &ExportOptions{ClientCID: "0044", Concurrency: 1}) {
				require.NoError(t, err)
				require.Equal(t, versionedCallUUID, call.UUID)
			}
			_, err = c.CallsV1.List(ctx, nil)
			require.NoError(t, err)

			reqs := rec.all()
			require.Len(t, reqs, 5)
			assertWire(t, reqs[0], "GET", listPath, url.Values{"client_cid": {"0044"}, "call_flow_events": {"true"}}, false)
			assertWire(t, reqs[1], "GET", listPath, url.Values{"client_cid": {"0044"}, "call_flow_events": {"true"}, "page": {"1"}}, false)
			assertWire(t, reqs[2], "GET", getPath, nil, false)
			require.Equal(t, "/"+listPath, reqs[3].Path, "export")
			require.Equal(t, url.Values{"client_cid": {"0044"}, "page": {"1"}, "per_page": {"100"},
				"sort_by": {"created_at"}, "order": {"asc"}}, withoutKeys(reqs[3].Query, "created_at_end", "api_key", "company_id"))
			assertWire(t, reqs[4], "GET", "api/v1/calls.json", nil, false)
			for _, r := range reqs {
				assertNoBody(t, r)
			}
		})
	}
}

// withoutKeys returns q without the keys named.
func withoutKeys(q url.Values, keys ...string) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = v
	}
	for _, k := range keys {
		out.Del(k)
	}
	return out
}

func TestWithCallsVersionRejectsOtherVersions(t *testing.T) {
	for _, v := range []int{0, 1, 6, -1, 20} {
		t.Run(fmt.Sprint(v), func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			c, err := NewClient(testKey, WithHTTPClient(&http.Client{Transport: mt}), WithBaseURL(testBaseURL), WithCallsVersion(v))
			require.ErrorIs(t, err, ErrInvalidArgument)
			require.Nil(t, c)
			require.NotContains(t, err.Error(), testKey)
			rtb, err := NewRTBClient(WithHTTPClient(&http.Client{Transport: mt}), WithCallsVersion(v))
			require.ErrorIs(t, err, ErrInvalidArgument)
			require.Nil(t, rtb)
			noRequests(t, mt)
		})
	}
}

func TestWithCallsVersionDefaultsAndLastWins(t *testing.T) {
	c, _ := newTestClient(t)
	require.Equal(t, "api/v2/calls", c.Calls.path())
	c, _ = newTestClient(t, WithCallsVersion(5), WithCallsVersion(3))
	require.Equal(t, "api/v3/calls", c.Calls.path())
	require.Equal(t, "api/v3/calls", c.WithCompany(7).Calls.path(), "a copy for another company keeps the version")
}
