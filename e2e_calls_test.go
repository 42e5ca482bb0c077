package retreaver_test

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The call log and reports over hundreds of seeded calls: every page, both
// orders, filters, page numbers, early stops.

const e2eSeeded = 437

func e2eDistinct(ss []string) int {
	seen := map[string]bool{}
	for _, s := range ss {
		seen[s] = true
	}
	return len(seen)
}

// listedPages returns the page parameter of each logged request to path.
func e2eListedPages(t *testing.T, srv *retreavertest.Server, path string) []int {
	t.Helper()
	var pages []int
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet || r.Path != path {
			continue
		}
		p := 1
		if s := r.Query.Get("page"); s != "" {
			var err error
			p, err = strconv.Atoi(s)
			require.NoError(t, err)
		}
		pages = append(pages, p)
	}
	return pages
}

func e2eSeq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func TestE2ECallsAllYieldsEverySeededCallInBothOrders(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	srv.SeedCalls(e2eSeeded)
	require.Equal(t, e2eSeeded, srv.CallCount(srv.CompanyID))
	pages := (e2eSeeded + retreavertest.DefaultPageSize - 1) / retreavertest.DefaultPageSize

	desc := e2eCollect(t, client.Calls.All(ctx, nil))
	require.Len(t, desc, e2eSeeded)
	assert.Equal(t, e2eSeeded, e2eDistinct(e2eUUIDs(desc)))
	for i := 1; i < len(desc); i++ {
		require.False(t, desc[i].CreatedAt.After(desc[i-1].CreatedAt), "newest first: %d", i)
	}
	assert.Equal(t, e2eSeq(1, pages), e2eListedPages(t, srv, "/api/v2/calls.json"), "one request per page, in order")
	// Unset options are not sent (no zero dates, no empty filters).
	for _, r := range srv.Requests() {
		keys := make([]string, 0, len(r.Query))
		for k := range r.Query {
			keys = append(keys, k)
		}
		assert.ElementsMatch(t, []string{"api_key", "company_id", "page"}, keys, r.Query.Encode())
		assert.Equal(t, strconv.FormatInt(srv.CompanyID, 10), r.Query.Get("company_id"))
	}
	// The v2 fields came through.
	c := desc[0]
	assert.Equal(t, srv.CompanyID, c.CompanyID)
	assert.NotEmpty(t, c.Caller)
	assert.NotEmpty(t, c.CID)
	assert.NotEmpty(t, c.Tags["geo"])
	pixels := 0
	for _, c := range desc {
		assert.Len(t, c.FiredPixels, c.FiredPixelsCount, c.UUID)
		pixels += len(c.FiredPixels)
		for _, p := range c.FiredPixels {
			assert.NotEmpty(t, p.URL)
			assert.NotEmpty(t, p.BatchUUID)
		}
	}
	assert.Positive(t, pixels)

	srv.ResetRequests()
	asc := e2eCollect(t, client.Calls.All(ctx, &retreaver.CallListOptions{Order: retreaver.OrderAsc}))
	require.Len(t, asc, e2eSeeded)
	want := e2eUUIDs(desc)
	slices.Reverse(want)
	assert.Equal(t, want, e2eUUIDs(asc), "oldest first is newest first reversed")
	for _, r := range srv.Requests() {
		assert.Equal(t, "asc", r.Query.Get("order"))
	}

	srv.ResetRequests()
	v1 := e2eCollect(t, client.CallsV1.All(ctx, nil))
	require.Len(t, v1, e2eSeeded)
	assert.Equal(t, e2eUUIDs(desc), e2eUUIDs(v1))
	assert.Equal(t, e2eSeq(1, pages), e2eListedPages(t, srv, "/api/v1/calls.json"))
	assert.Equal(t, desc[0].Caller, v1[0].Caller)
	assert.True(t, desc[0].CreatedAt.Truncate(time.Second).Equal(v1[0].CreatedAt), "v1 has whole seconds")

	// 100 a page.
	srv.ResetRequests()
	big := e2eCollect(t, client.Calls.All(ctx, &retreaver.CallListOptions{PerPage: 100}))
	assert.Equal(t, e2eUUIDs(desc), e2eUUIDs(big))
	assert.Equal(t, e2eSeq(1, 5), e2eListedPages(t, srv, "/api/v2/calls.json"))
	page, err := client.Calls.List(ctx, &retreaver.CallListOptions{PerPage: 100})
	require.NoError(t, err)
	assert.Len(t, page.Items, 100)
	assert.Equal(t, 5, page.LastPage)

	// Get by UUID, both versions.
	got, err := client.Calls.Get(ctx, desc[123].UUID)
	require.NoError(t, err)
	assert.Equal(t, desc[123], got)
	gotV1, err := client.CallsV1.Get(ctx, desc[123].UUID)
	require.NoError(t, err)
	assert.Equal(t, desc[123].UUID, gotV1.UUID)
	_, err = client.Calls.Get(ctx, "00000000-0000-4000-8000-000000000000")
	e2eRequireGone(t, err)
}

func TestE2ECallListPageNumbers(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	srv.SeedCalls(e2eSeeded)
	const last = 18 // 437 calls, 25 a page
	all := e2eCollect(t, client.Calls.All(ctx, &retreaver.CallListOptions{PerPage: 100}))

	at := func(page int) *retreaver.Page[retreaver.Call] {
		t.Helper()
		p, err := client.Calls.List(ctx, &retreaver.CallListOptions{ListOptions: retreaver.ListOptions{Page: page}})
		require.NoError(t, err)
		return p
	}

	first := at(0)
	assert.Equal(t, e2eUUIDs(all[:25]), e2eUUIDs(first.Items))
	assert.Equal(t, [4]int{1, 0, 2, last}, [4]int{first.FirstPage, first.PrevPage, first.NextPage, first.LastPage})
	assert.True(t, first.HasNext())

	mid := at(5)
	assert.Equal(t, e2eUUIDs(all[100:125]), e2eUUIDs(mid.Items))
	assert.Equal(t, [4]int{1, 4, 6, last}, [4]int{mid.FirstPage, mid.PrevPage, mid.NextPage, mid.LastPage})

	end := at(last)
	assert.Equal(t, e2eUUIDs(all[(last-1)*25:]), e2eUUIDs(end.Items))
	assert.Len(t, end.Items, e2eSeeded-(last-1)*25)
	assert.Equal(t, [4]int{1, last - 1, 0, last}, [4]int{end.FirstPage, end.PrevPage, end.NextPage, end.LastPage})
	assert.False(t, end.HasNext())

	past := at(last + 1)
	assert.Empty(t, past.Items)
	assert.Zero(t, past.NextPage)

	// Walking Next by hand visits every page once.
	var walked []string
	for p := at(1); ; p = at(p.NextPage) {
		walked = append(walked, e2eUUIDs(p.Items)...)
		if !p.HasNext() {
			break
		}
	}
	assert.Equal(t, e2eUUIDs(all), walked)

	// All from a later page yields the rest.
	rest := e2eCollect(t, client.Calls.All(ctx, &retreaver.CallListOptions{ListOptions: retreaver.ListOptions{Page: 17}}))
	assert.Equal(t, e2eUUIDs(all[16*25:]), e2eUUIDs(rest))
}

func TestE2ECallsAllStopsFetchingOnBreak(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	srv.SeedCalls(e2eSeeded)

	for _, tc := range []struct{ take, requests int }{{1, 1}, {25, 1}, {26, 2}, {30, 2}, {101, 5}} {
		srv.ResetRequests()
		n := 0
		for c, err := range client.Calls.All(ctx, nil) {
			require.NoError(t, err)
			require.NotNil(t, c)
			if n++; n == tc.take {
				break
			}
		}
		assert.Equal(t, tc.take, n)
		assert.Len(t, srv.Requests(), tc.requests, "break after %d calls", tc.take)
	}
}

func TestE2ECallFiltersMatchTheSeededCalls(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	srv.SeedCalls(e2eSeeded)
	all := e2eCollect(t, client.Calls.All(ctx, &retreaver.CallListOptions{PerPage: 100}))
	require.Len(t, all, e2eSeeded)

	expect := func(keep func(*retreaver.Call) bool) []string {
		var out []string
		for _, c := range all {
			if keep(c) {
				out = append(out, c.UUID)
			}
		}
		return out
	}
	list := func(opts retreaver.CallListOptions) []string {
		t.Helper()
		opts.PerPage = 100
		return e2eUUIDs(e2eCollect(t, client.Calls.All(ctx, &opts)))
	}

	// caller: one that called more than once if there is one.
	counts := map[string]int{}
	for _, c := range all {
		counts[c.Caller]++
	}
	caller := all[0].Caller
	for k, n := range counts {
		if n > counts[caller] {
			caller = k
		}
	}
	srv.ResetRequests()
	got := list(retreaver.CallListOptions{Caller: caller})
	assert.Equal(t, expect(func(c *retreaver.Call) bool { return c.Caller == caller }), got)
	assert.Len(t, got, counts[caller])
	assert.Equal(t, caller, srv.Requests()[0].Query.Get("caller"), "the + of the caller arrives intact")

	// client_cid, client_tid-less calls, sub_id.
	cid := all[0].CID
	got = list(retreaver.CallListOptions{ClientCID: cid})
	want := expect(func(c *retreaver.Call) bool { return c.CID == cid })
	assert.Equal(t, want, got)
	assert.Less(t, len(got), e2eSeeded, "the filter filtered")
	assert.NotEmpty(t, got)
	var sid string
	for _, c := range all {
		if c.SID != "" {
			sid = c.SID
			break
		}
	}
	require.NotEmpty(t, sid)
	assert.Equal(t, expect(func(c *retreaver.Call) bool { return c.SID == sid }), list(retreaver.CallListOptions{SubID: sid}))
	assert.Empty(t, list(retreaver.CallListOptions{ClientAFID: "nobody"}))

	// created_at window (sent to the second, both ends inclusive).
	start, end := all[300].CreatedAt, all[100].CreatedAt
	inWindow := func(c *retreaver.Call) bool {
		return !c.CreatedAt.Before(start.Truncate(time.Second)) && !c.CreatedAt.After(end.Truncate(time.Second))
	}
	got = list(retreaver.CallListOptions{CreatedAtStart: start, CreatedAtEnd: end})
	want = expect(inWindow)
	assert.Equal(t, want, got)
	assert.InDelta(t, 200, len(got), 1)

	// The same instants written in another zone (an offset with a '+') select the same calls.
	kolkata := time.FixedZone("IST", 5*3600+1800)
	assert.Equal(t, want, list(retreaver.CallListOptions{CreatedAtStart: start.In(kolkata), CreatedAtEnd: end.In(kolkata)}))

	// Filters combine; and in ascending order.
	got = list(retreaver.CallListOptions{CreatedAtStart: start, CreatedAtEnd: end, ClientCID: cid, Order: retreaver.OrderAsc})
	want = expect(func(c *retreaver.Call) bool { return inWindow(c) && c.CID == cid })
	slices.Reverse(want)
	assert.Equal(t, want, got)
	assert.NotEmpty(t, got)

	// sort_by updated_at: newest update first.
	byUpdate := e2eCollect(t, client.Calls.All(ctx, &retreaver.CallListOptions{PerPage: 100, SortBy: retreaver.SortByUpdatedAt}))
	require.Len(t, byUpdate, e2eSeeded)
	for i := 1; i < len(byUpdate); i++ {
		require.False(t, byUpdate[i].UpdatedAt.After(byUpdate[i-1].UpdatedAt), "updated_at descending at %d", i)
	}
	a, b := e2eUUIDs(all), e2eUUIDs(byUpdate)
	slices.Sort(a)
	slices.Sort(b)
	assert.Equal(t, a, b, "the same calls")

	// The same filters through the v1 API.
	v1 := e2eCollect(t, client.CallsV1.All(ctx, &retreaver.CallListOptions{ClientCID: cid, PerPage: 100}))
	assert.Equal(t, expect(func(c *retreaver.Call) bool { return c.CID == cid }), e2eUUIDs(v1))
}

func TestE2EReports(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	const n = 200
	srv.SeedCalls(n)
	// Tag keys are reported only once the company has created them as tags.
	_, err := client.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+15555550500"),
		Tags: []retreaver.Tag{{Key: "source", Value: "google"}}})
	require.NoError(t, err)
	calls := e2eCollect(t, client.Calls.All(ctx, &retreaver.CallListOptions{PerPage: 100}))
	require.Len(t, calls, n)

	now := time.Now().UTC()
	window := func(facet retreaver.ReportFacet) *retreaver.ReportOptions {
		return &retreaver.ReportOptions{Facet: facet, CreatedAtStart: now.AddDate(0, 0, -31), CreatedAtEnd: now}
	}

	// Per campaign: every call counted once, in rows named after the campaigns.
	byCID := map[string]int{}
	for _, c := range calls {
		byCID[c.CID]++
	}
	rep, err := client.Reports.Get(ctx, window(retreaver.ReportFacetCampaign))
	require.NoError(t, err)
	assert.Equal(t, len(byCID), rep.CountTotal)
	assert.Equal(t, len(rep.Rows), rep.Count)
	got := map[string]int{}
	for _, r := range rep.Rows {
		got[r.ID] = r.TotalCalls
		assert.NotEmpty(t, r.FacetName)
	}
	assert.Equal(t, byCID, got)

	// Daily, a few rows a page: All walks every page and the days add up.
	srv.ResetRequests()
	opts := window(retreaver.ReportFacetDaily)
	opts.PerPage = 7
	first, err := client.Reports.Get(ctx, opts)
	require.NoError(t, err)
	assert.Equal(t, 7, first.Count)
	rows := e2eCollect(t, client.Reports.All(ctx, opts))
	assert.Len(t, rows, first.CountTotal)
	byDay := map[string]int{}
	for _, c := range calls {
		byDay[c.CreatedAt.UTC().Format("2006-01-02")]++
	}
	total := 0
	for _, r := range rows {
		assert.Equal(t, byDay[r.ID], r.TotalCalls, r.ID)
		total += r.TotalCalls
	}
	assert.Equal(t, n, total)
	assert.Len(t, e2eListedPages(t, srv, "/api/v1/reports.json"), 1+(first.CountTotal+6)/7)
	assert.Equal(t, opts.CreatedAtStart.Format("2006-01-02"), srv.Requests()[0].Query.Get("created_at_start"))

	// tag_value on a key the company created: rows per value.
	bySource := map[string]int{}
	for _, c := range calls {
		if v, ok := c.Tags["source"]; ok {
			bySource[v]++
		}
	}
	require.NotEmpty(t, bySource)
	tagOpts := window(retreaver.ReportFacetTagValue)
	tagOpts.TagValueKey = "source"
	got = map[string]int{}
	for r, err := range client.Reports.All(ctx, tagOpts) {
		require.NoError(t, err)
		got[r.ID] = r.TotalCalls
	}
	assert.Equal(t, bySource, got)

	// tag_value on a key nobody created: an empty report, not an error.
	tagOpts.TagValueKey = "utm_campaign"
	rep, err = client.Reports.Get(ctx, tagOpts)
	require.NoError(t, err)
	assert.Zero(t, rep.Count)
	assert.Zero(t, rep.CountTotal)
	assert.Empty(t, rep.Rows)
	assert.Empty(t, e2eCollect(t, client.Reports.All(ctx, tagOpts)))

	// Publishers: the seeded calls have no affiliates, so no rows.
	rep, err = client.Reports.Get(ctx, window(retreaver.ReportFacetPublisher))
	require.NoError(t, err)
	assert.Zero(t, rep.CountTotal)

	// A window with no calls.
	old := &retreaver.ReportOptions{Facet: retreaver.ReportFacetState, CreatedAtStart: now.AddDate(-1, 0, 0), CreatedAtEnd: now.AddDate(0, -6, 0)}
	rep, err = client.Reports.Get(ctx, old)
	require.NoError(t, err)
	assert.Zero(t, rep.CountTotal)
}
