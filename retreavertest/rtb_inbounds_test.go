package retreavertest

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// inbounds GETs a page of the RTB inbounds log and returns its rows.
func (a *api) inbounds(query url.Values) []map[string]any {
	a.t.Helper()
	return a.inboundsRaw(query.Encode())
}

// inboundsRaw is inbounds with the query string as written (brackets
// unescaped, say).
func (a *api) inboundsRaw(rawQuery string) []map[string]any {
	a.t.Helper()
	v := a.call(http.MethodGet, "/api/v5/rtb_inbounds.json?"+rawQuery, nil, nil, http.StatusOK)
	rows, ok := v.(map[string]any)["rtb_inbounds"].([]any)
	require.True(a.t, ok, "no rtb_inbounds array in %v", v)
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		out[i] = r.(map[string]any)
	}
	return out
}

// uuids returns the uuid of each row.
func uuids(rows []map[string]any) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r["uuid"].(string)
	}
	return out
}

// idOf returns the id of the object a GET answers under root.
func (a *api) idOf(path, root string) int64 {
	a.t.Helper()
	return num(a.obj(http.MethodGet, path, nil, http.StatusOK, root)["id"])
}

func TestRTBInboundsLogEveryPing(t *testing.T) {
	a := newAPI(t, WithDemoData())
	key := a.srv.RTBKeyFor(a.srv.CompanyID, "1001")
	campaignID := a.idOf("/campaigns/cid/1001.json", "campaign")
	affiliateID := a.idOf("/api/v1/affiliates/afid/0001.json", "affiliate")
	ping := func(caller string) map[string]any {
		return a.reserve(obj{"key": key, "publisher_id": "0001", "caller_number": caller, "caller_state": "TX"}, http.StatusOK)
	}

	claimed := ping("+13015550101")
	resp, body := a.rtb(http.MethodPut, "/rtbs/"+claimed["uuid"].(string)+".json", obj{"key": key, "status": "confirmed"})
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	live := ping("+13015550102")
	require.Equal(t, true, ping("+13015550101")["retreaver_ping_shield"])
	a.srv.SetRTBNoTarget(true)
	noTarget := ping("+13015550103")
	a.srv.SetRTBNoTarget(false)
	a.srv.SetRTBReservationTTL(-time.Second)
	expired := ping("+13015550104")

	rows := a.inbounds(nil)
	require.Len(t, rows, 5, "every ping is a row, the shielded repeat included")
	byStatus := map[string]map[string]any{}
	for _, r := range rows {
		byStatus[r["status"].(string)] = r
	}
	require.Equal(t, []string{expired["uuid"].(string), noTarget["uuid"].(string), byStatus["rejected"]["uuid"].(string),
		live["uuid"].(string), claimed["uuid"].(string)}, uuids(rows), "newest first")

	c := byStatus["claimed"]
	require.Equal(t, claimed["uuid"], c["uuid"])
	require.NotEqual(t, zeroUUID, c["call_uuid"])
	require.NotEqual(t, c["uuid"], c["call_uuid"], "the call's uuid is not the reservation's")
	require.Equal(t, float64(campaignID), c["campaign_id"])
	require.Equal(t, float64(affiliateID), c["affiliate_id"])
	require.NotNil(t, c["target_id"])
	require.NotNil(t, c["postback_key_id"])
	require.Equal(t, claimed["retreaver_payout"], c["payout"])
	require.Equal(t, float64(campaignRevenue("1001"))/100, c["revenue"])
	require.Equal(t, "+13015550101", c["caller_number"])
	require.Equal(t, "TX", c["caller_state"])
	require.Equal(t, "US", c["caller_country"])
	require.NotNil(t, c["confirmed_at"])
	require.NotNil(t, c["ended_at"])
	require.Equal(t, zeroUUID, c["duplicate_original_uuid"])
	require.Equal(t, float64(0), c["duplicate_order"])
	require.NotContains(t, c, "pbm_table_version", "no table: no pbm_* fields")
	_, err := time.Parse(time.RFC3339, c["created_at"].(string))
	require.NoError(t, err)

	// The call it became is in the call log, as every version reads it.
	for _, v := range []string{"v1", "v2", "v5"} {
		call := a.obj(http.MethodGet, "/api/"+v+"/calls/"+c["call_uuid"].(string)+".json", nil, http.StatusOK, "call")
		require.Equal(t, "+13015550101", call["caller"])
	}
	call := a.obj(http.MethodGet, "/api/v2/calls/"+c["call_uuid"].(string)+".json", nil, http.StatusOK, "call")
	require.Equal(t, "1001", call["cid"])
	require.Equal(t, "0001", call["afid"])
	require.Equal(t, c["target_id"], call["target_id"])

	dup := byStatus["rejected"]
	require.Equal(t, float64(1), dup["duplicate_order"])
	require.Equal(t, claimed["uuid"], dup["duplicate_original_uuid"])
	require.Equal(t, zeroUUID, dup["call_uuid"])
	require.NotEqual(t, claimed["uuid"], dup["uuid"])

	require.Equal(t, live["uuid"], byStatus["reserved"]["uuid"])
	require.Nil(t, byStatus["reserved"]["ended_at"])
	require.Equal(t, zeroUUID, byStatus["no-target"]["call_uuid"])
	require.Equal(t, float64(0), byStatus["no-target"]["revenue"])
	require.Equal(t, byStatus["expired"]["created_at"], byStatus["expired"]["ended_at"], "made to expire at once")
	require.Equal(t, 0.0, byStatus["expired"]["time_to_resolve"])
	require.Nil(t, byStatus["expired"]["confirmed_at"])
	require.Len(t, a.inbounds(url.Values{"status[]": {"reserved"}}), 1, "a status the reference does not list filters too")
}

func TestRTBInboundsLapsedReservationReadsExpired(t *testing.T) {
	a := newAPI(t)
	a.srv.SetRTBReservationTTL(30 * time.Millisecond)
	r := a.reserve(obj{"key": a.srv.RTBKey, "publisher_id": "p", "caller_number": "+13015550100"}, http.StatusOK)
	require.Equal(t, "reserved", a.inbounds(nil)[0]["status"])
	time.Sleep(60 * time.Millisecond)
	row := a.inbounds(nil)[0]
	require.Equal(t, r["uuid"], row["uuid"])
	require.Equal(t, "expired", row["status"])
	require.NotNil(t, row["ended_at"])
	require.Nil(t, row["campaign_id"], "the plain server's key has no campaign")
	require.Nil(t, row["affiliate_id"], "no affiliate has the afid p")
}

// seedFilterRows adds rows to filter in the demo's default company and
// returns their uuids by name.
func seedFilterRows(t *testing.T, a *api) (map[string]string, int64, int64) {
	t.Helper()
	camp1 := a.idOf("/campaigns/cid/1001.json", "campaign")
	camp2 := a.idOf("/campaigns/cid/1002.json", "campaign")
	now := time.Now()
	add := func(spec RTBInbound) string {
		id, err := a.srv.AddRTBInbound(a.srv.CompanyID, spec)
		require.NoError(t, err)
		return id
	}
	return map[string]string{
		"cheap":   add(RTBInbound{CampaignID: camp1, Revenue: "10", Payout: "5", CallerState: "TX", CreatedAt: now.Add(-time.Hour)}),
		"mid":     add(RTBInbound{CampaignID: camp1, Status: "claimed", Revenue: "25.50", Payout: "12", CallerState: "CA", CreatedAt: now.Add(-2 * time.Hour)}),
		"dear":    add(RTBInbound{CampaignID: camp2, Status: "no-target", Revenue: "40", CreatedAt: now.Add(-3 * time.Hour), CallerCountry: "CA"}),
		"old":     add(RTBInbound{CampaignID: camp2, Revenue: "25", CreatedAt: now.AddDate(0, 0, -10)}),
		"dup":     add(RTBInbound{CampaignID: camp1, Status: "rejected", DuplicateOrder: 1, DuplicateOriginalUUID: "x", CreatedAt: now.Add(-4 * time.Hour)}),
		"ancient": add(RTBInbound{CampaignID: camp1, CreatedAt: now.AddDate(0, -5, 0)}),
	}, camp1, camp2
}

func TestRTBInboundsFilters(t *testing.T) {
	a := newAPI(t, WithDemoData())
	ids, camp1, camp2 := seedFilterRows(t, a)
	c1, c2 := strconv.FormatInt(camp1, 10), strconv.FormatInt(camp2, 10)
	names := func(rows []map[string]any) []string {
		byUUID := map[string]string{}
		for n, u := range ids {
			byUUID[u] = n
		}
		out := []string{}
		for _, u := range uuids(rows) {
			out = append(out, byUUID[u])
		}
		return out
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{"cheap", "mid", "dear", "dup", "old", "ancient"}},
		{"campaign_id[]=" + c1, []string{"cheap", "mid", "dup", "ancient"}},
		{"campaign_id%5B%5D=" + c2, []string{"dear", "old"}},
		{"campaign_id[]=" + c1 + "&campaign_id%5B%5D=" + c2, []string{"cheap", "mid", "dear", "dup", "old", "ancient"}},
		{"campaign_id=" + c2, []string{"dear", "old"}},
		{"campaign_id[]=999999", []string{}},
		{"campaign_id[]=999999&campaign_id[]=" + c2, []string{"dear", "old"}},
		{"status[]=claimed&status[]=no-target", []string{"mid", "dear"}},
		{"status%5B%5D=expired", []string{"cheap", "old", "ancient"}},
		{"revenue[]=20&revenue[]=30", []string{"mid", "old"}},
		{"revenue%5B%5D=25.5&revenue%5B%5D=25.5", []string{"mid"}},
		{"payout[]=5&payout[]=100", []string{"cheap", "mid"}},
		{"created_at=last_7d", []string{"cheap", "mid", "dear", "dup"}},
		{"created_at=last_2h", []string{"cheap"}},
		{"created_at=last_7d&created_at_start=2000-01-01T00:00:00Z&created_at_end=2000-01-02T00:00:00Z", []string{"cheap", "mid", "dear", "dup"}},
		{"created_at_start=" + url.QueryEscape(time.Now().AddDate(0, 0, -11).UTC().Format(time.RFC3339)) +
			"&created_at_end=" + url.QueryEscape(time.Now().Add(-90*time.Minute).UTC().Format(time.RFC3339)), []string{"mid", "dear", "dup", "old"}},
		{"duplicate=true", []string{"dup"}},
		{"duplicate=false&created_at=last_7d", []string{"cheap", "mid", "dear"}},
		{"caller_state=tx", []string{"cheap"}},
		{"caller_country=CA", []string{"dear"}},
		{"affiliate_id[]=999999", []string{}},
		{"per_page=1&created_at=last_7d", []string{"cheap", "mid", "dear", "dup"}},
	} {
		require.Equal(t, tc.want, names(a.inboundsRaw(tc.query)), tc.query)
	}
}

func mustParseQuery(t *testing.T, q string) url.Values {
	v, err := url.ParseQuery(q)
	require.NoError(t, err)
	return v
}

func TestRTBInboundsBadFilters(t *testing.T) {
	a := newAPI(t)
	for _, q := range []string{"revenue[]=1", "revenue[]=a&revenue[]=2", "created_at=forever", "created_at_start=yesterday", "duplicate=maybe"} {
		a.call(http.MethodGet, "/api/v5/rtb_inbounds.json", mustParseQuery(t, q), nil, http.StatusBadRequest)
	}
	for _, q := range []string{"created_at=last_90d", "created_at_start=2026-01-01T00:00:00Z&created_at_end=2026-03-02T00:00:00Z",
		"created_at_start=2026-02-01T00:00:00Z&created_at_end=2026-01-01T00:00:00Z"} {
		v := a.call(http.MethodGet, "/api/v5/rtb_inbounds.json", mustParseQuery(t, q), nil, http.StatusUnprocessableEntity)
		require.Contains(t, v.(map[string]any)["errors"], "created_at", q)
	}
	// Exactly 2 months is allowed.
	a.inbounds(mustParseQuery(t, "created_at_start=2026-01-01T00:00:00Z&created_at_end=2026-03-01T00:00:00Z"))
}

func TestRTBInboundsPagesOf100(t *testing.T) {
	a := newAPI(t)
	start := time.Now().Add(-time.Hour)
	for i := 0; i < 230; i++ {
		_, err := a.srv.AddRTBInbound(a.srv.CompanyID, RTBInbound{CreatedAt: start.Add(time.Duration(i) * time.Second)})
		require.NoError(t, err)
	}
	resp, _ := a.raw(http.MethodGet, "/api/v5/rtb_inbounds.json?campaign_id%5B%5D=&per_page=10", nil, nil)
	l := parseLinks(t, resp.Header.Get("Link"))
	require.Equal(t, []string{"first", "next", "last"}, l.rels)
	require.Equal(t, "3", l.byRel["last"].Query().Get("page"))
	require.Equal(t, "2", l.byRel["next"].Query().Get("page"))
	require.Contains(t, l.byRel["next"].RawQuery, "campaign_id%5B%5D=", "links keep the filters")
	var seen []string
	for p, want := range []int{100, 100, 30, 0} {
		rows := a.inbounds(url.Values{"page": {strconv.Itoa(p + 1)}, "per_page": {"10"}})
		require.Len(t, rows, want)
		seen = append(seen, uuids(rows)...)
	}
	for i := 1; i < len(seen); i++ {
		require.NotEqual(t, seen[i-1], seen[i])
	}
}

func TestRTBInboundsEveryVersionScopedByCompany(t *testing.T) {
	a := newAPI(t)
	mine, err := a.srv.AddRTBInbound(a.srv.CompanyID, RTBInbound{})
	require.NoError(t, err)
	other := a.srv.CompanyIDs()[1]
	_, err = a.srv.AddRTBInbound(other, RTBInbound{})
	require.NoError(t, err)
	var first []byte
	for _, v := range []string{"v2", "v3", "v4", "v5"} {
		resp, body := a.raw(http.MethodGet, "/api/"+v+"/rtb_inbounds.json", nil, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, v)
		if first == nil {
			first = body
		}
		require.Equal(t, string(first), string(body), "%s serves the same data", v)
	}
	require.Equal(t, []string{mine}, uuids(a.inbounds(nil)))
	b := &api{t: t, srv: a.srv, company: other}
	require.Len(t, b.inbounds(nil), 1)
	a.call(http.MethodGet, "/api/v5/rtb_inbounds.json", url.Values{"api_key": {"nope"}}, nil, http.StatusUnauthorized)
	a.call(http.MethodGet, "/api/v5/rtb_inbounds.json", url.Values{"company_id": {itoa(a.srv.ForbiddenCompanyID())}}, nil, http.StatusForbidden)
	a.call(http.MethodGet, "/rtb_inbounds.json", nil, nil, http.StatusNotFound)
}

func TestRTBInboundsWithFilters(t *testing.T) {
	a := newAPI(t, WithDemoData())
	v := a.call(http.MethodGet, "/api/v5/rtb_inbounds.json", url.Values{"with_filters": {"true"}}, nil, http.StatusOK).(map[string]any)
	f, ok := v["filters"].(map[string]any)
	require.True(t, ok, "%v", v)
	require.Equal(t, []any{"expired", "claimed", "no-target", "rejected"}, f["statuses"])
	for _, k := range []string{"campaigns", "publishers", "targets", "postback_keys"} {
		list := f[k].([]any)
		require.NotEmpty(t, list, k)
		first := list[0].(map[string]any)
		require.NotZero(t, first["id"], k)
		require.NotEmpty(t, first["name"], k)
	}
	require.Len(t, f["campaigns"], 3)
	require.NotContains(t, a.call(http.MethodGet, "/api/v5/rtb_inbounds.json", nil, nil, http.StatusOK), "filters")
}
