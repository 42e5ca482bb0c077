package retreaver_test

import (
	"net/http"
	"testing"

	"github.com/retreaver-go/retreaver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
