package retreavertest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func (a *api) get(path string) (*http.Response, error) {
	return http.Get(a.srv.URL + path + "?api_key=" + a.srv.APIKey)
}

func TestFaultStatusAndQueue(t *testing.T) {
	a := newAPI(t)
	a.srv.FailNext(1, Fault{Status: http.StatusTooManyRequests, RetryAfter: 1500 * time.Millisecond})
	a.srv.FailNext(2, Fault{Status: http.StatusServiceUnavailable})
	resp, body := a.raw(http.MethodGet, "/company.json", nil, nil)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	require.Equal(t, "2", resp.Header.Get("Retry-After"))
	require.JSONEq(t, `{"error":"Too Many Requests"}`, string(body))
	for i := 0; i < 2; i++ {
		resp, _ = a.raw(http.MethodGet, "/company.json", nil, nil)
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		require.Empty(t, resp.Header.Get("Retry-After"))
	}
	a.call(http.MethodGet, "/company.json", nil, nil, http.StatusOK)
	// Faulted requests are logged too.
	require.Len(t, a.srv.Requests(), 4)

	// Faults come before auth and routing.
	a.srv.FailNext(1, Fault{Status: http.StatusBadGateway})
	resp, _ = http.Get(a.srv.URL + "/nowhere")
	require.Equal(t, http.StatusBadGateway, resp.StatusCode)
	resp.Body.Close()
}

func TestFaultMatch(t *testing.T) {
	a := newAPI(t)
	a.srv.FailNext(1, Fault{Status: 500, Match: func(r *http.Request) bool { return r.Method == http.MethodPost }})
	a.call(http.MethodGet, "/targets.json", nil, nil, http.StatusOK)
	a.call(http.MethodPost, "/targets.json", nil, obj{"target": obj{"number": "+1"}}, http.StatusInternalServerError)
	a.call(http.MethodPost, "/targets.json", nil, obj{"target": obj{"number": "+1"}}, http.StatusCreated)
	// Match can read the body.
	a.srv.FailNext(1, Fault{Status: 500, Match: func(r *http.Request) bool {
		b, _ := io.ReadAll(r.Body)
		return strings.Contains(string(b), "boom")
	}})
	a.call(http.MethodPost, "/api/v1/affiliates.json", nil, obj{"affiliate": obj{"afid": "ok"}}, http.StatusCreated)
	a.call(http.MethodPost, "/api/v1/affiliates.json", nil, obj{"affiliate": obj{"afid": "boom"}}, http.StatusInternalServerError)
	a.srv.FailNext(3, Fault{Status: 500})
	a.srv.ClearFaults()
	a.call(http.MethodGet, "/targets.json", nil, nil, http.StatusOK)
}

func TestFaultRateIsDeterministic(t *testing.T) {
	pattern := func() string {
		a := newAPI(t)
		a.srv.FailRate(0.3, Fault{Status: http.StatusInternalServerError})
		var b strings.Builder
		for i := 0; i < 40; i++ {
			resp, _ := a.raw(http.MethodGet, "/company.json", nil, nil)
			b.WriteString(strconv.Itoa(resp.StatusCode / 100))
		}
		return b.String()
	}
	p1, p2 := pattern(), pattern()
	require.Equal(t, p1, p2)
	fails := strings.Count(p1, "5")
	require.Greater(t, fails, 3)
	require.Less(t, fails, 25)
}

func TestFaultDrop(t *testing.T) {
	a := newAPI(t)
	// Warm up a keep-alive connection first: the drop must still surface.
	a.call(http.MethodGet, "/company.json", nil, nil, http.StatusOK)
	a.srv.FailNext(1, Fault{Drop: true})
	_, err := a.get("/company.json")
	require.Error(t, err)
	resp, err := a.get("/company.json")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, a.srv.Requests(), 3)
}

func TestFaultTruncate(t *testing.T) {
	a := newAPI(t, WithDemoData())
	_, full := a.raw(http.MethodGet, "/targets.json", nil, nil)
	a.srv.FailNext(1, Fault{Truncate: true})
	resp, err := a.get("/targets.json")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, int64(len(full)), resp.ContentLength)
	got, err := io.ReadAll(resp.Body)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	require.Equal(t, full[:len(full)/2], got)
}

func TestFaultSlowBodyAndLatency(t *testing.T) {
	a := newAPI(t, WithDemoData())
	a.srv.FailNext(1, Fault{SlowBody: 200 * time.Millisecond})
	start := time.Now()
	resp, body := a.raw(http.MethodGet, "/targets.json", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.GreaterOrEqual(t, time.Since(start), 190*time.Millisecond)
	require.Contains(t, string(body), `"target"`)

	a.srv.FailNext(1, Fault{Latency: 100 * time.Millisecond, Status: 503})
	start = time.Now()
	a.call(http.MethodGet, "/targets.json", nil, nil, http.StatusServiceUnavailable)
	require.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)

	// Cancellation is honoured while waiting and while writing slowly.
	for _, f := range []Fault{{Latency: 5 * time.Second}, {SlowBody: 5 * time.Second}} {
		a.srv.FailNext(1, f)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, a.srv.URL+"/targets.json?api_key="+a.srv.APIKey, nil)
		start = time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		cancel()
		require.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
		require.Less(t, time.Since(start), 2*time.Second)
	}
}

func TestServerLatency(t *testing.T) {
	a := newAPI(t, WithLatency(400*time.Millisecond))
	start := time.Now()
	a.call(http.MethodGet, "/company.json", nil, nil, http.StatusOK)
	require.GreaterOrEqual(t, time.Since(start), 400*time.Millisecond)
	a.srv.SetLatency(0)
	start = time.Now()
	a.call(http.MethodGet, "/company.json", nil, nil, http.StatusOK)
	require.Less(t, time.Since(start), 400*time.Millisecond, "the latency is gone (a loaded machine still answers sooner)")
}
