package retreaver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Export benchmarks (run them with -benchtime 1x):
//
//	go test -run '^$' -bench 'Export' -benchmem -benchtime 1x .
//
// BenchmarkExportVsAll times Export at concurrency 4 against the sequential All
// over 200 pages that each take the server 50 ms; BenchmarkExportPeakHeap
// compares the peak heap of exporting 100,000 calls with that of 10,000.

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
	var elems []json.RawMessage
	if err := json.Unmarshal([]byte(fixture(b, "calls_v2_list.json")), &elems); err != nil {
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
	// timed ranges over calls, requiring every call once, and returns how long it took.
	timed := func(name string, calls iter.Seq2[*Call, error]) time.Duration {
		start := time.Now()
		n := 0
		for _, err := range calls {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != pages*perPage {
			b.Fatalf("%s yielded %d calls", name, n)
		}
		return time.Since(start)
	}
	var all, export time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		all += timed("All", c.Calls.All(ctx, &CallListOptions{PerPage: perPage, SortBy: SortByCreatedAt, Order: OrderAsc}))
		export += timed("Export", c.Calls.Export(ctx, &ExportOptions{PerPage: perPage, Concurrency: 4}))
	}
	b.ReportMetric(all.Seconds()/float64(b.N), "all-s")
	b.ReportMetric(export.Seconds()/float64(b.N), "export-s")
	b.ReportMetric(export.Seconds()/all.Seconds(), "export/all")
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
