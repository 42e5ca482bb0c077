package retreaver_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Targets against the fake: their lifecycle and ResetCap; the id you choose
// travels as client_tid, targets list their groups, and conversion groups are
// kept on them.

func TestE2ETargetLifecycle(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t)
	ctx := e2eCtx(t)

	tg, err := client.Targets.Create(ctx, &retreaver.TargetParams{
		Number:   retreaver.Ptr("+15555550100"),
		Name:     retreaver.Ptr("Acme Buyer"),
		TID:      retreaver.Ptr("buyer-e2e"),
		TimeZone: retreaver.Ptr("Eastern Time (US & Canada)"),
		Priority: retreaver.Ptr(3),
		BusinessHours: []retreaver.BusinessHoursParams{
			{DayOfWeek: retreaver.Ptr(1), TimeOpen: retreaver.Ptr(900), TimeClose: retreaver.Ptr(1700)},
			{DayOfWeek: retreaver.Ptr(0), WorkDay: retreaver.Ptr(false)},
		},
		HardCap: &retreaver.CapParams{Cap: retreaver.Ptr(50)},
		Tags:    []retreaver.Tag{{Key: "state", Value: "CA"}, {Key: "tier", Value: "gold"}},
	})
	require.NoError(t, err)
	require.Positive(t, tg.ID)
	assert.Equal(t, "buyer-e2e", tg.TID)
	assert.Equal(t, "+15555550100", tg.Number)
	assert.Equal(t, "Acme Buyer", tg.Name)
	assert.Equal(t, "Eastern Time (US & Canada)", tg.TimeZone)
	assert.Equal(t, 3, tg.Priority)
	assert.Equal(t, 1, tg.Weight, "default weight")
	assert.Len(t, tg.BusinessHours, 7)
	monday := e2eHours(t, tg.BusinessHours, 1)
	assert.Equal(t, 900, monday.TimeOpen)
	assert.Equal(t, 1700, monday.TimeClose)
	assert.True(t, monday.WorkDay)
	assert.False(t, e2eHours(t, tg.BusinessHours, 0).WorkDay)
	assert.Equal(t, retreaver.Ptr(50), e2eCapLimit(t, tg.Caps, retreaver.CapHard))
	assert.Nil(t, e2eCapLimit(t, tg.Caps, retreaver.CapDaily))
	assert.Equal(t, map[string]string{"state": "CA", "tier": "gold"}, e2eTags(tg.TagValues))

	got, err := client.Targets.Get(ctx, tg.ID)
	require.NoError(t, err)
	assert.Equal(t, tg.TID, got.TID)
	assert.Equal(t, tg.Caps, got.Caps)
	assert.Equal(t, tg.BusinessHours, got.BusinessHours)
	got, err = client.Targets.GetByTID(ctx, "buyer-e2e")
	require.NoError(t, err)
	assert.Equal(t, tg.ID, got.ID)

	other, err := client.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("sip:buyer@sip.example.com"), TID: retreaver.Ptr("buyer-other")})
	require.NoError(t, err)
	page, err := client.Targets.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	assert.Equal(t, 1, page.FirstPage)
	assert.Equal(t, 1, page.LastPage)
	assert.Zero(t, page.NextPage)
	all := e2eCollect(t, client.Targets.All(ctx, nil))
	found := e2eFind(all, func(x *retreaver.Target) bool { return x.ID == tg.ID })
	require.NotNil(t, found)
	assert.Equal(t, "Acme Buyer", found.Name)

	// Partial update: the name changes, nothing else does.
	up, err := client.Targets.Update(ctx, tg.ID, &retreaver.TargetParams{Name: retreaver.Ptr("Acme Buyer East")})
	require.NoError(t, err)
	assert.Equal(t, "Acme Buyer East", up.Name)
	got, err = client.Targets.Get(ctx, tg.ID)
	require.NoError(t, err)
	assert.Equal(t, "Acme Buyer East", got.Name)
	assert.Equal(t, "+15555550100", got.Number)
	assert.Equal(t, "Eastern Time (US & Canada)", got.TimeZone)
	assert.Equal(t, 3, got.Priority)
	assert.Equal(t, "buyer-e2e", got.TID)
	assert.Equal(t, map[string]string{"state": "CA", "tier": "gold"}, e2eTags(got.TagValues), "tags untouched by an update without Tags")
	assert.Equal(t, retreaver.Ptr(50), e2eCapLimit(t, got.Caps, retreaver.CapHard))

	// Pausing by TID, and false is sent (not omitted) to resume.
	up, err = client.Targets.UpdateByTID(ctx, "buyer-e2e", &retreaver.TargetParams{Paused: retreaver.Ptr(true)})
	require.NoError(t, err)
	assert.True(t, up.Paused)
	require.NotNil(t, up.PausedAt)
	up, err = client.Targets.Update(ctx, tg.ID, &retreaver.TargetParams{Paused: retreaver.Ptr(false)})
	require.NoError(t, err)
	assert.False(t, up.Paused)
	assert.Nil(t, up.PausedAt)

	// One business-hours entry changed by its id; its other fields stay.
	up, err = client.Targets.Update(ctx, tg.ID, &retreaver.TargetParams{BusinessHours: []retreaver.BusinessHoursParams{
		{ID: retreaver.Ptr(monday.ID), TimeClose: retreaver.Ptr(1830)},
	}})
	require.NoError(t, err)
	m := e2eHours(t, up.BusinessHours, 1)
	assert.Equal(t, monday.ID, m.ID)
	assert.Equal(t, 900, m.TimeOpen)
	assert.Equal(t, 1830, m.TimeClose)
	assert.Len(t, up.BusinessHours, 7)
	// Inverted hours on one day (sent as inverted, reported as invert).
	up, err = client.Targets.Update(ctx, tg.ID, &retreaver.TargetParams{BusinessHours: []retreaver.BusinessHoursParams{
		{ID: retreaver.Ptr(monday.ID), Inverted: retreaver.Ptr(true)},
	}})
	require.NoError(t, err)
	m = e2eHours(t, up.BusinessHours, 1)
	assert.True(t, m.Invert)
	assert.Equal(t, 1830, m.TimeClose)
	assert.False(t, e2eHours(t, up.BusinessHours, 2).Invert)

	// SetTags replaces the whole set.
	tagged, err := client.Targets.SetTags(ctx, tg.ID, []retreaver.Tag{{Key: "state", Value: "NY"}, {Key: "vertical", Value: "auto insurance"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"state": "NY", "vertical": "auto insurance"}, e2eTags(tagged.TagValues))
	got, err = client.Targets.Get(ctx, tg.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"state": "NY", "vertical": "auto insurance"}, e2eTags(got.TagValues))
	for _, tv := range got.TagValues {
		assert.Positive(t, tv.ID)
		assert.Equal(t, "==", tv.Operator)
	}
	tagged, err = client.Targets.SetTags(ctx, tg.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, tagged.TagValues)

	// SetCap for each type; each call leaves the others as they were.
	limits := map[retreaver.CapType]int{retreaver.CapHard: 10, retreaver.CapHourly: 0, retreaver.CapDaily: 30, retreaver.CapMonthly: 400}
	for _, typ := range []retreaver.CapType{retreaver.CapHard, retreaver.CapHourly, retreaver.CapDaily, retreaver.CapMonthly} {
		capped, err := client.Targets.SetCap(ctx, tg.ID, typ, limits[typ])
		require.NoError(t, err, typ)
		assert.Equal(t, retreaver.Ptr(limits[typ]), e2eCapLimit(t, capped.Caps, typ), typ)
	}
	got, err = client.Targets.Get(ctx, tg.ID)
	require.NoError(t, err)
	require.Len(t, got.Caps, 4)
	for typ, limit := range limits {
		assert.Equal(t, retreaver.Ptr(limit), e2eCapLimit(t, got.Caps, typ), typ)
	}
	require.NoError(t, client.Targets.ResetCap(ctx, tg.ID))
	got, err = client.Targets.Get(ctx, tg.ID)
	require.NoError(t, err)
	assert.Equal(t, retreaver.Ptr(10), e2eCapLimit(t, got.Caps, retreaver.CapHard), "a reset keeps the limit")

	require.NoError(t, client.Targets.Delete(ctx, tg.ID))
	_, err = client.Targets.Get(ctx, tg.ID)
	e2eRequireGone(t, err)
	_, err = client.Targets.GetByTID(ctx, "buyer-e2e")
	e2eRequireGone(t, err)
	e2eRequireGone(t, client.Targets.ResetCap(ctx, tg.ID))

	require.NoError(t, client.Targets.DeleteByTID(ctx, "buyer-other"))
	_, err = client.Targets.Get(ctx, other.ID)
	e2eRequireGone(t, err)
	assert.Empty(t, e2eCollect(t, client.Targets.All(ctx, nil)))
}

// ResetCap clears the calls counted against the hard cap only (the demo data
// has targets with calls counted).
func TestE2ETargetResetCapClearsTheHardCount(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t, retreavertest.WithDemoData())
	ctx := e2eCtx(t)

	targets := e2eCollect(t, client.Targets.All(ctx, nil))
	filled := func(typ retreaver.CapType) *retreaver.Target {
		return e2eFind(targets, func(x *retreaver.Target) bool { c := e2eCap(x.Caps, typ); return c != nil && c.Filled > 0 })
	}
	hard, daily := filled(retreaver.CapHard), filled(retreaver.CapDaily)
	require.NotNil(t, hard, "the demo data has no target with calls counted against a hard cap")
	require.NotNil(t, daily, "the demo data has no target with calls counted against a daily cap")

	require.NoError(t, client.Targets.ResetCap(ctx, hard.ID))
	got, err := client.Targets.Get(ctx, hard.ID)
	require.NoError(t, err)
	assert.Zero(t, e2eCap(got.Caps, retreaver.CapHard).Filled)
	assert.Equal(t, e2eCap(hard.Caps, retreaver.CapHard).Cap, e2eCap(got.Caps, retreaver.CapHard).Cap, "the limit stays")

	require.NoError(t, client.Targets.ResetCap(ctx, daily.ID))
	got, err = client.Targets.Get(ctx, daily.ID)
	require.NoError(t, err)
	assert.Equal(t, e2eCap(daily.Caps, retreaver.CapDaily).Filled, e2eCap(got.Caps, retreaver.CapDaily).Filled, "the daily count stays")
}

// TargetParams.TID is sent as client_tid; the create answer names it
// client_tid, gets and lists tid, and Target.TID reads both.
func TestE2ETargetTIDTravelsAsClientTID(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)

	tg, err := client.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+15555550400"), TID: retreaver.Ptr("buyer/7")})
	require.NoError(t, err)
	assert.Equal(t, "buyer/7", tg.TID)
	reqs := srv.Requests()
	var sent struct {
		Target map[string]any `json:"target"`
	}
	require.NoError(t, json.Unmarshal(reqs[len(reqs)-1].Body, &sent))
	assert.Equal(t, "buyer/7", sent.Target["client_tid"])
	assert.NotContains(t, sent.Target, "tid")

	got, err := client.Targets.Get(ctx, tg.ID)
	require.NoError(t, err)
	assert.Equal(t, "buyer/7", got.TID)
	got, err = client.Targets.GetByTID(ctx, "buyer/7")
	require.NoError(t, err)
	assert.Equal(t, tg.ID, got.ID)
	all := e2eCollect(t, client.Targets.All(ctx, nil))
	require.Len(t, all, 1)
	assert.Equal(t, "buyer/7", all[0].TID)

	up, err := client.Targets.Update(ctx, tg.ID, &retreaver.TargetParams{TID: retreaver.Ptr("buyer-8")})
	require.NoError(t, err)
	assert.Equal(t, "buyer-8", up.TID)
	_, err = client.Targets.GetByTID(ctx, "buyer/7")
	e2eRequireGone(t, err)
	got, err = client.Targets.GetByTID(ctx, "buyer-8")
	require.NoError(t, err)
	assert.Equal(t, tg.ID, got.ID)
}

// A target lists the groups it belongs to, as the groups are now.
func TestE2ETargetsListTheirGroups(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t)
	ctx := e2eCtx(t)

	a, err := client.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+15555550410"), Name: retreaver.Ptr("A")})
	require.NoError(t, err)
	assert.Empty(t, a.TargetGroupIDs)
	assert.Empty(t, a.TargetGroups)
	b, err := client.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+15555550411"), Name: retreaver.Ptr("B")})
	require.NoError(t, err)

	east, err := client.TargetGroups.Create(ctx, &retreaver.TargetGroupParams{Name: retreaver.Ptr("East"), TargetIDs: []int64{a.ID},
		ConcurrencyCap: retreaver.Ptr(4)})
	require.NoError(t, err)
	west, err := client.TargetGroups.Create(ctx, &retreaver.TargetGroupParams{Name: retreaver.Ptr("West")})
	require.NoError(t, err)
	_, err = client.TargetGroups.AddTargets(ctx, west.ID, []int64{a.ID, b.ID})
	require.NoError(t, err)

	got, err := client.Targets.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, []int64{east.ID, west.ID}, got.TargetGroupIDs)
	require.Len(t, got.TargetGroups, 2)
	assert.Equal(t, east.ID, got.TargetGroups[0].ID)
	assert.Equal(t, "East", got.TargetGroups[0].Name)
	assert.Equal(t, []int64{a.ID}, got.TargetGroups[0].TargetIDs)
	assert.Equal(t, retreaver.Ptr(4), got.TargetGroups[0].ConcurrencyCap)
	assert.Equal(t, retreaver.BehaviorDialSeparately, got.TargetGroups[0].Behavior)
	assert.Empty(t, got.TargetGroups[0].Caps, "the groups of a target come without caps")
	assert.Empty(t, got.TargetGroups[0].Targets, "and without members")
	assert.Equal(t, "West", got.TargetGroups[1].Name)
	assert.Equal(t, []int64{a.ID, b.ID}, got.TargetGroups[1].TargetIDs)

	all := e2eCollect(t, client.Targets.All(ctx, nil))
	require.Len(t, all, 2)
	assert.Equal(t, []int64{east.ID, west.ID}, all[0].TargetGroupIDs)
	assert.Equal(t, []int64{west.ID}, all[1].TargetGroupIDs)
	assert.Equal(t, got.TargetGroups, all[0].TargetGroups)

	// Group changes show at once.
	_, err = client.TargetGroups.RemoveTargets(ctx, west.ID, []int64{a.ID})
	require.NoError(t, err)
	_, err = client.TargetGroups.Update(ctx, east.ID, &retreaver.TargetGroupParams{Name: retreaver.Ptr("East Coast")})
	require.NoError(t, err)
	got, err = client.Targets.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, []int64{east.ID}, got.TargetGroupIDs)
	require.Len(t, got.TargetGroups, 1)
	assert.Equal(t, "East Coast", got.TargetGroups[0].Name)
	require.NoError(t, client.TargetGroups.Delete(ctx, west.ID))
	got, err = client.Targets.Get(ctx, b.ID)
	require.NoError(t, err)
	assert.Empty(t, got.TargetGroupIDs)
	assert.Empty(t, got.TargetGroups)
}

// Conversion groups through TargetsService.Update: add one, raise its
// revenue, remove it, as the reference's three examples do.
func TestE2ETargetConversionGroupLifecycle(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t)
	ctx := e2eCtx(t)
	tg, err := client.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+18668987878"), Name: retreaver.Ptr("Retreaver Support")})
	require.NoError(t, err)
	assert.Empty(t, tg.ConversionGroups)

	up, err := client.Targets.Update(ctx, tg.ID, &retreaver.TargetParams{ConversionGroups: []retreaver.ConversionGroupParams{{
		Name: retreaver.Ptr("50$ after 90s"), ConversionType: retreaver.Ptr(retreaver.ConversionTypeTimer),
		Conversions: []retreaver.ConversionParams{{Seconds: retreaver.Ptr(90), Revenue: retreaver.Ptr(retreaver.MustMoney("50.0"))}},
	}}})
	require.NoError(t, err)
	require.Len(t, up.ConversionGroups, 1)
	g := up.ConversionGroups[0]
	require.Positive(t, g.ID)
	assert.Equal(t, "50$ after 90s", g.Name)
	assert.Equal(t, retreaver.ConversionTypeTimer, g.ConversionType)
	assert.Zero(t, g.DedupeSeconds)
	assert.Zero(t, g.EvalOrder)
	assert.False(t, g.Postback)
	assert.Empty(t, g.PostbackUUID)
	require.Len(t, g.Conversions, 1)
	c := g.Conversions[0]
	require.Positive(t, c.ID)
	assert.Equal(t, 90, c.Seconds)
	assert.Zero(t, retreaver.MustMoney("50").Cmp(c.Revenue), c.Revenue.String())
	assert.Zero(t, c.Payout.Sign(), "payout defaults to 0")
	assert.False(t, c.Payout.IsZero(), "and is sent")
	assert.Equal(t, 600, c.PostbackTimeout)
	assert.Empty(t, c.Type)
	assert.Nil(t, c.PayoutModifier)
	assert.Nil(t, c.MatchTrigger)
	got, err := client.Targets.Get(ctx, tg.ID)
	require.NoError(t, err)
	assert.Equal(t, up.ConversionGroups, got.ConversionGroups)

	// Raise the revenue: only that changes.
	up, err = client.Targets.Update(ctx, tg.ID, &retreaver.TargetParams{ConversionGroups: []retreaver.ConversionGroupParams{{
		ID: retreaver.Ptr(g.ID), Name: retreaver.Ptr("75$ after 90s"),
		Conversions: []retreaver.ConversionParams{{ID: retreaver.Ptr(c.ID), Revenue: retreaver.Ptr(retreaver.MustMoney("75.00"))}},
	}}})
	require.NoError(t, err)
	require.Len(t, up.ConversionGroups, 1)
	g2 := up.ConversionGroups[0]
	assert.Equal(t, g.ID, g2.ID)
	assert.Equal(t, "75$ after 90s", g2.Name)
	require.Len(t, g2.Conversions, 1)
	assert.Equal(t, c.ID, g2.Conversions[0].ID)
	assert.Zero(t, retreaver.MustMoney("75").Cmp(g2.Conversions[0].Revenue), g2.Conversions[0].Revenue.String())
	assert.Equal(t, 90, g2.Conversions[0].Seconds)

	// An id the target does not have is refused, and changes nothing.
	_, err = client.Targets.Update(ctx, tg.ID, &retreaver.TargetParams{Name: retreaver.Ptr("never"),
		ConversionGroups: []retreaver.ConversionGroupParams{{ID: retreaver.Ptr(g.ID + 1000), Name: retreaver.Ptr("x")}}})
	apiErr := e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Contains(t, apiErr.Error(), "conversion_groups.id")
	got, err = client.Targets.Get(ctx, tg.ID)
	require.NoError(t, err)
	assert.Equal(t, "Retreaver Support", got.Name)
	assert.Equal(t, up.ConversionGroups, got.ConversionGroups)

	// Destroy removes the whole group.
	up, err = client.Targets.Update(ctx, tg.ID, &retreaver.TargetParams{ConversionGroups: []retreaver.ConversionGroupParams{{
		ID: retreaver.Ptr(g.ID), Destroy: true,
	}}})
	require.NoError(t, err)
	assert.NotNil(t, up.ConversionGroups, "sent as []")
	assert.Empty(t, up.ConversionGroups)
	got, err = client.Targets.Get(ctx, tg.ID)
	require.NoError(t, err)
	assert.Empty(t, got.ConversionGroups)
}

// e2eHours returns the business hours of this day of the week, failing the
// test when there are none.
func e2eHours(t *testing.T, hours []retreaver.BusinessHours, day int) retreaver.BusinessHours {
	t.Helper()
	for _, h := range hours {
		if h.DayOfWeek == day {
			return h
		}
	}
	t.Fatalf("no business hours for day %d in %+v", day, hours)
	return retreaver.BusinessHours{}
}
