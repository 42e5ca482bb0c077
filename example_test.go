package retreaver_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
)

// Create a client for one company and ask the API which company is active.
func Example() {
	srv, client := newFake()
	defer srv.Close()

	ctx := context.Background()
	company, err := client.Companies.Get(ctx, client.CompanyID())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(company.Name)
	// Output: Northwind Health Leads
}

// NewClient takes the API key and options; WithCompanyID names the company every
// request works in.
func ExampleNewClient() {
	srv := retreavertest.NewServer()
	defer srv.Close()

	client, err := retreaver.NewClient(srv.APIKey,
		retreaver.WithBaseURL(srv.URL), // omit for the real API
		retreaver.WithCompanyID(srv.CompanyID),
		retreaver.WithRetryPolicy(retreaver.RetryPolicy{MaxAttempts: 3}),
		retreaver.WithRateLimit(10, 4),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.CompanyID() == srv.CompanyID)

	_, err = retreaver.NewClient("")
	fmt.Println(errors.Is(err, retreaver.ErrInvalidArgument))
	// Output:
	// true
	// true
}

// All follows the API's pages for you; break out of the loop to stop fetching.
func ExampleCallsService_All() {
	srv, client := newFake()
	defer srv.Close()
	srv.SeedCalls(60) // three pages of 25

	ctx := context.Background()
	n := 0
	for call, err := range client.Calls.All(ctx, &retreaver.CallListOptions{
		SortBy: retreaver.SortByCreatedAt,
		Order:  retreaver.OrderAsc,
	}) {
		if err != nil {
			log.Fatal(err)
		}
		if call.UUID != "" {
			n++
		}
	}
	fmt.Println("calls:", n)
	// Output: calls: 60
}

// List fetches one page; the page numbers come from the Link header.
func ExampleCallsService_List() {
	srv, client := newFake()
	defer srv.Close()
	srv.SeedCalls(60)

	page, err := client.Calls.List(context.Background(), &retreaver.CallListOptions{
		ListOptions: retreaver.ListOptions{Page: 2},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.Items), page.PrevPage, page.NextPage, page.LastPage)
	// Output: 25 1 3 3
}

// A missing object is an *APIError that matches ErrNotFound; input that is
// knowably wrong fails before any request with ErrInvalidArgument.
func ExampleAPIError() {
	srv, client := newFake()
	defer srv.Close()
	ctx := context.Background()

	_, err := client.Targets.Get(ctx, 999999)
	var apiErr *retreaver.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, errors.Is(err, retreaver.ErrNotFound))
	}

	_, err = client.Calls.Get(ctx, "")
	fmt.Println(errors.Is(err, retreaver.ErrInvalidArgument))
	// Output:
	// 404 true
	// true
}

// WithCompany makes a cheap copy scoped to another company.
func ExampleClient_WithCompany() {
	srv, client := newFake()
	defer srv.Close()
	ctx := context.Background()

	other := client.WithCompany(srv.CompanyIDs()[1])
	co, err := other.Companies.Get(ctx, other.CompanyID())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(co.Name)

	_, err = client.WithCompany(srv.ForbiddenCompanyID()).Calls.List(ctx, nil)
	fmt.Println(errors.Is(err, retreaver.ErrForbidden))
	// Output:
	// Summit Insurance Partners
	// true
}

// ForEachCompany runs a function for every company the key reaches, a few at a
// time, each with a client scoped to that company.
func ExampleClient_ForEachCompany() {
	srv, client := newFake()
	defer srv.Close()

	var (
		mu    sync.Mutex
		names []string
	)
	err := client.ForEachCompany(context.Background(), 2, func(ctx context.Context, c *retreaver.Client, co *retreaver.Company) error {
		page, err := c.Calls.List(ctx, nil)
		if err != nil {
			return err
		}
		mu.Lock()
		names = append(names, fmt.Sprintf("%s: %d calls", co.Name, len(page.Items)))
		mu.Unlock()
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Println(n)
	}
	// Output:
	// Bluebird Home Services: 0 calls
	// Northwind Health Leads: 0 calls
	// Summit Insurance Partners: 0 calls
}

// Targets take tags (tag_list) and four caps.
func ExampleTargetsService_SetCap() {
	srv, client := newFake()
	defer srv.Close()
	ctx := context.Background()

	target, err := client.Targets.Create(ctx, &retreaver.TargetParams{
		Number:   retreaver.Ptr("+18668987878"),
		Name:     retreaver.Ptr("Call center"),
		TimeZone: retreaver.Ptr("Eastern Time (US & Canada)"),
		Tags:     []retreaver.Tag{{Key: "calling_about", Value: "support"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	target, err = client.Targets.SetCap(ctx, target.ID, retreaver.CapHard, 100)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range target.Caps {
		if c.Type == retreaver.CapHard {
			fmt.Println("hard cap:", *c.Cap)
		}
	}
	target, err = client.Targets.SetTags(ctx, target.ID, []retreaver.Tag{
		{Key: "calling_about", Value: "sales"},
		{Key: "state", Value: "NC"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, tv := range target.TagValues {
		fmt.Printf("%s=%s\n", tv.Key, tv.Value)
	}
	if err := client.Targets.ResetCap(ctx, target.ID); err != nil {
		log.Fatal(err)
	}
	// Output:
	// hard cap: 100
	// calling_about=sales
	// state=NC
}

// Campaigns are created before the numbers that use them.
func ExampleCampaignsService_Create() {
	srv, client := newFake()
	defer srv.Close()
	ctx := context.Background()

	campaign, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{
		CID:         retreaver.Ptr("spring-24"),
		Name:        retreaver.Ptr("Spring promo"),
		Message:     retreaver.Ptr("Thanks for calling, please press one to continue."),
		VoiceGender: retreaver.Ptr(retreaver.VoiceGenderFemale),
		Timers: []retreaver.TimerParams{
			{Seconds: retreaver.Ptr(0), URL: retreaver.Ptr("https://tracker.example/click")},
			{Seconds: retreaver.Ptr(90), URL: retreaver.Ptr("https://tracker.example/sale")},
		},
		MenuOptions: []retreaver.MenuOptionParams{
			{Option: retreaver.Ptr("1"), TargetNumber: retreaver.Ptr("+16474570424")},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(campaign.CID, campaign.Name, len(campaign.Timers), campaign.MenuOptions[0].TargetNumber)
	// Output: spring-24 Spring promo 2 +16474570424
}

// Real-time bidding: reserve a target for a caller, then confirm.
func ExampleRTBService_Reserve() {
	srv, client := newFake(retreavertest.WithDemoData())
	defer srv.Close()
	ctx := context.Background()

	res, err := client.RTB.Reserve(ctx, &retreaver.ReservationParams{
		Key:          srv.RTBKey,
		PublisherID:  "0001",
		CallerNumber: "+13015236555",
		Tags:         map[string]string{"caller_zip": "28379"},
	})
	if err != nil {
		log.Fatal(err)
	}
	if res.NoTarget() {
		fmt.Println("no buyer right now")
		return
	}
	res, err = client.RTB.Confirm(ctx, srv.RTBKey, res.UUID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status)
	// Output: confirmed
}
