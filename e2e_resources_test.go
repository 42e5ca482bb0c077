package retreaver_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Lifecycles of the routing resources against the fake: create, read (by id
// and by the customer's own id), find in List and All, partial update, delete.

func TestE2EAffiliateLifecycle(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)

	before := time.Now().Add(-time.Second)
	a, err := client.Affiliates.Create(ctx, &retreaver.AffiliateParams{
		AFID: retreaver.Ptr("pub-e2e"), FirstName: retreaver.Ptr("Ada"),
		LastName: retreaver.Ptr("Lovelace"), CompanyName: retreaver.Ptr("Analytical Leads"),
	})
	require.NoError(t, err)
	require.Positive(t, a.ID)
	assert.Equal(t, "pub-e2e", a.AFID)
	assert.Equal(t, "Ada", a.FirstName)
	assert.Equal(t, "Lovelace", a.LastName)
	assert.Equal(t, "Analytical Leads", a.CompanyName)
	assert.True(t, a.CreatedAt.After(before), "created_at %v", a.CreatedAt)

	// Enough others that the listing spans two pages.
	for i := range 30 {
		_, err := client.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr(fmt.Sprintf("filler-%02d", i))})
		require.NoError(t, err)
	}

	got, err := client.Affiliates.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, a, got)
	got, err = client.Affiliates.GetByAFID(ctx, "pub-e2e")
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)

	page, err := client.Affiliates.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Items, retreavertest.DefaultPageSize)
	assert.Equal(t, 2, page.NextPage)
	assert.Equal(t, 2, page.LastPage)
	assert.NotNil(t, e2eFind(page.Items, func(x *retreaver.Affiliate) bool { return x.ID == a.ID }))
	page2, err := client.Affiliates.List(ctx, &retreaver.AffiliateListOptions{ListOptions: retreaver.ListOptions{Page: 2}})
	require.NoError(t, err)
	assert.Len(t, page2.Items, 31-retreavertest.DefaultPageSize)
	assert.Equal(t, 1, page2.PrevPage)
	assert.Zero(t, page2.NextPage)

	all := e2eCollect(t, client.Affiliates.All(ctx, nil))
	require.Len(t, all, 31)
	assert.Equal(t, a, e2eFind(all, func(x *retreaver.Affiliate) bool { return x.AFID == "pub-e2e" }))

	// Update sends only the fields set: the others keep their values.
	up, err := client.Affiliates.Update(ctx, a.ID, &retreaver.AffiliateParams{LastName: retreaver.Ptr("Byron")})
	require.NoError(t, err)
	assert.Equal(t, "Byron", up.LastName)
	assert.Equal(t, "Ada", up.FirstName)
	assert.Equal(t, "Analytical Leads", up.CompanyName)
	assert.Equal(t, "pub-e2e", up.AFID)
	// An empty string is sent (not omitted) and clears the field.
	up, err = client.Affiliates.Update(ctx, a.ID, &retreaver.AffiliateParams{CompanyName: retreaver.Ptr("")})
	require.NoError(t, err)
	assert.Equal(t, "", up.CompanyName)
	assert.Equal(t, "Byron", up.LastName)

	// Renaming the afid through UpdateByAFID moves the afid lookups.
	up, err = client.Affiliates.UpdateByAFID(ctx, "pub-e2e", &retreaver.AffiliateParams{AFID: retreaver.Ptr("pub-e2e-renamed")})
	require.NoError(t, err)
	assert.Equal(t, a.ID, up.ID)
	assert.Equal(t, "Ada", up.FirstName)
	_, err = client.Affiliates.GetByAFID(ctx, "pub-e2e")
	e2eRequireGone(t, err)
	got, err = client.Affiliates.GetByAFID(ctx, "pub-e2e-renamed")
	require.NoError(t, err)
	assert.Equal(t, "Byron", got.LastName)

	require.NoError(t, client.Affiliates.Delete(ctx, a.ID))
	_, err = client.Affiliates.Get(ctx, a.ID)
	e2eRequireGone(t, err)
	_, err = client.Affiliates.GetByAFID(ctx, "pub-e2e-renamed")
	e2eRequireGone(t, err)
	e2eRequireGone(t, client.Affiliates.Delete(ctx, a.ID))

	require.NoError(t, client.Affiliates.DeleteByAFID(ctx, "filler-00"))
	_, err = client.Affiliates.GetByAFID(ctx, "filler-00")
	e2eRequireGone(t, err)
	assert.Len(t, e2eCollect(t, client.Affiliates.All(ctx, nil)), 29)

	// The deletes reached the server as DELETEs on the documented paths.
	assert.Equal(t, 2, e2eCount(srv, http.MethodDelete, fmt.Sprintf("/api/v1/affiliates/%d.json", a.ID)))
	assert.Equal(t, 1, e2eCount(srv, http.MethodDelete, "/api/v1/affiliates/afid/filler-00.json"))
}

func e2eCap(caps []retreaver.Cap, typ retreaver.CapType) *retreaver.Cap {
	for i := range caps {
		if caps[i].Type == typ {
			return &caps[i]
		}
	}
	return nil
}

func e2eCapLimit(t *testing.T, caps []retreaver.Cap, typ retreaver.CapType) *int {
	t.Helper()
	c := e2eCap(caps, typ)
	require.NotNil(t, c, "no %s cap in %+v", typ, caps)
	return c.Cap
}

func e2eTags(tags []retreaver.TagValue) map[string]string {
	m := map[string]string{}
	for _, tv := range tags {
		m[tv.Key] = tv.Value
	}
	return m
}

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

func TestE2ETargetGroupLifecycle(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t)
	ctx := e2eCtx(t)

	var ids []int64
	for i := range 3 {
		tg, err := client.Targets.Create(ctx, &retreaver.TargetParams{
			Number: retreaver.Ptr(fmt.Sprintf("+1555555020%d", i)), Name: retreaver.Ptr(fmt.Sprintf("Member %d", i)),
		})
		require.NoError(t, err)
		ids = append(ids, tg.ID)
	}

	g, err := client.TargetGroups.Create(ctx, &retreaver.TargetGroupParams{
		Name:           retreaver.Ptr("Sales Floor"),
		TargetIDs:      []int64{ids[0]},
		ConcurrencyCap: retreaver.Ptr(5),
		DailyCap:       &retreaver.CapParams{Cap: retreaver.Ptr(100)},
	})
	require.NoError(t, err)
	require.Positive(t, g.ID)
	assert.Equal(t, "Sales Floor", g.Name)
	assert.Equal(t, []int64{ids[0]}, g.TargetIDs)
	require.Len(t, g.Targets, 1)
	assert.Equal(t, "+15555550200", g.Targets[0].Number)
	assert.Equal(t, "Member 0", g.Targets[0].Name)
	assert.Equal(t, retreaver.Ptr(5), g.ConcurrencyCap)
	assert.Equal(t, retreaver.BehaviorDialSeparately, g.Behavior)
	assert.Equal(t, retreaver.Ptr(100), e2eCapLimit(t, g.Caps, retreaver.CapDaily))

	got, err := client.TargetGroups.Get(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, g, got)
	page, err := client.TargetGroups.List(ctx, nil)
	require.NoError(t, err)
	assert.NotNil(t, e2eFind(page.Items, func(x *retreaver.TargetGroup) bool { return x.ID == g.ID }))
	all := e2eCollect(t, client.TargetGroups.All(ctx, nil))
	require.Len(t, all, 1)
	assert.Equal(t, g.ID, all[0].ID)

	g, err = client.TargetGroups.AddTargets(ctx, g.ID, []int64{ids[1], ids[2]})
	require.NoError(t, err)
	assert.Equal(t, ids, g.TargetIDs)
	assert.Len(t, g.Targets, 3)
	g, err = client.TargetGroups.RemoveTargets(ctx, g.ID, []int64{ids[0]})
	require.NoError(t, err)
	assert.Equal(t, ids[1:], g.TargetIDs)
	g, err = client.TargetGroups.ReplaceTargets(ctx, g.ID, []int64{ids[2], ids[0]})
	require.NoError(t, err)
	assert.Equal(t, []int64{ids[2], ids[0]}, g.TargetIDs)

	// A rename leaves the members, the concurrency cap and the caps alone.
	up, err := client.TargetGroups.Update(ctx, g.ID, &retreaver.TargetGroupParams{Name: retreaver.Ptr("Sales Floor West")})
	require.NoError(t, err)
	assert.Equal(t, "Sales Floor West", up.Name)
	assert.Equal(t, []int64{ids[2], ids[0]}, up.TargetIDs)
	assert.Equal(t, retreaver.Ptr(5), up.ConcurrencyCap)
	assert.Equal(t, retreaver.Ptr(100), e2eCapLimit(t, up.Caps, retreaver.CapDaily))

	// Simuldial with its priority and weight.
	up, err = client.TargetGroups.Update(ctx, g.ID, &retreaver.TargetGroupParams{
		Behavior: retreaver.Ptr(retreaver.BehaviorSimuldial), Priority: retreaver.Ptr(2), Weight: retreaver.Ptr(7),
	})
	require.NoError(t, err)
	assert.Equal(t, retreaver.BehaviorSimuldial, up.Behavior)
	assert.Equal(t, retreaver.Ptr(2), up.Priority)
	assert.Equal(t, retreaver.Ptr(7), up.Weight)
	assert.Equal(t, "Sales Floor West", up.Name)

	for typ, limit := range map[retreaver.CapType]int{retreaver.CapHard: 1, retreaver.CapHourly: 2, retreaver.CapMonthly: 4} {
		capped, err := client.TargetGroups.SetCap(ctx, g.ID, typ, limit)
		require.NoError(t, err, typ)
		assert.Equal(t, retreaver.Ptr(limit), e2eCapLimit(t, capped.Caps, typ), typ)
	}
	got, err = client.TargetGroups.Get(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, retreaver.Ptr(1), e2eCapLimit(t, got.Caps, retreaver.CapHard))
	assert.Equal(t, retreaver.Ptr(2), e2eCapLimit(t, got.Caps, retreaver.CapHourly))
	assert.Equal(t, retreaver.Ptr(100), e2eCapLimit(t, got.Caps, retreaver.CapDaily))
	assert.Equal(t, retreaver.Ptr(4), e2eCapLimit(t, got.Caps, retreaver.CapMonthly))
	require.NoError(t, client.TargetGroups.ResetCap(ctx, g.ID))

	// Deleting a member target removes it from the group.
	require.NoError(t, client.Targets.Delete(ctx, ids[2]))
	got, err = client.TargetGroups.Get(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, []int64{ids[0]}, got.TargetIDs)

	require.NoError(t, client.TargetGroups.Delete(ctx, g.ID))
	_, err = client.TargetGroups.Get(ctx, g.ID)
	e2eRequireGone(t, err)
	e2eRequireGone(t, client.TargetGroups.ResetCap(ctx, g.ID))
	// Its targets are not deleted.
	_, err = client.Targets.Get(ctx, ids[0])
	require.NoError(t, err)
}

// A target group's ResetCap clears the hard count of its member targets.
func TestE2ETargetGroupResetCapClearsMembers(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t, retreavertest.WithDemoData())
	ctx := e2eCtx(t)

	groups := e2eCollect(t, client.TargetGroups.All(ctx, nil))
	require.NotEmpty(t, groups)
	var g *retreaver.TargetGroup
	var filled int64
	for _, grp := range groups {
		for _, id := range grp.TargetIDs {
			tg, err := client.Targets.Get(ctx, id)
			require.NoError(t, err)
			if c := e2eCap(tg.Caps, retreaver.CapHard); c != nil && c.Filled > 0 {
				g, filled = grp, id
			}
		}
		if g != nil {
			break
		}
	}
	require.NotNil(t, g, "the demo data has no group with a member whose hard cap counted calls")

	require.NoError(t, client.TargetGroups.ResetCap(ctx, g.ID))
	tg, err := client.Targets.Get(ctx, filled)
	require.NoError(t, err)
	assert.Zero(t, e2eCap(tg.Caps, retreaver.CapHard).Filled)
}

func TestE2ECampaignLifecycle(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)

	c, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{
		CID:           retreaver.Ptr("camp-e2e"),
		Name:          retreaver.Ptr("Auto Insurance"),
		DedupeSeconds: retreaver.Ptr(3600),
		RecordCalls:   retreaver.Ptr(false),
		Message:       retreaver.Ptr("Thanks for calling"),
		VoiceGender:   retreaver.Ptr(retreaver.VoiceGenderFemale),
		Timers: []retreaver.TimerParams{
			{Seconds: retreaver.Ptr(0), URL: retreaver.Ptr("https://track.example.com/click")},
			{Seconds: retreaver.Ptr(90), URL: retreaver.Ptr("https://track.example.com/sale")},
		},
		MenuOptions: []retreaver.MenuOptionParams{{Option: retreaver.Ptr("1"), TargetNumber: retreaver.Ptr("+15555550101")}},
	})
	require.NoError(t, err)
	require.Positive(t, c.ID)
	assert.Equal(t, "camp-e2e", c.CID)
	assert.Equal(t, "Auto Insurance", c.Name)
	assert.Equal(t, 3600, c.DedupeSeconds)
	assert.False(t, c.RecordCalls)
	assert.Equal(t, "Thanks for calling", c.Greeting.Message)
	assert.Equal(t, retreaver.VoiceGenderFemale, c.Greeting.VoiceGender)
	require.Len(t, c.Timers, 2)
	assert.Equal(t, 0, c.Timers[0].Seconds)
	assert.Equal(t, "https://track.example.com/click", c.Timers[0].URL)
	assert.Equal(t, 90, c.Timers[1].Seconds)
	assert.Positive(t, c.Timers[1].ID)
	require.Len(t, c.MenuOptions, 1)
	assert.Equal(t, "1", c.MenuOptions[0].Option)
	assert.Equal(t, "+15555550101", c.MenuOptions[0].TargetNumber)

	got, err := client.Campaigns.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c, got)
	got, err = client.Campaigns.GetByCID(ctx, "camp-e2e")
	require.NoError(t, err)
	assert.Equal(t, c.ID, got.ID)

	// Without a cid the API picks one.
	auto, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{Name: retreaver.Ptr("Picked cid")})
	require.NoError(t, err)
	assert.Len(t, auto.CID, 8)
	assert.True(t, auto.RecordCalls, "default record_calls")
	page, err := client.Campaigns.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	all := e2eCollect(t, client.Campaigns.All(ctx, nil))
	assert.NotNil(t, e2eFind(all, func(x *retreaver.Campaign) bool { return x.CID == auto.CID }))
	assert.NotNil(t, e2eFind(all, func(x *retreaver.Campaign) bool { return x.CID == "camp-e2e" }))

	// A partial update keeps the greeting, the timers and the menu.
	up, err := client.Campaigns.Update(ctx, c.ID, &retreaver.CampaignParams{Name: retreaver.Ptr("Auto Insurance US")})
	require.NoError(t, err)
	assert.Equal(t, "Auto Insurance US", up.Name)
	assert.Equal(t, 3600, up.DedupeSeconds)
	assert.False(t, up.RecordCalls)
	assert.Equal(t, "Thanks for calling", up.Greeting.Message)
	assert.Equal(t, c.Timers, up.Timers)
	assert.Equal(t, c.MenuOptions, up.MenuOptions)

	// A timer changed by id keeps its url; a 0 is sent, not omitted.
	up, err = client.Campaigns.Update(ctx, c.ID, &retreaver.CampaignParams{
		Timers:        []retreaver.TimerParams{{ID: retreaver.Ptr(c.Timers[1].ID), Seconds: retreaver.Ptr(120)}},
		DedupeSeconds: retreaver.Ptr(0),
	})
	require.NoError(t, err)
	require.Len(t, up.Timers, 2)
	assert.Equal(t, 120, up.Timers[1].Seconds)
	assert.Equal(t, "https://track.example.com/sale", up.Timers[1].URL)
	assert.Equal(t, 0, up.DedupeSeconds)

	// An audio greeting.
	audio := []byte("ID3\x03\x00fake mp3 frames")
	p := &retreaver.CampaignParams{}
	p.SetGreetingAudio("welcome.mp3", audio)
	up, err = client.Campaigns.Update(ctx, c.ID, p)
	require.NoError(t, err)
	assert.Equal(t, "welcome.mp3", up.Greeting.AudioFileName)
	require.NotNil(t, up.Greeting.AudioFileSize)
	assert.Equal(t, int64(len(audio)), *up.Greeting.AudioFileSize)
	assert.NotNil(t, up.Greeting.AudioFileUpdatedAt)
	assert.Equal(t, "Thanks for calling", up.Greeting.Message)

	// destroy_nested drops the timers and menu options before adding new ones.
	up, err = client.Campaigns.Update(ctx, c.ID, &retreaver.CampaignParams{
		DestroyNested: retreaver.Ptr(true),
		Timers:        []retreaver.TimerParams{{Seconds: retreaver.Ptr(30), URL: retreaver.Ptr("https://track.example.com/new")}},
	})
	require.NoError(t, err)
	require.Len(t, up.Timers, 1)
	assert.Equal(t, 30, up.Timers[0].Seconds)
	assert.Equal(t, "https://track.example.com/new", up.Timers[0].URL)
	assert.Empty(t, up.MenuOptions)
	got, err = client.Campaigns.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Len(t, got.Timers, 1)
	assert.Empty(t, got.MenuOptions)

	// Renaming the cid by cid; the RTB key of the campaign follows it.
	key := srv.RTBKeyFor(srv.CompanyID, "camp-e2e")
	require.NotEmpty(t, key)
	up, err = client.Campaigns.UpdateByCID(ctx, "camp-e2e", &retreaver.CampaignParams{CID: retreaver.Ptr("camp-e2e-2")})
	require.NoError(t, err)
	assert.Equal(t, "camp-e2e-2", up.CID)
	assert.Equal(t, "Auto Insurance US", up.Name)
	_, err = client.Campaigns.GetByCID(ctx, "camp-e2e")
	e2eRequireGone(t, err)
	assert.Equal(t, key, srv.RTBKeyFor(srv.CompanyID, "camp-e2e-2"))

	require.NoError(t, client.Campaigns.Delete(ctx, c.ID))
	_, err = client.Campaigns.Get(ctx, c.ID)
	e2eRequireGone(t, err)
	_, err = client.Campaigns.GetByCID(ctx, "camp-e2e-2")
	e2eRequireGone(t, err)
	require.NoError(t, client.Campaigns.DeleteByCID(ctx, auto.CID))
	_, err = client.Campaigns.Get(ctx, auto.ID)
	e2eRequireGone(t, err)
	assert.Empty(t, e2eCollect(t, client.Campaigns.All(ctx, nil)))
}

func TestE2ENumberLifecycle(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t)
	ctx := e2eCtx(t)

	camp, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr("num-camp"), Message: retreaver.Ptr("Campaign greeting")})
	require.NoError(t, err)
	other, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr("num-other")})
	require.NoError(t, err)
	aff, err := client.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr("num-pub")})
	require.NoError(t, err)

	n, err := client.Numbers.Create(ctx, &retreaver.NumberParams{
		CID: retreaver.Ptr(camp.CID), AFID: retreaver.Ptr(aff.AFID), SID: retreaver.Ptr("fb-feed"),
		Type: retreaver.Ptr(retreaver.NumberTypeLocal),
	})
	require.NoError(t, err)
	require.Positive(t, n.ID)
	assert.Regexp(t, `^\+1\d{10}$`, n.Number)
	assert.False(t, n.TollFree)
	assert.Equal(t, "num-camp", n.CID)
	assert.Equal(t, "num-pub", n.AFID)
	assert.Equal(t, "fb-feed", n.SID)
	assert.True(t, n.UsesCampaignSettings)
	assert.Equal(t, "Campaign greeting", n.Greeting.Message)
	assert.True(t, n.Greeting.Inherited)

	tollFree, err := client.Numbers.Create(ctx, &retreaver.NumberParams{CID: retreaver.Ptr(other.CID), AFID: retreaver.Ptr(aff.AFID)})
	require.NoError(t, err)
	assert.True(t, tollFree.TollFree, "toll-free by default")
	assert.NotEqual(t, n.Number, tollFree.Number)

	got, err := client.Numbers.Get(ctx, n.ID)
	require.NoError(t, err)
	assert.Equal(t, n.Number, got.Number)
	assert.Equal(t, n.SID, got.SID)

	// Filters: by campaign, by affiliate, by sub id.
	page, err := client.Numbers.List(ctx, &retreaver.NumberListOptions{ClientCID: camp.CID})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, n.ID, page.Items[0].ID)
	byAFID := e2eCollect(t, client.Numbers.All(ctx, &retreaver.NumberListOptions{ClientAFID: aff.AFID}))
	assert.Len(t, byAFID, 2)
	bySID := e2eCollect(t, client.Numbers.All(ctx, &retreaver.NumberListOptions{SubID: "fb-feed"}))
	require.Len(t, bySID, 1)
	assert.Equal(t, n.ID, bySID[0].ID)
	assert.Empty(t, e2eCollect(t, client.Numbers.All(ctx, &retreaver.NumberListOptions{ClientCID: "no-such-cid"})))

	// Partial updates.
	up, err := client.Numbers.Update(ctx, n.ID, &retreaver.NumberParams{SID: retreaver.Ptr("google-cpc")})
	require.NoError(t, err)
	assert.Equal(t, "google-cpc", up.SID)
	assert.Equal(t, "num-camp", up.CID)
	assert.Equal(t, "num-pub", up.AFID)
	assert.Equal(t, n.Number, up.Number)
	assert.True(t, up.UsesCampaignSettings)

	// Its own greeting overrides the campaign's.
	up, err = client.Numbers.Update(ctx, n.ID, &retreaver.NumberParams{
		Message: retreaver.Ptr("Number greeting"),
		Timers:  []retreaver.TimerParams{{Seconds: retreaver.Ptr(60), URL: retreaver.Ptr("https://track.example.com/n")}},
	})
	require.NoError(t, err)
	assert.False(t, up.UsesCampaignSettings)
	assert.Equal(t, "Number greeting", up.Greeting.Message)
	assert.False(t, up.Greeting.Inherited)
	require.Len(t, up.Timers, 1)
	assert.Equal(t, 60, up.Timers[0].Seconds)
	assert.Equal(t, "google-cpc", up.SID)
	// Reads list a number's timers bare, writes wrapped: both decode.
	got, err = client.Numbers.Get(ctx, n.ID)
	require.NoError(t, err)
	require.Len(t, got.Timers, 1)
	assert.Equal(t, up.Timers[0].ID, got.Timers[0].ID)
	assert.Equal(t, "https://track.example.com/n", got.Timers[0].URL)
	assert.False(t, got.Timers[0].Inherited)
	assert.Equal(t, "Number greeting", got.Greeting.Message)

	// Moved to the other campaign.
	up, err = client.Numbers.Update(ctx, n.ID, &retreaver.NumberParams{CID: retreaver.Ptr(other.CID)})
	require.NoError(t, err)
	assert.Equal(t, other.CID, up.CID)
	assert.Len(t, e2eCollect(t, client.Numbers.All(ctx, &retreaver.NumberListOptions{ClientCID: other.CID})), 2)

	// While the affiliate has numbers it cannot be deleted.
	err = client.Affiliates.Delete(ctx, aff.ID)
	apiErr := e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Contains(t, apiErr.Message, "numbers")

	require.NoError(t, client.Numbers.Delete(ctx, n.ID))
	_, err = client.Numbers.Get(ctx, n.ID)
	e2eRequireGone(t, err)
	e2eRequireGone(t, client.Numbers.Delete(ctx, n.ID))
	require.NoError(t, client.Numbers.Delete(ctx, tollFree.ID))
	assert.Empty(t, e2eCollect(t, client.Numbers.All(ctx, nil)))
	require.NoError(t, client.Affiliates.Delete(ctx, aff.ID))
}

func TestE2ENumberPoolLifecycle(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t)
	ctx := e2eCtx(t)

	camp, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr("pool-camp")})
	require.NoError(t, err)
	aff, err := client.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr("pool-pub")})
	require.NoError(t, err)

	p, err := client.NumberPools.Create(ctx, &retreaver.NumberPoolParams{
		CID: retreaver.Ptr(camp.CID), MaxPoolSize: retreaver.Ptr(20), BufferSeconds: retreaver.Ptr(300),
		GoogleAnalytics: retreaver.Ptr(true), Country: retreaver.Ptr("CA"), Type: retreaver.Ptr(retreaver.NumberTypeLocal),
	})
	require.NoError(t, err)
	require.Positive(t, p.ID)
	assert.Equal(t, "pool-camp", p.CID)
	assert.Equal(t, 20, p.MaxPoolSize)
	assert.Equal(t, 300, p.BufferSeconds)
	assert.Equal(t, "CA", p.Country)
	assert.Equal(t, retreaver.NumberTypeLocal, p.Type)
	assert.True(t, p.GoogleAnalytics)
	assert.Len(t, p.GoogleAnalyticsPaths, 2)
	assert.Equal(t, "", p.AFID)

	withAff, err := client.NumberPools.Create(ctx, &retreaver.NumberPoolParams{CID: retreaver.Ptr(camp.CID), AFID: retreaver.Ptr(aff.AFID)})
	require.NoError(t, err)
	assert.Equal(t, "pool-pub", withAff.AFID)
	assert.Equal(t, 10, withAff.MaxPoolSize, "default max pool size")

	got, err := client.NumberPools.Get(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, p.MaxPoolSize, got.MaxPoolSize)
	assert.Equal(t, p.GoogleAnalyticsPaths, got.GoogleAnalyticsPaths)

	page, err := client.NumberPools.List(ctx, &retreaver.NumberPoolListOptions{CID: camp.CID})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	byAFID := e2eCollect(t, client.NumberPools.All(ctx, &retreaver.NumberPoolListOptions{AFID: aff.AFID}))
	require.Len(t, byAFID, 1)
	assert.Equal(t, withAff.ID, byAFID[0].ID)

	up, err := client.NumberPools.Update(ctx, p.ID, &retreaver.NumberPoolParams{MaxPoolSize: retreaver.Ptr(30)})
	require.NoError(t, err)
	assert.Equal(t, 30, up.MaxPoolSize)
	assert.Equal(t, 300, up.BufferSeconds)
	assert.Equal(t, "CA", up.Country)
	assert.True(t, up.GoogleAnalytics)
	up, err = client.NumberPools.Update(ctx, p.ID, &retreaver.NumberPoolParams{GoogleAnalytics: retreaver.Ptr(false)})
	require.NoError(t, err)
	assert.False(t, up.GoogleAnalytics)
	assert.Equal(t, 30, up.MaxPoolSize)

	require.NoError(t, client.NumberPools.Delete(ctx, p.ID))
	_, err = client.NumberPools.Get(ctx, p.ID)
	e2eRequireGone(t, err)
	rest := e2eCollect(t, client.NumberPools.All(ctx, nil))
	require.Len(t, rest, 1)
	assert.Equal(t, withAff.ID, rest[0].ID)
	require.NoError(t, client.NumberPools.Delete(ctx, withAff.ID))
	assert.Empty(t, e2eCollect(t, client.NumberPools.All(ctx, nil)))
}

// Validation failures found by the server reach the caller typed, with the
// offending field named.
func TestE2EValidationErrorsAreTyped(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)

	_, err := client.Numbers.Create(ctx, &retreaver.NumberParams{CID: retreaver.Ptr("no-such-campaign"), AFID: retreaver.Ptr("pub")})
	apiErr := e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Equal(t, "cid does not exist", apiErr.Message)
	assert.Equal(t, http.MethodPost, apiErr.Method)
	assert.Contains(t, apiErr.URL, "/numbers.json")
	assert.NotContains(t, apiErr.Error(), srv.APIKey)
	assert.Contains(t, apiErr.Error(), "cid does not exist")
	// The affiliate a number would have created does not exist either.
	_, err = client.Affiliates.GetByAFID(ctx, "pub")
	e2eRequireGone(t, err)

	_, err = client.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr("dup")})
	require.NoError(t, err)
	_, err = client.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr("dup")})
	apiErr = e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Equal(t, "afid has already been taken", apiErr.Message)

	_, err = client.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+15555550300"), TID: retreaver.Ptr("t1")})
	require.NoError(t, err)
	t2, err := client.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+15555550301")})
	require.NoError(t, err)
	_, err = client.Targets.Update(ctx, t2.ID, &retreaver.TargetParams{TID: retreaver.Ptr("t1"), Name: retreaver.Ptr("never")})
	apiErr = e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Equal(t, "tid has already been taken", apiErr.Message)
	got, err := client.Targets.Get(ctx, t2.ID)
	require.NoError(t, err)
	assert.Equal(t, "", got.Name, "a refused update changes nothing")

	_, err = client.TargetGroups.Create(ctx, &retreaver.TargetGroupParams{Name: retreaver.Ptr("g"), TargetIDs: []int64{999999}})
	apiErr = e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Equal(t, "target_ids is invalid", apiErr.Message)

	camp, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{})
	require.NoError(t, err)
	_, err = client.NumberPools.Create(ctx, &retreaver.NumberPoolParams{CID: retreaver.Ptr(camp.CID), AFID: retreaver.Ptr("nobody")})
	apiErr = e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Equal(t, "afid does not exist", apiErr.Message)

	// Errors the SDK catches itself never reach the server.
	srv.ResetRequests()
	_, err = client.Numbers.Create(ctx, &retreaver.NumberParams{AFID: retreaver.Ptr("pub")})
	require.ErrorIs(t, err, retreaver.ErrInvalidArgument)
	_, err = client.Affiliates.GetByAFID(ctx, "")
	require.ErrorIs(t, err, retreaver.ErrInvalidArgument)
	assert.Empty(t, srv.Requests())
}

// Customer ids are free text: every character the SDK escapes reaches the
// server as one path segment and finds its object.
func TestE2ECustomerIDsWithReservedCharacters(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t)
	ctx := e2eCtx(t)

	// "." and ".." are refused before sending: a proxy could normalize them away.
	for _, id := range []string{".", ".."} {
		_, err := client.Affiliates.GetByAFID(ctx, id)
		require.ErrorIs(t, err, retreaver.ErrInvalidArgument, "%q", id)
	}
	for _, id := range []string{"a b", "a+b", "a%b", "a?b=c", "a#b", "a/b", "a;b", "ünï", "x.json", "...", "%2F", " x "} {
		a, err := client.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr(id)})
		require.NoError(t, err, "%q", id)
		got, err := client.Affiliates.GetByAFID(ctx, id)
		require.NoError(t, err, "%q", id)
		assert.Equal(t, a.ID, got.ID, "%q", id)
		up, err := client.Affiliates.UpdateByAFID(ctx, id, &retreaver.AffiliateParams{FirstName: retreaver.Ptr("F")})
		require.NoError(t, err, "%q", id)
		assert.Equal(t, id, up.AFID)

		tg, err := client.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+15555550700"), TID: retreaver.Ptr(id)})
		require.NoError(t, err, "%q", id)
		gotT, err := client.Targets.GetByTID(ctx, id)
		require.NoError(t, err, "%q", id)
		assert.Equal(t, tg.ID, gotT.ID, "%q", id)

		c, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr(id)})
		require.NoError(t, err, "%q", id)
		gotC, err := client.Campaigns.GetByCID(ctx, id)
		require.NoError(t, err, "%q", id)
		assert.Equal(t, c.ID, gotC.ID, "%q", id)

		require.NoError(t, client.Affiliates.DeleteByAFID(ctx, id), "%q", id)
		require.NoError(t, client.Targets.DeleteByTID(ctx, id), "%q", id)
		require.NoError(t, client.Campaigns.DeleteByCID(ctx, id), "%q", id)
		_, err = client.Affiliates.Get(ctx, a.ID)
		e2eRequireGone(t, err)
	}
}

// Tag values holding the tag_list's own punctuation (':' and ',') and other
// text survive the round trip on targets and contacts.
func TestE2ETagValuesRoundTrip(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t)
	ctx := e2eCtx(t)
	tags := []retreaver.Tag{
		{Key: "landing", Value: "https://example.com:8443/offer?a=1,b=2"},
		{Key: "note", Value: " spaced, with a comma "},
		{Key: "city", Value: "Montréal"},
		{Key: "cmp", Value: "a>b"},
		{Key: "empty", Value: ""},
	}
	want := map[string]string{}
	for _, tag := range tags {
		want[tag.Key] = tag.Value
	}

	tg, err := client.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+15555550800"), Tags: tags})
	require.NoError(t, err)
	assert.Equal(t, want, e2eTags(tg.TagValues))
	got, err := client.Targets.Get(ctx, tg.ID)
	require.NoError(t, err)
	assert.Equal(t, want, e2eTags(got.TagValues))

	c, err := client.Contacts.Create(ctx, &retreaver.ContactParams{
		ContactNumbers: []retreaver.ContactNumberParams{{Number: retreaver.Ptr("+15555550801")}}, Tags: tags,
	})
	require.NoError(t, err)
	assert.Equal(t, want, e2eTags(c.TagValues))
	// The same key and value share one tag value id across objects.
	for _, tv := range c.TagValues {
		for _, other := range got.TagValues {
			if tv.Key == other.Key {
				assert.Equal(t, other.ID, tv.ID, tv.Key)
			}
		}
	}

	// Values that would break the encoding are refused before sending.
	_, err = client.Targets.SetTags(ctx, tg.ID, []retreaver.Tag{{Key: "bad", Value: "x>>>,<<<y:z"}})
	require.ErrorIs(t, err, retreaver.ErrInvalidArgument)
	got, err = client.Targets.Get(ctx, tg.ID)
	require.NoError(t, err)
	assert.Equal(t, want, e2eTags(got.TagValues))
}
