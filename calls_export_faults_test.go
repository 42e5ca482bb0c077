package retreaver

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// Export when the listing misbehaves: rate limits and server errors, failures
// that persist, pages that shift while it runs, a missing or lying rel="last",
// empty pages and answers cut short.

func TestExportRecoversFromRateLimitsAndServerErrors(t *testing.T) {
	defer requireNoGoroutineLeak(t, snapshotGoroutines())
	c, mt := newTestClient(t, fastRetries) // Retry-After capped to 5 ms
	srv := newPagedCalls(12 * 25)
	srv.fault = func(page, attempt int) *http.Response {
		switch {
		case page == 3 && attempt == 1:
			resp := httpmock.NewStringResponse(429, `{"error":"Too many requests"}`)
			resp.Header.Set("Retry-After", "1")
			return resp
		case page == 7 && attempt <= 2:
			return httpmock.NewStringResponse(503, `{"error":"Service unavailable"}`)
		case page == 1 && attempt == 1:
			return httpmock.NewStringResponse(502, `<html>Bad gateway</html>`)
		}
		return nil
	}
	srv.register(mt)
	ids, errs := collect(t, c, context.Background(), &ExportOptions{PerPage: 25})
	require.Empty(t, errs)
	require.Equal(t, wantUUIDs(0, 300), ids)
	require.Len(t, srv.requested(), 12+1+2+1)
}

func TestExportFailureYieldsEarlierPagesThenTheError(t *testing.T) {
	defer requireNoGoroutineLeak(t, snapshotGoroutines())
	c, mt := newTestClient(t, fastRetries) // Retry-After capped to 5 ms
	srv := newPagedCalls(10 * 25)
	srv.fault = func(page, attempt int) *http.Response {
		if page == 4 {
			return httpmock.NewStringResponse(500, `{"error":"boom"}`)
		}
		return nil
	}
	srv.register(mt)
	ids, errs := collect(t, c, context.Background(), &ExportOptions{PerPage: 25, Concurrency: 4})
	require.Equal(t, wantUUIDs(0, 75), ids, "pages 1 to 3, in order")
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], ErrServer)
	var apiErr *APIError
	require.ErrorAs(t, errs[0], &apiErr)
	require.Equal(t, 500, apiErr.StatusCode)
	require.Contains(t, errs[0].Error(), "export page 4")
	require.NotContains(t, errs[0].Error(), testKey)
}

func TestExportRemovesDuplicatesOfShiftedPages(t *testing.T) {
	c, mt := newTestClient(t)
	srv := newPagedCalls(100)
	// Once page 1 is served, a call is back-dated to before every other: each
	// later page shifts by one, so the last call of page 1 comes again first on
	// page 2, and the listing grows a fifth page that page 4 names as next.
	srv.after = func(p *pagedCalls, page int) {
		if page == 1 && p.attempts[1] == 1 {
			p.uuids = append([]string{"back-dated"}, p.uuids...)
		}
	}
	srv.register(mt)
	var got []ExportProgress
	ids, errs := collect(t, c, context.Background(), &ExportOptions{PerPage: 25, Concurrency: 4,
		OnProgress: func(p ExportProgress) { got = append(got, p) }})
	require.Empty(t, errs)
	require.Equal(t, wantUUIDs(0, 100), ids, "every call once, in order (the back-dated one is the documented loss)")
	require.Equal(t, []int{1, 2, 3, 4, 5}, slices.Sorted(slices.Values(srv.requested())))
	require.Equal(t, ExportProgress{CompanyID: testCompany, PagesDone: 5, PagesTotal: 5, Calls: 100}, got[len(got)-1])
	require.Equal(t, 4, got[3].PagesTotal, "page 4 was the last announced")
}

func TestExportDedupeIsBounded(t *testing.T) {
	d := newPageDedupe(2)
	d.next()
	require.True(t, d.add("a"))
	require.False(t, d.add("a"))
	require.True(t, d.add(""))
	require.True(t, d.add(""), "calls without a UUID are never dropped")
	d.next()
	require.False(t, d.add("a"), "the previous page is remembered")
	require.True(t, d.add("b"))
	d.next()
	require.True(t, d.add("a"), "two pages back is forgotten")
	require.False(t, d.add("b"))
	require.Len(t, d.seen, 2)
}

func TestExportWithoutRelLastFollowsNextSequentially(t *testing.T) {
	c, mt := newTestClient(t)
	srv := newPagedCalls(7*25 + 3)
	srv.noLast = true
	srv.register(mt)
	var got []ExportProgress
	ids, errs := collect(t, c, context.Background(), &ExportOptions{PerPage: 25, Concurrency: 8,
		OnProgress: func(p ExportProgress) { got = append(got, p) }})
	require.Empty(t, errs)
	require.Equal(t, wantUUIDs(0, 178), ids)
	require.Equal(t, []int{1, 2, 3, 4, 5, 6, 7, 8}, srv.requested(), "in order")
	require.Equal(t, 1, srv.peak(), "one at a time")
	require.Equal(t, ExportProgress{CompanyID: testCompany, PagesDone: 1, PagesTotal: 0, Calls: 25}, got[0], "total unknown")
	require.Equal(t, ExportProgress{CompanyID: testCompany, PagesDone: 8, PagesTotal: 8, Calls: 178}, got[7], "known on the last page")
}

func TestExportEmptyPageBeforeTheAnnouncedLastIsAnError(t *testing.T) {
	defer requireNoGoroutineLeak(t, snapshotGoroutines())
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	srv := newPagedCalls(3*25 + 5)
	srv.lieLast = 1_000_000
	srv.register(mt)
	var got []ExportProgress
	ids, errs := collect(t, c, context.Background(), &ExportOptions{PerPage: 25, Concurrency: 4,
		OnProgress: func(p ExportProgress) { got = append(got, p) }})
	require.Equal(t, wantUUIDs(0, 80), ids, "the calls of the pages before the empty one")
	require.Len(t, errs, 1, "an export never ends short in silence")
	require.ErrorIs(t, errs[0], ErrUnexpectedResponse)
	require.ErrorContains(t, errs[0], "export page 5")
	require.ErrorContains(t, errs[0], "empty page before the announced last page")
	page5 := 0
	for _, p := range srv.requested() {
		if p == 5 {
			page5++
		}
	}
	require.Equal(t, 3, page5, "the empty page is retried like a network failure")
	require.NotEmpty(t, got, "progress of the pages before the empty one")
	for _, p := range got {
		require.Equal(t, 1_000_000, p.PagesTotal, "progress never shows a shrunk total")
	}
}

func TestExportLastPageThatDoesNotAdvance(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "GET", "api/v2/calls.json", 200, `[{"call":{"uuid":"a"}}]`,
		"Link", `<https://api.test/api/v2/calls.json?page=1>; rel="next", <https://api.test/api/v2/calls.json?page=1>; rel="last"`)
	ids, errs := collect(t, c, context.Background(), nil)
	require.Equal(t, []string{"a"}, ids)
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], ErrPagination)
}

// errAfter is a body that ends with err instead of EOF: a connection closed
// before the promised length.
type errAfter struct {
	r   io.Reader
	err error
}

func (e errAfter) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, e.err
	}
	return n, err
}

func (e errAfter) Close() error { return nil }

func TestExportNeverEndsShortInSilence(t *testing.T) {
	faults := map[string]func() *http.Response{
		"200 with an empty body": func() *http.Response { return newJSONResponse(http.StatusOK, "") },
		"200 [] without Link":    func() *http.Response { return newJSONResponse(http.StatusOK, "[]") },
		"headers, then the connection closes": func() *http.Response {
			resp := newJSONResponse(http.StatusOK, "")
			resp.Body = errAfter{strings.NewReader(""), io.ErrUnexpectedEOF}
			return resp
		},
		"a body cut short": func() *http.Response {
			return newJSONResponse(http.StatusOK, `[{"call":{"uuid":"call-0000`)
		},
	}
	for name, fault := range faults {
		for _, persistent := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, persistent %v", name, persistent), func(t *testing.T) {
				defer requireNoGoroutineLeak(t, snapshotGoroutines())
				c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
				srv := newPagedCalls(100)
				srv.fault = func(page, attempt int) *http.Response {
					if page == 3 && (persistent || attempt == 1) {
						return fault()
					}
					return nil
				}
				srv.register(mt)
				var progress []ExportProgress
				ids, errs := collect(t, c, context.Background(), &ExportOptions{PerPage: 25, Concurrency: 2,
					OnProgress: func(p ExportProgress) { progress = append(progress, p) }})
				require.NotEmpty(t, progress)
				for _, p := range progress {
					require.Equal(t, 4, p.PagesTotal, "progress never shows a shrunk total")
				}
				if !persistent {
					require.Empty(t, errs, "retried like a network failure")
					require.Equal(t, wantUUIDs(0, 100), ids)
					return
				}
				require.Len(t, errs, 1)
				require.Contains(t, errs[0].Error(), "export page 3")
				require.Equal(t, wantUUIDs(0, 50), ids, "the pages before the faulty one")
			})
		}
	}
}
