package retreaver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestErrorMessageDepthIsBounded(t *testing.T) {
	// Each level of nesting is parsed again by the level above it: a hostile error
	// body nested thousands deep cost seconds of CPU per answer before the depth
	// was bounded. Messages within the bound are still found.
	nested := func(depth int) string {
		return `{"errors":` + strings.Repeat(`{"k":`, depth) + `"deep"` + strings.Repeat("}", depth) + `}`
	}
	require.Equal(t, strings.TrimSpace(strings.Repeat("k ", 6))+" deep", errorMessage([]byte(nested(6))))
	require.NotContains(t, errorMessage([]byte(nested(maxMessageDepth+1))), "k k k k k k k k k deep")
	require.Equal(t, "deep", errorMessage([]byte(`{"errors":[[[[[["deep"]]]]]]}`)))

	hostile := `{"errors":` + strings.Repeat("[", 9000) + `"x"` + strings.Repeat("]", 9000) + `}`
	msg := errorMessage([]byte(hostile))
	require.LessOrEqual(t, len(msg), maxMessageLen)
	require.NotContains(t, msg, `x`, "nothing below the bound is looked at")
}

// ---- Bounded reads and timeouts -------------------------------------------

func TestEndlessErrorBodyIsBounded(t *testing.T) {
	before := snapshotGoroutines()
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		chunk := []byte(strings.Repeat("<p>internal error</p>", 500))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	c, err := NewClient(testKey, WithBaseURL(srv.URL), WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	require.NoError(t, err)
	_, err = c.Companies.Get(context.Background(), 1)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.ErrorIs(t, err, ErrServer)
	require.Len(t, apiErr.Body, maxErrorBody, "the body was read to the bound and no further")
	require.LessOrEqual(t, len(apiErr.Message), maxMessageLen)
	require.Less(t, len(err.Error()), 1024)
	require.EqualValues(t, 2, served.Load(), "a 500 to a GET is retried, each answer bounded")
	srv.Close()
	c.cfg.httpClient.CloseIdleConnections()
	requireNoGoroutineLeak(t, before)
}

// dripServer answers status and then one byte of body every interval, forever,
// until the client goes away.
func dripServer(status int, interval time.Duration, served *atomic.Int64) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		rc := http.NewResponseController(w)
		w.Write([]byte(`{"company":{"name":"`))
		rc.Flush()
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
				if _, err := w.Write([]byte("x")); err != nil {
					return
				}
				if rc.Flush() != nil {
					return
				}
			}
		}
	}))
}

func TestSlowBodyIsBoundedByThePerAttemptTimeout(t *testing.T) {
	for _, status := range []int{http.StatusOK, http.StatusServiceUnavailable} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			before := snapshotGoroutines()
			var served atomic.Int64
			srv := dripServer(status, 5*time.Millisecond, &served)
			hc := &http.Client{Timeout: 150 * time.Millisecond} // each attempt
			c, err := NewClient(testKey, WithBaseURL(srv.URL), WithHTTPClient(hc),
				WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
			require.NoError(t, err)
			_, err = c.Companies.Get(context.Background(), 1)
			var ue *url.Error
			require.ErrorAs(t, err, &ue, "%T %v", err, err)
			require.True(t, ue.Timeout(), "the attempt timed out: %v", err)
			requireErrorFree(t, err, testKey)
			require.EqualValues(t, 3, served.Load(), "every attempt timed out on its own and a GET was tried again")
			srv.Close()
			hc.CloseIdleConnections()
			requireNoGoroutineLeak(t, before)
		})
	}
}

func TestSlowBodyIsBoundedByTheContext(t *testing.T) {
	before := snapshotGoroutines()
	var served atomic.Int64
	srv := dripServer(http.StatusOK, 5*time.Millisecond, &served)
	c, err := NewClient(testKey, WithBaseURL(srv.URL), fastRetries)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	_, err = c.Companies.Get(ctx, 1)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	requireErrorFree(t, err, testKey)
	require.EqualValues(t, 1, served.Load(), "no attempt starts once the context is done")
	srv.Close()
	c.cfg.httpClient.CloseIdleConnections()
	requireNoGoroutineLeak(t, before)
}

func TestDefaultTransportHasATimeoutAtEveryStage(t *testing.T) {
	// TestNewClientDefaults checks that the timeouts are set; these are their
	// values (client.go), and how they fit together.
	c, err := NewClient("k")
	require.NoError(t, err)
	hc := c.cfg.httpClient
	tr, ok := hc.Transport.(*http.Transport)
	require.True(t, ok)
	require.NotNil(t, tr.DialContext, "a dialer with a timeout, not the zero net.Dialer (no timeout)")
	require.NotNil(t, tr.Proxy, "proxies from the environment are honoured")
	require.Equal(t, 10*time.Second, tr.TLSHandshakeTimeout)
	require.Equal(t, 60*time.Second, tr.ResponseHeaderTimeout)
	require.Equal(t, 90*time.Second, tr.IdleConnTimeout)
	require.Equal(t, time.Second, tr.ExpectContinueTimeout)
	require.Equal(t, 5*time.Minute, hc.Timeout)
	for name, d := range map[string]time.Duration{"TLS handshake": tr.TLSHandshakeTimeout, "response header": tr.ResponseHeaderTimeout} {
		require.Less(t, d, hc.Timeout, "%s timeout below the overall bound", name)
	}
	require.Positive(t, tr.MaxIdleConnsPerHost)

	// Each client has its own transport, shared by its WithCompany copies.
	c2, err := NewClient("k")
	require.NoError(t, err)
	require.NotSame(t, tr, c2.cfg.httpClient.Transport)
	require.Same(t, hc, c.WithCompany(9).cfg.httpClient)

	// A caller's client keeps its transport and timeout; only the redirect guard
	// is added, on a copy.
	mine := &http.Client{Transport: &http.Transport{}, Timeout: 3 * time.Second}
	c3, err := NewClient("k", WithHTTPClient(mine))
	require.NoError(t, err)
	require.Same(t, mine.Transport, c3.cfg.httpClient.Transport)
	require.Equal(t, 3*time.Second, c3.cfg.httpClient.Timeout)
	require.Nil(t, mine.CheckRedirect, "the caller's client is not modified")
}

// ---- Goroutine leaks ------------------------------------------------------

// goroutineSnapshot is the set of goroutines of interest at one moment: those
// running net/http or this package's code.
type goroutineSnapshot []string

func snapshotGoroutines() goroutineSnapshot {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out goroutineSnapshot
	for _, g := range strings.Split(string(buf), "\n\n") {
		g = strings.TrimSpace(g)
		if g == "" || strings.Contains(g, "snapshotGoroutines") {
			continue
		}
		if strings.Contains(g, "net/http.") || strings.Contains(g, "retreaver.") {
			out = append(out, g)
		}
	}
	return out
}

// signature is what identifies a goroutine across snapshots: its stack without
// the header line (which holds its id and state) and without argument values.
func signature(stack string) string {
	lines := strings.Split(stack, "\n")
	var b strings.Builder
	for _, l := range lines[1:] {
		if i := strings.LastIndex(l, "("); i > 0 && !strings.HasPrefix(l, "\t") {
			l = l[:i]
		}
		if strings.HasPrefix(l, "\t") {
			if i := strings.LastIndex(l, " +0x"); i > 0 {
				l = l[:i]
			}
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// requireNoGoroutineLeak waits until there are no more goroutines of interest
// than before, and fails listing the new ones if that does not happen. closeIdle
// functions (the transports' CloseIdleConnections) are called on every try.
func requireNoGoroutineLeak(t *testing.T, before goroutineSnapshot, closeIdle ...func()) {
	t.Helper()
	if extra, ok := waitGoroutines(before, 10*time.Second, closeIdle...); !ok {
		t.Fatalf("%d goroutines of interest before, %d more after; the new ones:\n\n%s", len(before), len(extra), strings.Join(extra, "\n\n"))
	}
}

// waitGoroutines waits up to limit for the goroutines of interest to be no more
// than before. When they are not, it returns those that are new.
func waitGoroutines(before goroutineSnapshot, limit time.Duration, closeIdle ...func()) (extra []string, ok bool) {
	deadline := time.Now().Add(limit)
	var now goroutineSnapshot
	for {
		for _, f := range closeIdle {
			f()
		}
		now = snapshotGoroutines()
		if len(now) <= len(before) {
			return nil, true
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	known := map[string]int{}
	for _, g := range before {
		known[signature(g)]++
	}
	for _, g := range now {
		if s := signature(g); known[s] > 0 {
			known[s]--
		} else {
			extra = append(extra, g)
		}
	}
	return extra, false
}

func TestGoroutineLeakCheckCanFail(t *testing.T) {
	before := snapshotGoroutines()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	hc := &http.Client{}
	resp, err := hc.Get(srv.URL)
	require.NoError(t, err)
	resp.Body.Close()
	// A kept-alive connection holds goroutines on both ends until it is closed.
	extra, ok := waitGoroutines(before, 20*time.Millisecond)
	require.False(t, ok)
	require.NotEmpty(t, extra)
	require.Contains(t, strings.Join(extra, "\n"), "net/http.(*persistConn)")
	srv.Close()
	requireNoGoroutineLeak(t, before, hc.CloseIdleConnections)
}
