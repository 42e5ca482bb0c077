package retreaver_test

import (
	"fmt"
	"testing"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Target groups against the fake: their lifecycle, and ResetCap.

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
