package retreaver_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
)

// Examples of the main tasks, each against the in-memory fake API.

// addCalls stores calls with known campaigns and amounts in the fake: two
// campaigns, on 4 November 2024.
func addCalls(srv *retreavertest.Server, client *retreaver.Client) {
	ctx := context.Background()
	for _, cid := range []string{"SALES", "SUPPORT"} {
		if _, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr(cid), Name: retreaver.Ptr(cid + " line")}); err != nil {
			log.Fatal(err)
		}
	}
	day := time.Date(2024, 11, 4, 9, 0, 0, 0, time.UTC)
	for i, c := range []struct{ cid, revenue string }{
		{"SALES", "12.50"}, {"SALES", "7.25"}, {"SUPPORT", "0.10"}, {"SALES", "0.20"}, {"SUPPORT", ""},
	} {
		if _, err := srv.AddCall(srv.CompanyID, retreavertest.Call{CID: c.cid, Revenue: c.revenue,
			CreatedAt: day.Add(time.Duration(i) * time.Hour), Duration: 60}); err != nil {
			log.Fatal(err)
		}
	}
}

// Export every call of the past week, with a progress report after each page.
func ExampleCallsService_Export() {
	srv := retreavertest.NewServer()
	defer srv.Close()
	now := time.Now()
	srv.SeedCallsAt(srv.CompanyID, 1234, now.AddDate(0, 0, -7), now.Add(-time.Minute))
	client, err := retreaver.NewClient(srv.APIKey, retreaver.WithBaseURL(srv.URL), retreaver.WithCompanyID(srv.CompanyID))
	if err != nil {
		log.Fatal(err)
	}

	var progress retreaver.ExportProgress
	total := 0
	for call, err := range client.Calls.Export(context.Background(), &retreaver.ExportOptions{
		CreatedAtStart: now.AddDate(0, 0, -7),
		Concurrency:    4,
		OnProgress:     func(p retreaver.ExportProgress) { progress = p },
	}) {
		if err != nil {
			log.Fatal(err)
		}
		_ = call // write it somewhere
		total++
	}
	fmt.Printf("%d calls; pages %d/%d\n", total, progress.PagesDone, progress.PagesTotal)
	// Output: 1234 calls; pages 13/13
}

// Export pulls every call of a time window exactly once, oldest first, several
// pages at a time; Money sums the revenue per campaign exactly.
func ExampleCallsService_Export_revenuePerCampaign() {
	srv, client := newFake()
	defer srv.Close()
	addCalls(srv, client)

	revenue := map[string]retreaver.Money{}
	var last retreaver.ExportProgress
	for call, err := range client.Calls.Export(context.Background(), &retreaver.ExportOptions{
		CreatedAtStart: time.Date(2024, 11, 4, 0, 0, 0, 0, time.UTC),
		CreatedAtEnd:   time.Date(2024, 11, 5, 0, 0, 0, 0, time.UTC),
		OnProgress:     func(p retreaver.ExportProgress) { last = p },
	}) {
		if err != nil {
			log.Fatal(err) // the calls of the pages before the failing one were yielded
		}
		revenue[call.CID] = revenue[call.CID].Add(call.Revenue) // a call without revenue adds nothing
	}
	fmt.Printf("company %d: %d calls in %d page(s)\n", last.CompanyID, last.Calls, last.PagesDone)
	fmt.Println("SALES", revenue["SALES"], "SUPPORT", revenue["SUPPORT"])
	// Output:
	// company 101: 5 calls in 1 page(s)
	// SALES 19.95 SUPPORT 0.1
}

// A report of one day: CreatedAtStart and CreatedAtEnd name the same day, both
// ends included. Amounts are Money.
func ExampleReportsService_All() {
	srv, client := newFake()
	defer srv.Close()
	addCalls(srv, client)

	day := time.Date(2024, 11, 4, 0, 0, 0, 0, time.UTC)
	var rows []*retreaver.ReportRow
	for row, err := range client.Reports.All(context.Background(), &retreaver.ReportOptions{
		Facet:          retreaver.ReportFacetCampaign,
		CreatedAtStart: day,
		CreatedAtEnd:   day,
	}) {
		if err != nil {
			log.Fatal(err)
		}
		rows = append(rows, row)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].FacetName < rows[j].FacetName })
	for _, r := range rows {
		fmt.Printf("%s: %d calls, revenue %s\n", r.FacetName, r.TotalCalls, r.Revenue)
	}
	// Output:
	// SALES line: 3 calls, revenue 19.95
	// SUPPORT line: 2 calls, revenue 0.1
}

// Numbers belong to a campaign (cid) and an affiliate (afid); a number pool hands
// out numbers of a campaign to website visitors, one each.
func ExampleNumbersService_Create() {
	srv, client := newFake()
	defer srv.Close()
	ctx := context.Background()

	camp, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr("SALES"), Name: retreaver.Ptr("Sales line")})
	if err != nil {
		log.Fatal(err)
	}
	aff, err := client.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr("PUB-7")})
	if err != nil {
		log.Fatal(err)
	}
	num, err := client.Numbers.Create(ctx, &retreaver.NumberParams{CID: &camp.CID, AFID: &aff.AFID,
		Type: retreaver.Ptr(retreaver.NumberTypeLocal), Country: retreaver.Ptr("US")})
	if err != nil {
		log.Fatal(err)
	}
	pool, err := client.NumberPools.Create(ctx, &retreaver.NumberPoolParams{CID: &camp.CID, MaxPoolSize: retreaver.Ptr(5)})
	if err != nil {
		log.Fatal(err)
	}
	page, err := client.Numbers.List(ctx, &retreaver.NumberListOptions{ClientCID: "SALES"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(num.CID, num.AFID, len(page.Items), page.Items[0].Number == num.Number)
	fmt.Println(pool.CID, pool.MaxPoolSize)
	// Output:
	// SALES PUB-7 1 true
	// SALES 5
}

// A validation failure (422) names the fields the API refused in
// APIError.Fields.
func ExampleAPIError_fields() {
	srv, client := newFake()
	defer srv.Close()

	_, err := client.Numbers.Create(context.Background(), &retreaver.NumberParams{
		CID: retreaver.Ptr("NO-SUCH-CAMPAIGN"), AFID: retreaver.Ptr("nobody")})
	var apiErr *retreaver.APIError
	if errors.As(err, &apiErr) && errors.Is(err, retreaver.ErrUnprocessable) {
		for field, msgs := range apiErr.Fields {
			fmt.Println(field, msgs)
		}
	}
	// Output: cid [does not exist]
}

// Do sends a request the SDK does not model yet, with the same credentials,
// retries, bounds and typed errors; out receives the answer as sent.
func ExampleClient_Do() {
	srv, client := newFake()
	defer srv.Close()

	var out struct {
		Company struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"company"`
	}
	resp, err := client.Do(context.Background(), "GET", "company.json", url.Values{}, nil, &out)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, out.Company.Name)
	// Output: 200 Northwind Health Leads
}

// Export every company the key reaches into one writer, with one window pinned
// for all: ForEachCompany runs the exports a few at a time, ExportProgress
// names the company, and a mutex keeps the writer's rows whole.
func ExampleClient_ForEachCompany_export() {
	srv, client := newFake()
	defer srv.Close()
	start := time.Date(2024, 11, 4, 0, 0, 0, 0, time.UTC)
	for i, id := range srv.CompanyIDs() {
		for n := 0; n <= i; n++ {
			if _, err := srv.AddCall(id, retreavertest.Call{CreatedAt: start.Add(time.Duration(n) * time.Hour), Revenue: "2.50"}); err != nil {
				log.Fatal(err)
			}
		}
	}

	window := retreaver.ExportOptions{CreatedAtStart: start, CreatedAtEnd: start.AddDate(0, 0, 1)} // one window for all
	var mu sync.Mutex
	rows := map[int64][]string{}                     // stands for one CSV writer shared by every company
	progress := map[int64]retreaver.ExportProgress{} // stands for a progress line per company
	err := client.ForEachCompany(context.Background(), 4, func(ctx context.Context, c *retreaver.Client, co *retreaver.Company) error {
		opts := window
		opts.OnProgress = func(p retreaver.ExportProgress) {
			mu.Lock()
			progress[p.CompanyID] = p
			mu.Unlock()
		}
		for call, err := range c.Calls.Export(ctx, &opts) {
			if err != nil {
				return err
			}
			mu.Lock()
			rows[co.ID] = append(rows[co.ID], call.UUID+","+call.Revenue.String())
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		log.Fatal(err) // every company that failed is named in err
	}
	for _, id := range srv.CompanyIDs() {
		fmt.Printf("company %d: %d calls written, %d in its progress\n", id, len(rows[id]), progress[id].Calls)
	}
	// Output:
	// company 101: 1 calls written, 1 in its progress
	// company 102: 2 calls written, 2 in its progress
	// company 103: 3 calls written, 3 in its progress
}
