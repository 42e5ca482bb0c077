package retreaver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Tests of what the transport does with answers no correct server sends.

func TestARedirectNeverTurnsAChangeIntoARead(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect} {
		var login atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/login" {
				login.Add(1)
				w.Header().Set("Content-Type", "text/html")
				_, _ = io.WriteString(w, "<html>Please log in</html>")
				return
			}
			http.Redirect(w, r, "/login", status)
		}))
		c, err := NewClient(testKey, WithBaseURL(srv.URL), WithRetryPolicy(NoRetries))
		require.NoError(t, err)
		ctx := context.Background()
		for name, call := range map[string]func() error{
			"DELETE": func() error { return c.Targets.Delete(ctx, 1) },
			"PUT":    func() error { _, err := c.Targets.Update(ctx, 1, &TargetParams{Name: Ptr("x")}); return err },
			"POST":   func() error { return c.Targets.ResetCap(ctx, 1) },
		} {
			err := call()
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr, "%s answered %d", name, status)
			require.Equal(t, status, apiErr.StatusCode, name)
			require.NotContains(t, err.Error(), testKey)
		}
		require.Zero(t, login.Load(), "the redirect was not followed")
		srv.Close()
	}
}

func TestAnHTMLPageIsNeverASuccess(t *testing.T) {
	for _, method := range []string{http.MethodDelete, http.MethodPut, http.MethodPost} {
		c, mt := newTestClient(t)
		path := "targets/1.json"
		if method == http.MethodPost {
			path = "targets/1/reset_cap.json"
		}
		rec := stub(t, mt, method, path, http.StatusOK, "<!DOCTYPE html><html><body>Sign in</body></html>")
		ctx := context.Background()
		var err error
		switch method {
		case http.MethodDelete:
			err = c.Targets.Delete(ctx, 1)
		case http.MethodPut:
			_, err = c.Targets.Update(ctx, 1, &TargetParams{Name: Ptr("x")})
		case http.MethodPost:
			err = c.Targets.ResetCap(ctx, 1)
		}
		require.ErrorIs(t, err, ErrUnexpectedResponse, method)
		require.Len(t, rec.all(), 1, method)
	}
}

// lyingLength answers a declared length far beyond what it sends.
type lyingLength struct{ declared int64 }

func (l lyingLength) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		ContentLength: l.declared, Body: io.NopCloser(strings.NewReader(`[]`)), Request: req}, nil
}

func TestContentLengthNeverSizesTheReadBuffer(t *testing.T) {
	c, err := NewClient(testKey, WithHTTPClient(&http.Client{Transport: lyingLength{declared: 64 << 20}}),
		WithBaseURL(testBaseURL), WithRetryPolicy(NoRetries))
	require.NoError(t, err)
	n := allocated(func() {
		_, err = c.Targets.List(context.Background(), nil)
	})
	require.NoError(t, err)
	require.Less(t, n, uint64(1<<20), "a declared 64 MiB must not be allocated for 2 bytes")
}

func TestARedirectLoopIsNotRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, r.URL.String(), http.StatusFound)
	}))
	defer srv.Close()
	c, err := NewClient(testKey, WithBaseURL(srv.URL),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	require.NoError(t, err)
	_, err = c.Targets.Get(context.Background(), 1)
	require.ErrorIs(t, err, errTooManyRedirects)
	require.NotContains(t, err.Error(), testKey)
	require.Equal(t, int32(10), hits.Load(), "one attempt: its redirects, and no retry")
}

func TestARateLimitWaitPastTheDeadlineIsADeadlineError(t *testing.T) {
	c, mt := newTestClient(t, WithRateLimit(0.01, 1))
	stub(t, mt, "GET", "targets/1.json", 200, `{"target":{"id":1}}`)
	_, err := c.Targets.Get(context.Background(), 1) // takes the only token
	require.NoError(t, err)
	// The next token comes in 100 s; the deadline is in 5 s.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err = c.Targets.Get(ctx, 1)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Less(t, time.Since(start), 2*time.Second, "fails at once, without waiting for the deadline")
}

func TestARetryAfterBeyondTheDeadlineFailsAtOnce(t *testing.T) {
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Minute}))
	rec := stub(t, mt, "GET", "targets/1.json", http.StatusTooManyRequests, `{"error":"slow down"}`, "Retry-After", "30")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.Targets.Get(ctx, 1)
	require.ErrorIs(t, err, ErrRateLimited)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 30*time.Second, apiErr.RetryAfter)
	require.Less(t, time.Since(start), time.Second)
	require.Len(t, rec.all(), 1)
}

func TestRetryAfterIsCappedInBothForms(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	require.Equal(t, maxRetryAfter, parseRetryAfter(now.AddDate(10, 0, 0).Format(http.TimeFormat), now))
	require.Equal(t, maxRetryAfter, parseRetryAfter("99999999999999999999999", now))
	require.Equal(t, maxRetryAfter, parseRetryAfter("9223372036854775807", now))
	require.Equal(t, 90*time.Second, parseRetryAfter(now.Add(90*time.Second).Format(http.TimeFormat), now))
	require.Zero(t, parseRetryAfter("-5", now))
}

func TestDotSegmentsAreRefused(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()
	for _, id := range []string{".", "..", " .. "} {
		_, err := c.Affiliates.GetByAFID(ctx, id)
		require.ErrorIs(t, err, ErrInvalidArgument, "%q", id)
		err = c.ContactNumbers.Delete(ctx, id)
		require.ErrorIs(t, err, ErrInvalidArgument, "%q", id)
		_, err = c.Calls.Get(ctx, id)
		require.ErrorIs(t, err, ErrInvalidArgument, "%q", id)
	}
	_, err := c.Do(ctx, http.MethodGet, "api/v2/../company.json", nil, nil, nil)
	require.ErrorIs(t, err, ErrInvalidArgument)
	noRequests(t, mt)
}

func TestTimesAreSentInUTC(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v2/calls.json", 200, `[]`)
	// An offset with seconds: formatting it in its own zone would cut them.
	odd := time.FixedZone("LMT", 5*3600+30*60+15)
	start := time.Date(2024, 11, 4, 12, 0, 0, 0, odd)
	_, err := c.Calls.List(context.Background(), &CallListOptions{CreatedAtStart: start, CreatedAtEnd: start.Add(time.Hour)})
	require.NoError(t, err)
	q := rec.only(t).Query
	require.Equal(t, "2024-11-04T06:29:45Z", q.Get("created_at_start"))
	require.Equal(t, "2024-11-04T07:29:45Z", q.Get("created_at_end"))
}

func TestAnswersCutShortAreRetried(t *testing.T) {
	for name, body := range map[string]string{
		"empty":     "",
		"truncated": `{"target":{"id":1,"na`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
			attempt := 0
			rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
				attempt++
				if attempt == 1 {
					return newJSONResponse(http.StatusOK, body), nil
				}
				return newJSONResponse(http.StatusOK, `{"target":{"id":1,"name":"whole"}}`), nil
			})
			got, err := c.Targets.Get(context.Background(), 1)
			require.NoError(t, err)
			require.Equal(t, "whole", got.Name)
			require.Len(t, rec.all(), 2)
		})
	}
	// A POST is not repeated: its answer cut short is an error.
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	rec := stub(t, mt, "POST", "targets.json", http.StatusCreated, `{"target":{"id":1,`)
	_, err := c.Targets.Create(context.Background(), &TargetParams{Number: Ptr("+15555550100")})
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	require.Len(t, rec.all(), 1)
}

func TestAPIErrorsTellTheAttemptsAndTheFields(t *testing.T) {
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	stub(t, mt, "GET", "targets/1.json", http.StatusServiceUnavailable, `{"error":"maintenance"}`)
	_, err := c.Targets.Get(context.Background(), 1)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 3, apiErr.Attempts)
	require.Contains(t, err.Error(), "after 3 attempts")

	stub(t, mt, "POST", "targets.json", http.StatusUnprocessableEntity,
		`{"errors":{"number":["can't be blank","is invalid"],"time_zone":"is not included in the list"}}`)
	_, err = c.Targets.Create(context.Background(), &TargetParams{Number: Ptr("+1")})
	require.True(t, errors.As(err, &apiErr))
	require.Equal(t, 1, apiErr.Attempts)
	require.Equal(t, map[string][]string{
		"number":    {"can't be blank", "is invalid"},
		"time_zone": {"is not included in the list"},
	}, apiErr.Fields)
}
