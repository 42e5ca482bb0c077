package retreavertest

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// referenceRules is the reference's example table.
const referenceRules = "rule_id,caller_state,pbm_bucket,pbm_bucket,payout_pct\n1,=~^(CO|NY|TX)$,*,*,70\n2,*,>=5000,<7500,60\n3,*,*,*,current\n"

func pbmPath(campaignID int64, id ...any) string {
	p := "/api/v5/campaigns/" + itoa(campaignID) + "/payout_bid_modification_tables"
	if len(id) > 0 {
		return idPath(p, id[0])
	}
	return p + ".json"
}

// pbmList GETs a campaign's tables: a bare array.
func (a *api) pbmList(campaignID int64) []map[string]any {
	a.t.Helper()
	v := a.call(http.MethodGet, pbmPath(campaignID), nil, nil, http.StatusOK)
	items := v.([]any)
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i] = it.(map[string]any)
	}
	return out
}

// pbmErrors sends a request that must answer 422 {"errors": [...]} and
// returns the messages.
func (a *api) pbmErrors(method, path string, body any) []any {
	a.t.Helper()
	v := a.call(method, path, nil, body, http.StatusUnprocessableEntity)
	errs, ok := v.(map[string]any)["errors"].([]any)
	require.True(a.t, ok, "errors is no array: %v", v)
	return errs
}

func TestPBMTableLifecycle(t *testing.T) {
	a := newAPI(t, WithDemoData())
	camp := a.idOf("/campaigns/cid/1001.json", "campaign")
	first := a.obj(http.MethodPost, pbmPath(camp), obj{"payout_bid_modification_table": obj{"csv_data": referenceRules, "active": true}}, http.StatusCreated, "")
	require.Greater(t, num(first["id"]), int64(9000))
	require.Equal(t, first["id"], first["table_version"], "the default version is the id, a number")
	require.Equal(t, float64(camp), first["campaign_id"])
	require.Equal(t, true, first["active"])
	require.Equal(t, "northwind_health_leads_"+time.Now().UTC().Format("2006-01-02"), first["salt"])
	require.Equal(t, referenceRules, first["csv_data"])
	_, err := time.Parse(time.RFC3339, first["created_at"].(string))
	require.NoError(t, err)

	second := a.obj(http.MethodPost, pbmPath(camp), obj{"csv_data": "rule_id,payout_pct\n1,50\n", "salt": "s1", "table_version": "v2"}, http.StatusCreated, "")
	require.Equal(t, "v2", second["table_version"], "a version given is a string")
	require.Equal(t, false, second["active"], "active defaults to false")
	require.Equal(t, "s1", second["salt"])
	require.Equal(t, []any{second["id"], first["id"]}, ids(a.pbmList(camp)), "newest first")
	require.Equal(t, first, a.obj(http.MethodGet, pbmPath(camp, first["id"]), nil, http.StatusOK, ""))

	// Activating one deactivates the other.
	got := a.obj(http.MethodPut, pbmPath(camp, second["id"]), obj{"payout_bid_modification_table": obj{"active": true}}, http.StatusOK, "")
	require.Equal(t, true, got["active"])
	require.Equal(t, false, a.obj(http.MethodGet, pbmPath(camp, first["id"]), nil, http.StatusOK, "")["active"])
	got = a.obj(http.MethodPatch, pbmPath(camp, first["id"]), obj{"active": "true"}, http.StatusOK, "")
	require.Equal(t, true, got["active"])
	require.Equal(t, false, a.obj(http.MethodGet, pbmPath(camp, second["id"]), nil, http.StatusOK, "")["active"])
	got = a.obj(http.MethodPut, pbmPath(camp, first["id"]), obj{"active": false}, http.StatusOK, "")
	require.Equal(t, false, got["active"])
	for _, tb := range a.pbmList(camp) {
		require.Equal(t, false, tb["active"])
	}

	// Write-once fields: the same value passes, another answers 422.
	require.Equal(t, []any{"Csv data can only be set when the table is created", "Salt can only be set when the table is created"},
		a.pbmErrors(http.MethodPut, pbmPath(camp, second["id"]), obj{"active": true, "csv_data": "x", "salt": "s2", "table_version": "v2"}))
	require.Equal(t, false, a.obj(http.MethodGet, pbmPath(camp, second["id"]), nil, http.StatusOK, "")["active"], "nothing changed")
	require.Equal(t, []any{"Active can't be blank"}, a.pbmErrors(http.MethodPut, pbmPath(camp, second["id"]), obj{}))
	require.Equal(t, []any{"Active is invalid"}, a.pbmErrors(http.MethodPut, pbmPath(camp, second["id"]), obj{"active": "perhaps"}))
	a.obj(http.MethodPut, pbmPath(camp, first["id"]), obj{"active": true, "table_version": first["id"]}, http.StatusOK, "")

	// Delete: an empty 200, and the table is gone.
	resp, body := a.raw(http.MethodDelete, pbmPath(camp, second["id"]), nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, body)
	a.call(http.MethodGet, pbmPath(camp, second["id"]), nil, nil, http.StatusNotFound)
	require.Len(t, a.pbmList(camp), 1)

	// Tables belong to their campaign, and campaigns to their company.
	other := a.idOf("/campaigns/cid/1002.json", "campaign")
	require.Empty(t, a.pbmList(other))
	a.call(http.MethodGet, pbmPath(other, first["id"]), nil, nil, http.StatusNotFound)
	a.call(http.MethodGet, pbmPath(999999), nil, nil, http.StatusNotFound)
	b := &api{t: t, srv: a.srv, company: a.srv.CompanyIDs()[1]}
	b.call(http.MethodGet, pbmPath(camp), nil, nil, http.StatusNotFound)
}

func ids(items []map[string]any) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = it["id"]
	}
	return out
}

func TestPBMTableBadCSV(t *testing.T) {
	a := newAPI(t, WithDemoData())
	camp := a.idOf("/campaigns/cid/1001.json", "campaign")
	for csv, want := range map[string]string{
		"":                             "Csv data can't be blank",
		"rule_id,caller_state\n1,CO\n": "Csv data could not be parsed into rules (the header needs the columns rule_id and payout_pct)",
		"rule_id,pbm_bucket,payout_pct\n1,=>5,70\n":             `Csv data could not be parsed into rules (line 2: column pbm_bucket: unknown operator "=>")`,
		"rule_id,pbm_bucket,payout_pct\n1,>five,70\n":           `Csv data could not be parsed into rules (line 2: column pbm_bucket: > needs a number, not "five")`,
		"rule_id,state,payout_pct\n1,=~(,70\n":                  `Csv data could not be parsed into rules (line 2: column state: bad regular expression "(")`,
		"rule_id,payout_pct\n1,most\n":                          `Csv data could not be parsed into rules (line 2: payout_pct "most" is neither a percentage nor current)`,
		"rule_id,payout_pct\nx,10\n":                            `Csv data could not be parsed into rules (line 2: rule_id "x" is not an integer)`,
		"rule_id,payout_pct\n":                                  "Csv data could not be parsed into rules (no rules)",
		"rule_id,payout_pct\n1,10,3\n":                          "Csv data could not be parsed into rules (record on line 2: wrong number of fields)",
		"rule_id,payout_pct\n" + strings.Repeat("1,10\n", 1001): "Csv data could not be parsed into rules (more than 1000 rules)",
	} {
		require.Equal(t, []any{want}, a.pbmErrors(http.MethodPost, pbmPath(camp), obj{"csv_data": csv}), "%.60q", csv)
	}
	big := "rule_id,payout_pct\n" + strings.Repeat("1,10\n", maxPBMCSVBytes/5)
	errs := a.pbmErrors(http.MethodPost, pbmPath(camp), obj{"csv_data": big})
	require.Contains(t, errs[0], "over the 1MB limit")
	a.obj(http.MethodPost, pbmPath(camp), obj{"csv_data": "rule_id,payout_pct\n" + strings.Repeat("1,10\n", 1000)}, http.StatusCreated, "")

	a.obj(http.MethodPost, pbmPath(camp), obj{"csv_data": referenceRules, "table_version": "7"}, http.StatusCreated, "")
	require.Equal(t, []any{"Table version has already been taken"}, a.pbmErrors(http.MethodPost, pbmPath(camp), obj{"csv_data": referenceRules, "table_version": 7}))
	require.Len(t, a.pbmList(camp), 2, "failed creates add nothing")
}

func TestPBMTableSetsThePayoutOfPings(t *testing.T) {
	a := newAPI(t, WithDemoData())
	camp := a.idOf("/campaigns/cid/1001.json", "campaign")
	key := a.srv.RTBKeyFor(a.srv.CompanyID, "1001")
	revenue := float64(campaignRevenue("1001")) / 100
	pctOf := func(pct float64) float64 { return math.Round(float64(campaignRevenue("1001"))*pct/100) / 100 }
	ping := func(caller string, tags obj) map[string]any {
		body := obj{"key": key, "publisher_id": "0001", "caller_number": caller}
		for k, v := range tags {
			body[k] = v
		}
		return a.reserve(body, http.StatusOK)
	}
	plain := ping("+13015550100", nil)
	require.Equal(t, revenue/2, plain["retreaver_payout"])

	table := a.obj(http.MethodPost, pbmPath(camp), obj{"csv_data": referenceRules, "active": true, "table_version": "7", "salt": "acme"}, http.StatusCreated, "")
	tx := ping("+13015550101", obj{"caller_state": "TX"})
	require.Equal(t, pctOf(70), tx["retreaver_payout"], "rule 1: 70% of the revenue")
	other := ping("+13015550102", obj{"caller_state": "CA"})

	rows := map[string]map[string]any{}
	for _, r := range a.inbounds(nil) {
		rows[r["uuid"].(string)] = r
	}
	require.NotContains(t, rows[plain["uuid"].(string)], "pbm_table_version", "no table was active")
	r := rows[tx["uuid"].(string)]
	require.Equal(t, "7", r["pbm_table_version"])
	require.Equal(t, float64(1), r["pbm_rule_id"])
	require.Equal(t, "treatment", r["pbm_variant"])
	require.Equal(t, 70.0, r["pbm_percent_of_revenue"])
	require.Equal(t, revenue/2, r["pbm_original_payout"])
	require.Equal(t, pctOf(70), r["payout"])
	require.Equal(t, float64(pbmBucket("acme", tx["uuid"].(string))), r["pbm_bucket"])

	// CA: rule 2 when the bucket is in [5000, 7500), else rule 3 (current).
	r = rows[other["uuid"].(string)]
	bucket := pbmBucket("acme", other["uuid"].(string))
	if bucket >= 5000 && bucket < 7500 {
		require.Equal(t, float64(2), r["pbm_rule_id"])
		require.Equal(t, pctOf(60), r["payout"])
	} else {
		require.Equal(t, float64(3), r["pbm_rule_id"])
		require.Equal(t, "control", r["pbm_variant"])
		require.Nil(t, r["pbm_percent_of_revenue"])
		require.Equal(t, revenue/2, r["payout"])
	}

	// Deactivated, the table no longer applies.
	a.obj(http.MethodPut, pbmPath(camp, table["id"]), obj{"active": false}, http.StatusOK, "")
	require.Equal(t, revenue/2, ping("+13015550103", obj{"caller_state": "TX"})["retreaver_payout"])
}

func TestPBMConditions(t *testing.T) {
	rules, err := parsePBMRules("rule_id,a,b,payout_pct\n" +
		"1,=x,!=y,10\n2,>=5,<=6,20\n3,>1,<2,30\n4,!~^z,*,40\n5,*,!=q,50\n")
	require.NoError(t, err)
	match := func(values map[string]string) int64 {
		for _, r := range rules {
			if r.matches(values) {
				return r.id
			}
		}
		return 0
	}
	require.Equal(t, int64(1), match(map[string]string{"a": "x", "b": "z"}))
	require.Equal(t, int64(2), match(map[string]string{"a": "5.0", "b": "6"}))
	require.Equal(t, int64(3), match(map[string]string{"a": "1.5", "b": "1.9"}))
	require.Equal(t, int64(4), match(map[string]string{"a": "hello"}))
	require.Equal(t, int64(5), match(map[string]string{"a": "zed"}), "!= holds for a key without a value")
	require.Equal(t, int64(0), match(map[string]string{"a": "zed", "b": "q"}))
	require.Equal(t, pbmBucket("s", "u"), pbmBucket("s", "u"))
	require.Less(t, pbmBucket("s", "u"), 10000)
}
