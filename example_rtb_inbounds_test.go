package retreaver_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"log"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
)

// List the RTB pings of the past day: every reservation is a row, the call a
// claimed one became is in the call log under its CallUUID, and a repeat the
// Ping Shield answered is a duplicate of the first.
func ExampleRTBInboundsService_All() {
	srv, client := newFake(retreavertest.WithDemoData())
	defer srv.Close()
	ctx := context.Background()

	// A publisher reserves for two callers, confirms the first, and pings for
	// the first again.
	key := srv.RTBKeyFor(srv.CompanyID, "1001")
	ping := func(caller string) *retreaver.Reservation {
		res, err := client.RTB.Reserve(ctx, &retreaver.ReservationParams{Key: key, PublisherID: "0001", CallerNumber: caller})
		if err != nil {
			log.Fatal(err)
		}
		return res
	}
	first := ping("+13015550101")
	if _, err := client.RTB.Confirm(ctx, key, first.UUID); err != nil {
		log.Fatal(err)
	}
	ping("+13015550102")
	ping("+13015550101")

	for row, err := range client.RTBInbounds.All(ctx, &retreaver.RTBInboundListOptions{CreatedAt: "last_1d"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %-8s revenue %s payout %s duplicate %d", row.CallerNumber, row.Status, row.Revenue, row.Payout, row.DuplicateOrder)
		if row.CallUUID != "" {
			call, err := client.Calls.Get(ctx, row.CallUUID)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf(", call from %s on campaign %s", call.Caller, call.CID)
		}
		fmt.Println()
	}
	// Output:
	// +13015550101 rejected revenue 0.0 payout 0.0 duplicate 1
	// +13015550102 reserved revenue 18.0 payout 9.0 duplicate 0
	// +13015550101 claimed  revenue 18.0 payout 9.0 duplicate 0, call from +13015550101 on campaign 1001
}

// Export a week of RTB inbounds and read them as typed rows: the export is
// created, polled until done, downloaded through the API's redirect and read
// as it streams.
func ExampleExportsService_RTBInbounds() {
	srv := retreavertest.NewServer(retreavertest.WithDemoData())
	defer srv.Close()
	client, err := retreaver.NewClient(srv.APIKey, retreaver.WithServer(srv.URL), retreaver.WithCompanyID(srv.CompanyID),
		retreaver.WithExportPolling(time.Millisecond, 10*time.Millisecond)) // the fake is quick; keep the defaults for the API
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// The fake's log: four pings of the past days.
	for i, state := range []string{"TX", "CA", "NY", "TX"} {
		status := retreaver.RTBInboundClaimed
		if i%2 == 1 {
			status = retreaver.RTBInboundExpired
		}
		if _, err := srv.AddRTBInbound(srv.CompanyID, retreavertest.RTBInbound{Status: status, CallerState: state,
			Revenue: fmt.Sprintf("%d.50", 10+i), CreatedAt: time.Now().AddDate(0, 0, -i)}); err != nil {
			log.Fatal(err)
		}
	}

	opts := &retreaver.RTBInboundListOptions{CreatedAt: "last_7d", Statuses: []string{retreaver.RTBInboundClaimed}}
	onPoll := func(e *retreaver.Export) {
		if e.Done() {
			fmt.Println("export done:", *e.Count, "rows")
		}
	}
	for row, err := range client.Exports.RTBInbounds(ctx, opts, onPoll) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(row.Status, row.CallerState, row.Revenue, row.CallUUID != "")
	}
	// Output:
	// export done: 2 rows
	// claimed TX 10.5 true
	// claimed NY 12.5 true
}

// The steps one by one: create, wait, download. The file is the CSV,
// un-gzipped, its columns labelled for people.
func ExampleExportsService_Download() {
	srv := retreavertest.NewServer()
	defer srv.Close()
	srv.SetExportRun(retreavertest.ExportRun{}) // done at the first poll
	client, err := retreaver.NewClient(srv.APIKey, retreaver.WithServer(srv.URL), retreaver.WithCompanyID(srv.CompanyID),
		retreaver.WithExportPolling(time.Millisecond, time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := srv.AddRTBInbound(srv.CompanyID, retreavertest.RTBInbound{Revenue: "12.50"}); err != nil {
		log.Fatal(err)
	}

	e, err := client.Exports.CreateRTBInbounds(ctx, &retreaver.RTBInboundListOptions{CreatedAt: "last_7d"})
	if err != nil {
		log.Fatal(err)
	}
	if e, err = client.Exports.Wait(ctx, e); err != nil {
		log.Fatal(err)
	}
	fmt.Println(*e.Count, "row, file", e.FileURL)
	file, err := client.Exports.Download(ctx, e)
	if err != nil {
		log.Fatal(err)
	}
	defer file.Close()
	rows := csv.NewReader(file)
	header, err := rows.Read()
	if err != nil {
		log.Fatal(err)
	}
	row, err := rows.Read()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q ...\n", header[:4])
	fmt.Println(header[7], "=", row[7])
	// Output:
	// 1 row, file /v2/reports/rtb_inbounds/501/download
	// ["UUID" "Call UUID" "Postback Key ID" "Caller Number"] ...
	// Revenue = 12.5
}
