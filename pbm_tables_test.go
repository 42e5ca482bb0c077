package retreaver

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const (
	pbmTablesWirePath = "api/v5/campaigns/16728/payout_bid_modification_tables.json"
	pbmTableWirePath  = "api/v5/campaigns/16728/payout_bid_modification_tables/9001.json"
	referenceRules    = "rule_id,caller_state,pbm_bucket,pbm_bucket,payout_pct\n1,=~^(CO|NY|TX)$,*,*,70\n2,*,>=5000,<7500,60\n3,*,*,*,current\n"
)

// referencePBMTable is the reference's example table.
func referencePBMTable() *PBMTable {
	return &PBMTable{ID: 9001, CampaignID: 16728, TableVersion: "9001", Active: true, Salt: "acme_inc_2026-09-15",
		CSVData: referenceRules, CreatedAt: time.Date(2026, 9, 15, 18, 4, 22, 0, time.UTC)}
}

func TestPBMTablesListDecodesTheReferenceExample(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", pbmTablesWirePath, 200, fixture(t, "pbm_tables_list.json"))
	tables, err := c.PBMTables.List(context.Background(), 16728)
	require.NoError(t, err)
	w := rec.only(t)
	assertWire(t, w, "GET", pbmTablesWirePath, nil, false)
	assertNoBody(t, w)
	require.Equal(t, []*PBMTable{referencePBMTable()}, tables)

	stub(t, mt, "GET", pbmTablesWirePath, 200, `[]`)
	tables, err = c.PBMTables.List(context.Background(), 16728)
	require.NoError(t, err)
	require.NotNil(t, tables)
	require.Empty(t, tables)
}

func TestPBMTablesGetDecodesTheReferenceExample(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", pbmTableWirePath, 200, fixture(t, "pbm_table_create.json"))
	tb, err := c.PBMTables.Get(context.Background(), 16728, 9001)
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", pbmTableWirePath, nil, false)
	require.Equal(t, referencePBMTable(), tb)
}

func TestPBMTableVersionArrivesAsAStringOrANumber(t *testing.T) {
	for body, want := range map[string]string{
		`{"id": 1, "table_version": "v7"}`:   "v7",
		`{"id": 1, "table_version": 7}`:      "7",
		`{"id": 1, "table_version": 7.0}`:    "7",
		`{"id": 1, "table_version": "0012"}`: "0012",
		`{"id": 1, "table_version": null}`:   "",
		`{"id": 1, "campaign_id": "16728"}`:  "",
	} {
		tb, err := decodeBare[PBMTable]([]byte(body))
		require.NoError(t, err, body)
		require.Equal(t, want, tb.TableVersion, body)
	}
}

func TestPBMTablesCreateSendsTheReferenceBody(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", pbmTablesWirePath, 200, fixture(t, "pbm_table_create.json"))
	tb, err := c.PBMTables.Create(context.Background(), 16728, &PBMTableParams{CSVData: referenceRules, Active: Ptr(true)})
	require.NoError(t, err)
	w := rec.only(t)
	assertWire(t, w, "POST", pbmTablesWirePath, nil, false)
	assertJSONBody(t, w, fixture(t, "pbm_table_create_request.json"))
	require.Equal(t, referencePBMTable(), tb)

	_, err = c.PBMTables.Create(context.Background(), 16728, &PBMTableParams{CSVData: referenceRules, Active: Ptr(false),
		Salt: Ptr("acme"), TableVersion: Ptr("r-12")})
	require.NoError(t, err)
	assertJSONBody(t, rec.all()[1], `{"payout_bid_modification_table": {"csv_data": "`+strings.ReplaceAll(referenceRules, "\n", `\n`)+`",
		"active": false, "salt": "acme", "table_version": "r-12"}}`)
}

func TestPBMTablesSetActiveSendsOnlyActive(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", pbmTableWirePath, 200, strings.Replace(fixture(t, "pbm_table_create.json"), `"active": true`, `"active": false`, 1))
	tb, err := c.PBMTables.SetActive(context.Background(), 16728, 9001, false)
	require.NoError(t, err)
	w := rec.only(t)
	assertWire(t, w, "PUT", pbmTableWirePath, nil, false)
	assertJSONBody(t, w, fixture(t, "pbm_table_update_request.json"))
	require.False(t, tb.Active)

	_, err = c.PBMTables.SetActive(context.Background(), 16728, 9001, true)
	require.NoError(t, err)
	assertJSONBody(t, rec.all()[1], `{"payout_bid_modification_table": {"active": true}}`)
}

func TestPBMTablesDeleteAcceptsAnEmpty200(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "DELETE", pbmTableWirePath, 200, "")
	require.NoError(t, c.PBMTables.Delete(context.Background(), 16728, 9001))
	w := rec.only(t)
	assertWire(t, w, "DELETE", pbmTableWirePath, nil, false)
	assertNoBody(t, w)

	stub(t, mt, "DELETE", pbmTableWirePath, 404, `{"error": "not found"}`)
	require.ErrorIs(t, c.PBMTables.Delete(context.Background(), 16728, 9001), ErrNotFound)
}

func TestPBMTablesUnparseableCSVIsAnAPIErrorWithTheMessages(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "POST", pbmTablesWirePath, 422, fixture(t, "pbm_table_errors.json"))
	_, err := c.PBMTables.Create(context.Background(), 16728, &PBMTableParams{CSVData: referenceRules})
	require.ErrorIs(t, err, ErrUnprocessable)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, "Csv data could not be parsed into rules (...)", apiErr.Message)
	require.Nil(t, apiErr.Fields, "an array of messages names no field")

	stub(t, mt, "POST", pbmTablesWirePath, 422, `{"errors": ["Csv data has an unknown operator", "Table version has already been taken"]}`)
	_, err = c.PBMTables.Create(context.Background(), 16728, &PBMTableParams{CSVData: referenceRules})
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, "Csv data has an unknown operator; Table version has already been taken", apiErr.Message)
}

func TestPBMTablesAnswersOfTheWrongShapeAreErrors(t *testing.T) {
	for name, tc := range map[string]struct{ method, path, body string }{
		"list is an object":         {"GET", pbmTablesWirePath, `{"payout_bid_modification_tables": []}`},
		"list is null":              {"GET", pbmTablesWirePath, `null`},
		"list has a null":           {"GET", pbmTablesWirePath, `[null]`},
		"list element without id":   {"GET", pbmTablesWirePath, `[{"campaign_id": 1}]`},
		"list element wrapped":      {"GET", pbmTablesWirePath, `[{"payout_bid_modification_table": {"id": 1}}]`},
		"get is empty":              {"GET", pbmTableWirePath, ``},
		"get is wrapped":            {"GET", pbmTableWirePath, `{"payout_bid_modification_table": {"id": 9001}}`},
		"get has a bad version":     {"GET", pbmTableWirePath, `{"id": 9001, "table_version": {}}`},
		"create answers an html":    {"POST", pbmTablesWirePath, `<html></html>`},
		"set active answers null":   {"PUT", pbmTableWirePath, `null`},
		"create answers no table":   {"POST", pbmTablesWirePath, `{}`},
		"set active answers a list": {"PUT", pbmTableWirePath, `[]`},
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			stub(t, mt, tc.method, tc.path, 200, tc.body)
			var err error
			switch tc.method + " " + tc.path {
			case "GET " + pbmTablesWirePath:
				_, err = c.PBMTables.List(context.Background(), 16728)
			case "GET " + pbmTableWirePath:
				_, err = c.PBMTables.Get(context.Background(), 16728, 9001)
			case "POST " + pbmTablesWirePath:
				_, err = c.PBMTables.Create(context.Background(), 16728, &PBMTableParams{CSVData: referenceRules})
			case "PUT " + pbmTableWirePath:
				_, err = c.PBMTables.SetActive(context.Background(), 16728, 9001, true)
			}
			require.ErrorIs(t, err, ErrUnexpectedResponse)
		})
	}
}

func TestPBMTablesIDsAreCheckedBeforeAnyRequest(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()
	for _, err := range []error{
		func() error { _, err := c.PBMTables.List(ctx, 0); return err }(),
		func() error { _, err := c.PBMTables.Get(ctx, 0, 1); return err }(),
		func() error { _, err := c.PBMTables.Get(ctx, 1, -1); return err }(),
		func() error {
			_, err := c.PBMTables.Create(ctx, -5, &PBMTableParams{CSVData: referenceRules})
			return err
		}(),
		func() error { _, err := c.PBMTables.SetActive(ctx, 1, 0, true); return err }(),
		func() error { _, err := c.PBMTables.SetActive(ctx, 0, 1, true); return err }(),
		c.PBMTables.Delete(ctx, 1, 0),
		c.PBMTables.Delete(ctx, 0, 1),
	} {
		require.ErrorIs(t, err, ErrInvalidArgument)
	}
	noRequests(t, mt)
}

// rules returns a rule CSV of n rules of width columns between the reserved ones.
func rules(n int) string {
	var b strings.Builder
	b.WriteString("rule_id,caller_state,payout_pct\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d,*,50\n", i)
	}
	return b.String()
}

func TestPBMTablesCreateChecksTheDocumentedLimitsFirst(t *testing.T) {
	big := "rule_id,caller_state,payout_pct\n1,=~" + strings.Repeat("A", MaxPBMCSVBytes) + ",70\n"
	cases := map[string]*PBMTableParams{
		"nil params":                     nil,
		"empty CSV":                      {CSVData: ""},
		"blank CSV":                      {CSVData: " \n\n"},
		"over 1 MB":                      {CSVData: big},
		"1001 rules":                     {CSVData: rules(MaxPBMRules + 1)},
		"header only":                    {CSVData: "rule_id,caller_state,payout_pct\n"},
		"no rule_id":                     {CSVData: "caller_state,payout_pct\nCO,70\n"},
		"no payout_pct":                  {CSVData: "rule_id,caller_state\n1,CO\n"},
		"payout_pct twice":               {CSVData: "rule_id,payout_pct,payout_pct\n1,70,80\n"},
		"rule_id twice":                  {CSVData: "rule_id,rule_id,payout_pct\n1,2,80\n"},
		"reserved names in another case": {CSVData: "Rule_ID,caller_state,Payout_Pct\n1,CO,70\n"},
		"empty column name":              {CSVData: "rule_id,,payout_pct\n1,CO,70\n"},
		"short row":                      {CSVData: "rule_id,caller_state,pbm_bucket,payout_pct\n1,CO,70\n"},
		"long row":                       {CSVData: "rule_id,caller_state,payout_pct\n1,CO,*,70\n"},
		"payout with a percent sign":     {CSVData: "rule_id,caller_state,payout_pct\n1,CO,70%\n"},
		"negative payout":                {CSVData: "rule_id,caller_state,payout_pct\n1,CO,-5\n"},
		"payout as words":                {CSVData: "rule_id,caller_state,payout_pct\n1,CO,seventy\n"},
		"payout Current capitalised":     {CSVData: "rule_id,caller_state,payout_pct\n1,CO,Current\n"},
		"empty payout":                   {CSVData: "rule_id,caller_state,payout_pct\n1,CO,\n"},
		"bad quoting":                    {CSVData: "rule_id,caller_state,payout_pct\n1,\"CO,70\n"},
		"blank salt":                     {CSVData: referenceRules, Salt: Ptr(" ")},
		"blank table version":            {CSVData: referenceRules, TableVersion: Ptr("")},
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			_, err := c.PBMTables.Create(context.Background(), 16728, p)
			require.ErrorIs(t, err, ErrInvalidArgument)
			noRequests(t, mt)
		})
	}
}

func TestPBMTablesCreateAcceptsTablesAtTheLimits(t *testing.T) {
	ok := map[string]string{
		"1000 rules":                rules(MaxPBMRules),
		"reference":                 referenceRules,
		"CRLF lines":                strings.ReplaceAll(referenceRules, "\n", "\r\n"),
		"no final newline":          strings.TrimSuffix(referenceRules, "\n"),
		"fractional payout":         "rule_id,caller_state,payout_pct\n1,CO,62.5\n",
		"quoted cell with a comma":  "rule_id,caller_state,payout_pct\n1,\"=~^(A,B)$\",62.5\n",
		"reserved columns anywhere": "payout_pct,caller_state,rule_id\n70,CO,1\n",
	}
	for name, data := range ok {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			stub(t, mt, "POST", pbmTablesWirePath, 200, fixture(t, "pbm_table_create.json"))
			_, err := c.PBMTables.Create(context.Background(), 16728, &PBMTableParams{CSVData: data})
			require.NoError(t, err)
		})
	}
	n, err := checkPBMCSV(rules(MaxPBMRules))
	require.NoError(t, err)
	require.Equal(t, MaxPBMRules, n)
}

func TestPBMTablesErrorsNameTheFirstBadRule(t *testing.T) {
	_, err := checkPBMCSV("rule_id,caller_state,payout_pct\n1,CO,70\n2,TX,lots\n")
	require.ErrorContains(t, err, "rule 2")
	_, err = checkPBMCSV("rule_id,caller_state,payout_pct\n1,CO,70\n2,TX\n")
	require.ErrorContains(t, err, "line 3 has 2 cells, the header 3")
}

func TestPBMTablesAreRetriedAsTheirMethodsAllow(t *testing.T) {
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	rec := stub(t, mt, "POST", pbmTablesWirePath, http.StatusBadGateway, "")
	_, err := c.PBMTables.Create(context.Background(), 16728, &PBMTableParams{CSVData: referenceRules})
	require.ErrorIs(t, err, ErrServer)
	require.Len(t, rec.all(), 1, "a create is not repeated after a 502")
	rec = stub(t, mt, "PUT", pbmTableWirePath, http.StatusBadGateway, "")
	_, err = c.PBMTables.SetActive(context.Background(), 16728, 9001, true)
	require.ErrorIs(t, err, ErrServer)
	require.Len(t, rec.all(), 2, "setting active is idempotent")
}
