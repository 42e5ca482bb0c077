package retreaver_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The versions of the calls API, and the unversioned routes the live API
// removed.

// Every calls version reads the same call: v1 through CallsV1, v2 to v5
// through Calls with WithCallsVersion. From v3 the number comes with its name;
// from v4 the campaign comes as {"id", "name"}, which fill the same fields
// campaign_id and campaign_name did.
func TestE2ECallsEveryVersion(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t, retreavertest.WithDemoData())
	ctx := e2eCtx(t)
	camp, err := client.Campaigns.GetByCID(ctx, "1001")
	require.NoError(t, err)
	uuid, err := srv.AddCall(srv.CompanyID, retreavertest.Call{CID: "1001", AFID: "0001", SubID: "fb-feed",
		Caller: "+17045550142", Duration: 200, Revenue: "12.50"})
	require.NoError(t, err)

	v1, err := client.CallsV1.Get(ctx, uuid)
	require.NoError(t, err)
	assert.Equal(t, "+17045550142", v1.Caller)
	assert.Equal(t, "1001", v1.CID)
	assert.Equal(t, "0001", v1.AFID)
	assert.Nil(t, v1.CampaignID, "v1 has no campaign_id")
	assert.Empty(t, v1.NumberName)
	assert.Equal(t, v1.CreatedAt.Truncate(time.Second), v1.CreatedAt, "v1 has whole seconds")
	v1s, err := client.CallsV1.List(ctx, &retreaver.CallListOptions{ClientCID: "1001", PerPage: 100})
	require.NoError(t, err)
	require.NotNil(t, e2eFind(v1s.Items, func(c *retreaver.Call) bool { return c.UUID == uuid }))
	assert.Equal(t, 1, e2eCount(srv, http.MethodGet, "/api/v1/calls/"+uuid+".json"))
	assert.Equal(t, 1, e2eCount(srv, http.MethodGet, "/api/v1/calls.json"))

	var number string
	for v := 2; v <= 5; v++ {
		cl := e2eClient(t, srv, e2eRetries, retreaver.WithCallsVersion(v))
		got, err := cl.Calls.Get(ctx, uuid)
		require.NoError(t, err, v)
		assert.Equal(t, 1, e2eCount(srv, http.MethodGet, fmt.Sprintf("/api/v%d/calls/%s.json", v, uuid)), v)
		assert.Equal(t, uuid, got.UUID, v)
		assert.Equal(t, "+17045550142", got.Caller, v)
		assert.Equal(t, "fb-feed", got.SID, v)
		assert.Zero(t, retreaver.MustMoney("12.50").Cmp(got.Revenue), "%d: %s", v, got.Revenue)
		assert.Equal(t, &camp.ID, got.CampaignID, v)
		assert.Equal(t, camp.Name, got.CampaignName, v)
		require.NotEmpty(t, got.Number, v)
		if number == "" {
			number = got.Number
		}
		assert.Equal(t, number, got.Number, v)
		if v == 2 {
			assert.Empty(t, got.NumberName, "v2 sends the number as a string")
		} else {
			assert.Equal(t, "Nancy Drew Number 1", got.NumberName, v)
		}

		// Lists of every version carry the same fields.
		page, err := cl.Calls.List(ctx, &retreaver.CallListOptions{ClientCID: "1001", PerPage: 100})
		require.NoError(t, err, v)
		require.NotEmpty(t, page.Items, v)
		assert.Equal(t, 1, e2eCount(srv, http.MethodGet, fmt.Sprintf("/api/v%d/calls.json", v)), v)
		for _, c := range page.Items {
			assert.Equal(t, &camp.ID, c.CampaignID, "%d %s", v, c.UUID)
			assert.Equal(t, camp.Name, c.CampaignName, "%d %s", v, c.UUID)
			if v >= 3 {
				assert.NotEmpty(t, c.NumberName, "%d %s: demo numbers have names", v, c.UUID)
			}
		}
		listed := e2eFind(page.Items, func(c *retreaver.Call) bool { return c.UUID == uuid })
		require.NotNil(t, listed, v)
		assert.Equal(t, got.NumberName, listed.NumberName, v)
	}

	// On the wire: v4 sends the campaign as an object, its id a string.
	var raw struct {
		Call map[string]json.RawMessage `json:"call"`
	}
	_, err = client.Do(ctx, http.MethodGet, "api/v4/calls/"+uuid+".json", nil, nil, &raw)
	require.NoError(t, err)
	assert.NotContains(t, raw.Call, "campaign_id")
	assert.JSONEq(t, fmt.Sprintf(`{"id":%q,"name":%q}`, strconv.FormatInt(camp.ID, 10), camp.Name), string(raw.Call["campaign"]))
	assert.JSONEq(t, fmt.Sprintf(`{"number":%q,"name":"Nancy Drew Number 1"}`, number), string(raw.Call["number"]))
}

// call_flow_events=true brings each call's flow events, kept as sent.
func TestE2ECallFlowEvents(t *testing.T) {
	t.Parallel()
	srv, _ := e2eSetup(t, retreavertest.WithDemoData())
	ctx := e2eCtx(t)
	client := e2eClient(t, srv, e2eRetries, retreaver.WithCallsVersion(4))

	plain, err := client.Calls.List(ctx, nil)
	require.NoError(t, err)
	require.NotEmpty(t, plain.Items)
	for _, c := range plain.Items {
		assert.Nil(t, c.CallFlowEvents, c.UUID)
	}
	page, err := client.Calls.List(ctx, &retreaver.CallListOptions{CallFlowEvents: true})
	require.NoError(t, err)
	require.NotEmpty(t, page.Items)
	for _, c := range page.Items {
		var events []struct {
			Event     string    `json:"event"`
			CreatedAt time.Time `json:"created_at"`
		}
		require.NoError(t, json.Unmarshal(c.CallFlowEvents, &events), c.UUID)
		require.NotEmpty(t, events, c.UUID)
		assert.Equal(t, "call_received", events[0].Event, c.UUID)
		require.NotNil(t, c.StartTime, c.UUID)
		assert.True(t, events[0].CreatedAt.Equal(*c.StartTime), c.UUID)
	}
	reqs := srv.Requests()
	assert.Equal(t, "true", reqs[len(reqs)-1].Query.Get("call_flow_events"))
}

// The unversioned calls and affiliates routes answer 404, as the live API
// does: only api/v1 serves them now.
func TestE2EUnversionedRoutesAreGone(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t, retreavertest.WithDemoData())
	ctx := e2eCtx(t)
	calls, err := client.CallsV1.List(ctx, nil)
	require.NoError(t, err)
	uuid := calls.Items[0].UUID
	affs := e2eCollect(t, client.Affiliates.All(ctx, nil))
	aff := affs[0]

	for _, path := range []string{"calls.json", "calls/" + uuid + ".json", "affiliates.json",
		"affiliates/" + strconv.FormatInt(aff.ID, 10) + ".json", "affiliates/afid/" + url.PathEscape(aff.AFID) + ".json"} {
		resp, err := client.Do(ctx, http.MethodGet, path, nil, nil, nil)
		e2eRequireGone(t, err)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
	}
	_, err = client.Do(ctx, http.MethodPost, "affiliates.json", nil, map[string]any{"affiliate": map[string]any{"afid": "old-route"}}, nil)
	e2eRequireGone(t, err)
	_, err = client.Affiliates.GetByAFID(ctx, "old-route")
	e2eRequireGone(t, err)
	assert.Len(t, e2eCollect(t, client.Affiliates.All(ctx, nil)), len(affs), "nothing was created")

	// The versioned routes serve the same objects.
	got, err := client.CallsV1.Get(ctx, uuid)
	require.NoError(t, err)
	assert.Equal(t, uuid, got.UUID)
	byAFID, err := client.Affiliates.GetByAFID(ctx, aff.AFID)
	require.NoError(t, err)
	assert.Equal(t, aff.ID, byAFID.ID)
}
