package retreaver

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// The helpers of the export tests that several files share: for Calls.Export
// (calls_export_test.go, calls_export_faults_test.go), an in-memory call
// listing and the uuids it holds; for the downloads of Exports
// (exports_download_test.go, rtb_inbound_csv_test.go and their benchmark), the
// download path, gzip, and the check of what the file's host received.

// pagedCalls is an in-memory call listing for the Export tests: calls in
// ascending created_at order, served page by page with Link headers like the
// API's, with hooks to delay, fail or change the listing between requests.
type pagedCalls struct {
	mu      sync.Mutex
	uuids   []string // ascending created_at order
	noLast  bool     // omit rel="last"
	lieLast int      // announce this rel="last" instead of the real one

	// hold, when set, runs before a page is answered (outside the lock), with the
	// request's context; it may block.
	hold func(ctx context.Context, page int)
	// fault, when set, may answer a request instead (attempt counts the requests
	// for this page, from 1). It runs under the lock.
	fault func(page, attempt int) *http.Response
	// after runs under the lock once a page's content is chosen: it may change
	// the listing for the next requests.
	after func(p *pagedCalls, page int)

	attempts    map[int]int
	pages       []int // page of every request, in arrival order
	inFlight    int
	maxInFlight int
}

var exportEpoch = time.Date(2024, 11, 4, 0, 0, 0, 0, time.UTC)

// newPagedCalls returns a listing of n calls, one a second from exportEpoch.
func newPagedCalls(n int) *pagedCalls {
	p := &pagedCalls{attempts: map[int]int{}}
	for i := 0; i < n; i++ {
		p.uuids = append(p.uuids, callUUID(i))
	}
	return p
}

// callUUID is the uuid of the i-th call of a listing.
func callUUID(i int) string { return fmt.Sprintf("call-%06d", i) }

// register makes p answer GET api/v2/calls.json on mt.
func (p *pagedCalls) register(mt *httpmock.MockTransport) {
	mt.RegisterResponder("GET", testBaseURL+"api/v2/calls.json", p.respond)
}

func (p *pagedCalls) respond(req *http.Request) (*http.Response, error) {
	q := req.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	if page < 1 {
		page = 1
	}
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	if perPage < 1 {
		perPage = 25
	}

	p.mu.Lock()
	p.pages = append(p.pages, page)
	p.attempts[page]++
	p.inFlight++
	p.maxInFlight = max(p.maxInFlight, p.inFlight)
	hold := p.hold
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.inFlight--
		p.mu.Unlock()
	}()
	if hold != nil {
		hold(req.Context(), page)
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fault != nil {
		if resp := p.fault(page, p.attempts[page]); resp != nil {
			return resp, nil
		}
	}
	total := len(p.uuids)
	last := max((total+perPage-1)/perPage, 1)
	lo, hi := min((page-1)*perPage, total), min(page*perPage, total)
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range p.uuids[lo:hi] {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"call":{"uuid":%q,"created_at":%q}}`, id, exportEpoch.Add(time.Duration(lo+i)*time.Second).Format(time.RFC3339))
	}
	b.WriteByte(']')
	if p.after != nil {
		p.after(p, page)
	}

	link := func(n int, rel string) string {
		u := *req.URL
		lq := u.Query()
		lq.Set("page", strconv.Itoa(n))
		u.RawQuery = lq.Encode()
		u.Host = "retreaver.com" // the API's links name another host
		return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
	}
	links := []string{link(1, "first")}
	if page > 1 {
		links = append(links, link(page-1, "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"))
	}
	switch {
	case p.lieLast > 0:
		links = append(links, link(p.lieLast, "last"))
	case !p.noLast:
		links = append(links, link(last, "last"))
	}
	resp := httpmock.NewStringResponse(http.StatusOK, b.String())
	resp.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp.Header.Set("Link", strings.Join(links, ", "))
	return resp, nil
}

// requested returns the page of every request, in arrival order.
func (p *pagedCalls) requested() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]int(nil), p.pages...)
}

// peak returns the most requests that were in flight at once.
func (p *pagedCalls) peak() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.maxInFlight
}

// collect runs an export to its end and returns the UUIDs and errors it yielded.
func collect(t *testing.T, c *Client, ctx context.Context, opts *ExportOptions) ([]string, []error) {
	t.Helper()
	var ids []string
	var errs []error
	for call, err := range c.Calls.Export(ctx, opts) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, call.UUID)
	}
	return ids, errs
}

// wantUUIDs returns the uuids of calls lo to hi-1, in order.
func wantUUIDs(lo, hi int) []string {
	var out []string
	for i := lo; i < hi; i++ {
		out = append(out, callUUID(i))
	}
	return out
}

// exportFilePath is the download path of export 501, the reference's example.
const exportFilePath = "/v2/reports/rtb_inbounds/501/download"

// gzipped returns s compressed with gzip.
func gzipped(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// requireCredentialFree fails if a request the file's host received carries
// the key, company_id or any credential header.
func requireCredentialFree(t *testing.T, r wireRequest) {
	t.Helper()
	require.False(t, r.Query.Has("api_key"), "api_key sent to the file's host")
	require.False(t, r.Query.Has("company_id"), "company_id sent to the file's host")
	require.NotContains(t, r.RawURL, testKey, "the key in the path or query at the file's host")
	path, err := url.PathUnescape(r.Path)
	require.NoError(t, err)
	require.NotContains(t, path, testKey, "the key, percent-encoded, in the path at the file's host")
	for _, h := range []string{"Authorization", "Cookie", "Proxy-Authorization", "X-Api-Key"} {
		require.Empty(t, r.Header.Get(h), "%s sent to the file's host", h)
	}
	for name, values := range r.Header {
		for _, v := range values {
			requireTextFree(t, "header "+name+" at the file's host", v, testKey)
		}
	}
}
