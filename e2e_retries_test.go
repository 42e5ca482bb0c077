package retreaver_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each kind of fault the fake injects, as the SDK's retry logic sees it: one
// focused test per kind.

// e2eSeedAffiliates creates n affiliates and forgets the requests it took.
func e2eSeedAffiliates(t *testing.T, srv *retreavertest.Server, client *retreaver.Client, n int) {
	t.Helper()
	ctx := e2eCtx(t)
	for i := range n {
		_, err := client.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr("seed-" + string(rune('a'+i)))})
		require.NoError(t, err)
	}
	srv.ResetRequests()
}

func TestE2EFault429RetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	srv := retreavertest.NewServer()
	t.Cleanup(srv.Close)
	client := e2eClient(t, srv, retreaver.RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Second})
	ctx := e2eCtx(t)
	e2eSeedAffiliates(t, srv, client, 3)

	srv.FailNext(1, retreavertest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second, Match: e2eMatch(http.MethodGet, "/api/v1/affiliates.json")})
	start := time.Now()
	page, err := client.Affiliates.List(ctx, nil)
	elapsed := time.Since(start)
	require.NoError(t, err)
	assert.Len(t, page.Items, 3)
	assert.Len(t, srv.Requests(), 2, "the 429, then the retry")
	assert.GreaterOrEqual(t, elapsed, time.Second, "Retry-After: 1 waited for")

	// Retry-After above MaxBackoff is capped; once attempts run out the 429 is
	// returned with its Retry-After.
	srv.ResetRequests()
	quick := e2eClient(t, srv, e2eRetries)
	srv.FailNext(4, retreavertest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 30 * time.Second})
	_, err = quick.Affiliates.List(ctx, nil)
	apiErr := e2eRequireStatus(t, err, http.StatusTooManyRequests, retreaver.ErrRateLimited)
	assert.Equal(t, 30*time.Second, apiErr.RetryAfter)
	assert.Len(t, srv.Requests(), 4)

	// POST is retried on 429 too (the server refused it): created once.
	srv.ResetRequests()
	srv.FailNext(1, retreavertest.Fault{Status: http.StatusTooManyRequests, Match: e2eMatch(http.MethodPost, "/api/v1/affiliates.json")})
	a, err := quick.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr("after-429")})
	require.NoError(t, err)
	assert.Equal(t, "after-429", a.AFID)
	assert.Equal(t, 2, e2eCount(srv, http.MethodPost, "/api/v1/affiliates.json"))
	assert.Len(t, e2eCollect(t, client.Affiliates.All(ctx, nil)), 4)
}

func TestE2EFault503IsRetried(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	srv.SeedCalls(30)
	srv.ResetRequests()

	srv.FailNext(2, retreavertest.Fault{Status: http.StatusServiceUnavailable})
	page, err := client.Calls.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, page.Items, 25)
	assert.Equal(t, 2, page.NextPage)
	assert.Equal(t, 3, e2eCount(srv, http.MethodGet, "/api/v2/calls.json"))

	// More failures than attempts: the last answer is the error.
	srv.ResetRequests()
	srv.FailNext(4, retreavertest.Fault{Status: http.StatusServiceUnavailable})
	_, err = client.Calls.List(ctx, nil)
	e2eRequireStatus(t, err, http.StatusServiceUnavailable, retreaver.ErrServer)
	assert.Len(t, srv.Requests(), 4, "MaxAttempts")
}

func TestE2EFaultDroppedConnection(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	e2eSeedAffiliates(t, srv, client, 2)

	// A GET is retried on a fresh connection.
	srv.FailNext(1, retreavertest.Fault{Drop: true, Match: e2eMatch(http.MethodGet, "/api/v1/affiliates.json")})
	all := e2eCollect(t, client.Affiliates.All(ctx, nil))
	assert.Len(t, all, 2)
	assert.Equal(t, 2, e2eCount(srv, http.MethodGet, "/api/v1/affiliates.json"))

	// A POST that reached the server is not replayed: it may have been applied.
	srv.ResetRequests()
	srv.FailNext(1, retreavertest.Fault{Drop: true, Match: e2eMatch(http.MethodPost, "/api/v1/affiliates.json")})
	_, err := client.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr("dropped")})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), srv.APIKey)
	assert.Equal(t, 1, e2eCount(srv, http.MethodPost, "/api/v1/affiliates.json"))
	srv.ClearFaults()
}

func TestE2EFaultTruncatedBodyIsRetried(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	srv.SeedCalls(10)
	want := e2eCollect(t, client.Calls.All(ctx, nil))
	srv.ResetRequests()

	srv.FailNext(1, retreavertest.Fault{Truncate: true})
	got := e2eCollect(t, client.Calls.All(ctx, nil))
	assert.Equal(t, e2eUUIDs(want), e2eUUIDs(got))
	assert.Len(t, srv.Requests(), 2, "the truncated answer, then the retry")
}

func TestE2EFaultSlowBody(t *testing.T) {
	t.Parallel()
	srv := retreavertest.NewServer()
	t.Cleanup(srv.Close)
	srv.SeedCalls(25)
	// Each attempt may take 2 s at most.
	client := e2eClient(t, srv, e2eRetries, retreaver.WithHTTPClient(&http.Client{Timeout: 2 * time.Second}))
	ctx := e2eCtx(t)
	want := e2eCollect(t, client.Calls.All(ctx, nil))
	srv.ResetRequests()

	// Within the timeout: a slow body is read whole, once.
	srv.FailNext(1, retreavertest.Fault{SlowBody: 250 * time.Millisecond})
	got := e2eCollect(t, client.Calls.All(ctx, nil))
	assert.Equal(t, e2eUUIDs(want), e2eUUIDs(got))
	assert.Len(t, srv.Requests(), 1)

	// Beyond it: the attempt times out and a GET is tried again.
	srv.ResetRequests()
	srv.FailNext(1, retreavertest.Fault{SlowBody: time.Minute})
	got = e2eCollect(t, client.Calls.All(ctx, nil))
	assert.Equal(t, e2eUUIDs(want), e2eUUIDs(got))
	assert.Len(t, srv.Requests(), 2)
}

func TestE2EFaultPOSTAnswered500IsNotRetried(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)

	srv.FailNext(1, retreavertest.Fault{Status: http.StatusInternalServerError, Match: e2eMatch(http.MethodPost, "/targets.json")})
	_, err := client.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+15555550600")})
	apiErr := e2eRequireStatus(t, err, http.StatusInternalServerError, retreaver.ErrServer)
	assert.Equal(t, http.MethodPost, apiErr.Method)
	require.Len(t, srv.Requests(), 1, "exactly one POST")
	assert.Equal(t, http.MethodPost, srv.Requests()[0].Method)
	assert.Empty(t, e2eCollect(t, client.Targets.All(ctx, nil)), "the fault answered before the server created anything")

	// The same answer to a PUT (idempotent) is retried.
	tg, err := client.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+15555550600")})
	require.NoError(t, err)
	srv.ResetRequests()
	srv.FailNext(1, retreavertest.Fault{Status: http.StatusInternalServerError})
	up, err := client.Targets.Update(ctx, tg.ID, &retreaver.TargetParams{Name: retreaver.Ptr("after 500")})
	require.NoError(t, err)
	assert.Equal(t, "after 500", up.Name)
	assert.Len(t, srv.Requests(), 2)
	for _, r := range srv.Requests() {
		assert.Equal(t, http.MethodPut, r.Method)
	}
}
