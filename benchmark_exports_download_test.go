package retreaver

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// Benchmark of an export's download:
//
//	go test -run '^$' -bench RTBInboundExportPeakHeap -benchtime 1x .
//
// BenchmarkRTBInboundExportPeakHeap exports about 200 MB of CSV (uncompressed)
// that a local file host generates and gzips on the fly, so that the file is
// never whole anywhere, and reports the peak heap of the process while it
// streams (the goal: under 16 MiB, whatever the size). "download" reads
// Download's stream to the end; "rows" ranges over ExportsService.RTBInbounds
// (create, wait, download, typed rows), keeping nothing, as a program
// streaming to a database would.

// exportBenchBytes is the uncompressed size of the benchmark's file.
const exportBenchBytes = 200 << 20

// exportBenchHeader is the header of the benchmark's file: the reference's
// fields, as the export labels them.
const exportBenchHeader = "Call UUID,UUID,Postback Key ID,Caller Number,Affiliate ID,Campaign ID,Target ID,Revenue,Payout,Status," +
	"Duplicate Order,Duplicate Original UUID,Caller State,Caller City,Caller Zip,Caller Country,Created At,Confirmed At," +
	"Ended At,Time To Resolve,Fired Pixels Count,Fired Pixels Error Count,PBM Table Version,PBM Rule ID,PBM Bucket," +
	"PBM Variant,PBM Original Payout,PBM Percent Of Revenue\n"

// writeExportBench writes rows to w until size bytes are written, and returns
// how many rows.
func writeExportBench(w io.Writer, size int) (int, error) {
	n, err := io.WriteString(w, exportBenchHeader)
	if err != nil {
		return 0, err
	}
	row := make([]byte, 0, 512)
	rows := 0
	for written := n; written < size; rows++ {
		id := strconv.AppendInt(nil, int64(rows), 10)
		row = row[:0]
		row = append(row, "3d745a09-6e2b-4b8f-9e7d-"...)
		row = append(row, fmt.Sprintf("%012d", rows)...)
		row = append(row, ",8f0a2d13-9d3a-4b3e-9a7a-"...)
		row = append(row, fmt.Sprintf("%012d", rows*7)...)
		row = append(row, ",456,+1555"...)
		row = append(row, fmt.Sprintf("%07d", rows%10_000_000)...)
		row = append(row, ",789,123,321,12.5,8.75,claimed,0,00000000-0000-0000-0000-000000000000,TX,Austin,78701,US,"+
			"2026-09-01T14:02:11Z,2026-09-01T14:02:12Z,2026-09-01T14:05:41Z,1.2,2,0,7,"...)
		row = append(row, id...)
		row = append(row, ',')
		row = strconv.AppendInt(row, int64(rows%10000), 10)
		row = append(row, ",treatment,10.0,70\n"...)
		m, err := w.Write(row)
		if err != nil {
			return rows, err
		}
		written += m
	}
	return rows, nil
}

// exportBenchServers start the API host (export 501, done at once, whose
// download redirects) and the file's host (the generated, gzipped file).
func exportBenchServers(b *testing.B) (*Client, int) {
	rows, _ := writeExportBench(io.Discard, exportBenchBytes)
	fileSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/gzip")
		zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
		if _, err := writeExportBench(zw, exportBenchBytes); err == nil {
			zw.Close()
		}
	}))
	b.Cleanup(fileSrv.Close)
	apiSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v5/exports/rtb_inbounds.json":
			fmt.Fprintf(w, `{"id": 501, "export_count": %d, "in_progress": false, "format": "csv", "file_upload_url": %q, "errors": {}}`, rows, exportFilePath)
		case exportFilePath:
			http.Redirect(w, r, fileSrv.URL+"/501.csv.gz", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	b.Cleanup(apiSrv.Close)
	c, err := NewClient(testKey, WithBaseURL(apiSrv.URL), WithCompanyID(testCompany), WithExportPolling(time.Millisecond, time.Millisecond))
	if err != nil {
		b.Fatal(err)
	}
	return c, rows
}

func BenchmarkRTBInboundExportPeakHeap(b *testing.B) {
	c, rows := exportBenchServers(b)
	opts := &RTBInboundListOptions{CreatedAt: "last_30d"}
	b.Run("download", func(b *testing.B) {
		var peak uint64
		start := time.Now()
		for i := 0; i < b.N; i++ {
			var n int64
			peak = max(peak, peakHeap(func() {
				rc, err := c.Exports.Download(context.Background(), &Export{ID: 501, FileURL: exportFilePath})
				if err != nil {
					b.Fatal(err)
				}
				defer rc.Close()
				if n, err = io.Copy(io.Discard, rc); err != nil {
					b.Fatal(err)
				}
			}))
			if n < exportBenchBytes {
				b.Fatalf("read %d bytes of %d", n, exportBenchBytes)
			}
		}
		reportExportBench(b, peak, start)
	})
	b.Run("rows", func(b *testing.B) {
		var peak uint64
		start := time.Now()
		for i := 0; i < b.N; i++ {
			n := 0
			peak = max(peak, peakHeap(func() {
				for r, err := range c.Exports.RTBInbounds(context.Background(), opts, nil) {
					if err != nil {
						b.Fatal(err)
					}
					if r.CallUUID != "" {
						n++
					}
				}
			}))
			if n != rows {
				b.Fatalf("read %d rows of %d", n, rows)
			}
		}
		b.ReportMetric(float64(rows), "rows")
		reportExportBench(b, peak, start)
	})
}

func reportExportBench(b *testing.B, peak uint64, start time.Time) {
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
	b.ReportMetric(float64(exportBenchBytes)*float64(b.N)/(1<<20)/time.Since(start).Seconds(), "MiB/s")
	if peak >= 16<<20 {
		b.Errorf("peak heap %.1f MiB: an export's download must stay under 16 MiB", float64(peak)/(1<<20))
	}
}
