package retreaver_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Companies, and what one key sees of each company's objects.

func TestE2ECompanyLifecycle(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)

	active, err := client.Companies.Active(ctx)
	require.NoError(t, err)
	assert.Equal(t, srv.CompanyID, active.ID)
	assert.Equal(t, "Northwind Health Leads", active.Name)
	// The company endpoints carry no company_id, whatever the client's scope.
	other := client.WithCompany(srv.CompanyIDs()[1])
	active, err = other.Companies.Active(ctx)
	require.NoError(t, err)
	assert.Equal(t, srv.CompanyID, active.ID)
	for _, r := range srv.Requests() {
		assert.Empty(t, r.Query.Get("company_id"), r.Path)
		assert.Equal(t, srv.APIKey, r.Query.Get("api_key"), r.Path)
	}

	co, err := client.Companies.Create(ctx, &retreaver.CompanyParams{Name: retreaver.Ptr("E2E Leads LLC")})
	require.NoError(t, err)
	require.Positive(t, co.ID)
	assert.Equal(t, "E2E Leads LLC", co.Name)
	assert.Contains(t, srv.CompanyIDs(), co.ID, "the key reaches the company it created")
	assert.NotEmpty(t, co.EmbeddedKey)
	assert.Equal(t, "Alex Morgan", co.OwnerUserName)
	assert.Equal(t, "1.0", co.PerNumber.String())

	got, err := client.Companies.Get(ctx, co.ID)
	require.NoError(t, err)
	assert.Equal(t, co, got)
	page, err := client.Companies.List(ctx, nil)
	require.NoError(t, err)
	assert.NotNil(t, e2eFind(page.Items, func(x *retreaver.Company) bool { return x.ID == co.ID }))
	all := e2eCollect(t, client.Companies.All(ctx, nil))
	ids := make([]int64, 0, len(all))
	for _, c := range all {
		ids = append(ids, c.ID)
	}
	assert.ElementsMatch(t, srv.CompanyIDs(), ids, "every reachable company, the forbidden one excluded")

	up, err := client.Companies.Update(ctx, co.ID, &retreaver.CompanyParams{Name: retreaver.Ptr("E2E Leads Inc")})
	require.NoError(t, err)
	assert.Equal(t, "E2E Leads Inc", up.Name)
	assert.Equal(t, co.EmbeddedKey, up.EmbeddedKey)
	assert.Equal(t, co.CreatedAt, up.CreatedAt)
	got, err = client.Companies.Get(ctx, co.ID)
	require.NoError(t, err)
	assert.Equal(t, "E2E Leads Inc", got.Name)

	// The new company is a scope of its own; while it has a number it cannot go.
	scoped := client.WithCompany(co.ID)
	camp, err := scoped.Campaigns.Create(ctx, &retreaver.CampaignParams{})
	require.NoError(t, err)
	num, err := scoped.Numbers.Create(ctx, &retreaver.NumberParams{CID: retreaver.Ptr(camp.CID), AFID: retreaver.Ptr("p")})
	require.NoError(t, err)
	_, err = client.Campaigns.Get(ctx, camp.ID)
	e2eRequireGone(t, err)
	e2eRequireStatus(t, client.Companies.Delete(ctx, co.ID), http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	require.NoError(t, scoped.Numbers.Delete(ctx, num.ID))

	require.NoError(t, client.Companies.Delete(ctx, co.ID))
	_, err = client.Companies.Get(ctx, co.ID)
	e2eRequireGone(t, err)
	assert.NotContains(t, srv.CompanyIDs(), co.ID)
	_, err = scoped.Affiliates.List(ctx, nil)
	e2eRequireStatus(t, err, http.StatusForbidden, retreaver.ErrForbidden)

	_, err = client.Companies.Get(ctx, srv.ForbiddenCompanyID())
	e2eRequireStatus(t, err, http.StatusForbidden, retreaver.ErrForbidden)
}

func TestE2ECompanyIsolation(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	ids := srv.CompanyIDs()
	require.GreaterOrEqual(t, len(ids), 2)
	require.Equal(t, srv.CompanyID, ids[0])
	a, b := client, client.WithCompany(ids[1])
	assert.Equal(t, srv.CompanyID, a.CompanyID())
	assert.Equal(t, ids[1], b.CompanyID())

	// An object of company A does not exist for company B.
	affA, err := a.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr("shared-afid"), FirstName: retreaver.Ptr("In A")})
	require.NoError(t, err)
	_, err = b.Affiliates.Get(ctx, affA.ID)
	e2eRequireGone(t, err)
	_, err = b.Affiliates.GetByAFID(ctx, "shared-afid")
	e2eRequireGone(t, err)
	e2eRequireGone(t, b.Affiliates.Delete(ctx, affA.ID))
	_, err = b.Affiliates.Update(ctx, affA.ID, &retreaver.AffiliateParams{FirstName: retreaver.Ptr("hijacked")})
	e2eRequireGone(t, err)
	tgA, err := a.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+15555550400")})
	require.NoError(t, err)
	_, err = b.Targets.Get(ctx, tgA.ID)
	e2eRequireGone(t, err)
	assert.Empty(t, e2eCollect(t, b.Targets.All(ctx, nil)))

	// The same afid lives in both companies independently.
	affB, err := b.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr("shared-afid"), FirstName: retreaver.Ptr("In B")})
	require.NoError(t, err)
	assert.NotEqual(t, affA.ID, affB.ID)
	_, err = b.Affiliates.UpdateByAFID(ctx, "shared-afid", &retreaver.AffiliateParams{LastName: retreaver.Ptr("Changed")})
	require.NoError(t, err)
	gotA, err := a.Affiliates.GetByAFID(ctx, "shared-afid")
	require.NoError(t, err)
	assert.Equal(t, affA.ID, gotA.ID)
	assert.Equal(t, "In A", gotA.FirstName)
	assert.Equal(t, "", gotA.LastName)
	gotB, err := b.Affiliates.GetByAFID(ctx, "shared-afid")
	require.NoError(t, err)
	assert.Equal(t, "In B", gotB.FirstName)
	assert.Equal(t, "Changed", gotB.LastName)
	require.NoError(t, b.Affiliates.DeleteByAFID(ctx, "shared-afid"))
	_, err = a.Affiliates.GetByAFID(ctx, "shared-afid")
	require.NoError(t, err, "deleting B's affiliate leaves A's")

	// Calls too: each company sees its own log only.
	srv.SeedCallsAt(ids[1], 40, time.Now().AddDate(0, 0, -3), time.Now().Add(-time.Hour))
	callsB := e2eCollect(t, b.Calls.All(ctx, nil))
	require.Len(t, callsB, 40)
	assert.Empty(t, e2eCollect(t, a.Calls.All(ctx, nil)))
	_, err = a.Calls.Get(ctx, callsB[0].UUID)
	e2eRequireGone(t, err)
	gotCall, err := b.Calls.Get(ctx, callsB[0].UUID)
	require.NoError(t, err)
	assert.Equal(t, ids[1], gotCall.CompanyID)

	// Each request named its client's company.
	for _, r := range srv.Requests() {
		if r.Path == "/api/v1/affiliates.json" && r.Method == http.MethodPost {
			assert.Contains(t, []string{strconv.FormatInt(ids[0], 10), strconv.FormatInt(ids[1], 10)}, r.Query.Get("company_id"))
		}
	}

	// The forbidden company answers 403, a wrong key 401; neither error quotes the key.
	_, err = client.WithCompany(srv.ForbiddenCompanyID()).Affiliates.List(ctx, nil)
	apiErr := e2eRequireStatus(t, err, http.StatusForbidden, retreaver.ErrForbidden)
	assert.Contains(t, apiErr.Message, strconv.FormatInt(srv.ForbiddenCompanyID(), 10))
	assert.NotContains(t, err.Error(), srv.APIKey)

	const wrongKey = "0123456789abcdef0123456789abcdef"
	bad, err := retreaver.NewClient(wrongKey, retreaver.WithBaseURL(srv.URL), retreaver.WithCompanyID(srv.CompanyID),
		retreaver.WithRetryPolicy(e2eRetries))
	require.NoError(t, err)
	_, err = bad.Affiliates.Get(ctx, affA.ID)
	e2eRequireStatus(t, err, http.StatusUnauthorized, retreaver.ErrUnauthorized)
	assert.NotContains(t, err.Error(), wrongKey)
	for _, err := range bad.Calls.All(ctx, nil) {
		e2eRequireStatus(t, err, http.StatusUnauthorized, retreaver.ErrUnauthorized)
	}
	// 401 is not retried: one request for Get, one for All.
	withWrongKey := 0
	for _, r := range srv.Requests() {
		if r.Query.Get("api_key") == wrongKey {
			withWrongKey++
		}
	}
	assert.Equal(t, 2, withWrongKey)
}

func TestE2EForEachCompanyVisitsEveryReachableCompany(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)

	var mu sync.Mutex
	visited := map[int64]string{}
	err := client.ForEachCompany(ctx, 2, func(ctx context.Context, c *retreaver.Client, co *retreaver.Company) error {
		if c.CompanyID() != co.ID {
			return fmt.Errorf("client scoped to %d for company %d", c.CompanyID(), co.ID)
		}
		// Leave a mark in the company through the scoped client.
		if _, err := c.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr(fmt.Sprintf("mark-%d", co.ID))}); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		visited[co.ID] = co.Name
		return nil
	})
	require.NoError(t, err)

	want := srv.CompanyIDs()
	got := make([]int64, 0, len(visited))
	for id := range visited {
		got = append(got, id)
	}
	slices.Sort(got)
	sortedWant := slices.Sorted(slices.Values(want))
	assert.Equal(t, sortedWant, got)
	assert.NotContains(t, got, srv.ForbiddenCompanyID())
	assert.Equal(t, "Northwind Health Leads", visited[srv.CompanyID])

	// Each company holds its own mark and no other.
	for _, id := range want {
		affs := e2eCollect(t, client.WithCompany(id).Affiliates.All(ctx, nil))
		require.Len(t, affs, 1, "company %d", id)
		assert.Equal(t, fmt.Sprintf("mark-%d", id), affs[0].AFID)
	}

	// An error in one company is reported with the company named.
	err = client.ForEachCompany(ctx, 1, func(ctx context.Context, c *retreaver.Client, co *retreaver.Company) error {
		_, err := c.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr(fmt.Sprintf("mark-%d", co.ID))})
		return err
	})
	require.ErrorIs(t, err, retreaver.ErrUnprocessable)
	assert.Contains(t, err.Error(), fmt.Sprintf("company %d", want[0]))
}
