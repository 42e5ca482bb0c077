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

// The affiliate (publisher) lifecycle against the fake: create, read (by id
// and by afid), find in List and All, partial update, rename, delete.

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
