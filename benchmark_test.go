package retreaver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Benchmarks that prove the SDK costs nothing next to what it saves:
//
//	go test -run '^$' -bench 'CallsList' -benchmem -count 6 .   # decode: SDK vs hand-written
//	go test -run '^$' -bench 'Export' -benchmem -benchtime 1x .  # export wall time and peak heap
//
// BenchmarkCallsList and BenchmarkRawCallsList list the same page of calls, from
// the same in-memory transport: one through the SDK, one with net/http and
// encoding/json into a hand-written struct. BenchmarkExportVsAll times Export
// at concurrency 4 against the sequential All over 200 pages that each take the
// server 50 ms; BenchmarkExportPeakHeap compares the peak heap of exporting
// 100,000 calls with that of 10,000.

// listPages are the pages the list benchmarks decode: the reference's example
// (2 calls) and a 25-call page (the API's default page size) of its elements.
func listPages(b *testing.B) []struct {
	name string
	body []byte
} {
	b.Helper()
	ref, err := os.ReadFile(filepath.Join("testdata", "calls_v2_list.json"))
	if err != nil {
		b.Fatal(err)
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(ref, &elems); err != nil {
		b.Fatal(err)
	}
	var page bytes.Buffer
	page.WriteByte('[')
	for i := 0; i < 25; i++ {
		if i > 0 {
			page.WriteByte(',')
		}
		page.Write(elems[i%len(elems)])
	}
	page.WriteByte(']')
	return []struct {
		name string
		body []byte
	}{{"reference", ref}, {"25calls", page.Bytes()}}
}

// staticTransport answers every request with the same 200 JSON body and Link
// header, from memory.
type staticTransport struct {
	body   []byte
	header http.Header
}

func newStaticTransport(body []byte) *staticTransport {
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Link", `<https://retreaver.com/api/v2/calls.json?api_key=`+testKey+`&company_id=1&page=6996>; rel="last", <https://retreaver.com/api/v2/calls.json?api_key=`+testKey+`&company_id=1&page=2>; rel="next"`)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	return &staticTransport{body: body, header: h}
}

func (t *staticTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Status:        "200 OK",
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        t.header,
		Body:          io.NopCloser(bytes.NewReader(t.body)),
		ContentLength: int64(len(t.body)),
		Request:       req,
	}, nil
}

func BenchmarkCallsList(b *testing.B) { benchListing(b, sdkLister) }

// benchListing runs one sub-benchmark per page of listPages, timing the lister
// that newLister makes for it.
func benchListing(b *testing.B, newLister func(*testing.B, []byte) func()) {
	for _, pg := range listPages(b) {
		b.Run(pg.name, func(b *testing.B) {
			list := newLister(b, pg.body)
			b.SetBytes(int64(len(pg.body)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				list()
			}
		})
	}
}

// sdkLister returns one SDK listing of body from an in-memory transport.
func sdkLister(b *testing.B, body []byte) func() {
	c, err := NewClient(testKey, WithHTTPClient(&http.Client{Transport: newStaticTransport(body)}),
		WithBaseURL(testBaseURL), WithCompanyID(testCompany), WithRetryPolicy(NoRetries))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	return func() {
		p, err := c.Calls.List(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Items) == 0 || p.Items[0].UUID == "" {
			b.Fatal("nothing decoded")
		}
	}
}

// rawMoney is what a hand-written client would use for the API's amounts: a
// JSON number or a string holding one, or null.
type rawMoney struct{ s string }

func (m *rawMoney) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &m.s)
	}
	if string(b) == "null" {
		m.s = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	m.s = n.String()
	return nil
}

type rawFiredPixel struct {
	URL         string     `json:"url"`
	FireOrder   int        `json:"fire_order"`
	BatchUUID   string     `json:"batch_uuid"`
	CreatedAt   time.Time  `json:"created_at"`
	FiredAt     *time.Time `json:"fired_at"`
	Status      string     `json:"status"`
	WebhookName string     `json:"webhook_name"`
}

// rawCall is the hand-written equivalent of Call.
type rawCall struct {
	UUID                    string     `json:"uuid"`
	Caller                  string     `json:"caller"`
	CallerNumberSent        string     `json:"caller_number_sent"`
	CallerZip               string     `json:"caller_zip"`
	CallerState             string     `json:"caller_state"`
	CallerCity              string     `json:"caller_city"`
	CallerCountry           string     `json:"caller_country"`
	DialedCallDuration      int        `json:"dialed_call_duration"`
	TotalDuration           int        `json:"total_duration"`
	IVRDuration             int        `json:"ivr_duration"`
	HoldDuration            int        `json:"hold_duration"`
	Status                  string     `json:"status"`
	StartTime               *time.Time `json:"start_time"`
	ForwardedTime           *time.Time `json:"forwarded_time"`
	EndTime                 *time.Time `json:"end_time"`
	CID                     string     `json:"cid"`
	AFID                    string     `json:"afid"`
	SID                     string     `json:"sid"`
	DialedNumber            string     `json:"dialed_number"`
	UpdatedAt               time.Time  `json:"updated_at"`
	CreatedAt               time.Time  `json:"created_at"`
	RecordingURL            string     `json:"recording_url"`
	Revenue                 *rawMoney  `json:"revenue"`
	Payout                  *rawMoney  `json:"payout"`
	PostbackValue           *rawMoney  `json:"postback_value"`
	NetworkSaleTimerFired   *bool      `json:"network_sale_timer_fired"`
	AffiliateSaleTimerFired *bool      `json:"affiliate_sale_timer_fired"`
	TargetSaleTimerFired    *bool      `json:"target_sale_timer_fired"`
	HungUpBy                string     `json:"hung_up_by"`
	Duplicate               bool       `json:"duplicate"`
	PayableDuplicate        bool       `json:"payable_duplicate"`
	ReceivableDuplicate     bool       `json:"receivable_duplicate"`
	CallpixelsTargetID      *int64     `json:"callpixels_target_id"`
	SystemTargetID          *int64     `json:"system_target_id"`
	SystemCampaignID        *int64     `json:"system_campaign_id"`
	SystemAffiliateID       *int64     `json:"system_affiliate_id"`
	FiredPixelsCount        int        `json:"fired_pixels_count"`
	ChargeTotal             rawMoney   `json:"charge_total"`
	KeysPressed             []string   `json:"keys_pressed"`
	Repeat                  *bool      `json:"repeat"`
	AffiliateRepeat         *bool      `json:"affiliate_repeat"`
	TargetRepeat            *bool      `json:"target_repeat"`
	NumberRepeat            *bool      `json:"number_repeat"`
	VisitorURL              string     `json:"visitor_url"`
	CompanyID               int64      `json:"company_id"`
	ConversionsDeterminedAt *time.Time `json:"conversions_determined_at"`
	BillableMinutes         int        `json:"billable_minutes"`
	UpstreamCallUUID        string     `json:"upstream_call_uuid"`
	DownstreamCallUUIDs     []string   `json:"downstream_call_uuids"`
	TargetGroup             struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"target_group"`
	Number            string            `json:"number"`
	Converted         bool              `json:"converted"`
	Payable           bool              `json:"payable"`
	Receivable        bool              `json:"receivable"`
	ConversionSeconds *int              `json:"conversion_seconds"`
	TID               string            `json:"tid"`
	Tags              map[string]string `json:"tags"`
	FiredPixels       []struct {
		FiredPixel rawFiredPixel `json:"fired_pixel"`
	} `json:"fired_pixels"`
	Via                    string   `json:"via"`
	Rescued                bool     `json:"rescued"`
	CampaignID             *int64   `json:"campaign_id"`
	CampaignName           string   `json:"campaign_name"`
	NumberID               *int64   `json:"number_id"`
	TargetID               *int64   `json:"target_id"`
	AffiliateName          string   `json:"affiliate_name"`
	Connected              bool     `json:"connected"`
	ProfitGross            rawMoney `json:"profit_gross"`
	ProfitNet              rawMoney `json:"profit_net"`
	TargetName             string   `json:"target_name"`
	TimeToCallInSeconds    *int     `json:"time_to_call_in_seconds"`
	TimeToConnectInSeconds *int     `json:"time_to_connect_in_seconds"`
	TotalCost              rawMoney `json:"total_cost"`
}

// BenchmarkRawCallsList is the baseline of BenchmarkCallsList: what a careful
// hand-written client does for one page, with net/http and encoding/json.
func BenchmarkRawCallsList(b *testing.B) { benchListing(b, rawLister) }

// rawLister returns one hand-written listing of body from an in-memory transport.
func rawLister(b *testing.B, body []byte) func() {
	hc := &http.Client{Transport: newStaticTransport(body)}
	ctx := context.Background()
	return func() {
		q := url.Values{"api_key": {testKey}, "company_id": {"1"}}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, testBaseURL+"api/v2/calls.json?"+q.Encode(), nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", defaultUserAgent)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatal(resp.StatusCode, err)
		}
		var page []struct {
			Call *rawCall `json:"call"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			b.Fatal(err)
		}
		if len(page) == 0 || page[0].Call.UUID == "" {
			b.Fatal("nothing decoded")
		}
	}
}

// BenchmarkCallsListVsRaw runs the SDK and the hand-written listing of
// BenchmarkCallsList and BenchmarkRawCallsList alternately, one op each in
// turn, and reports the ratio of their times (sdk/raw; the goal: at most 1.10).
// On a busy machine that ratio is steadier than two separate benchmarks: both
// sides see the same load.
func BenchmarkCallsListVsRaw(b *testing.B) {
	for _, pg := range listPages(b) {
		b.Run(pg.name, func(b *testing.B) {
			sdk, raw := sdkLister(b, pg.body), rawLister(b, pg.body)
			var tSDK, tRaw time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				first, second, t1, t2 := sdk, raw, &tSDK, &tRaw
				if i%2 == 1 {
					first, second, t1, t2 = raw, sdk, &tRaw, &tSDK
				}
				start := time.Now()
				first()
				mid := time.Now()
				second()
				*t1 += mid.Sub(start)
				*t2 += time.Since(mid)
			}
			b.ReportMetric(float64(tSDK.Nanoseconds())/float64(b.N), "sdk-ns/op")
			b.ReportMetric(float64(tRaw.Nanoseconds())/float64(b.N), "raw-ns/op")
			b.ReportMetric(tSDK.Seconds()/tRaw.Seconds(), "sdk/raw")
		})
	}
}

// syntheticCalls serves a call listing of total calls generated on the fly from
// the reference's first example call (nothing is stored, so the server's memory
// stays flat whatever the total), with the API's Link headers. Each page takes
// at least delay.
type syntheticCalls struct {
	total    int
	delay    time.Duration
	template [3][]byte // the example call split around its uuid and created_at
	requests atomic.Int64
}

func newSyntheticCalls(b *testing.B, total int, delay time.Duration) *syntheticCalls {
	b.Helper()
	ref, err := os.ReadFile(filepath.Join("testdata", "calls_v2_list.json"))
	if err != nil {
		b.Fatal(err)
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(ref, &elems); err != nil {
		b.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, elems[0]); err != nil {
		b.Fatal(err)
	}
	s := compact.String()
	const uuid, created = `"f1abfb78-ab8a-4146-9946-8169fbcc6d6c"`, `"created_at":"2024-11-04T16:52:18.177Z"`
	i, j := strings.Index(s, uuid), strings.Index(s, created)
	if i < 0 || j < i {
		b.Fatal("template fields not found")
	}
	return &syntheticCalls{total: total, delay: delay, template: [3][]byte{
		[]byte(s[:i]), []byte(s[i+len(uuid) : j]), []byte(s[j+len(created):]),
	}}
}

var pageBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (s *syntheticCalls) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if s.delay > 0 {
		select {
		case <-time.After(s.delay):
		case <-r.Context().Done():
			return
		}
	}
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	if perPage < 1 || perPage > 100 {
		perPage = 25
	}
	last := max((s.total+perPage-1)/perPage, 1)
	link := func(n int, rel string) string {
		lq := url.Values{}
		for k, v := range q {
			lq[k] = v
		}
		lq.Set("page", strconv.Itoa(n))
		return fmt.Sprintf(`<https://retreaver.com%s?%s>; rel="%s"`, r.URL.Path, lq.Encode(), rel)
	}
	links := []string{link(1, "first")}
	if page < last {
		links = append(links, link(page+1, "next"))
	}
	links = append(links, link(last, "last"))

	buf := pageBufs.Get().(*bytes.Buffer)
	defer pageBufs.Put(buf)
	buf.Reset()
	buf.WriteByte('[')
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := (page - 1) * perPage; i < min(page*perPage, s.total); i++ {
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		buf.Write(s.template[0])
		fmt.Fprintf(buf, `"00000000-0000-4000-8000-%012d"`, i)
		buf.Write(s.template[1])
		buf.WriteString(`"created_at":"`)
		buf.WriteString(base.Add(time.Duration(i) * time.Second).Format("2006-01-02T15:04:05.000Z"))
		buf.WriteByte('"')
		buf.Write(s.template[2])
	}
	buf.WriteByte(']')
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Link", strings.Join(links, ", "))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}

func syntheticClient(b *testing.B, h http.Handler) *Client {
	b.Helper()
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	c, err := NewClient(testKey, WithBaseURL(srv.URL), WithCompanyID(testCompany))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkExportVsAll: 200 pages of 25 calls, each answered after 50 ms. All
// fetches them one after the other; Export, 4 at a time. The export/all metric
// is the ratio of their wall times (the goal: at most 0.30). Run it with
// -benchtime 1x: one op is about 13 s.
func BenchmarkExportVsAll(b *testing.B) {
	const pages, perPage = 200, 25
	srv := newSyntheticCalls(b, pages*perPage, 50*time.Millisecond)
	c := syntheticClient(b, srv)
	ctx := context.Background()
	var all, export time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		n := 0
		for _, err := range c.Calls.All(ctx, &CallListOptions{PerPage: perPage, SortBy: SortByCreatedAt, Order: OrderAsc}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		all += time.Since(start)
		if n != pages*perPage {
			b.Fatalf("All yielded %d calls", n)
		}

		start = time.Now()
		n = 0
		for _, err := range c.Calls.Export(ctx, &ExportOptions{PerPage: perPage, Concurrency: 4}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		export += time.Since(start)
		if n != pages*perPage {
			b.Fatalf("Export yielded %d calls", n)
		}
	}
	b.ReportMetric(all.Seconds()/float64(b.N), "all-s")
	b.ReportMetric(export.Seconds()/float64(b.N), "export-s")
	b.ReportMetric(export.Seconds()/all.Seconds(), "export/all")
}

// peakHeap runs fn while sampling the bytes of live and not yet swept heap
// objects every 200 µs, and returns the highest sample.
func peakHeap(fn func()) uint64 {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(samples)
		return samples[0].Value.Uint64()
	}
	runtime.GC()
	var peak atomic.Uint64
	peak.Store(read())
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if v := read(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	fn()
	if v := read(); v > peak.Load() {
		peak.Store(v)
	}
	close(done)
	wg.Wait()
	return peak.Load()
}

// BenchmarkExportPeakHeap exports 10,000 then 100,000 calls (100 a page, 4 pages
// at once) from a server that generates them on the fly and reports the peak
// heap of each (the highest of 3 runs, as where the collector happens to run
// moves a single peak) and their ratio (the goal: at most 2). The consumer keeps
// nothing, as a program streaming to a file would. Run it with -benchtime 1x.
func BenchmarkExportPeakHeap(b *testing.B) {
	var peaks [2]float64
	for i := 0; i < b.N; i++ {
		for k, total := range []int{10_000, 100_000} {
			srv := newSyntheticCalls(b, total, 0)
			c := syntheticClient(b, srv)
			var peak uint64
			for run := 0; run < 3; run++ {
				peak = max(peak, exportPeak(b, c, total))
			}
			peaks[k] += float64(peak)
		}
	}
	b.ReportMetric(peaks[0]/float64(b.N)/(1<<20), "peak-MiB-10k")
	b.ReportMetric(peaks[1]/float64(b.N)/(1<<20), "peak-MiB-100k")
	b.ReportMetric(peaks[1]/peaks[0], "100k/10k")
}

// exportPeak exports every call of c's server and returns the peak heap.
func exportPeak(b *testing.B, c *Client, total int) uint64 {
	n := 0
	peak := peakHeap(func() {
		for call, err := range c.Calls.Export(context.Background(), &ExportOptions{Concurrency: 4}) {
			if err != nil {
				b.Fatal(err)
			}
			if call.UUID != "" {
				n++
			}
		}
	})
	if n != total {
		b.Fatalf("exported %d calls of %d", n, total)
	}
	return peak
}
