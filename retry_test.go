package retreaver

import (
	"context"
	"errors"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// sequence answers the i-th request with answers[i] (the last one repeats).
func sequence(mt *httpmock.MockTransport, answers ...func() (*http.Response, error)) *recorder {
	return recordAll(mt, func(w wireRequest) (*http.Response, error) {
		i := min(w.Attempt-1, len(answers)-1)
		return answers[i]()
	})
}

func status(code int, body string, headerPairs ...string) func() (*http.Response, error) {
	return func() (*http.Response, error) {
		r := httpmock.NewStringResponse(code, body)
		for i := 0; i+1 < len(headerPairs); i += 2 {
			r.Header.Set(headerPairs[i], headerPairs[i+1])
		}
		return r, nil
	}
}

func transportErr(err error) func() (*http.Response, error) {
	return func() (*http.Response, error) { return nil, err }
}

var dialRefused = &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}

func TestRetriesIdempotentRequests(t *testing.T) {
	ok := status(200, `{"company":{"id":1,"name":"Retreaver"}}`)
	cases := []struct {
		name     string
		answers  []func() (*http.Response, error)
		attempts int
		wantErr  error
	}{
		{"503 then 200", []func() (*http.Response, error){status(503, ""), ok}, 2, nil},
		{"500 502 504 then 200", []func() (*http.Response, error){status(500, ""), status(502, ""), status(504, ""), ok}, 4, nil},
		{"429 then 200", []func() (*http.Response, error){status(429, `{"error":"slow down"}`), ok}, 2, nil},
		{"reset connection then 200", []func() (*http.Response, error){transportErr(syscall.ECONNRESET), ok}, 2, nil},
		{"refused connection then 200", []func() (*http.Response, error){transportErr(dialRefused), ok}, 2, nil},
		{"always 503", []func() (*http.Response, error){status(503, `{"error":"maintenance"}`)}, 4, ErrServer},
		{"404 is final", []func() (*http.Response, error){status(404, `{"error":"nope"}`)}, 1, ErrNotFound},
		{"422 is final", []func() (*http.Response, error){status(422, `{"errors":{"name":["bad"]}}`)}, 1, ErrUnprocessable},
		{"501 is final", []func() (*http.Response, error){status(501, "")}, 1, ErrServer},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newTestClient(t, fastRetries)
			rec := sequence(mt, tc.answers...)
			co, err := c.Companies.Get(context.Background(), 1)
			require.Len(t, rec.all(), tc.attempts)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, "Retreaver", co.Name)
		})
	}
}

func TestRetriesPUTAndDELETE(t *testing.T) {
	c, mt := newTestClient(t, fastRetries)
	rec := sequence(mt, status(502, ""), status(200, `{"company":{"id":1,"name":"X"}}`))
	_, err := c.Companies.Update(context.Background(), 1, &CompanyParams{Name: Ptr("X")})
	require.NoError(t, err)
	reqs := rec.all()
	require.Len(t, reqs, 2)
	require.JSONEq(t, `{"company":{"name":"X"}}`, string(reqs[1].Body), "the body is sent again in full")

	c2, mt2 := newTestClient(t, fastRetries)
	rec2 := sequence(mt2, status(503, ""), status(204, ""))
	require.NoError(t, c2.Companies.Delete(context.Background(), 1))
	require.Len(t, rec2.all(), 2)
}

func TestPOSTIsNotRetriedWhenTheServerMayHaveActed(t *testing.T) {
	cases := []struct {
		name   string
		answer func() (*http.Response, error)
	}{
		{"500", status(500, `{"error":"boom"}`)},
		{"502", status(502, "")},
		{"503", status(503, "")},
		{"connection reset after sending", transportErr(syscall.ECONNRESET)},
		{"unexpected EOF", transportErr(errors.New("unexpected EOF"))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newTestClient(t, fastRetries)
			rec := sequence(mt, tc.answer, status(200, `{"company":{"id":9}}`))
			_, err := c.Companies.Create(context.Background(), &CompanyParams{Name: Ptr("New")})
			require.Error(t, err)
			require.Len(t, rec.all(), 1, "POST sent once")
		})
	}
}

func TestPOSTIsRetriedWhenRefusedOrUnsent(t *testing.T) {
	for name, first := range map[string]func() (*http.Response, error){
		"429":          status(429, `{"error":"slow down"}`),
		"dial refused": transportErr(dialRefused),
		"dns":          transportErr(&net.DNSError{Err: "no such host", Name: "api.test", IsNotFound: true}),
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t, fastRetries)
			rec := sequence(mt, first, status(200, `{"company":{"id":9,"name":"New"}}`))
			co, err := c.Companies.Create(context.Background(), &CompanyParams{Name: Ptr("New")})
			require.NoError(t, err)
			require.Equal(t, int64(9), co.ID)
			require.Len(t, rec.all(), 2)
		})
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Second}))
	rec := sequence(mt, status(429, "", "Retry-After", "1"), status(200, `{"company":{"id":1}}`))
	start := time.Now()
	_, err := c.Companies.Get(context.Background(), 1)
	require.NoError(t, err)
	require.Len(t, rec.all(), 2)
	require.GreaterOrEqual(t, time.Since(start), time.Second, "waited as Retry-After said, not the 1 ms backoff")
}

func TestRetryAfterOnTheFinalError(t *testing.T) {
	c, mt := newTestClient(t)
	sequence(mt, status(429, `{"error":"slow"}`, "Retry-After", "7"))
	_, err := c.Companies.Get(context.Background(), 1)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 7*time.Second, apiErr.RetryAfter)
	require.ErrorIs(t, err, ErrRateLimited)
}

func TestRetryAfterIsCappedByMaxBackoff(t *testing.T) {
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond}))
	rec := sequence(mt, status(503, "", "Retry-After", "3600"), status(200, `{"company":{"id":1}}`))
	done := make(chan error, 1)
	go func() { _, err := c.Companies.Get(context.Background(), 1); done <- err }()
	select {
	case err := <-done:
		require.NoError(t, err)
		require.Len(t, rec.all(), 2)
	case <-time.After(30 * time.Second):
		t.Fatal("Retry-After of an hour was not capped by MaxBackoff")
	}
}

func TestCancellingEndsARetryWaitAtOnce(t *testing.T) {
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Hour, MaxBackoff: time.Hour}))
	rec := sequence(mt, status(503, "", "Retry-After", "3600"))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := c.Companies.Get(ctx, 1); done <- err }()
	require.Eventually(t, func() bool { return len(rec.all()) == 1 }, 10*time.Second, time.Millisecond)
	cancel()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
		require.ErrorIs(t, err, ErrServer, "the last answer is kept")
		requireErrorFree(t, err, testKey)
	case <-time.After(10 * time.Second):
		t.Fatal("the hour-long wait did not end when the context was cancelled")
	}
	require.Len(t, rec.all(), 1)
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"":                              0,
		"0":                             0,
		"-5":                            0,
		"12":                            12 * time.Second,
		" 3 ":                           3 * time.Second,
		"Mon, 23 Nov 2026 12:00:30 GMT": 30 * time.Second,
		"Mon, 23 Nov 2026 11:00:00 GMT": 0,
		"soon":                          0,
		"99999999999":                   24 * time.Hour,
	}
	for in, want := range cases {
		require.Equal(t, want, parseRetryAfter(in, now), "Retry-After %q", in)
	}
}

func TestBackoffIsBoundedAndJittered(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 10, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}
	for attempt := 1; attempt <= 10; attempt++ {
		ceiling := min(p.MaxBackoff, p.MinBackoff<<(attempt-1))
		seen := map[time.Duration]bool{}
		for i := 0; i < 50; i++ {
			d := p.backoff(attempt)
			require.GreaterOrEqual(t, d, time.Duration(0))
			require.LessOrEqual(t, d, ceiling)
			seen[d] = true
		}
		require.Greater(t, len(seen), 1, "full jitter varies the wait")
	}
}

func TestRetryPolicyValidation(t *testing.T) {
	for _, p := range []RetryPolicy{{MaxAttempts: -1}, {MinBackoff: -1}, {MinBackoff: time.Second, MaxBackoff: time.Millisecond}} {
		_, err := NewClient("k", WithRetryPolicy(p))
		require.ErrorIs(t, err, ErrInvalidArgument, "%+v", p)
	}
	n, err := RetryPolicy{}.normalized()
	require.NoError(t, err)
	require.Equal(t, DefaultRetryPolicy, n)
	require.Equal(t, RetryPolicy{MaxAttempts: 4, MinBackoff: 500 * time.Millisecond, MaxBackoff: 30 * time.Second}, DefaultRetryPolicy)
}

func TestRateLimitIsSharedByCompanyCopies(t *testing.T) {
	c, mt := newTestClient(t, WithRateLimit(1, 1))
	sequence(mt, status(200, `{"company":{"id":1}}`))
	copy := c.WithCompany(2)
	require.Same(t, c.cfg.limiter, copy.cfg.limiter)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.Companies.Get(ctx, 1)
	require.NoError(t, err, "the burst of one allows the first request")
	_, err = copy.Companies.Get(ctx, 1)
	require.Error(t, err, "the copy waits for the same bucket: a second token needs a second, past the deadline")
	require.Equal(t, 1, mt.GetTotalCallCount())
}
