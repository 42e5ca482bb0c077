package retreaver_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Faults of every kind against the fake, in bursts and at random: GETs recover
// within the retry budget, a POST the server may have acted on is never sent
// twice, and every failure that reaches the caller is a typed error that quotes
// no credential. (e2e_retries_test.go has one focused test per fault kind.)

// faultClient is a client of srv whose every attempt may take attempt at most.
func faultClient(t *testing.T, srv *retreavertest.Server, policy retreaver.RetryPolicy, attempt time.Duration) *retreaver.Client {
	c, _ := faultClientTransport(t, srv, policy, attempt)
	return c
}

// faultClientTransport is faultClient, also returning the client's transport.
func faultClientTransport(t *testing.T, srv *retreavertest.Server, policy retreaver.RetryPolicy, attempt time.Duration) (*retreaver.Client, *http.Transport) {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return e2eClient(t, srv, policy, retreaver.WithHTTPClient(&http.Client{Transport: tr, Timeout: attempt})), tr
}

// requireTypedAndRedacted asserts that err is one of the errors the SDK
// documents (an *APIError, a transport *url.Error, a *DecodeError or a context
// error) and that neither it nor anything it wraps quotes a secret.
func requireTypedAndRedacted(t *testing.T, err error, secrets ...string) {
	t.Helper()
	require.Error(t, err)
	var (
		apiErr *retreaver.APIError
		ue     *url.Error
		de     *retreaver.DecodeError
	)
	switch {
	case errors.As(err, &apiErr):
		require.NotZero(t, apiErr.StatusCode)
	case errors.As(err, &de):
		require.ErrorIs(t, err, retreaver.ErrUnexpectedResponse)
	case errors.As(err, &ue):
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
	default:
		t.Fatalf("untyped error %T: %v", err, err)
	}
	e2eRequireRedacted(t, err, secrets...)
}

// countPOST counts the POSTs to path whose body holds marker.
func countPOST(srv *retreavertest.Server, path, marker string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && r.Path == path && bytes.Contains(r.Body, []byte(marker)) {
			n++
		}
	}
	return n
}

// postCase creates one object through a POST endpoint and counts the objects
// that carry the marker.
type postCase struct {
	name   string
	path   string
	body   func(marker string) string // what shows the marker in the request body (default: itself)
	setup  func(t *testing.T, ctx context.Context, c *retreaver.Client)
	create func(ctx context.Context, c *retreaver.Client, srv *retreavertest.Server, marker string) error
	count  func(t *testing.T, ctx context.Context, c *retreaver.Client, srv *retreavertest.Server, marker string) int
}

func (pc postCase) mark(marker string) string {
	if pc.body == nil {
		return marker
	}
	return pc.body(marker)
}

func countWhere[T any](t *testing.T, seq func(func(*T, error) bool), match func(*T) bool) int {
	t.Helper()
	n := 0
	for v, err := range seq {
		require.NoError(t, err)
		if match(v) {
			n++
		}
	}
	return n
}

// phone turns a marker into a phone number of its own.
func phone(marker string) string {
	h := fnv.New32a()
	h.Write([]byte(marker))
	return fmt.Sprintf("+1555%07d", h.Sum32()%10_000_000)
}

// markerInt turns a marker into a number of its own, of six digits.
func markerInt(marker string) int {
	h := fnv.New32a()
	h.Write([]byte(marker))
	return 100_000 + int(h.Sum32()%900_000)
}

var postCases = []postCase{
	{
		name: "Affiliates.Create", path: "/api/v1/affiliates.json",
		create: func(ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) error {
			_, err := c.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr(m)})
			return err
		},
		count: func(t *testing.T, ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) int {
			return countWhere(t, c.Affiliates.All(ctx, nil), func(a *retreaver.Affiliate) bool { return a.AFID == m })
		},
	},
	{
		name: "Targets.Create", path: "/targets.json",
		create: func(ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) error {
			_, err := c.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr(phone(m)), Name: retreaver.Ptr(m)})
			return err
		},
		count: func(t *testing.T, ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) int {
			return countWhere(t, c.Targets.All(ctx, nil), func(x *retreaver.Target) bool { return x.Name == m })
		},
	},
	{
		name: "TargetGroups.Create", path: "/target_groups.json",
		create: func(ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) error {
			_, err := c.TargetGroups.Create(ctx, &retreaver.TargetGroupParams{Name: retreaver.Ptr(m)})
			return err
		},
		count: func(t *testing.T, ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) int {
			return countWhere(t, c.TargetGroups.All(ctx, nil), func(x *retreaver.TargetGroup) bool { return x.Name == m })
		},
	},
	{
		name: "Campaigns.Create", path: "/campaigns.json",
		create: func(ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) error {
			_, err := c.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr(m)})
			return err
		},
		count: func(t *testing.T, ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) int {
			return countWhere(t, c.Campaigns.All(ctx, nil), func(x *retreaver.Campaign) bool { return x.CID == m })
		},
	},
	{
		name: "Numbers.Create", path: "/numbers.json",
		setup: func(t *testing.T, ctx context.Context, c *retreaver.Client) {
			_, err := c.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr("fault-camp")})
			require.NoError(t, err)
			_, err = c.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr("fault-pub")})
			require.NoError(t, err)
		},
		create: func(ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) error {
			_, err := c.Numbers.Create(ctx, &retreaver.NumberParams{CID: retreaver.Ptr("fault-camp"), AFID: retreaver.Ptr("fault-pub"), SID: retreaver.Ptr(m)})
			return err
		},
		count: func(t *testing.T, ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) int {
			return countWhere(t, c.Numbers.All(ctx, nil), func(x *retreaver.Number) bool { return x.SID == m })
		},
	},
	{
		name: "NumberPools.Create", path: "/number_pools.json",
		body: func(m string) string { return fmt.Sprintf(`"max_pool_size":%d`, markerInt(m)) },
		setup: func(t *testing.T, ctx context.Context, c *retreaver.Client) {
			_, err := c.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr("fault-pool-camp")})
			require.NoError(t, err)
		},
		create: func(ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) error {
			_, err := c.NumberPools.Create(ctx, &retreaver.NumberPoolParams{CID: retreaver.Ptr("fault-pool-camp"), MaxPoolSize: retreaver.Ptr(markerInt(m))})
			return err
		},
		count: func(t *testing.T, ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) int {
			return countWhere(t, c.NumberPools.All(ctx, nil), func(x *retreaver.NumberPool) bool { return x.MaxPoolSize == markerInt(m) })
		},
	},
	{
		name: "Companies.Create", path: "/companies.json",
		create: func(ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) error {
			_, err := c.Companies.Create(ctx, &retreaver.CompanyParams{Name: retreaver.Ptr(m)})
			return err
		},
		count: func(t *testing.T, ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) int {
			return countWhere(t, c.Companies.All(ctx, nil), func(x *retreaver.Company) bool { return x.Name == m })
		},
	},
	{
		name: "Contacts.Create", path: "/contacts.json",
		create: func(ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) error {
			_, err := c.Contacts.Create(ctx, &retreaver.ContactParams{
				ContactNumbers: []retreaver.ContactNumberParams{{Number: retreaver.Ptr(phone(m)), Description: retreaver.Ptr(m)}}})
			return err
		},
		count: func(t *testing.T, ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) int {
			return countWhere(t, c.Contacts.All(ctx, nil), func(x *retreaver.Contact) bool {
				return len(x.ContactNumbers) == 1 && x.ContactNumbers[0].Description == m
			})
		},
	},
	{
		name: "StaticCallerNumbers.Create", path: "/static_caller_numbers.json",
		body: phone,
		create: func(ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) error {
			_, err := c.StaticCallerNumbers.Create(ctx, phone(m))
			return err
		},
		count: func(t *testing.T, ctx context.Context, c *retreaver.Client, _ *retreavertest.Server, m string) int {
			return countWhere(t, c.StaticCallerNumbers.All(ctx, nil), func(x *retreaver.StaticCallerNumber) bool { return x.Number == phone(m) })
		},
	},
	{
		name: "RTB.Reserve", path: "/rtbs.json",
		create: func(ctx context.Context, c *retreaver.Client, srv *retreavertest.Server, m string) error {
			_, err := c.RTB.Reserve(ctx, &retreaver.ReservationParams{Key: srv.RTBKey, PublisherID: m, CallerNumber: phone(m)})
			return err
		},
		count: func(t *testing.T, ctx context.Context, c *retreaver.Client, srv *retreavertest.Server, m string) int {
			n := 0
			for _, r := range srv.RTBReservations() {
				if r.PublisherID == m {
					n++
				}
			}
			return n
		},
	},
}

// postFault is a fault on a POST and what it leaves behind on the server.
type postFault struct {
	name    string
	fault   retreavertest.Fault
	created int // objects the server made: 0 when the fault answered first
}

var postFaults = []postFault{
	{"500", retreavertest.Fault{Status: http.StatusInternalServerError}, 0},
	{"502", retreavertest.Fault{Status: http.StatusBadGateway}, 0},
	{"503 with Retry-After", retreavertest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: time.Second}, 0},
	{"504", retreavertest.Fault{Status: http.StatusGatewayTimeout}, 0},
	{"dropped connection", retreavertest.Fault{Drop: true}, 0},
	{"latency beyond the attempt timeout", retreavertest.Fault{Latency: 10 * time.Second}, 0},
	{"truncated answer", retreavertest.Fault{Truncate: true}, 1},
	{"slow answer beyond the attempt timeout", retreavertest.Fault{SlowBody: 10 * time.Second}, 1},
}

func TestFaultsPOSTIsNeverDuplicated(t *testing.T) {
	t.Parallel()
	for _, pc := range postCases {
		t.Run(pc.name, func(t *testing.T) {
			t.Parallel()
			srv := retreavertest.NewServer()
			t.Cleanup(srv.Close)
			c, tr := faultClientTransport(t, srv, e2eRetries, time.Second)
			ctx := e2eCtx(t)
			if pc.setup != nil {
				pc.setup(t, ctx, c)
			}
			for i, pf := range postFaults {
				marker := fmt.Sprintf("fault-%02d-%s", i, strings.ReplaceAll(pf.name, " ", "-"))
				srv.ClearFaults()
				f := pf.fault
				f.Match = e2eMatch(http.MethodPost, pc.path)
				srv.FailNext(1, f)
				// Arming a Drop fault turns keep-alives off on the fake, which
				// closes its idle connections: a request racing that on a pooled
				// connection would fail before reaching it.
				tr.CloseIdleConnections()
				err := pc.create(ctx, c, srv, marker)
				requireTypedAndRedacted(t, err, srv.APIKey, srv.RTBKey)
				srv.ClearFaults()
				assert.Equal(t, 1, countPOST(srv, pc.path, pc.mark(marker)), "%s: the POST was sent once: %v", pf.name, err)
				assert.Equal(t, pf.created, pc.count(t, ctx, c, srv, marker), "%s: objects created", pf.name)
			}

			// A 429 is the server refusing the request: the POST is sent again
			// and the object made once.
			marker := "fault-429-refused"
			srv.FailNext(2, retreavertest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second,
				Match: e2eMatch(http.MethodPost, pc.path)})
			require.NoError(t, pc.create(ctx, c, srv, marker))
			assert.Equal(t, 3, countPOST(srv, pc.path, pc.mark(marker)), "two refusals, then the POST that worked")
			assert.Equal(t, 1, pc.count(t, ctx, c, srv, marker))
		})
	}
}

func TestFaultsGETBurstsRecoverWithinTheBudget(t *testing.T) {
	t.Parallel()
	bursts := []struct {
		name  string
		fault retreavertest.Fault
		slow  bool // each failure costs an attempt timeout
	}{
		{"429 with Retry-After", retreavertest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second}, false},
		{"500", retreavertest.Fault{Status: http.StatusInternalServerError}, false},
		{"502", retreavertest.Fault{Status: http.StatusBadGateway}, false},
		{"503 with Retry-After", retreavertest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: time.Second}, false},
		{"504", retreavertest.Fault{Status: http.StatusGatewayTimeout}, false},
		{"dropped connection", retreavertest.Fault{Drop: true}, false},
		{"truncated JSON", retreavertest.Fault{Truncate: true}, false},
		{"slow body beyond the attempt timeout", retreavertest.Fault{SlowBody: 10 * time.Second}, true},
		{"latency beyond the attempt timeout", retreavertest.Fault{Latency: 10 * time.Second}, true},
	}
	for _, b := range bursts {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			srv := retreavertest.NewServer(retreavertest.WithDemoData())
			t.Cleanup(srv.Close)
			c := faultClient(t, srv, e2eRetries, time.Second)
			ctx := e2eCtx(t)
			reads := faultReads()
			if b.slow {
				// Seven attempt timeouts a read: one read is enough.
				reads = map[string]func(context.Context, *retreaver.Client) (string, error){"Calls.List": reads["Calls.List"]}
				c = faultClient(t, srv, e2eRetries, 500*time.Millisecond)
			}
			want := map[string]string{}
			for name, read := range reads {
				got, err := read(ctx, c)
				require.NoError(t, err, name)
				want[name] = got
			}
			for name, read := range reads {
				// Three failures in a row, then the answer: the fourth and last
				// attempt gets through.
				srv.ResetRequests()
				srv.FailNext(e2eRetries.MaxAttempts-1, b.fault)
				got, err := read(ctx, c)
				require.NoError(t, err, name)
				assert.Equal(t, want[name], got, name)
				assert.GreaterOrEqual(t, len(srv.Requests()), e2eRetries.MaxAttempts, name)

				// One more failure than attempts: a typed, redacted error.
				srv.ResetRequests()
				srv.FailNext(e2eRetries.MaxAttempts, b.fault)
				_, err = read(ctx, c)
				requireTypedAndRedacted(t, err, srv.APIKey)
				assert.Len(t, srv.Requests(), e2eRetries.MaxAttempts, "%s: MaxAttempts and no more", name)
				srv.ClearFaults()
			}
		})
	}
}

// faultReads are GETs through several services, each summarized as text.
func faultReads() map[string]func(ctx context.Context, c *retreaver.Client) (string, error) {
	return map[string]func(ctx context.Context, c *retreaver.Client) (string, error){
		"Calls.List": func(ctx context.Context, c *retreaver.Client) (string, error) {
			p, err := c.Calls.List(ctx, nil)
			if err != nil {
				return "", err
			}
			return fmt.Sprint(len(p.Items), p.NextPage, p.Items[0].UUID), nil
		},
		"Companies.Active": func(ctx context.Context, c *retreaver.Client) (string, error) {
			co, err := c.Companies.Active(ctx)
			if err != nil {
				return "", err
			}
			return co.Name, nil
		},
		"Targets.List": func(ctx context.Context, c *retreaver.Client) (string, error) {
			p, err := c.Targets.List(ctx, nil)
			if err != nil {
				return "", err
			}
			return fmt.Sprint(len(p.Items)), nil
		},
		"SuppressedNumbers.Exists": func(ctx context.Context, c *retreaver.Client) (string, error) {
			ok, err := c.SuppressedNumbers.Exists(ctx)
			return fmt.Sprint(ok), err
		},
		"Reports.Get": func(ctx context.Context, c *retreaver.Client) (string, error) {
			now := time.Now().UTC()
			rep, err := c.Reports.Get(ctx, &retreaver.ReportOptions{Facet: retreaver.ReportFacetDaily,
				CreatedAtStart: now.AddDate(0, 0, -40), CreatedAtEnd: now})
			if err != nil {
				return "", err
			}
			return fmt.Sprint(rep.CountTotal), nil
		},
	}
}

func TestFaultsAtRandomWhilePagingEverything(t *testing.T) {
	t.Parallel()
	srv := retreavertest.NewServer()
	t.Cleanup(srv.Close)
	srv.SeedCalls(300)
	c, tr := faultClientTransport(t, srv, retreaver.RetryPolicy{MaxAttempts: 10, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}, time.Second)
	ctx := e2eCtx(t)
	var want []string
	for call, err := range c.Calls.All(ctx, nil) {
		require.NoError(t, err)
		want = append(want, call.UUID)
	}
	require.Len(t, want, 300)

	// About a third of the requests fail, in every way the fake can.
	srv.FailRate(0.08, retreavertest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	srv.FailRate(0.08, retreavertest.Fault{Status: http.StatusServiceUnavailable})
	srv.FailRate(0.05, retreavertest.Fault{Status: http.StatusBadGateway})
	srv.FailRate(0.05, retreavertest.Fault{Drop: true})
	srv.FailRate(0.05, retreavertest.Fault{Truncate: true})
	srv.FailRate(0.03, retreavertest.Fault{SlowBody: 10 * time.Second})
	srv.ResetRequests()
	var got []string
	for call, err := range c.Calls.All(ctx, nil) {
		require.NoError(t, err)
		got = append(got, call.UUID)
	}
	assert.Equal(t, want, got, "every call once, in order, despite the faults")
	assert.Greater(t, len(srv.Requests()), 12, "some requests failed and were tried again")

	var exported []string
	for call, err := range c.Calls.Export(ctx, &retreaver.ExportOptions{PerPage: 20, Concurrency: 4}) {
		require.NoError(t, err)
		exported = append(exported, call.UUID)
	}
	assert.ElementsMatch(t, want, exported)

	// POSTs under every fault but 429: each is sent once, and its affiliate
	// exists once when the call succeeded, at most once when it failed.
	srv.ClearFaults()
	srv.FailRate(0.1, retreavertest.Fault{Status: http.StatusInternalServerError})
	srv.FailRate(0.1, retreavertest.Fault{Status: http.StatusServiceUnavailable})
	srv.FailRate(0.05, retreavertest.Fault{Drop: true})
	srv.FailRate(0.05, retreavertest.Fault{Truncate: true})
	srv.FailRate(0.03, retreavertest.Fault{SlowBody: 10 * time.Second})
	tr.CloseIdleConnections() // see TestFaultsPOSTIsNeverDuplicated
	results := createAffiliatesConcurrently(ctx, c, "rnd", 40)
	srv.ClearFaults()
	counts := affiliateCounts(t, ctx, c)
	failed := 0
	for i, err := range results {
		afid := fmt.Sprintf("rnd-%02d", i)
		assert.Equal(t, 1, countPOST(srv, "/api/v1/affiliates.json", `"`+afid+`"`), "%s: sent once", afid)
		if err == nil {
			assert.Equal(t, 1, counts[afid], afid)
			continue
		}
		failed++
		requireTypedAndRedacted(t, err, srv.APIKey)
		assert.LessOrEqual(t, counts[afid], 1, afid)
	}
	assert.Positive(t, failed, "some POSTs met a fault")
	t.Logf("%d of %d POSTs failed under the faults", failed, len(results))

	// And under 429 bursts: POSTs are sent again, each affiliate made once.
	srv.FailRate(0.4, retreavertest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	results = createAffiliatesConcurrently(ctx, c, "busy", 40)
	srv.ClearFaults()
	counts = affiliateCounts(t, ctx, c)
	for i, err := range results {
		afid := fmt.Sprintf("busy-%02d", i)
		require.NoError(t, err, afid)
		assert.Equal(t, 1, counts[afid], afid)
	}
}

func createAffiliatesConcurrently(ctx context.Context, c *retreaver.Client, prefix string, n int) []error {
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = c.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr(fmt.Sprintf("%s-%02d", prefix, i))})
		}()
	}
	wg.Wait()
	return results
}

func affiliateCounts(t *testing.T, ctx context.Context, c *retreaver.Client) map[string]int {
	counts := map[string]int{}
	for a, err := range c.Affiliates.All(ctx, nil) {
		require.NoError(t, err)
		counts[a.AFID]++
	}
	return counts
}

func TestFaultsContextEndsRetries(t *testing.T) {
	t.Parallel()
	srv := retreavertest.NewServer()
	t.Cleanup(srv.Close)
	c := faultClient(t, srv, retreaver.RetryPolicy{MaxAttempts: 50, MinBackoff: 5 * time.Millisecond, MaxBackoff: 5 * time.Millisecond}, time.Second)
	srv.FailRate(1, retreavertest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Calls.List(ctx, nil)
	requireTypedAndRedacted(t, err, srv.APIKey)
	assert.Less(t, len(srv.Requests()), 50, "the deadline ended the retries")
}
