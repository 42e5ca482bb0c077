// Command export-calls streams every call of a time window to standard output,
// as CSV (the default) or JSON lines, with Calls.Export: several pages at once,
// oldest first, each call exactly once, and a progress line on standard error.
//
// With no RETREAVER_API_KEY in the environment it exports from the in-memory
// fake API (package retreavertest) seeded with 2,000 calls of the past 30 days.
// With RETREAVER_API_KEY set it reads the real API, in the company named by
// RETREAVER_COMPANY_ID (required then).
//
//	go run ./examples/export-calls > calls.csv
//	go run ./examples/export-calls -format jsonl -since 168h -concurrency 8 > calls.jsonl
//
// Interrupting it (Ctrl-C) stops the export at once; what was written stays written.
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strconv"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("export-calls: ")
	since := flag.Duration("since", 720*time.Hour, "export the calls created in this much time before now")
	concurrency := flag.Int("concurrency", retreaver.DefaultExportConcurrency,
		fmt.Sprintf("pages fetched at once (1 to %d)", retreaver.MaxExportConcurrency))
	format := flag.String("format", "csv", "output format: csv or jsonl")
	flag.Parse()
	if *since <= 0 {
		log.Fatal("-since must be positive")
	}
	if *concurrency < 1 || *concurrency > retreaver.MaxExportConcurrency {
		log.Fatalf("-concurrency must be between 1 and %d", retreaver.MaxExportConcurrency)
	}
	var w callWriter
	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	switch *format {
	case "csv":
		w = newCSVWriter(out)
	case "jsonl":
		w = jsonlWriter{json.NewEncoder(out)}
	default:
		log.Fatalf("-format must be csv or jsonl, not %q", *format)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	// The window starts before the demo calls are seeded, so that all of them are in it.
	start := time.Now().Add(-*since)
	client, cleanup := connect()
	defer cleanup()

	progress := newProgress(os.Stderr)
	n, err := export(ctx, client, w, &retreaver.ExportOptions{
		CreatedAtStart: start,
		Concurrency:    *concurrency,
		OnProgress:     progress.report,
	})
	progress.done()
	if ferr := w.flush(); ferr != nil && err == nil {
		err = ferr
	}
	if ferr := out.Flush(); ferr != nil && err == nil {
		err = ferr
	}
	if err != nil {
		cleanup()
		log.Fatalf("after %d calls: %v", n, err)
	}
	fmt.Fprintf(os.Stderr, "exported %d calls created since %s\n", n, start.Format(time.RFC3339))
}

// export writes every call of the window and returns how many it wrote.
func export(ctx context.Context, client *retreaver.Client, w callWriter, opts *retreaver.ExportOptions) (int, error) {
	n := 0
	for call, err := range client.Calls.Export(ctx, opts) {
		if err != nil {
			return n, err
		}
		if err := w.write(call); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// connect returns a client for the real API when RETREAVER_API_KEY is set, and
// for a fake server with 2,000 calls otherwise.
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
	srv := retreavertest.NewServer()
	srv.SeedCalls(2000)
	c, err := retreaver.NewClient(srv.APIKey,
		retreaver.WithBaseURL(srv.URL),
		retreaver.WithRTBBaseURL(srv.URL),
		retreaver.WithCompanyID(srv.CompanyID))
	if err != nil {
		srv.Close()
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "no RETREAVER_API_KEY set: exporting from the in-memory fake API at %s (2000 calls)\n", srv.URL)
	return c, srv.Close
}

// callWriter writes calls in one output format.
type callWriter interface {
	write(*retreaver.Call) error
	flush() error
}

// csvWriter writes a header line, then one line per call.
type csvWriter struct {
	w      *csv.Writer
	header bool
	row    []string
}

var csvColumns = []string{
	"uuid", "created_at", "caller", "caller_state", "caller_city", "status", "total_duration",
	"dialed_call_duration", "cid", "campaign_name", "afid", "affiliate_name", "sid", "tid", "target_name",
	"revenue", "payout", "total_cost", "profit_net", "converted", "duplicate", "hung_up_by", "dialed_number",
}

func newCSVWriter(w io.Writer) *csvWriter {
	return &csvWriter{w: csv.NewWriter(w), row: make([]string, len(csvColumns))}
}

func (c *csvWriter) write(call *retreaver.Call) error {
	if !c.header {
		c.header = true
		if err := c.w.Write(csvColumns); err != nil {
			return err
		}
	}
	r := c.row[:0]
	r = append(r, call.UUID, call.CreatedAt.Format(time.RFC3339Nano), call.Caller, call.CallerState, call.CallerCity,
		call.Status, strconv.Itoa(call.TotalDuration), strconv.Itoa(call.DialedCallDuration),
		call.CID, call.CampaignName, call.AFID, call.AffiliateName, call.SID, call.TID, call.TargetName,
		call.Revenue.String(), call.Payout.String(), call.TotalCost.String(), call.ProfitNet.String(),
		strconv.FormatBool(call.Converted), strconv.FormatBool(call.Duplicate), call.HungUpBy, call.DialedNumber)
	return c.w.Write(r)
}

func (c *csvWriter) flush() error {
	if !c.header { // no calls: still a header, so the file is a valid CSV
		if err := c.w.Write(csvColumns); err != nil {
			return err
		}
		c.header = true
	}
	c.w.Flush()
	return c.w.Error()
}

// jsonlWriter writes one JSON object per line.
type jsonlWriter struct{ enc *json.Encoder }

func (j jsonlWriter) write(call *retreaver.Call) error { return j.enc.Encode(call) }
func (j jsonlWriter) flush() error                     { return nil }

// progress prints "pages 12/200, 2400 calls" on standard error: rewritten in
// place on a terminal, at most once a second otherwise.
type progress struct {
	w     io.Writer
	tty   bool
	last  time.Time
	shown retreaver.ExportProgress
	line  string
}

func newProgress(f *os.File) *progress {
	fi, err := f.Stat()
	return &progress{w: f, tty: err == nil && fi.Mode()&os.ModeCharDevice != 0}
}

// report is ExportOptions.OnProgress: it runs on the exporting goroutine.
func (p *progress) report(e retreaver.ExportProgress) {
	total := "?"
	if e.PagesTotal > 0 {
		total = strconv.Itoa(e.PagesTotal)
	}
	p.shown = e
	p.line = fmt.Sprintf("pages %d/%s, %d calls", e.PagesDone, total, e.Calls)
	if p.tty {
		fmt.Fprintf(p.w, "\r%s", p.line)
		return
	}
	if now := time.Now(); now.Sub(p.last) >= time.Second {
		p.last = now
		fmt.Fprintln(p.w, p.line)
		p.line = ""
	}
}

// done ends the progress display with the last state.
func (p *progress) done() {
	switch {
	case p.tty && p.shown.PagesDone > 0:
		fmt.Fprintln(p.w)
	case !p.tty && p.line != "":
		fmt.Fprintln(p.w, p.line)
	}
}
