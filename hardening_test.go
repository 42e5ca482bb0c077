package retreaver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
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

// ---- Concurrency ----------------------------------------------------------

// miniAPI is a small stand-in for the API for the concurrency tests. Every
// object it answers names the company_id of the request (or the caller number of
// an RTB request), so that an answer reaching the wrong caller shows.
type miniAPI struct {
	*httptest.Server
	requests atomic.Int64
}

const (
	miniCalls     = 40 // calls per company
	miniCompanies = 6  // on 3 pages of companies.json
)

func newMiniAPI(t *testing.T) *miniAPI {
	m := &miniAPI{}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.requests.Add(1)
		q := r.URL.Query()
		w.Header().Set("Content-Type", "application/json")
		if !strings.HasPrefix(r.URL.Path, "/rtbs") && q.Get("api_key") != testKey {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"bad key"}`)
			return
		}
		company := q.Get("company_id")
		page, _ := strconv.Atoi(q.Get("page"))
		page = max(page, 1)
		link := func(last int) {
			base := "http://" + r.Host + r.URL.Path + "?api_key=" + url.QueryEscape(testKey)
			l := fmt.Sprintf(`<%s&page=1>; rel="first", <%s&page=%d>; rel="last"`, base, base, last)
			if page < last {
				l += fmt.Sprintf(`, <%s&page=%d>; rel="next"`, base, page+1)
			}
			w.Header().Set("Link", l)
		}
		path := strings.TrimSuffix(r.URL.Path, ".json")
		switch {
		case r.Method == http.MethodGet && path == "/companies":
			link(3)
			fmt.Fprintf(w, `[{"company":{"id":%d,"name":"c%d"}},{"company":{"id":%d,"name":"c%d"}}]`, page*10+1, page*10+1, page*10+2, page*10+2)
		case r.Method == http.MethodGet && (path == "/company" || strings.HasPrefix(path, "/companies/")):
			id := strings.TrimPrefix(path, "/companies/")
			if path == "/company" {
				id = "1"
			}
			fmt.Fprintf(w, `{"company":{"id":%s,"name":"c%s"}}`, id, id)
		case r.Method == http.MethodGet && path == "/api/v2/calls":
			perPage, _ := strconv.Atoi(q.Get("per_page"))
			if perPage <= 0 {
				perPage = 10
			}
			last := (miniCalls + perPage - 1) / perPage
			link(last)
			var items []string
			for i := (page - 1) * perPage; i < min(page*perPage, miniCalls); i++ {
				items = append(items, fmt.Sprintf(`{"call":{"uuid":"c%s-%03d","company_id":%s,"created_at":"2024-11-04T10:%02d:%02dZ","revenue":"1.50"}}`,
					company, i, company, i/60, i%60))
			}
			fmt.Fprintf(w, "[%s]", strings.Join(items, ","))
		case r.Method == http.MethodGet && strings.HasPrefix(path, "/api/v2/calls/"):
			fmt.Fprintf(w, `{"call":{"uuid":%q,"company_id":%s}}`, strings.TrimPrefix(path, "/api/v2/calls/"), company)
		case r.Method == http.MethodPut && strings.HasPrefix(path, "/targets/"):
			var body struct{ Target TargetParams }
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Target.Name == nil {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			fmt.Fprintf(w, `{"target":{"id":%s,"name":%q}}`, strings.TrimPrefix(path, "/targets/"), *body.Target.Name+"@"+company)
		case r.Method == http.MethodPost && path == "/api/v1/affiliates":
			var body struct{ Affiliate AffiliateParams }
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Affiliate.AFID == nil {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"affiliate":{"id":7,"afid":%q}}`, *body.Affiliate.AFID+"@"+company)
		case r.Method == http.MethodDelete && strings.HasPrefix(path, "/numbers/"):
			w.WriteHeader(http.StatusNoContent)
		case r.Method == http.MethodPost && path == "/rtbs":
			var body map[string]string
			_ = json.NewDecoder(r.Body).Decode(&body)
			fmt.Fprintf(w, `{"uuid":"r-%s","status":"reserved","retreaver_payout":"2.00"}`, body["caller_number"])
		case r.Method == http.MethodGet && path == "/api/v1/reports":
			fmt.Fprintf(w, `{"count":1,"count_total":1,"data":[{"id":%q,"calls":"3.0"}]}`, company)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":"Not found"}`)
		}
	}))
	t.Cleanup(m.Close)
	return m
}

// firstN ranges over seq and stops after n items, returning them and the first
// error.
func firstN[T any](seq func(func(*T, error) bool), n int) ([]*T, error) {
	var out []*T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
		if len(out) == n {
			break
		}
	}
	return out, nil
}

func TestOneClientManyGoroutines(t *testing.T) {
	before := snapshotGoroutines()
	api := newMiniAPI(t)
	logger, logs := debugLogger()
	c, err := NewClient(testKey, WithBaseURL(api.URL), WithRTBBaseURL(api.URL), WithCompanyID(1),
		WithLogger(logger), WithRateLimit(1e6, 1000), fastRetries)
	require.NoError(t, err)
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2024, 11, d, 0, 0, 0, 0, time.UTC) }

	// Each operation checks its own result; a result that belongs to another
	// goroutine's company shows a race between copies.
	ops := []func(g int, cc *Client) error{
		func(g int, cc *Client) error {
			co, err := cc.Companies.Get(ctx, int64(g+1))
			if err == nil && co.ID != int64(g+1) {
				err = fmt.Errorf("company %d, want %d", co.ID, g+1)
			}
			return err
		},
		func(g int, cc *Client) error {
			p, err := cc.Calls.List(ctx, &CallListOptions{PerPage: 7})
			if err != nil {
				return err
			}
			for _, call := range p.Items {
				if call.CompanyID != cc.CompanyID() {
					return fmt.Errorf("call %s of company %d on a page for %d", call.UUID, call.CompanyID, cc.CompanyID())
				}
			}
			if len(p.Items) != 7 || p.NextPage != 2 || p.LastPage != 6 {
				return fmt.Errorf("page %+v", p)
			}
			return nil
		},
		func(g int, cc *Client) error { // All, broken off early
			calls, err := firstN(cc.Calls.All(ctx, &CallListOptions{PerPage: 5}), 3+g%11)
			if err == nil && len(calls) != 3+g%11 {
				err = fmt.Errorf("%d calls", len(calls))
			}
			for _, call := range calls {
				if err == nil && call.CompanyID != cc.CompanyID() {
					err = fmt.Errorf("call of company %d for %d", call.CompanyID, cc.CompanyID())
				}
			}
			return err
		},
		func(g int, cc *Client) error { // All, to the end
			n := 0
			for call, err := range cc.Calls.All(ctx, &CallListOptions{PerPage: 9}) {
				if err != nil {
					return err
				}
				if want := fmt.Sprintf("c%d-%03d", cc.CompanyID(), n); call.UUID != want {
					return fmt.Errorf("call %s, want %s", call.UUID, want)
				}
				n++
			}
			if n != miniCalls {
				return fmt.Errorf("%d calls", n)
			}
			return nil
		},
		func(g int, cc *Client) error {
			tg, err := cc.Targets.Update(ctx, int64(g+1), &TargetParams{Name: Ptr(fmt.Sprint("t", g))})
			if want := fmt.Sprintf("t%d@%d", g, cc.CompanyID()); err == nil && tg.Name != want {
				err = fmt.Errorf("target %q, want %q", tg.Name, want)
			}
			return err
		},
		func(g int, cc *Client) error {
			a, err := cc.Affiliates.Create(ctx, &AffiliateParams{AFID: Ptr(fmt.Sprint("a", g))})
			if want := fmt.Sprintf("a%d@%d", g, cc.CompanyID()); err == nil && a.AFID != want {
				err = fmt.Errorf("affiliate %q, want %q", a.AFID, want)
			}
			return err
		},
		func(g int, cc *Client) error { return cc.Numbers.Delete(ctx, int64(g+1)) },
		func(g int, cc *Client) error {
			caller := fmt.Sprintf("+1555000%04d", g)
			r, err := cc.RTB.Reserve(ctx, &ReservationParams{Key: fmt.Sprint("rtb-", g), PublisherID: "p", CallerNumber: caller})
			if err == nil && r.UUID != "r-"+caller {
				err = fmt.Errorf("reservation %s for %s", r.UUID, caller)
			}
			return err
		},
		func(g int, cc *Client) error {
			rep, err := cc.Reports.Get(ctx, &ReportOptions{Facet: ReportFacetPublisher, CreatedAtStart: day(1), CreatedAtEnd: day(4)})
			if err == nil && (len(rep.Rows) != 1 || rep.Rows[0].ID != strconv.FormatInt(cc.CompanyID(), 10)) {
				err = fmt.Errorf("report %+v for company %d", rep, cc.CompanyID())
			}
			return err
		},
		func(g int, cc *Client) error { // ForEachCompany, one company failing
			var seen atomic.Int64
			err := cc.ForEachCompany(ctx, 3, func(ctx context.Context, co *Client, company *Company) error {
				seen.Add(1)
				if co.CompanyID() != company.ID {
					return fmt.Errorf("copy scoped to %d for company %d", co.CompanyID(), company.ID)
				}
				if company.ID == 21 && g%2 == 0 {
					return errors.New("stop")
				}
				_, err := firstN(co.Calls.All(ctx, &CallListOptions{PerPage: 4}), 6)
				return err
			})
			if g%2 == 0 {
				if err == nil || !strings.Contains(err.Error(), "stop") {
					return fmt.Errorf("ForEachCompany: %v", err)
				}
				return nil
			}
			if err == nil && seen.Load() != miniCompanies {
				err = fmt.Errorf("%d companies", seen.Load())
			}
			return err
		},
		func(g int, cc *Client) error { // Export, broken off early and to the end
			want := 5 + g%30
			calls, err := firstN(cc.Calls.Export(ctx, &ExportOptions{PerPage: 4, Concurrency: 1 + g%5}), want)
			if err == nil && len(calls) != want {
				err = fmt.Errorf("export gave %d calls", len(calls))
			}
			n := 0
			for call, err := range cc.Calls.Export(ctx, &ExportOptions{PerPage: 6, Concurrency: 3}) {
				if err != nil {
					return err
				}
				if call.CompanyID != cc.CompanyID() {
					return fmt.Errorf("exported call of company %d for %d", call.CompanyID, cc.CompanyID())
				}
				n++
			}
			if err == nil && n != miniCalls {
				err = fmt.Errorf("export gave %d calls", n)
			}
			return err
		},
	}

	const goroutines, rounds = 24, 3
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*rounds*len(ops))
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; round < rounds; round++ {
				for i := range ops {
					op := (g + i + round) % len(ops)
					cc := c
					if (g+round)%3 != 0 {
						cc = c.WithCompany(int64(100 + g))
					}
					if err := ops[op](g, cc); err != nil {
						errs <- fmt.Errorf("goroutine %d, op %d, company %d: %w", g, op, cc.CompanyID(), err)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	require.Greater(t, api.requests.Load(), int64(goroutines*rounds*len(ops)))
	requireTextFree(t, "debug log", logs.String(), testKey)

	api.Close()
	requireNoGoroutineLeak(t, before, c.cfg.httpClient.CloseIdleConnections)
}

// countingTransport counts the requests the client starts and those still in
// flight.
type countingTransport struct {
	base              *http.Transport
	started, inFlight atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.started.Add(1)
	c.inFlight.Add(1)
	defer c.inFlight.Add(-1)
	return c.base.RoundTrip(r)
}

func TestIteratorsBrokenOffEarlyLeaveNothingBehind(t *testing.T) {
	api := newMiniAPI(t)
	tr := &countingTransport{base: &http.Transport{}}
	c, err := NewClient(testKey, WithBaseURL(api.URL), WithCompanyID(1), fastRetries, WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	ctx := context.Background()
	cases := map[string]func() error{
		"Calls.All": func() error {
			_, err := firstN(c.Calls.All(ctx, &CallListOptions{PerPage: 5}), 7)
			return err
		},
		"Companies.All": func() error { _, err := firstN(c.Companies.All(ctx, nil), 3); return err },
		"Reports.All": func() error {
			_, err := firstN(c.Reports.All(ctx, &ReportOptions{Facet: ReportFacetDaily,
				CreatedAtStart: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), CreatedAtEnd: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)}), 1)
			return err
		},
		"Export, pages in flight": func() error {
			_, err := firstN(c.Calls.Export(ctx, &ExportOptions{PerPage: 2, Concurrency: 8}), 3)
			return err
		},
		"Export, broken on the first page": func() error {
			_, err := firstN(c.Calls.Export(ctx, &ExportOptions{PerPage: 10, Concurrency: 16}), 1)
			return err
		},
		"ForEachCompany, first call fails": func() error {
			var started atomic.Int64
			err := c.ForEachCompany(ctx, 4, func(ctx context.Context, co *Client, company *Company) error {
				started.Add(1)
				_, err := firstN(co.Calls.Export(ctx, &ExportOptions{PerPage: 3, Concurrency: 4}), 2)
				if err == nil {
					err = errors.New("stop")
				}
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "stop") {
				return fmt.Errorf("ForEachCompany: %v", err)
			}
			if started.Load() == miniCompanies {
				return fmt.Errorf("every company started although the first failed")
			}
			return nil
		},
		"ForEachCompany, context cancelled": func() error {
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			err := c.ForEachCompany(ctx, 2, func(ctx context.Context, co *Client, company *Company) error {
				cancel()
				_, err := firstN(co.Calls.All(ctx, nil), 100)
				return err
			})
			if !errors.Is(err, context.Canceled) {
				return fmt.Errorf("ForEachCompany: %v", err)
			}
			return nil
		},
	}
	for name, run := range cases {
		t.Run(name, func(t *testing.T) {
			before := snapshotGoroutines()
			require.NoError(t, run())
			require.Zero(t, tr.inFlight.Load(), "no request in flight once the iteration returned")
			sent := tr.started.Load()
			requireNoGoroutineLeak(t, before, tr.base.CloseIdleConnections)
			require.Equal(t, sent, tr.started.Load(), "no request started after the iteration returned")
		})
	}
}

// ---- Bad input --------------------------------------------------------------

func TestRequestsThatCannotBeEncodedAreRefused(t *testing.T) {
	// Shared plumbing: what the services cannot produce, but a mistake in one
	// could. Each is refused before anything is sent.
	c, mt := newTestClient(t)
	ctx := context.Background()
	_, err := c.cfg.do(ctx, c.newRequest(http.MethodPost, "api/v1/calls.json", nil, map[string]any{"x": make(chan int)}))
	require.ErrorIs(t, err, ErrInvalidArgument, "a body that is not JSON")
	_, err = c.cfg.do(ctx, c.newRequest(http.MethodGet, "%zz.json", nil, nil))
	require.ErrorIs(t, err, ErrInvalidArgument, "a path that does not parse")
	noRequests(t, mt)
}
