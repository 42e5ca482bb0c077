package retreaver_test

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The demo data set read back whole, company by company: every object of
// every kind decodes, and the objects agree with each other (numbers name
// existing campaigns, calls name existing targets, reports add up to the
// calls).

func TestE2EDemoDataReadsBackConsistently(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t, retreavertest.WithDemoData())
	ctx := e2eCtx(t)

	var mu sync.Mutex
	seen := map[int64]int{}
	err := client.ForEachCompany(ctx, 3, func(ctx context.Context, c *retreaver.Client, co *retreaver.Company) error {
		calls := e2eDemoCompany(t, ctx, c, co.ID, srv.CallCount(co.ID))
		mu.Lock()
		defer mu.Unlock()
		seen[co.ID] = calls
		return nil
	})
	require.NoError(t, err)
	require.Len(t, seen, len(srv.CompanyIDs()))
	for id, n := range seen {
		assert.Positive(t, n, "company %d has calls", id)
	}
}

func e2eDemoCompany(t *testing.T, ctx context.Context, c *retreaver.Client, companyID int64, callCount int) int {
	where := fmt.Sprintf("company %d", companyID)
	affiliates := e2eCollect(t, c.Affiliates.All(ctx, nil))
	targets := e2eCollect(t, c.Targets.All(ctx, nil))
	groups := e2eCollect(t, c.TargetGroups.All(ctx, nil))
	campaigns := e2eCollect(t, c.Campaigns.All(ctx, nil))
	numbers := e2eCollect(t, c.Numbers.All(ctx, nil))
	pools := e2eCollect(t, c.NumberPools.All(ctx, nil))
	contacts := e2eCollect(t, c.Contacts.All(ctx, nil))
	suppressed := e2eCollect(t, c.SuppressedNumbers.All(ctx, nil))
	statics := e2eCollect(t, c.StaticCallerNumbers.All(ctx, nil))
	for kind, n := range map[string]int{"affiliates": len(affiliates), "targets": len(targets), "groups": len(groups),
		"campaigns": len(campaigns), "numbers": len(numbers), "pools": len(pools), "contacts": len(contacts),
		"suppressed": len(suppressed), "statics": len(statics)} {
		assert.Positive(t, n, "%s: %s", where, kind)
	}

	afids, cids, targetNames := map[string]bool{}, map[string]bool{}, map[int64]string{}
	for _, a := range affiliates {
		afids[a.AFID] = true
	}
	campaignIDs := map[int64]bool{}
	for _, cp := range campaigns {
		cids[cp.CID] = true
		campaignIDs[cp.ID] = true
		assert.Len(t, cp.ShowKey, 32, where)
	}
	for _, tg := range targets {
		targetNames[tg.ID] = tg.Name
		assert.Len(t, tg.Caps, 4, "%s: target %d caps", where, tg.ID)
		assert.Len(t, tg.BusinessHours, 7, "%s: target %d hours", where, tg.ID)
		assert.Equal(t, tg.Paused, tg.PausedAt != nil, "%s: target %d paused_at", where, tg.ID)
	}
	for _, g := range groups {
		assert.Len(t, g.Targets, len(g.TargetIDs), where)
		for i, m := range g.Targets {
			assert.Equal(t, g.TargetIDs[i], m.ID, where)
			assert.Equal(t, targetNames[m.ID], m.Name, where)
		}
	}
	for _, n := range numbers {
		assert.True(t, cids[n.CID], "%s: number %s names campaign %q", where, n.Number, n.CID)
		assert.True(t, n.AFID == "" || afids[n.AFID], "%s: number %s names affiliate %q", where, n.Number, n.AFID)
	}
	inPools := 0
	for _, p := range pools {
		assert.True(t, cids[p.CID], where)
		inPools += p.NumbersCount
		assert.Equal(t, p.GoogleAnalytics, len(p.GoogleAnalyticsPaths) == 2, where)
	}
	assert.LessOrEqual(t, inPools, len(numbers), where)
	for _, ct := range contacts {
		assert.NotEmpty(t, ct.ContactNumbers, where)
		assert.NotEmpty(t, e2eTags(ct.TagValues)["name"], where)
	}
	for _, s := range suppressed {
		assert.Equal(t, companyID, s.CompanyID, where)
		if s.CID != "" {
			id, err := strconv.ParseInt(s.CID, 10, 64)
			assert.NoError(t, err, where)
			assert.True(t, campaignIDs[id], "%s: suppressed %s names campaign %s", where, s.Number, s.CID)
		}
	}

	calls := e2eCollect(t, c.Calls.All(ctx, &retreaver.CallListOptions{PerPage: 100}))
	assert.Len(t, calls, callCount, where)
	byAFID, byTarget, inProgress := 0, 0, 0
	for _, call := range calls {
		assert.Equal(t, companyID, call.CompanyID, where)
		assert.True(t, cids[call.CID], "%s: call %s names campaign %q", where, call.UUID, call.CID)
		if call.AFID != "" {
			byAFID++
		}
		if call.TargetID != nil {
			byTarget++
			assert.Equal(t, targetNames[*call.TargetID], call.TargetName, where)
		}
		assert.Equal(t, call.FiredPixelsCount, len(call.FiredPixels), where)
		assert.Equal(t, call.ChargeTotal.String(), call.TotalCost.String(), where)
		net := e2eMoney(call.Revenue) - e2eMoney(call.Payout)
		assert.InDelta(t, net, call.ProfitNet.Float64(), 0.001, "%s: call %s profit_net", where, call.UUID)
		if call.EndTime == nil {
			inProgress++
			assert.Equal(t, "in-progress", call.Status, where)
		} else {
			assert.Equal(t, "finished", call.Status, where)
		}
	}
	assert.Positive(t, inProgress, "%s: the demo has calls on the line", where)

	// Reports add up to the calls they count.
	now := time.Now().UTC()
	sum := func(facet retreaver.ReportFacet) (total int, rows []*retreaver.ReportRow) {
		rows = e2eCollect(t, c.Reports.All(ctx, &retreaver.ReportOptions{Facet: facet, CreatedAtStart: now.AddDate(0, 0, -31), CreatedAtEnd: now}))
		for _, r := range rows {
			total += r.TotalCalls
		}
		return total, rows
	}
	n, _ := sum(retreaver.ReportFacetCampaign)
	assert.Equal(t, len(calls), n, "%s: campaign report", where)
	n, _ = sum(retreaver.ReportFacetPublisher)
	assert.Equal(t, byAFID, n, "%s: publisher report", where)
	n, rows := sum(retreaver.ReportFacetBuyer)
	assert.Equal(t, byTarget, n, "%s: buyer report", where)
	for _, r := range rows {
		id, err := strconv.ParseInt(r.ID, 10, 64)
		if assert.NoError(t, err, where) {
			assert.Equal(t, targetNames[id], r.FacetName, where)
		}
	}
	n, _ = sum(retreaver.ReportFacetDaily)
	assert.Equal(t, len(calls), n, "%s: daily report", where)
	return len(calls)
}

func e2eMoney(m retreaver.Money) float64 {
	return math.Round(m.Float64()*100) / 100
}
