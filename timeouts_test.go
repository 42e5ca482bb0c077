package retreaver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Slow bodies end with the attempt's timeout or the context, and the default
// transport has a timeout at every stage.

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
