package retreaver_test

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"testing"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// End-to-end tests: the SDK against retreavertest, the in-memory fake of the
// API. Every test starts its own server, so they run in parallel.

// e2eRetries is the retry policy of the end-to-end clients: quick, so that the
// fault tests do not wait (Retry-After is capped by MaxBackoff).
var e2eRetries = retreaver.RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond}

// e2eSetup starts a fake (closed when the test ends) and a client for its
// default company.
func e2eSetup(t *testing.T, opts ...retreavertest.Option) (*retreavertest.Server, *retreaver.Client) {
	t.Helper()
	srv := retreavertest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv, e2eClient(t, srv, e2eRetries)
}

// e2eClient makes a client for srv's default company with a retry policy.
func e2eClient(t *testing.T, srv *retreavertest.Server, policy retreaver.RetryPolicy, extra ...retreaver.Option) *retreaver.Client {
	t.Helper()
	opts := append([]retreaver.Option{
		retreaver.WithBaseURL(srv.URL),
		retreaver.WithRTBBaseURL(srv.URL),
		retreaver.WithCompanyID(srv.CompanyID),
		retreaver.WithRetryPolicy(policy),
	}, extra...)
	client, err := retreaver.NewClient(srv.APIKey, opts...)
	require.NoError(t, err)
	return client
}

// e2eCtx is a context that ends with the test (and after a generous bound, so
// that a hung request fails the test instead of the whole run).
func e2eCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// e2eCollect drains an iterator. On an error it marks the test failed and
// returns the items before it: it does not stop the test, so that it may run
// on any goroutine (a ForEachCompany function's too).
func e2eCollect[T any](t *testing.T, seq iter.Seq2[*T, error]) []*T {
	t.Helper()
	var out []*T
	for v, err := range seq {
		if !assert.NoError(t, err) {
			return out
		}
		out = append(out, v)
	}
	return out
}

// e2eFind returns the first item for which match holds, or nil.
func e2eFind[T any](items []*T, match func(*T) bool) *T {
	for _, v := range items {
		if match(v) {
			return v
		}
	}
	return nil
}

// e2eUUIDs returns the calls' uuids, in order.
func e2eUUIDs(calls []*retreaver.Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.UUID
	}
	return out
}

// e2eMatch matches the requests with this method and path, for a Fault.
func e2eMatch(method, path string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == method && r.URL.Path == path }
}

// e2eCount counts the logged requests with this method and path.
func e2eCount(srv *retreavertest.Server, method, path string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// e2eRequireStatus asserts that err is an *APIError with this status and
// sentinel, and returns it.
func e2eRequireStatus(t *testing.T, err error, status int, sentinel error) *retreaver.APIError {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, sentinel)
	var apiErr *retreaver.APIError
	require.True(t, errors.As(err, &apiErr), "want an *APIError, got %T: %v", err, err)
	require.Equal(t, status, apiErr.StatusCode)
	return apiErr
}

// e2eRequireGone asserts that a lookup now answers 404.
func e2eRequireGone(t *testing.T, err error) {
	t.Helper()
	e2eRequireStatus(t, err, http.StatusNotFound, retreaver.ErrNotFound)
}

// e2eRequireRedacted asserts that err, everything it wraps (joined errors
// included), printed with any verb, and every field of the SDK's error types
// in it, quote no secret in any spelling a server may echo it in: the unit
// tests' requireErrorFree (helpers_redaction_test.go).
func e2eRequireRedacted(t *testing.T, err error, secrets ...string) {
	t.Helper()
	retreaver.RequireErrorFree(t, err, secrets...)
}

// e2eCap returns the cap of this type among caps, or nil.
func e2eCap(caps []retreaver.Cap, typ retreaver.CapType) *retreaver.Cap {
	for i := range caps {
		if caps[i].Type == typ {
			return &caps[i]
		}
	}
	return nil
}

// e2eCapLimit returns the limit of the cap of this type, failing the test
// when there is no such cap.
func e2eCapLimit(t *testing.T, caps []retreaver.Cap, typ retreaver.CapType) *int {
	t.Helper()
	c := e2eCap(caps, typ)
	require.NotNil(t, c, "no %s cap in %+v", typ, caps)
	return c.Cap
}

// e2eTags turns tag values into a map of key to value.
func e2eTags(tags []retreaver.TagValue) map[string]string {
	m := map[string]string{}
	for _, tv := range tags {
		m[tv.Key] = tv.Value
	}
	return m
}

// e2eSameInbounds compares exported rows with listed ones, field by field.
func e2eSameInbounds(t *testing.T, listed, exported []*retreaver.RTBInbound) {
	t.Helper()
	require.Len(t, exported, len(listed))
	for i, want := range listed {
		got := exported[i]
		assert.Nil(t, got.Extra, "every column is known")
		w, g := *want, *got
		for _, p := range []*retreaver.RTBInbound{&w, &g} {
			p.CreatedAt = p.CreatedAt.UTC()
			for _, tp := range []**time.Time{&p.ConfirmedAt, &p.EndedAt} {
				if *tp != nil {
					*tp = retreaver.Ptr((**tp).UTC())
				}
			}
		}
		assert.Equal(t, w, g, "row %d (%s)", i, want.UUID)
	}
}
