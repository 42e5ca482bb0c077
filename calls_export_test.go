package retreaver

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

func TestExportWireOfEveryPage(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		page := w.Query.Get("page")
		link := `<https://retreaver.com/api/v2/calls.json?page=3>; rel="last"`
		if page != "3" {
			n, _ := strconv.Atoi(page)
			link += fmt.Sprintf(`, <https://retreaver.com/api/v2/calls.json?page=%d>; rel="next"`, n+1)
		}
		resp := httpmock.NewStringResponse(200, `[{"call":{"uuid":"u-`+page+`"}}]`)
		resp.Header.Set("Link", link)
		return resp, nil
	})
	est := time.FixedZone("EST", -5*3600)
	ids, errs := collect(t, c, context.Background(), &ExportOptions{
		CreatedAtStart: time.Date(2024, 10, 1, 8, 30, 15, 999e6, est),
		CreatedAtEnd:   time.Date(2024, 11, 1, 0, 0, 59, 500e6, time.UTC),
		PerPage:        50,
		Caller:         "+13015236555",
		ClientAFID:     "0002",
		ClientCID:      "0044",
		ClientTID:      "t-1",
		SubID:          "superaffiliate",
	})
	require.Empty(t, errs)
	require.Equal(t, []string{"u-1", "u-2", "u-3"}, ids)

	reqs := rec.all()
	require.Len(t, reqs, 3)
	pages := map[string]bool{}
	for _, r := range reqs {
		page := r.Query.Get("page")
		pages[page] = true
		assertWire(t, r, "GET", "api/v2/calls.json", url.Values{
			"page":             {page},
			"per_page":         {"50"},
			"sort_by":          {"created_at"},
			"order":            {"asc"},
			"created_at_start": {"2024-10-01T13:30:15Z"}, // truncated to the second, in UTC
			"created_at_end":   {"2024-11-01T00:00:59Z"},
			"caller":           {"+13015236555"},
			"client_afid":      {"0002"},
			"client_cid":       {"0044"},
			"client_tid":       {"t-1"},
			"sub_id":           {"superaffiliate"},
		}, false)
		assertNoBody(t, r)
		require.Contains(t, r.RawURL, "caller=%2B13015236555")
		require.Equal(t, "api.test", r.Host, "the key never follows a link to another host")
	}
	require.Equal(t, map[string]bool{"1": true, "2": true, "3": true}, pages)
	require.Equal(t, "1", reqs[0].Query.Get("page"), "page 1 comes first: it says how many pages there are")
}

func TestExportDefaultsPinTheEndToNow(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v2/calls.json", 200, `[]`)
	before := time.Now().Truncate(time.Second)
	it := c.Calls.Export(context.Background(), nil)
	after := time.Now()
	for _, err := range it {
		require.NoError(t, err)
	}
	for _, err := range it { // ranging again sends the same, pinned window
		require.NoError(t, err)
	}
	reqs := rec.all()
	require.Len(t, reqs, 2)
	require.Equal(t, reqs[0].Query, reqs[1].Query)
	got := reqs[0]
	end, err := time.Parse(time.RFC3339Nano, got.Query.Get("created_at_end"))
	require.NoError(t, err)
	require.Zero(t, end.Nanosecond(), "a whole second")
	require.False(t, end.Before(before) || end.After(after), "end %s is the moment Export was called", end)
	assertWire(t, got, "GET", "api/v2/calls.json", url.Values{
		"page":           {"1"},
		"per_page":       {"100"},
		"sort_by":        {"created_at"},
		"order":          {"asc"},
		"created_at_end": {got.Query.Get("created_at_end")},
	}, false)
}

func TestExportYieldsEveryCallOnceInOrder(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		calls, perPage, conc  int
		wantPages, wantWindow int
	}{
		{"many pages", 1234, 25, 4, 50, 4},
		{"default page size", 1000, 0, 0, 10, 4},
		{"one at a time", 101, 10, 1, 11, 1},
		{"one page", 7, 0, 3, 1, 0},
		{"no calls", 0, 0, 0, 1, 0},
		{"more workers than pages", 30, 10, 16, 3, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newTestClient(t)
			srv := newPagedCalls(tc.calls)
			srv.register(mt)
			ids, errs := collect(t, c, context.Background(), &ExportOptions{PerPage: tc.perPage, Concurrency: tc.conc})
			require.Empty(t, errs)
			require.Equal(t, wantUUIDs(0, tc.calls), ids)
			pages := srv.requested()
			require.Len(t, pages, tc.wantPages, "each page once")
			require.Equal(t, 1, pages[0])
			require.LessOrEqual(t, srv.peak(), max(tc.wantWindow, 1))
		})
	}
}

func TestExportRespectsTheConcurrencyBound(t *testing.T) {
	defer requireNoGoroutineLeak(t, snapshotGoroutines())
	c, mt := newTestClient(t)
	srv := newPagedCalls(20 * 25)
	const conc = 3
	// The first requests after page 1 wait until conc of them are in flight (an
	// export that fetched fewer pages at once would stall here and fail), and a
	// moment longer, so that an export fetching more would be seen doing it.
	full := make(chan struct{})
	var once sync.Once
	srv.hold = func(ctx context.Context, page int) {
		if page == 1 {
			return
		}
		srv.mu.Lock()
		n := srv.inFlight
		srv.mu.Unlock()
		if n >= conc {
			once.Do(func() { time.AfterFunc(20*time.Millisecond, func() { close(full) }) })
		}
		select {
		case <-full:
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
		}
	}
	srv.register(mt)
	ids, errs := collect(t, c, context.Background(), &ExportOptions{Concurrency: conc, PerPage: 25})
	require.Empty(t, errs)
	require.Equal(t, wantUUIDs(0, 500), ids)
	require.Equal(t, conc, srv.peak(), "at most Concurrency requests at once, and that many")
}

func TestExportBreakStopsFetching(t *testing.T) {
	before := snapshotGoroutines()
	c, mt := newTestClient(t)
	srv := newPagedCalls(40 * 25)
	srv.hold = func(ctx context.Context, page int) {
		if page >= 4 { // these stay in flight until the export cancels them
			<-ctx.Done()
		}
	}
	srv.register(mt)
	var ids []string
	for call, err := range c.Calls.Export(context.Background(), &ExportOptions{Concurrency: 4, PerPage: 25}) {
		require.NoError(t, err)
		ids = append(ids, call.UUID)
		if len(ids) == 30 {
			break
		}
	}
	require.Equal(t, wantUUIDs(0, 30), ids)
	requireNoGoroutineLeak(t, before) // the requests held open were cancelled, and nothing runs any more
	// Page 1, the window of 4 (pages 2 to 5) and page 6, started when page 2 was taken.
	require.LessOrEqual(t, len(srv.requested()), 6)
}

func TestExportStopsWhenTheContextEnds(t *testing.T) {
	defer requireNoGoroutineLeak(t, snapshotGoroutines())
	c, mt := newTestClient(t)
	srv := newPagedCalls(40 * 25)
	srv.hold = func(ctx context.Context, page int) {
		if page >= 3 {
			<-ctx.Done()
		}
	}
	srv.register(mt)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ids []string
	var errs []error
	for call, err := range c.Calls.Export(ctx, &ExportOptions{Concurrency: 4, PerPage: 25}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, call.UUID)
		if len(ids) == 50 { // the last call of page 2; page 3 hangs until ctx ends
			cancel()
		}
	}
	require.Equal(t, wantUUIDs(0, 50), ids)
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], context.Canceled)
	require.LessOrEqual(t, len(srv.requested()), 1+4+1)
}

func TestExportReportsProgressFromTheConsumer(t *testing.T) {
	c, mt := newTestClient(t)
	srv := newPagedCalls(110)
	srv.register(mt)
	var received int
	var got []ExportProgress
	opts := &ExportOptions{PerPage: 25, Concurrency: 4, OnProgress: func(p ExportProgress) {
		// On the consumer's goroutine, after the page's calls: no lock needed.
		require.Equal(t, received, p.Calls, "calls yielded before the report")
		got = append(got, p)
	}}
	for _, err := range c.Calls.Export(context.Background(), opts) {
		require.NoError(t, err)
		received++
	}
	require.Equal(t, []ExportProgress{
		{CompanyID: testCompany, PagesDone: 1, PagesTotal: 5, Calls: 25},
		{CompanyID: testCompany, PagesDone: 2, PagesTotal: 5, Calls: 50},
		{CompanyID: testCompany, PagesDone: 3, PagesTotal: 5, Calls: 75},
		{CompanyID: testCompany, PagesDone: 4, PagesTotal: 5, Calls: 100},
		{CompanyID: testCompany, PagesDone: 5, PagesTotal: 5, Calls: 110},
	}, got)
}

func TestExportRejectsBadOptionsBeforeAnyRequest(t *testing.T) {
	t0 := time.Date(2024, 11, 4, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		ctx  context.Context
		opts *ExportOptions
	}{
		{"nil context", nil, nil},
		{"negative concurrency", context.Background(), &ExportOptions{Concurrency: -1}},
		{"too much concurrency", context.Background(), &ExportOptions{Concurrency: MaxExportConcurrency + 1}},
		{"negative per page", context.Background(), &ExportOptions{PerPage: -1}},
		{"per page above 100", context.Background(), &ExportOptions{PerPage: 101}},
		{"end before start", context.Background(), &ExportOptions{CreatedAtStart: t0, CreatedAtEnd: t0.Add(-time.Second)}},
		{"start in the future", context.Background(), &ExportOptions{CreatedAtStart: time.Now().Add(time.Hour)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newTestClient(t)
			recordAll(mt, nil)
			ids, errs := collect(t, c, tc.ctx, tc.opts)
			require.Empty(t, ids)
			require.Len(t, errs, 1)
			require.ErrorIs(t, errs[0], ErrInvalidArgument)
			noRequests(t, mt)
		})
	}
}

func TestExportAcceptsEdgeOptions(t *testing.T) {
	t0 := time.Date(2024, 11, 4, 12, 0, 0, 0, time.UTC)
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v2/calls.json", 200, `[]`)
	_, errs := collect(t, c, context.Background(), &ExportOptions{
		CreatedAtStart: t0.Add(400 * time.Millisecond), CreatedAtEnd: t0.Add(900 * time.Millisecond), // the same second
		Concurrency: MaxExportConcurrency, PerPage: 1,
	})
	require.Empty(t, errs)
	q := rec.only(t).Query
	require.Equal(t, "2024-11-04T12:00:00Z", q.Get("created_at_start"))
	require.Equal(t, "2024-11-04T12:00:00Z", q.Get("created_at_end"))
	require.Equal(t, "1", q.Get("per_page"))
}
