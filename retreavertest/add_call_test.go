package retreavertest

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A call added with chosen fields reads back with exactly those fields, in
// both API versions, in any company.
func TestAddCallExactValues(t *testing.T) {
	a := newAPI(t, WithDemoData())
	other := a.srv.CompanyIDs()[1]
	b := &api{t: t, srv: a.srv, company: other}
	camp := b.obj(http.MethodGet, "/campaigns/cid/HOME-Q.json", nil, http.StatusOK, "campaign")
	aff := b.obj(http.MethodGet, "/api/v1/affiliates/afid/A-200.json", nil, http.StatusOK, "affiliate")
	tgt := b.obj(http.MethodGet, "/targets/tid/SAD.json", nil, http.StatusOK, "target")
	created := time.Date(2024, 11, 4, 15, 30, 0, 123456789, time.FixedZone("EST", -5*3600))

	uuid, err := a.srv.AddCall(other, Call{
		CreatedAt: created, Caller: "(704) 555-0142", CallerState: "NC", CID: "HOME-Q", AFID: "A-200", SubID: "fb-feed",
		TID: "SAD", Duration: 301, ConnectedDuration: 240, Revenue: "12.34", Payout: "5.5",
		Tags: map[string]string{"calling_about": "home", "source": "tv"},
	})
	require.NoError(t, err)
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, uuid)

	c := b.obj(http.MethodGet, "/api/v2/calls/"+uuid+".json", nil, http.StatusOK, "call")
	require.Equal(t, sorted(v2Fields), keys(c))
	for field, want := range map[string]any{
		"uuid": uuid, "caller": "+17045550142", "caller_state": "NC", "caller_zip": nil, "caller_city": nil,
		"created_at": "2024-11-04T20:30:00.123Z", "start_time": "2024-11-04T20:30:00.123Z",
		"end_time": "2024-11-04T20:35:01.123Z", "updated_at": "2024-11-04T20:35:01.123Z", "status": "finished",
		"cid": "HOME-Q", "campaign_id": camp["id"], "campaign_name": camp["name"], "system_campaign_id": camp["id"],
		"afid": "A-200", "affiliate_name": "Pat Kim", "system_affiliate_id": aff["id"], "sid": "fb-feed",
		"tid": "SAD", "target_id": tgt["id"], "target_name": "Summit Auto Desk", "dialed_number": tgt["number"],
		"total_duration": 301.0, "dialed_call_duration": 240.0, "billable_minutes": 6.0, "connected": true,
		"revenue": 12.34, "payout": 5.5, "converted": true, "receivable": true, "payable": true,
		"charge_total": "0.12", "total_cost": "0.12", "profit_net": 6.84, "profit_gross": "6.72",
		"tags": map[string]any{"calling_about": "home", "source": "tv"}, "company_id": float64(other),
		"repeat": false, "duplicate": false, "fired_pixels": []any{}, "fired_pixels_count": 0.0,
		"target_group": map[string]any{"id": c["target_group"].(map[string]any)["id"], "name": "Insurance Buyers"},
	} {
		require.Equal(t, want, c[field], field)
	}
	v1 := b.obj(http.MethodGet, "/api/v1/calls/"+uuid+".json", nil, http.StatusOK, "call")
	require.Equal(t, "2024-11-04T20:30:00Z", v1["created_at"])
	require.Equal(t, "+17045550142", v1["caller"])

	// Listings find it by its fields; other companies do not see it.
	for filter, value := range map[string]string{"client_cid": "HOME-Q", "client_afid": "A-200", "client_tid": "SAD",
		"sub_id": "fb-feed", "caller": "+17045550142"} {
		got := b.list("/api/v2/calls.json", url.Values{filter: {value}, "created_at_start": {"2024-11-04T00:00:00Z"},
			"created_at_end": {"2024-11-05T00:00:00Z"}}, "call")
		require.Len(t, got, 1, filter)
		require.Equal(t, c, got[0], filter)
	}
	a.call(http.MethodGet, "/api/v2/calls/"+uuid+".json", nil, nil, http.StatusNotFound)
}

// Reports over added calls add up to exactly the amounts given.
func TestAddCallReportSums(t *testing.T) {
	a := newAPI(t)
	a.call(http.MethodPost, "/campaigns.json", nil, obj{"campaign": obj{"cid": "C1", "name": "One"}}, http.StatusCreated)
	a.call(http.MethodPost, "/api/v1/affiliates.json", nil, obj{"affiliate": obj{"afid": "P1", "company_name": "Pub One"}}, http.StatusCreated)
	day := time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC)
	for i, amounts := range [][2]string{{"10.10", "6"}, {"0.20", ""}, {"5", "0.05"}, {"", ""}} {
		_, err := a.srv.AddCall(a.srv.CompanyID, Call{CreatedAt: day.Add(time.Duration(i) * time.Hour), CID: "C1", AFID: "P1",
			Duration: 61, Revenue: amounts[0], Payout: amounts[1]})
		require.NoError(t, err)
	}
	// A call on the next day stays out of the report.
	_, err := a.srv.AddCall(a.srv.CompanyID, Call{CreatedAt: day.AddDate(0, 0, 1), CID: "C1", AFID: "P1", Revenue: "100"})
	require.NoError(t, err)

	for _, facet := range []string{"publisher", "campaign", "daily"} {
		v := a.call(http.MethodGet, "/api/v1/reports.json", reportQuery(facet, day, day), nil, http.StatusOK).(map[string]any)
		rows := v["data"].([]any)
		require.Len(t, rows, 1, facet)
		row := rows[0].(map[string]any)
		require.Equal(t, 4.0, row["total_calls"], facet)
		require.Equal(t, 3.0, row["converted_count"], facet)
		require.Equal(t, 15.3, row["revenue"], facet)
		require.Equal(t, 6.05, row["payout"], facet)
		require.Equal(t, 0.16, row["cost"], facet) // 4 calls of 2 started minutes at 2 cents
		require.Equal(t, 9.09, row["profit"], facet)
		require.Equal(t, 244.0, row["total_duration"], facet)
	}
	rows := a.call(http.MethodGet, "/api/v1/reports.json", reportQuery("publisher", day, day), nil, http.StatusOK).(map[string]any)["data"].([]any)
	require.Equal(t, "P1", rows[0].(map[string]any)["id"])
	require.Equal(t, "Pub One", rows[0].(map[string]any)["facet_name"])
}

// Zero fields get the documented defaults.
func TestAddCallDefaults(t *testing.T) {
	a := newAPI(t)
	before := time.Now().UTC().Truncate(time.Millisecond)
	uuid, err := a.srv.AddCall(a.srv.CompanyID, Call{})
	require.NoError(t, err)
	c := a.obj(http.MethodGet, "/api/v2/calls/"+uuid+".json", nil, http.StatusOK, "call")
	at, err := time.Parse(time.RFC3339, c["created_at"].(string))
	require.NoError(t, err)
	require.False(t, at.Before(before))
	require.WithinDuration(t, time.Now(), at, time.Minute)
	require.Equal(t, "finished", c["status"])
	require.Equal(t, c["created_at"], c["end_time"])
	require.Regexp(t, `^\+1\d{10}$`, c["caller"])
	require.NotNil(t, c["caller_state"])
	require.Regexp(t, `^\+18\d{9}$`, c["number"])
	for _, field := range []string{"cid", "campaign_id", "afid", "sid", "tid", "target_id", "dialed_number", "revenue", "payout",
		"recording_url", "conversion_seconds"} {
		require.Nil(t, c[field], field)
	}
	require.Equal(t, false, c["converted"])
	require.Equal(t, false, c["connected"])
	require.Equal(t, 0.0, c["total_duration"])
	require.Equal(t, "0.0", c["charge_total"])
	require.Equal(t, map[string]any{}, c["tags"])

	// With campaigns, the first one; its number when it has one; in progress: no end yet.
	a.call(http.MethodPost, "/campaigns.json", nil, obj{"campaign": obj{"cid": "FIRST"}}, http.StatusCreated)
	a.call(http.MethodPost, "/campaigns.json", nil, obj{"campaign": obj{"cid": "SECOND"}}, http.StatusCreated)
	n := a.obj(http.MethodPost, "/numbers.json", obj{"number": obj{"cid": "FIRST", "afid": "P1"}}, http.StatusCreated, "number")
	uuid, err = a.srv.AddCall(a.srv.CompanyID, Call{UUID: "my-call", AFID: "P1", Status: "in-progress", Duration: 30})
	require.NoError(t, err)
	require.Equal(t, "my-call", uuid)
	c = a.obj(http.MethodGet, "/api/v2/calls/my-call.json", nil, http.StatusOK, "call")
	require.Equal(t, "FIRST", c["cid"])
	require.Equal(t, n["number"], c["number"])
	require.Equal(t, n["id"], c["number_id"])
	require.Equal(t, "in-progress", c["status"])
	require.Nil(t, c["end_time"])
	require.Equal(t, c["created_at"], c["updated_at"])
}

func TestAddCallErrors(t *testing.T) {
	a := newAPI(t, WithDemoData())
	id := a.srv.CompanyID
	count := a.srv.CallCount(id)
	_, err := a.srv.AddCall(424242, Call{})
	require.ErrorContains(t, err, "no company 424242")
	for _, c := range []struct {
		spec Call
		msg  string
	}{
		{Call{CID: "nope"}, `no campaign with cid "nope"`},
		{Call{CampaignID: 1}, "no campaign 1"},
		{Call{CID: "1002", CampaignID: campID(t, a, "1001")}, `not "1002"`},
		{Call{AFID: "nobody"}, `no affiliate with afid "nobody"`},
		{Call{TID: "nope"}, `no target with tid "nope"`},
		{Call{TargetID: 1}, "no target 1"},
		{Call{Revenue: "1.234"}, `revenue "1.234" is not an amount`},
		{Call{Payout: "$5"}, `payout "$5" is not an amount`},
		{Call{Status: "ringing"}, `status "ringing"`},
		{Call{ConnectedDuration: 30}, "needs a target"},
		{Call{TID: "TA-01", Duration: 10, ConnectedDuration: 30}, "exceeds the duration"},
		{Call{Duration: -1}, "negative"},
	} {
		_, err := a.srv.AddCall(id, c.spec)
		require.ErrorContains(t, err, c.msg, "%+v", c.spec)
	}
	uuid, err := a.srv.AddCall(id, Call{UUID: "taken"})
	require.NoError(t, err)
	_, err = a.srv.AddCall(id, Call{UUID: uuid})
	require.ErrorContains(t, err, "already has a call taken")
	require.Equal(t, count+1, a.srv.CallCount(id), "failed adds store nothing")

	// Any company, the forbidden one included.
	_, err = a.srv.AddCall(a.srv.ForbiddenCompanyID(), Call{})
	require.NoError(t, err)
	require.Equal(t, 1, a.srv.CallCount(a.srv.ForbiddenCompanyID()))
}

func campID(t *testing.T, a *api, cid string) int64 {
	t.Helper()
	return num(a.obj(http.MethodGet, "/campaigns/cid/"+cid+".json", nil, http.StatusOK, "campaign")["id"])
}
