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

// One client shared by many goroutines, and iterators broken off early.

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
