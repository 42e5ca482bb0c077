// Command multi-company is the agency report: calls, revenue, payout and profit
// per company over a date range, for every company the API key reaches.
//
// It lists the companies, then asks each one's campaign report at most
// -concurrency at a time, with a client scoped to that company. With no
// RETREAVER_API_KEY it runs against the in-memory fake API with demo data.
//
//	go run ./examples/multi-company -from 2026-10-01 -to 2026-11-01
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
)

type companyTotals struct {
	name                    string
	rows                    int
	calls                   int
	revenue, payout, profit retreaver.Money // exact sums
}

func main() {
	log.SetFlags(0)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	from := flag.String("from", today.AddDate(0, 0, -30).Format(time.DateOnly), "first day (YYYY-MM-DD)")
	to := flag.String("to", today.AddDate(0, 0, 1).Format(time.DateOnly), "day after the last (YYYY-MM-DD)")
	concurrency := flag.Int("concurrency", 4, "companies queried at once")
	flag.Parse()

	start, err := time.Parse(time.DateOnly, *from)
	if err != nil {
		log.Fatalf("-from: %v", err)
	}
	end, err := time.Parse(time.DateOnly, *to)
	if err != nil {
		log.Fatalf("-to: %v", err)
	}

	client, cleanup := connect()
	defer cleanup()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	var (
		mu     sync.Mutex
		totals []companyTotals
	)
	err = client.ForEachCompany(ctx, *concurrency, func(ctx context.Context, c *retreaver.Client, co *retreaver.Company) error {
		t := companyTotals{name: co.Name}
		for row, err := range c.Reports.All(ctx, &retreaver.ReportOptions{
			Facet:          retreaver.ReportFacetCampaign,
			CreatedAtStart: start,
			CreatedAtEnd:   end,
			PerPage:        100,
		}) {
			if err != nil {
				return err
			}
			t.rows++
			t.calls += row.TotalCalls
			t.revenue = t.revenue.Add(row.Revenue)
			t.payout = t.payout.Add(row.Payout)
			t.profit = t.profit.Add(row.Profit)
		}
		mu.Lock()
		totals = append(totals, t)
		mu.Unlock()
		return nil
	})
	if err != nil {
		// Companies that failed are named in err; the others are still reported.
		log.Printf("some companies failed: %v", err)
	}

	sort.Slice(totals, func(i, j int) bool { return totals[i].name < totals[j].name })
	fmt.Printf("Calls per company, %s to %s\n\n", start.Format(time.DateOnly), end.Format(time.DateOnly))
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "company\tcampaigns\tcalls\trevenue\tpayout\tprofit\t")
	var all companyTotals
	for _, t := range totals {
		fmt.Fprintf(w, "%s\t%d\t%d\t%s\t%s\t%s\t\n", t.name, t.rows, t.calls, dollars(t.revenue), dollars(t.payout), dollars(t.profit))
		all.rows += t.rows
		all.calls += t.calls
		all.revenue = all.revenue.Add(t.revenue)
		all.payout = all.payout.Add(t.payout)
		all.profit = all.profit.Add(t.profit)
	}
	fmt.Fprintf(w, "all companies\t%d\t%d\t%s\t%s\t%s\t\n", all.rows, all.calls, dollars(all.revenue), dollars(all.payout), dollars(all.profit))
	w.Flush()
}

func connect() (*retreaver.Client, func()) {
	if key := os.Getenv("RETREAVER_API_KEY"); key != "" {
		c, err := retreaver.NewClient(key, retreaver.WithRateLimit(4, 4))
		if err != nil {
			log.Fatal(err)
		}
		return c, func() {}
	}
	srv := retreavertest.NewServer(retreavertest.WithDemoData())
	c, err := retreaver.NewClient(srv.APIKey, retreaver.WithBaseURL(srv.URL), retreaver.WithCompanyID(srv.CompanyID))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintln(os.Stderr, "No RETREAVER_API_KEY set: using the in-memory fake API with demo data.")
	return c, srv.Close
}

// dollars shows an amount to the cent (rounded half to even, see Money.Cents).
func dollars(m retreaver.Money) string {
	c, err := m.Cents()
	if err != nil {
		return m.String()
	}
	return retreaver.MoneyFromCents(c).String()
}
