package retreaver

import (
	"io"
	"iter"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// Shared fixtures of the unit tests: a client wired to an httpmock transport, a
// recorder of what reached the wire, quick retries, valid report options, and
// measures of the bytes a function allocates and of its peak heap.

const (
	testKey     = "k3y-5ecret-0123456789abcdef"
	testBaseURL = "https://api.test/"
	testRTBURL  = "https://rtb.test/"
	testCompany = 1
)

// maxMessageLen is the most errorMessage may return: 500 bytes and an ellipsis.
const maxMessageLen = 500 + len("…")

// fastRetries retries quickly so tests do not wait.
var fastRetries = WithRetryPolicy(RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})

// newTestClient returns a client whose requests go to an httpmock transport,
// scoped to company 1, with retries off unless opts turn them on.
func newTestClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	base := []Option{
		WithHTTPClient(&http.Client{Transport: mt}),
		WithBaseURL(testBaseURL),
		WithRTBBaseURL(testRTBURL),
		WithCompanyID(testCompany),
		WithRetryPolicy(NoRetries),
	}
	c, err := NewClient(testKey, append(base, opts...)...)
	require.NoError(t, err)
	return c, mt
}

// wireRequest is one request as it reached the transport.
type wireRequest struct {
	Method  string
	Path    string // escaped path, as sent
	Query   url.Values
	Body    []byte
	Header  http.Header
	RawURL  string
	Host    string
	Attempt int
}

// recorder answers requests and remembers them.
type recorder struct {
	mu   sync.Mutex
	reqs []wireRequest
}

func (r *recorder) record(req *http.Request) wireRequest {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	w := wireRequest{
		Method: req.Method,
		Path:   req.URL.EscapedPath(),
		Query:  req.URL.Query(),
		Body:   body,
		Header: req.Header.Clone(),
		RawURL: req.URL.String(),
		Host:   req.URL.Host,
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, w)
	w.Attempt = len(r.reqs)
	r.mu.Unlock()
	return w
}

// all returns the recorded requests.
func (r *recorder) all() []wireRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]wireRequest(nil), r.reqs...)
}

// only asserts that exactly one request was recorded and returns it.
func (r *recorder) only(t *testing.T) wireRequest {
	t.Helper()
	reqs := r.all()
	require.Len(t, reqs, 1, "requests on the wire")
	return reqs[0]
}

// stubAt is stub for an absolute URL (any host).
func stubAt(t *testing.T, mt *httpmock.MockTransport, method, rawURL string, status int, body string) *recorder {
	t.Helper()
	rec := &recorder{}
	mt.RegisterResponder(method, rawURL, func(req *http.Request) (*http.Response, error) {
		rec.record(req)
		resp := newJSONResponse(status, body)
		resp.Request = req
		return resp, nil
	})
	return rec
}

// stub answers method+path (any query) with status, body and optional header
// pairs ("Link", "<...>; rel=\"next\""), recording each request.
func stub(t *testing.T, mt *httpmock.MockTransport, method, path string, status int, body string, headerPairs ...string) *recorder {
	t.Helper()
	rec := &recorder{}
	mt.RegisterResponder(method, testBaseURL+strings.TrimPrefix(path, "/"), func(req *http.Request) (*http.Response, error) {
		rec.record(req)
		resp := newJSONResponse(status, body, headerPairs...)
		resp.Request = req
		return resp, nil
	})
	return rec
}

// recordAll answers every request with fn and records it. Use it for tests that
// must see requests on any path (or prove that none was sent).
func recordAll(mt *httpmock.MockTransport, fn func(w wireRequest) (*http.Response, error)) *recorder {
	rec := &recorder{}
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		w := rec.record(req)
		if fn == nil {
			return httpmock.NewStringResponse(http.StatusTeapot, `{"error":"unexpected request"}`), nil
		}
		resp, err := fn(w)
		if resp != nil {
			resp.Request = req
		}
		return resp, err
	})
	return rec
}

// fixture returns the contents of testdata/name.
func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}

// assertWire checks the method, escaped path and query of a request. The query
// must hold exactly want plus api_key and, unless noCompany, company_id=1.
func assertWire(t *testing.T, got wireRequest, method, path string, want url.Values, noCompany bool) {
	t.Helper()
	require.Equal(t, method, got.Method, "method")
	require.Equal(t, "/"+strings.TrimPrefix(path, "/"), got.Path, "path")
	q := url.Values{}
	for k, v := range want {
		q[k] = v
	}
	q.Set("api_key", testKey)
	if !noCompany {
		q.Set("company_id", "1")
	}
	require.Equal(t, q, got.Query, "query")
	require.Equal(t, "application/json", got.Header.Get("Accept"), "Accept header")
	require.True(t, strings.HasPrefix(got.Header.Get("User-Agent"), "retreaver-go/"+Version) ||
		strings.Contains(got.Header.Get("User-Agent"), " retreaver-go/"+Version), "User-Agent %q", got.Header.Get("User-Agent"))
}

// assertJSONBody checks that the body is exactly the JSON want (key order aside).
func assertJSONBody(t *testing.T, got wireRequest, want string) {
	t.Helper()
	require.JSONEq(t, want, string(got.Body), "request body")
	require.Equal(t, "application/json", got.Header.Get("Content-Type"), "Content-Type")
}

// assertNoBody checks that a request carried no body.
func assertNoBody(t *testing.T, got wireRequest) {
	t.Helper()
	require.Empty(t, got.Body, "request body")
}

// noRequests asserts that nothing reached the transport: for validation tests.
func noRequests(t *testing.T, mt *httpmock.MockTransport) {
	t.Helper()
	require.Zero(t, mt.GetTotalCallCount(), "requests sent")
}

// onlyError ranges over seq and requires that it yields exactly once, an error
// with no value, which it returns: for iterators that must fail before any
// request.
func onlyError[T any](t *testing.T, seq iter.Seq2[T, error]) error {
	t.Helper()
	var errs []error
	for v, err := range seq {
		require.Zero(t, v, "value yielded with the error")
		errs = append(errs, err)
	}
	require.Len(t, errs, 1, "yields")
	require.Error(t, errs[0])
	return errs[0]
}

// validReportOptions are report options that pass validation: the publisher
// facet, 25 October to 4 November 2024.
func validReportOptions() *ReportOptions {
	return &ReportOptions{
		Facet:          ReportFacetPublisher,
		CreatedAtStart: time.Date(2024, 10, 25, 0, 0, 0, 0, time.UTC),
		CreatedAtEnd:   time.Date(2024, 11, 4, 0, 0, 0, 0, time.UTC),
	}
}

// newJSONResponse is an answer with a JSON content type and optional header
// pairs ("Link", "<...>; rel=\"next\"").
func newJSONResponse(status int, body string, headerPairs ...string) *http.Response {
	resp := httpmock.NewStringResponse(status, body)
	resp.Header.Set("Content-Type", "application/json; charset=utf-8")
	for i := 0; i+1 < len(headerPairs); i += 2 {
		resp.Header.Add(headerPairs[i], headerPairs[i+1])
	}
	return resp
}

// allocated returns the bytes fn allocates: the least of three runs, since the
// count is the whole process's and other goroutines can only add to it.
func allocated(fn func()) uint64 {
	least := uint64(math.MaxUint64)
	for range 3 {
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		fn()
		runtime.ReadMemStats(&m1)
		least = min(least, m1.TotalAlloc-m0.TotalAlloc)
	}
	return least
}

// peakHeap runs fn while sampling the bytes of live and not yet swept heap
// objects every 200 µs, and returns the highest sample.
func peakHeap(fn func()) uint64 {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(samples)
		return samples[0].Value.Uint64()
	}
	runtime.GC()
	var peak atomic.Uint64
	peak.Store(read())
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if v := read(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	fn()
	if v := read(); v > peak.Load() {
		peak.Store(v)
	}
	close(done)
	wg.Wait()
	return peak.Load()
}
