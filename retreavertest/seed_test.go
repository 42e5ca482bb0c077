package retreavertest

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSeedCalls(t *testing.T) {
	a := newAPI(t)
	before := time.Now()
	a.srv.SeedCalls(137)
	require.Equal(t, 137, a.srv.CallCount(a.srv.CompanyID))
	require.Zero(t, a.srv.CallCount(a.srv.CompanyIDs()[1]))
	require.Zero(t, a.srv.CallCount(424242))
	calls := a.list("/api/v2/calls.json", url.Values{"per_page": {"100"}, "order": {"asc"}}, "call")
	calls = append(calls, a.list("/api/v2/calls.json", url.Values{"per_page": {"100"}, "order": {"asc"}, "page": {"2"}}, "call")...)
	require.Len(t, calls, 137)
	after := time.Now()
	for _, c := range calls {
		at, err := time.Parse(time.RFC3339, c["created_at"].(string))
		require.NoError(t, err)
		require.True(t, at.After(before.AddDate(0, 0, -30).Add(-time.Second)), at)
		require.True(t, at.Before(after), at)
	}
	require.Panics(t, func() { a.srv.SeedCallsAt(424242, 1, before, after) })
}

func TestSeedCallsAtSpreadsEvenly(t *testing.T) {
	a := newAPI(t)
	from := time.Date(2024, 11, 4, 0, 0, 0, 0, time.UTC)
	to := from.Add(10 * time.Hour)
	other := a.srv.CompanyIDs()[2]
	a.srv.SeedCallsAt(other, 10, from, to)
	require.Equal(t, 10, a.srv.CallCount(other))
	b := &api{t: t, srv: a.srv, company: other}
	calls := b.list("/api/v2/calls.json", url.Values{"order": {"asc"}}, "call")
	for i, c := range calls {
		require.Equal(t, from.Add(time.Duration(i)*time.Hour).Format("2006-01-02T15:04:05.000Z"), c["created_at"])
		require.Equal(t, "finished", c["status"])
		require.Equal(t, float64(other), c["company_id"])
	}
	require.Empty(t, a.list("/api/v2/calls.json", nil, "call"), "other companies' calls stay apart")
}

func TestSeedCallsIn(t *testing.T) {
	a := newAPI(t)
	other := a.srv.CompanyIDs()[1]
	before := time.Now()
	a.srv.SeedCallsIn(other, 40)
	after := time.Now()
	require.Equal(t, 40, a.srv.CallCount(other))
	require.Zero(t, a.srv.CallCount(a.srv.CompanyID))
	b := &api{t: t, srv: a.srv, company: other}
	calls := b.allCalls(nil)
	require.Len(t, calls, 40)
	for _, c := range calls {
		at, err := time.Parse(time.RFC3339, c["created_at"].(string))
		require.NoError(t, err)
		require.True(t, at.After(before.AddDate(0, 0, -30).Add(-time.Second)), at)
		require.True(t, at.Before(after), at)
		require.Equal(t, float64(other), c["company_id"])
	}
	// The forbidden company can hold calls too; an unknown one panics.
	a.srv.SeedCallsIn(a.srv.ForbiddenCompanyID(), 2)
	require.Equal(t, 2, a.srv.CallCount(a.srv.ForbiddenCompanyID()))
	require.PanicsWithValue(t, "retreavertest: seeding calls: no company 424242", func() { a.srv.SeedCallsIn(424242, 1) })
}
