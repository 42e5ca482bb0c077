package retreaver_test

import (
	"testing"

	"github.com/retreaver-go/retreaver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
