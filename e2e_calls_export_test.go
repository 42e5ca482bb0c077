package retreaver_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/require"
)

// End to end against the fake API: Export pulls every call of its window
// exactly once, oldest first, while new calls keep arriving and while the
// server answers 429, 503 and drops connections.

// isCallListing matches the requests of the call listing.
var isCallListing = e2eMatch(http.MethodGet, "/api/v2/calls.json")

func TestExportEndToEndWhileCallsArriveAndRequestsFail(t *testing.T) {
	srv := retreavertest.NewServer()
	t.Cleanup(srv.Close)
	const seeded = 1000
	srv.SeedCalls(seeded)

	client, err := retreaver.NewClient(srv.APIKey,
		retreaver.WithBaseURL(srv.URL),
		retreaver.WithRTBBaseURL(srv.URL),
		retreaver.WithCompanyID(srv.CompanyID),
		// Enough attempts that random faults cannot exhaust them; a MaxBackoff
		// above a second so that Retry-After: 1 is honoured as sent.
		retreaver.WithRetryPolicy(retreaver.RetryPolicy{MaxAttempts: 10, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Second}),
	)
	require.NoError(t, err)

	srv.FailNext(1, retreavertest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second, Match: isCallListing})
	srv.FailRate(0.08, retreavertest.Fault{Status: http.StatusServiceUnavailable, Match: isCallListing})
	srv.FailRate(0.05, retreavertest.Fault{Drop: true, Match: isCallListing})

	// New calls arrive all along: created now, after the export's pinned end.
	stop := make(chan struct{})
	var inserters sync.WaitGroup
	inserters.Add(1)
	go func() {
		defer inserters.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
				now := time.Now()
				srv.SeedCallsAt(srv.CompanyID, 3, now.Add(time.Second), now.Add(2*time.Second))
			}
		}
	}()

	it := client.Calls.Export(context.Background(), &retreaver.ExportOptions{
		PerPage:     25,
		Concurrency: 4,
		OnProgress: func(retreaver.ExportProgress) {
			now := time.Now() // and some more between every two pages
			srv.SeedCallsAt(srv.CompanyID, 7, now.Add(time.Second), now.Add(time.Minute))
		},
	})
	seen := map[string]int{}
	var calls []*retreaver.Call
	for call, err := range it {
		require.NoError(t, err)
		seen[call.UUID]++
		calls = append(calls, call)
	}
	close(stop)
	inserters.Wait()

	require.Len(t, calls, seeded, "the calls of the window, and none of those that arrived later")
	require.Len(t, seen, seeded, "each once")
	for i := 1; i < len(calls); i++ {
		require.False(t, calls[i].CreatedAt.Before(calls[i-1].CreatedAt), "ascending created_at at %d", i)
	}
	require.Greater(t, srv.CallCount(srv.CompanyID), seeded+100, "calls kept arriving during the export")

	// Every request asked for the same pinned window, in ascending order.
	var pinned string
	faulted := 0
	pages := map[string]bool{}
	for _, r := range srv.Requests() {
		if r.Path != "/api/v2/calls.json" {
			continue
		}
		if pinned == "" {
			pinned = r.Query.Get("created_at_end")
		}
		require.Equal(t, pinned, r.Query.Get("created_at_end"))
		require.Equal(t, "created_at", r.Query.Get("sort_by"))
		require.Equal(t, "asc", r.Query.Get("order"))
		if pages[r.Query.Get("page")] {
			faulted++
		}
		pages[r.Query.Get("page")] = true
	}
	require.Len(t, pages, seeded/25, "every page")
	require.GreaterOrEqual(t, faulted, 3, "faults were injected and retried")
	t.Logf("%d requests for %d pages", len(srv.Requests()), len(pages))

	// The same window listed afterwards, quietly, holds exactly those calls.
	srv.ClearFaults()
	end, err := time.Parse(time.RFC3339, pinned)
	require.NoError(t, err)
	var want []string
	for call, err := range client.Calls.All(context.Background(), &retreaver.CallListOptions{
		CreatedAtEnd: end, SortBy: retreaver.SortByCreatedAt, Order: retreaver.OrderAsc, PerPage: 100,
	}) {
		require.NoError(t, err)
		want = append(want, call.UUID)
	}
	require.Equal(t, want, e2eUUIDs(calls))
}

func TestExportEndToEndBreakAndCancel(t *testing.T) {
	srv := retreavertest.NewServer(retreavertest.WithLatency(5 * time.Millisecond))
	t.Cleanup(srv.Close)
	srv.SeedCalls(1000)
	client, err := retreaver.NewClient(srv.APIKey, retreaver.WithBaseURL(srv.URL), retreaver.WithCompanyID(srv.CompanyID))
	require.NoError(t, err)

	n := 0
	for _, err := range client.Calls.Export(context.Background(), &retreaver.ExportOptions{PerPage: 10}) {
		require.NoError(t, err)
		if n++; n == 15 {
			break
		}
	}
	// Page 1, four pages in flight, one more started when page 2 was taken.
	require.LessOrEqual(t, len(srv.Requests()), 6)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last error
	n = 0
	for _, err := range client.Calls.Export(ctx, &retreaver.ExportOptions{PerPage: 10}) {
		if err != nil {
			last = err
			continue
		}
		if n++; n == 25 {
			cancel()
		}
	}
	require.ErrorIs(t, last, context.Canceled)
}
