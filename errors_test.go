package retreaver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

func TestAPIErrorMatchesSentinelPerStatus(t *testing.T) {
	cases := []struct {
		status int
		want   error
	}{
		{400, ErrBadRequest},
		{401, ErrUnauthorized},
		{403, ErrForbidden},
		{404, ErrNotFound},
		{410, ErrGone},
		{422, ErrUnprocessable},
		{429, ErrRateLimited},
		{500, ErrServer},
		{502, ErrServer},
		{503, ErrServer},
		{504, ErrServer},
		{405, nil},
		{406, nil},
	}
	all := []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrGone, ErrUnprocessable, ErrRateLimited, ErrServer, ErrInvalidArgument}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			c, mt := newTestClient(t)
			stub(t, mt, "GET", "companies/7.json", tc.status, `{"error":"nope"}`)
			_, err := c.Companies.Get(context.Background(), 7)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, tc.status, apiErr.StatusCode)
			require.Equal(t, "GET", apiErr.Method)
			require.Equal(t, "nope", apiErr.Message)
			require.Equal(t, `{"error":"nope"}`, string(apiErr.Body))
			require.Equal(t, "https://api.test/companies/7.json?api_key=REDACTED", apiErr.URL)
			for _, s := range all {
				require.Equal(t, s == tc.want, errors.Is(err, s), "errors.Is(%d, %v)", tc.status, s)
			}
		})
	}
}

func TestForbiddenSaysWhichCompanyTheKeyCannotReach(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "GET", "targets/1.json", http.StatusForbidden, `{"error":"Forbidden"}`)
	_, err := c.WithCompany(77).Targets.Get(context.Background(), 1)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	require.ErrorIs(t, err, ErrForbidden)
	require.Contains(t, apiErr.Hint, "company 77")
	require.Contains(t, err.Error(), "no access to company 77")

	_, err = c.WithCompany(0).Targets.Get(context.Background(), 1)
	require.True(t, errors.As(err, &apiErr))
	require.Equal(t, "the API key was refused, with no company_id sent: the key's active company applies", apiErr.Hint)
}

func TestErrorMessageFromBodies(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"error string":      {`{"error": "Company not found"}`, "Company not found"},
		"errors object":     {`{"errors": {"number": ["can't be blank", "is invalid"], "afid": ["is taken"]}}`, "afid is taken; number can't be blank; is invalid"},
		"errors array":      {`{"errors": ["Name can't be blank", "Cid is taken"]}`, "Name can't be blank; Cid is taken"},
		"top-level array":   {`["first", "second"]`, "first; second"},
		"message":           {`{"message": "maintenance"}`, "maintenance"},
		"html page":         {"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad   Gateway</h1></body></html>", "502 Bad Gateway Bad Gateway"},
		"plain text":        {"Retry later\n", "Retry later"},
		"empty":             {"", ""},
		"json without text": {`{"status": 500}`, `{"status": 500}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, tc.want, errorMessage([]byte(tc.body)))
		})
	}
	long := strings.Repeat("x", 1000)
	require.LessOrEqual(t, len(errorMessage([]byte(long))), 204)
}

func TestErrorBodiesAreBounded(t *testing.T) {
	c, mt := newTestClient(t)
	huge := strings.Repeat("<p>error</p>", 100_000) // 1.2 MB
	stub(t, mt, "GET", "companies/1.json", 500, huge)
	_, err := c.Companies.Get(context.Background(), 1)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Len(t, apiErr.Body, maxErrorBody)
	require.Less(t, len(apiErr.Error()), 1000)
}

func TestErrorMessageDepthIsBounded(t *testing.T) {
	// Each level of nesting is parsed again by the level above it: a hostile error
	// body nested thousands deep cost seconds of CPU per answer before the depth
	// was bounded. Messages within the bound are still found.
	nested := func(depth int) string {
		return `{"errors":` + strings.Repeat(`{"k":`, depth) + `"deep"` + strings.Repeat("}", depth) + `}`
	}
	require.Equal(t, strings.TrimSpace(strings.Repeat("k ", 6))+" deep", errorMessage([]byte(nested(6))))
	require.Equal(t, strings.TrimSpace(strings.Repeat("k ", maxMessageDepth))+" deep", errorMessage([]byte(nested(maxMessageDepth))),
		"the deepest message within the bound is found")
	beyond := errorMessage([]byte(nested(maxMessageDepth + 1)))
	require.NotContains(t, beyond, strings.TrimSpace(strings.Repeat("k ", maxMessageDepth+1))+" deep")
	require.NotContains(t, beyond, "k deep", "nothing is flattened beyond the bound")
	require.Equal(t, "deep", errorMessage([]byte(`{"errors":[[[[[["deep"]]]]]]}`)))

	hostile := `{"errors":` + strings.Repeat("[", 9000) + `"x"` + strings.Repeat("]", 9000) + `}`
	msg := errorMessage([]byte(hostile))
	require.LessOrEqual(t, len(msg), maxMessageLen)
	require.NotContains(t, msg, `x`, "nothing below the bound is looked at")
}

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

func TestTimeoutErrorStaysATimeout(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer slow.Close()
	c, err := NewClient("abc123", WithBaseURL(slow.URL), WithRetryPolicy(NoRetries),
		WithHTTPClient(&http.Client{Timeout: 30 * time.Millisecond}))
	require.NoError(t, err)
	_, err = c.Companies.Active(context.Background())
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	require.True(t, ne.Timeout())
	var ue *url.Error
	require.ErrorAs(t, err, &ue)
	require.Contains(t, ue.URL, "api_key=REDACTED")
}

func TestContextErrorsAreKept(t *testing.T) {
	c, mt := newTestClient(t)
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, `{}`))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Companies.Active(ctx)
	require.ErrorIs(t, err, context.Canceled)
	requireErrorFree(t, err, testKey)
}
