package retreaver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/require"
)

// One client shared by many goroutines, and iterators broken off early, against
// the fake. Every company's calls, target, publisher and RTB key are its own, so
// that an answer reaching the wrong caller shows.

const (
	fleetCalls     = 40 // calls per company
	fleetCompanies = 6  // listed two a page, on 3 pages
)

// fleetStart is when the first call of every company came in; one more came
// in every 18 hours after it.
var fleetStart = time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)

// fleetCallUUID is the uuid of a company's i-th call.
func fleetCallUUID(company int64, i int) string { return fmt.Sprintf("c%d-%03d", company, i) }

// fleetPublisher is the afid of a company's publisher, which every one of its
// calls names.
func fleetPublisher(company int64) string { return fmt.Sprintf("pub-%d", company) }

// fleet is a fake that lists its companies two a page, and what each company
// holds.
type fleet struct {
	srv       *retreavertest.Server
	companies []int64              // fleetCompanies of them
	targets   map[int64]int64      // company -> its target's id
	rtbKeys   map[int64]string     // company -> its campaign's RTB key
	numbers   map[int64]chan int64 // company -> ids of its numbers left to delete
}

// newFleet starts a fake (closed when the test ends) with fleetCompanies
// companies. Each holds fleetCalls calls, fleetCallUUID(company, 0) to
// fleetCallUUID(company, fleetCalls-1) in created_at order, of its publisher
// and its campaign; a target; and numbers to delete, numbers[i] in the i-th
// company (none when numbers is shorter).
func newFleet(t *testing.T, numbers []int) *fleet {
	t.Helper()
	srv := retreavertest.NewServer(retreavertest.WithPageSize(2))
	t.Cleanup(srv.Close)
	f := &fleet{srv: srv, targets: map[int64]int64{}, rtbKeys: map[int64]string{}, numbers: map[int64]chan int64{}}
	admin, err := NewClient(srv.APIKey, WithBaseURL(srv.URL), WithCompanyID(srv.CompanyID), WithRetryPolicy(NoRetries))
	require.NoError(t, err)
	defer admin.CloseIdleConnections()
	ctx := context.Background()
	for i := len(srv.CompanyIDs()); i < fleetCompanies; i++ {
		_, err := admin.Companies.Create(ctx, &CompanyParams{Name: Ptr(fmt.Sprint("Fleet ", i))})
		require.NoError(t, err)
	}
	f.companies = srv.CompanyIDs()
	require.Len(t, f.companies, fleetCompanies)
	for i, co := range f.companies {
		cc := admin.WithCompany(co)
		afid, cid := fleetPublisher(co), fmt.Sprintf("camp-%d", co)
		_, err := cc.Affiliates.Create(ctx, &AffiliateParams{AFID: Ptr(afid)})
		require.NoError(t, err)
		_, err = cc.Campaigns.Create(ctx, &CampaignParams{CID: Ptr(cid)})
		require.NoError(t, err)
		tg, err := cc.Targets.Create(ctx, &TargetParams{Number: Ptr("+15555550100"), Name: Ptr("buyer")})
		require.NoError(t, err)
		f.targets[co] = tg.ID
		f.rtbKeys[co] = srv.RTBKeyFor(co, cid)
		require.NotEmpty(t, f.rtbKeys[co])
		for j := range fleetCalls {
			_, err := srv.AddCall(co, retreavertest.Call{UUID: fleetCallUUID(co, j), CreatedAt: fleetStart.Add(time.Duration(j) * 18 * time.Hour),
				AFID: afid, CID: cid, Revenue: "1.50"})
			require.NoError(t, err)
		}
		var toDelete int
		if i < len(numbers) {
			toDelete = numbers[i]
		}
		f.numbers[co] = make(chan int64, toDelete)
		for range toDelete {
			n, err := cc.Numbers.Create(ctx, &NumberParams{CID: Ptr(cid), AFID: Ptr(afid)})
			require.NoError(t, err)
			f.numbers[co] <- n.ID
		}
	}
	srv.ResetRequests()
	return f
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

// onlyStops reports whether err is ForEachCompany's report of one or more
// functions that returned "stop", and of nothing else.
func onlyStops(err error) bool {
	if err == nil {
		return false
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if !strings.HasSuffix(line, "): stop") {
			return false
		}
	}
	return true
}

func TestOneClientManyGoroutines(t *testing.T) {
	const goroutines, rounds = 24, 3
	// In each round a goroutine works for one company: through the shared
	// client when it is the client's company, through a copy otherwise.
	company := func(g, round int) int { return (g + round) % fleetCompanies }
	deletes := make([]int, fleetCompanies) // one a round
	for g := range goroutines {
		for round := range rounds {
			deletes[company(g, round)]++
		}
	}
	before := snapshotGoroutines()
	f := newFleet(t, deletes)
	logger, logs := debugLogger()
	c, err := NewClient(f.srv.APIKey, WithBaseURL(f.srv.URL), WithRTBBaseURL(f.srv.URL), WithCompanyID(f.companies[0]),
		WithLogger(logger), WithRateLimit(1e6, 1000), fastRetries)
	require.NoError(t, err)
	ctx := context.Background()
	var seq atomic.Int64 // makes every name and caller number of its own

	// Each operation checks its own result; a result that belongs to another
	// goroutine or another company shows a race between copies.
	ops := []func(g int, cc *Client) error{
		func(g int, cc *Client) error {
			id := f.companies[g%fleetCompanies]
			co, err := cc.Companies.Get(ctx, id)
			if err == nil && co.ID != id {
				err = fmt.Errorf("company %d, want %d", co.ID, id)
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
			for call, err := range cc.Calls.All(ctx, &CallListOptions{PerPage: 9, Order: OrderAsc}) {
				if err != nil {
					return err
				}
				if want := fleetCallUUID(cc.CompanyID(), n); call.UUID != want {
					return fmt.Errorf("call %s, want %s", call.UUID, want)
				}
				n++
			}
			if n != fleetCalls {
				return fmt.Errorf("%d calls", n)
			}
			return nil
		},
		func(g int, cc *Client) error {
			id, name := f.targets[cc.CompanyID()], fmt.Sprintf("t%d-%d", g, seq.Add(1))
			tg, err := cc.Targets.Update(ctx, id, &TargetParams{Name: Ptr(name)})
			if err == nil && (tg.ID != id || tg.Name != name) {
				err = fmt.Errorf("target %d %q, want %d %q", tg.ID, tg.Name, id, name)
			}
			return err
		},
		func(g int, cc *Client) error {
			afid := fmt.Sprintf("a%d-%d", g, seq.Add(1))
			a, err := cc.Affiliates.Create(ctx, &AffiliateParams{AFID: Ptr(afid)})
			if err == nil && a.AFID != afid {
				err = fmt.Errorf("affiliate %q, want %q", a.AFID, afid)
			}
			return err
		},
		func(g int, cc *Client) error { // a number of another company is not found
			select {
			case id := <-f.numbers[cc.CompanyID()]:
				return cc.Numbers.Delete(ctx, id)
			default:
				return fmt.Errorf("no number of company %d left to delete", cc.CompanyID())
			}
		},
		func(g int, cc *Client) error {
			caller := fmt.Sprintf("+1301555%04d", seq.Add(1))
			r, err := cc.RTB.Reserve(ctx, &ReservationParams{Key: f.rtbKeys[cc.CompanyID()], PublisherID: "p", CallerNumber: caller})
			if err != nil {
				return err
			}
			for _, got := range f.srv.RTBReservations() {
				if got.UUID == r.UUID {
					if got.CallerNumber != caller || got.CompanyID != cc.CompanyID() {
						return fmt.Errorf("reservation %s of %s in company %d, for %s in %d", r.UUID, got.CallerNumber, got.CompanyID, caller, cc.CompanyID())
					}
					return nil
				}
			}
			return fmt.Errorf("reservation %s unknown to the server", r.UUID)
		},
		func(g int, cc *Client) error {
			rep, err := cc.Reports.Get(ctx, &ReportOptions{Facet: ReportFacetPublisher, CreatedAtStart: fleetStart, CreatedAtEnd: fleetStart.AddDate(0, 2, 0)})
			if err == nil && (len(rep.Rows) != 1 || rep.Rows[0].ID != fleetPublisher(cc.CompanyID()) || rep.Rows[0].TotalCalls != fleetCalls) {
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
				if company.ID == f.companies[2] && g%2 == 0 {
					return errors.New("stop")
				}
				calls, err := firstN(co.Calls.All(ctx, &CallListOptions{PerPage: 4}), 6)
				for _, call := range calls {
					if err == nil && call.CompanyID != company.ID {
						err = fmt.Errorf("call of company %d for %d", call.CompanyID, company.ID)
					}
				}
				return err
			})
			if g%2 == 0 {
				if !onlyStops(err) {
					return fmt.Errorf("ForEachCompany: %v", err)
				}
				return nil
			}
			if err == nil && seen.Load() != fleetCompanies {
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
			if err == nil && n != fleetCalls {
				err = fmt.Errorf("export gave %d calls", n)
			}
			return err
		},
	}

	var wg sync.WaitGroup
	errs := make(chan error, goroutines*rounds*len(ops))
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; round < rounds; round++ {
				cc := c
				if co := f.companies[company(g, round)]; co != c.CompanyID() {
					cc = c.WithCompany(co)
				}
				for i := range ops {
					op := (g + i + round) % len(ops)
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
	require.Greater(t, len(f.srv.Requests()), goroutines*rounds*len(ops))
	requireTextFree(t, "debug log", logs.String(), f.srv.APIKey)

	f.srv.Close()
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
	f := newFleet(t, nil)
	tr := &countingTransport{base: &http.Transport{}}
	c, err := NewClient(f.srv.APIKey, WithBaseURL(f.srv.URL), WithCompanyID(f.companies[0]), fastRetries, WithHTTPClient(&http.Client{Transport: tr}))
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
				CreatedAtStart: fleetStart, CreatedAtEnd: fleetStart.AddDate(0, 2, 0)}), 3)
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
			if !onlyStops(err) {
				return fmt.Errorf("ForEachCompany: %v", err)
			}
			if started.Load() == fleetCompanies {
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
