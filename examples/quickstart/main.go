// Command quickstart is a tour of retreaver-go.
//
// With no RETREAVER_API_KEY in the environment it starts the in-memory fake API
// (package retreavertest) with a demo data set and walks through the main flows:
// companies, creating a campaign and a target, paging through calls, reading a
// call through version 4 of the calls API, fanning out across companies, and
// handling a not-found error.
//
// With RETREAVER_API_KEY (and RETREAVER_COMPANY_ID) set it runs the read-only part
// of the tour against the real API: nothing is created or changed.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
)

func main() {
	log.SetFlags(0)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	newClient, live, cleanup := connect()
	defer cleanup()
	client := newClient()

	step("1. Companies this key can reach")
	active, err := client.Companies.Get(ctx, client.CompanyID())
	check(err)
	fmt.Printf("   working in: %s (id %d, balance %s)\n", active.Name, active.ID, active.Balance)
	for co, err := range client.Companies.All(ctx, nil) {
		check(err)
		fmt.Printf("   - %-28s id %d, owner %s\n", co.Name, co.ID, co.OwnerUserName)
	}

	if !live {
		step("2. Create a campaign and a target")
		createObjects(ctx, client)
	} else {
		step("2. (skipped against the real API: the tour changes nothing there)")
	}

	step("3. Page through the last 30 days of calls, oldest first")
	pageThroughCalls(ctx, client)

	step("4. The newest call through version 4 of the calls API: campaign and number by name")
	newestCall(ctx, newClient(retreaver.WithCallsVersion(4)))

	step("5. Fan out across every company")
	fanOut(ctx, client)

	step("6. Errors are typed")
	_, err = client.Targets.Get(ctx, 987654321)
	var apiErr *retreaver.APIError
	switch {
	case errors.Is(err, retreaver.ErrNotFound) && errors.As(err, &apiErr):
		fmt.Printf("   target 987654321: %d not found (%q); the URL in the error is redacted:\n   %s\n",
			apiErr.StatusCode, apiErr.Message, apiErr.URL)
	case err != nil:
		check(err)
	default:
		fmt.Println("   target 987654321 exists in this account")
	}
	_, err = client.Calls.Get(ctx, "")
	fmt.Printf("   an empty call UUID fails before any request: %v\n", err)

	fmt.Println("\nDone.")
}

// connect returns a way to make clients (with extra options, for one company)
// for the real API when RETREAVER_API_KEY is set, and for a fake server with
// demo data otherwise.
func connect() (newClient func(extra ...retreaver.Option) *retreaver.Client, live bool, cleanup func()) {
	maker := func(key string, opts []retreaver.Option) func(extra ...retreaver.Option) *retreaver.Client {
		return func(extra ...retreaver.Option) *retreaver.Client {
			c, err := retreaver.NewClient(key, append(slices.Clip(opts), extra...)...)
			check(err)
			return c
		}
	}
	if key := os.Getenv("RETREAVER_API_KEY"); key != "" {
		var opts []retreaver.Option
		if s := os.Getenv("RETREAVER_COMPANY_ID"); s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				log.Fatalf("RETREAVER_COMPANY_ID %q is not a number", s)
			}
			opts = append(opts, retreaver.WithCompanyID(id))
		} else {
			active, err := maker(key, nil)().Companies.Active(context.Background())
			check(err)
			opts = append(opts, retreaver.WithCompanyID(active.ID))
		}
		fmt.Println("Using the real Retreaver API (read-only tour).")
		return maker(key, opts), true, func() {}
	}
	srv := retreavertest.NewServer(retreavertest.WithDemoData())
	fmt.Printf("No RETREAVER_API_KEY set: using the in-memory fake API at %s with demo data.\n", srv.URL)
	return maker(srv.APIKey, []retreaver.Option{
		retreaver.WithBaseURL(srv.URL),
		retreaver.WithRTBBaseURL(srv.URL),
		retreaver.WithCompanyID(srv.CompanyID),
	}), false, srv.Close
}

func createObjects(ctx context.Context, client *retreaver.Client) {
	campaign, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{
		Name:        retreaver.Ptr("Quickstart campaign"),
		Message:     retreaver.Ptr("Thanks for calling, please press one to continue."),
		VoiceGender: retreaver.Ptr(retreaver.VoiceGenderFemale),
		Timers: []retreaver.TimerParams{
			{Seconds: retreaver.Ptr(90), URL: retreaver.Ptr("https://tracker.example/sale?cid=[campaign_id]")},
		},
		MenuOptions: []retreaver.MenuOptionParams{
			{Option: retreaver.Ptr("1"), TargetNumber: retreaver.Ptr("+16474570424")},
		},
	})
	check(err)
	fmt.Printf("   campaign %q got cid %s\n", campaign.Name, campaign.CID)

	target, err := client.Targets.Create(ctx, &retreaver.TargetParams{
		Number:   retreaver.Ptr("+18668987878"),
		Name:     retreaver.Ptr("Quickstart call center"),
		TimeZone: retreaver.Ptr("Eastern Time (US & Canada)"),
		Tags:     []retreaver.Tag{{Key: "calling_about", Value: "sales"}},
	})
	check(err)
	fmt.Printf("   target %q (id %d) has %d caps and %d business-hour rows\n",
		target.Name, target.ID, len(target.Caps), len(target.BusinessHours))

	target, err = client.Targets.SetCap(ctx, target.ID, retreaver.CapDaily, 50)
	check(err)
	for _, c := range target.Caps {
		if c.Type == retreaver.CapDaily && c.Cap != nil {
			fmt.Printf("   daily cap set to %d\n", *c.Cap)
		}
	}
}

func pageThroughCalls(ctx context.Context, client *retreaver.Client) {
	opts := &retreaver.CallListOptions{
		CreatedAtStart: time.Now().AddDate(0, 0, -30),
		SortBy:         retreaver.SortByCreatedAt,
		Order:          retreaver.OrderAsc,
	}
	var (
		n       int
		revenue retreaver.Money
		states  = map[string]int{}
	)
	for call, err := range client.Calls.All(ctx, opts) {
		check(err)
		n++
		revenue = revenue.Add(call.Revenue) // exact; a call without revenue adds nothing
		if call.CallerState != "" {
			states[call.CallerState]++
		}
		if n == 500 {
			fmt.Println("   (stopping after 500 calls: breaking out of the loop stops fetching)")
			break
		}
	}
	fmt.Printf("   %d calls, revenue %s, from %d states\n", n, revenue, len(states))
}

// newestCall shows the newest call. The client reads calls through version 4
// of the calls API, whose calls carry the campaign's id and name and the
// tracking number's name.
func newestCall(ctx context.Context, client *retreaver.Client) {
	page, err := client.Calls.List(ctx, &retreaver.CallListOptions{PerPage: 1})
	check(err)
	if len(page.Items) == 0 {
		fmt.Println("   no calls yet")
		return
	}
	c := page.Items[0]
	fmt.Printf("   call %s from %s, %s (%s)\n", c.UUID, c.Caller, c.CreatedAt.Local().Format("Jan 2 15:04"), c.Status)
	campaign := "none"
	if c.CampaignID != nil {
		campaign = fmt.Sprintf("%s (id %d)", c.CampaignName, *c.CampaignID)
	}
	number := c.Number
	if c.NumberName != "" {
		number = fmt.Sprintf("%s (%s)", c.NumberName, c.Number)
	}
	fmt.Printf("   campaign: %s\n   number:   %s\n", campaign, number)
}

func fanOut(ctx context.Context, client *retreaver.Client) {
	var (
		mu    sync.Mutex
		lines []string
	)
	since := time.Now().AddDate(0, 0, -7)
	err := client.ForEachCompany(ctx, 4, func(ctx context.Context, c *retreaver.Client, co *retreaver.Company) error {
		n := 0
		for _, err := range c.Calls.All(ctx, &retreaver.CallListOptions{CreatedAtStart: since}) {
			if err != nil {
				return err
			}
			n++
		}
		mu.Lock()
		lines = append(lines, fmt.Sprintf("   %-28s %5d calls in the last 7 days", co.Name, n))
		mu.Unlock()
		return nil
	})
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
	if err != nil {
		fmt.Printf("   some companies failed: %v\n", err)
	}
}

func step(title string) { fmt.Printf("\n%s\n", title) }

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
