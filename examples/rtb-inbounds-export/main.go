// Command rtb-inbounds-export exports the RTB inbounds of the last days (7 by
// default) to a CSV file with the API's server-side export: it creates the
// export, waits while the API generates it, then downloads the file (through
// the API's redirect to the file's host, which never sees the api_key) and
// writes it un-gzipped, exactly as the API wrote it. A progress line goes to
// standard error.
//
// With no RETREAVER_API_KEY in the environment it exports from the in-memory
// fake API (package retreavertest) with its demo data and 1,500 RTB pings of
// the past 10 days. With RETREAVER_API_KEY set it reads the real API, in the
// company named by RETREAVER_COMPANY_ID (required then).
//
//	go run ./examples/rtb-inbounds-export -o inbounds.csv
//	go run ./examples/rtb-inbounds-export -days 30 -status claimed,no-target
//
// Without -o the file is named after its window, as in the API's own example:
// rtb_inbounds_<start>-<end>.csv. Interrupting it (Ctrl-C) stops at once and
// removes the partial file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("rtb-inbounds-export: ")
	days := flag.Int("days", 7, "export the RTB inbounds of this many days before now (at most 59: the API exports 2 months at most)")
	output := flag.String("o", "", "the CSV file to write (default rtb_inbounds_<start>-<end>.csv)")
	statuses := flag.String("status", "", "keep only these statuses, comma-separated: expired, claimed, no-target, rejected")
	flag.Parse()
	if *days < 1 || *days > 59 {
		log.Fatal("-days must be between 1 and 59 (the API exports 2 months at most)")
	}
	end := time.Now().UTC().Truncate(time.Second)
	opts := &retreaver.RTBInboundListOptions{CreatedAtStart: end.AddDate(0, 0, -*days), CreatedAtEnd: end}
	if *statuses != "" {
		opts.Statuses = strings.Split(*statuses, ",")
	}
	path := *output
	if path == "" {
		path = fmt.Sprintf("rtb_inbounds_%s-%s.csv", opts.CreatedAtStart.Format("20060102"), end.Format("20060102"))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	client, cleanup := connect()
	defer cleanup()

	progress := newProgress(os.Stderr)
	rows, err := export(ctx, client, opts, path, progress)
	progress.done()
	if err != nil {
		cleanup()
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "wrote %d RTB inbounds created from %s to %s to %s\n", rows,
		opts.CreatedAtStart.Format(time.RFC3339), end.Format(time.RFC3339), path)
}

// export runs one export of opts and writes its file to path; it returns the
// number of rows. A failed export leaves no file behind.
func export(ctx context.Context, client *retreaver.Client, opts *retreaver.RTBInboundListOptions, path string, p *progress) (rows int, err error) {
	e, err := client.Exports.CreateRTBInbounds(ctx, opts)
	if err != nil {
		return 0, err
	}
	started := time.Now()
	stopTicking := p.every(time.Second, true, func() string {
		return fmt.Sprintf("export %d: generating (%s)", e.ID, time.Since(started).Round(time.Second))
	})
	e, err = client.Exports.Wait(ctx, e)
	stopTicking()
	if err != nil {
		return 0, err
	}
	file, err := client.Exports.Download(ctx, e)
	if err != nil {
		return 0, err
	}
	defer file.Close()

	out, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := out.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	count := &countingWriter{}
	stopTicking = p.every(time.Second, false, func() string {
		return fmt.Sprintf("export %d: downloading, %s written", e.ID, megabytes(count.n()))
	})
	_, err = io.Copy(io.MultiWriter(out, count), file)
	stopTicking()
	if err != nil {
		return 0, err
	}
	p.show(fmt.Sprintf("export %d: downloaded, %s", e.ID, megabytes(count.n())))
	if e.Count != nil {
		rows = *e.Count
	}
	return rows, nil
}

// countingWriter counts the bytes written through it; n is safe to call from
// another goroutine.
type countingWriter struct {
	mu    sync.Mutex
	total int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	c.mu.Lock()
	c.total += int64(len(b))
	c.mu.Unlock()
	return len(b), nil
}

func (c *countingWriter) n() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

func megabytes(n int64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', 2, 64) + " MiB" }

// progress shows one line on standard error: rewritten in place on a
// terminal, printed whole otherwise.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	shown bool
}

func newProgress(f *os.File) *progress {
	fi, err := f.Stat()
	return &progress{w: f, tty: err == nil && fi.Mode()&os.ModeCharDevice != 0}
}

func (p *progress) show(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
	} else {
		fmt.Fprintln(p.w, line)
	}
	p.shown = true
}

// every shows line() every d (and at once when now is set) until the
// returned func is called.
func (p *progress) every(d time.Duration, now bool, line func() string) (stop func()) {
	if now {
		p.show(line())
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.show(line())
			case <-done:
				return
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

// done ends the progress line.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.shown {
		fmt.Fprintln(p.w)
	}
}

// connect returns a client for the real API when RETREAVER_API_KEY is set, and
// for a fake server with demo RTB inbounds otherwise.
func connect() (client *retreaver.Client, cleanup func()) {
	if key := os.Getenv("RETREAVER_API_KEY"); key != "" {
		s := os.Getenv("RETREAVER_COMPANY_ID")
		if s == "" {
			log.Fatal("RETREAVER_API_KEY is set: set RETREAVER_COMPANY_ID to the company to export from")
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			log.Fatalf("RETREAVER_COMPANY_ID %q is not a company id", s)
		}
		c, err := retreaver.NewClient(key, retreaver.WithCompanyID(id))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Fprintf(os.Stderr, "exporting from the real Retreaver API, company %d\n", id)
		return c, func() {}
	}
	srv := retreavertest.NewServer(retreavertest.WithDemoData())
	// The fake generates an export for 2 seconds; poll it more often than the
	// API needs (the defaults: 2 s, growing to 30 s).
	srv.SetExportRun(retreavertest.ExportRun{Duration: 2 * time.Second})
	c, err := retreaver.NewClient(srv.APIKey,
		retreaver.WithServer(srv.URL),
		retreaver.WithCompanyID(srv.CompanyID),
		retreaver.WithExportPolling(250*time.Millisecond, time.Second))
	if err == nil {
		err = seedPings(context.Background(), srv, c, 1500)
	}
	if err != nil {
		srv.Close()
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "no RETREAVER_API_KEY set: exporting from the in-memory fake API at %s (1500 RTB pings of the past 10 days)\n", srv.URL)
	return c, srv.Close
}

// seedPings adds n RTB inbounds of the past 10 days to the fake's default
// company, on its demo campaigns, affiliates and targets: mostly expired and
// claimed (each claimed one with its call), some no-target, a few rejected
// duplicates. The same every run but for the times, which follow now.
func seedPings(ctx context.Context, srv *retreavertest.Server, c *retreaver.Client, n int) error {
	var campaigns, affiliates, targets []int64
	for camp, err := range c.Campaigns.All(ctx, nil) {
		if err != nil {
			return err
		}
		campaigns = append(campaigns, camp.ID)
	}
	for aff, err := range c.Affiliates.All(ctx, nil) {
		if err != nil {
			return err
		}
		affiliates = append(affiliates, aff.ID)
	}
	for tgt, err := range c.Targets.All(ctx, nil) {
		if err != nil {
			return err
		}
		targets = append(targets, tgt.ID)
	}
	if len(campaigns) == 0 || len(affiliates) == 0 || len(targets) == 0 {
		return errors.New("the fake's demo data has no campaigns, affiliates or targets")
	}
	rnd := rand.New(rand.NewPCG(5, 7))
	states := []string{"TX", "CA", "FL", "NY", "NC", "OH", "AZ", "CO"}
	now := time.Now()
	var last string
	for i := 0; i < n; i++ {
		spec := retreavertest.RTBInbound{
			CampaignID:    campaigns[rnd.IntN(len(campaigns))],
			AffiliateID:   affiliates[rnd.IntN(len(affiliates))],
			CallerNumber:  fmt.Sprintf("+1%d555%04d", 200+rnd.IntN(700), rnd.IntN(10000)),
			CallerState:   states[rnd.IntN(len(states))],
			CallerCountry: "US",
			CreatedAt:     now.Add(-time.Duration(rnd.Int64N(int64(10 * 24 * time.Hour)))),
			TimeToResolve: float64(rnd.IntN(3000)) / 1000,
		}
		revenue := 15 + rnd.IntN(30)
		switch r := rnd.IntN(100); {
		case r < 40:
			spec.Status = retreaver.RTBInboundExpired
			spec.TargetID = targets[rnd.IntN(len(targets))]
		case r < 75:
			spec.Status = retreaver.RTBInboundClaimed
			spec.TargetID = targets[rnd.IntN(len(targets))]
			spec.Revenue = fmt.Sprintf("%d.00", revenue)
			spec.Payout = fmt.Sprintf("%d.50", revenue/2)
			spec.FiredPixelsCount = rnd.IntN(3)
		case r < 95 || last == "":
			spec.Status = retreaver.RTBInboundNoTarget
		default:
			spec.Status = retreaver.RTBInboundRejected
			spec.DuplicateOrder = 1
			spec.DuplicateOriginalUUID = last
		}
		id, err := srv.AddRTBInbound(srv.CompanyID, spec)
		if err != nil {
			return err
		}
		last = id
	}
	return nil
}
