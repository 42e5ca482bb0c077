package retreaver_test

import (
	"testing"

	"github.com/retreaver-go/retreaver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The number pool lifecycle against the fake.

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
