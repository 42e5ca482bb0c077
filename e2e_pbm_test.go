package retreaver_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Payout bid modification tables against the fake.

func TestE2EPBMTableLifecycle(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t, retreavertest.WithDemoData())
	ctx := e2eCtx(t)
	camp, err := client.Campaigns.GetByCID(ctx, "1001")
	require.NoError(t, err)

	rules, err := retreaver.NewPBMRules("caller_state", "pbm_bucket", "pbm_bucket").
		Rule(1, retreaver.PBMPercent(70), retreaver.PBMOneOf("CO", "NY", "TX")).
		Rule(2, retreaver.PBMPercent(60), retreaver.PBMAny, retreaver.PBMGe("5000"), retreaver.PBMLt("7500")).
		Rule(3, retreaver.PBMCurrent).
		CSV()
	require.NoError(t, err)
	first, err := client.PBMTables.Create(ctx, camp.ID, &retreaver.PBMTableParams{CSVData: rules, Active: retreaver.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, camp.ID, first.CampaignID)
	assert.Equal(t, strconv.FormatInt(first.ID, 10), first.TableVersion, "the default version is the id (sent as a number)")
	assert.True(t, first.Active)
	assert.Equal(t, rules, first.CSVData)
	assert.NotEmpty(t, first.Salt)
	assert.False(t, first.CreatedAt.IsZero())

	second, err := client.PBMTables.Create(ctx, camp.ID, &retreaver.PBMTableParams{CSVData: rules,
		Salt: retreaver.Ptr("acme_2026-09-15"), TableVersion: retreaver.Ptr("rev-2")})
	require.NoError(t, err)
	assert.False(t, second.Active, "active defaults to false")
	assert.Equal(t, "rev-2", second.TableVersion)
	assert.Equal(t, "acme_2026-09-15", second.Salt)

	list, err := client.PBMTables.List(ctx, camp.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, []int64{second.ID, first.ID}, []int64{list[0].ID, list[1].ID}, "newest first")
	got, err := client.PBMTables.Get(ctx, camp.ID, first.ID)
	require.NoError(t, err)
	assert.Equal(t, first, got)

	// One active table per campaign: activating one deactivates the other.
	activeOf := func() []int64 {
		var out []int64
		list, err := client.PBMTables.List(ctx, camp.ID)
		require.NoError(t, err)
		for _, tb := range list {
			if tb.Active {
				out = append(out, tb.ID)
			}
		}
		return out
	}
	assert.Equal(t, []int64{first.ID}, activeOf())
	got, err = client.PBMTables.SetActive(ctx, camp.ID, second.ID, true)
	require.NoError(t, err)
	assert.True(t, got.Active)
	assert.Equal(t, []int64{second.ID}, activeOf())
	_, err = client.PBMTables.SetActive(ctx, camp.ID, first.ID, true)
	require.NoError(t, err)
	assert.Equal(t, []int64{first.ID}, activeOf(), "rolled back")
	_, err = client.PBMTables.SetActive(ctx, camp.ID, first.ID, false)
	require.NoError(t, err)
	assert.Empty(t, activeOf())

	// Write-once: the SDK offers no way to change csv_data, salt or
	// table_version; the API refuses it.
	path := "api/v5/campaigns/" + strconv.FormatInt(camp.ID, 10) + "/payout_bid_modification_tables/" + strconv.FormatInt(second.ID, 10) + ".json"
	_, err = client.Do(ctx, http.MethodPut, path, url.Values{}, map[string]any{
		"payout_bid_modification_table": map[string]any{"active": true, "salt": "other"}}, nil)
	apiErr := e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Contains(t, apiErr.Message, "Salt can only be set when the table is created")
	got, err = client.PBMTables.Get(ctx, camp.ID, second.ID)
	require.NoError(t, err)
	assert.Equal(t, second, got, "nothing changed")

	// CSV the SDK accepts but the API cannot parse: 422 with its message.
	bad, err := retreaver.NewPBMRules("pbm_bucket").Rule(1, retreaver.PBMPercent(50), "=>5000").CSV()
	require.NoError(t, err)
	_, err = client.PBMTables.Create(ctx, camp.ID, &retreaver.PBMTableParams{CSVData: bad})
	apiErr = e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Contains(t, apiErr.Message, `Csv data could not be parsed into rules (line 2: column pbm_bucket: unknown operator "=>")`)
	_, err = client.PBMTables.Create(ctx, camp.ID, &retreaver.PBMTableParams{CSVData: rules, TableVersion: retreaver.Ptr("rev-2")})
	apiErr = e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Contains(t, apiErr.Message, "Table version has already been taken")

	// Delete: gone from the campaign's history.
	require.NoError(t, client.PBMTables.Delete(ctx, camp.ID, second.ID))
	_, err = client.PBMTables.Get(ctx, camp.ID, second.ID)
	e2eRequireGone(t, err)
	list, err = client.PBMTables.List(ctx, camp.ID)
	require.NoError(t, err)
	assert.Len(t, list, 1)
	other, err := client.Campaigns.GetByCID(ctx, "1002")
	require.NoError(t, err)
	_, err = client.PBMTables.Get(ctx, other.ID, first.ID)
	e2eRequireGone(t, err)
}

// The active table sets the payout of the campaign's pings, and the RTB
// inbounds log tells which rule did.
func TestE2EPBMTableSetsThePayoutOfPings(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t, retreavertest.WithDemoData())
	ctx := e2eCtx(t)
	camp, err := client.Campaigns.GetByCID(ctx, "1001")
	require.NoError(t, err)
	key := srv.RTBKeyFor(srv.CompanyID, "1001")
	reserve := func(caller, state string) *retreaver.Reservation {
		res, err := client.RTB.Reserve(ctx, &retreaver.ReservationParams{Key: key, PublisherID: "0001", CallerNumber: caller,
			Tags: map[string]string{"caller_state": state}})
		require.NoError(t, err)
		return res
	}
	before := reserve("+13015550100", "TX")

	rules, err := retreaver.NewPBMRules("caller_state").
		Rule(7, retreaver.PBMPercent(70), retreaver.PBMEq("TX")).
		Rule(8, retreaver.PBMCurrent).
		CSV()
	require.NoError(t, err)
	_, err = client.PBMTables.Create(ctx, camp.ID, &retreaver.PBMTableParams{CSVData: rules, Active: retreaver.Ptr(true),
		TableVersion: retreaver.Ptr("v7")})
	require.NoError(t, err)
	tx := reserve("+13015550101", "TX")
	ca := reserve("+13015550102", "CA")

	rows := map[string]*retreaver.RTBInbound{}
	for _, r := range e2eCollect(t, client.RTBInbounds.All(ctx, nil)) {
		rows[r.UUID] = r
	}
	assert.Empty(t, rows[before.UUID].PBMTableVersion, "no table was active")
	assert.Nil(t, rows[before.UUID].PBMBucket)

	r := rows[tx.UUID]
	assert.Equal(t, "v7", r.PBMTableVersion)
	require.NotNil(t, r.PBMRuleID)
	assert.Equal(t, int64(7), *r.PBMRuleID)
	assert.Equal(t, "treatment", r.PBMVariant)
	require.NotNil(t, r.PBMPercentOfRevenue)
	assert.Equal(t, 70.0, *r.PBMPercentOfRevenue)
	require.NotNil(t, r.PBMBucket)
	assert.Zero(t, r.PBMOriginalPayout.Cmp(before.Payout), "the payout before the rule")
	revenueCents, err := r.Revenue.Cents()
	require.NoError(t, err)
	payoutCents, err := tx.Payout.Cents()
	require.NoError(t, err)
	assert.Equal(t, revenueCents*70/100, payoutCents, "the reservation pays 70% of the revenue")
	assert.Zero(t, r.Payout.Cmp(tx.Payout))

	r = rows[ca.UUID]
	require.NotNil(t, r.PBMRuleID)
	assert.Equal(t, int64(8), *r.PBMRuleID)
	assert.Equal(t, "control", r.PBMVariant)
	assert.Nil(t, r.PBMPercentOfRevenue)
	assert.Zero(t, ca.Payout.Cmp(before.Payout), "current leaves the payout")

	// The export carries the same pbm_* fields.
	exporter := e2eClient(t, srv, e2eRetries, retreaver.WithExportPolling(1, 1))
	exported := e2eCollect(t, exporter.Exports.RTBInbounds(ctx, &retreaver.RTBInboundListOptions{CreatedAt: "last_1d"}, nil))
	listed := e2eCollect(t, client.RTBInbounds.All(ctx, &retreaver.RTBInboundListOptions{CreatedAt: "last_1d"}))
	e2eSameInbounds(t, listed, exported)
}
