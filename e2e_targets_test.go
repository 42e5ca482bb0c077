package retreaver_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/retreaver-go/retreaver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What targets gained: the id you choose travels as client_tid, targets list
// their groups, and conversion groups are kept on them.

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
