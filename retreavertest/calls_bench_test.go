package retreavertest

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// BenchmarkCallsPage measures one page of api/v2/calls.json (100 calls from
// the middle of a ten-day window, newest first) through HTTP, with 10,000 and
// 100,000 calls stored. The time per page should not grow with the number of
// calls stored.
func BenchmarkCallsPage(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("calls=%d", n), func(b *testing.B) {
			srv := NewServer()
			defer srv.Close()
			now := time.Now().UTC()
			srv.SeedCallsAt(srv.CompanyID, n, now.AddDate(0, 0, -30), now)
			q := url.Values{
				"api_key":          {srv.APIKey},
				"created_at_start": {now.AddDate(0, 0, -20).Format(time.RFC3339)},
				"created_at_end":   {now.AddDate(0, 0, -10).Format(time.RFC3339)},
				"per_page":         {"100"},
			}
			client := srv.Client()
			get := func(page int) *http.Response {
				q.Set("page", strconv.Itoa(page))
				resp, err := client.Get(srv.URL + "/api/v2/calls.json?" + q.Encode())
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, resp.Body); err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("status %d", resp.StatusCode)
				}
				return resp
			}
			last := lastPage(b, get(1).Header.Get("Link"))
			mid := (last + 1) / 2
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				get(mid)
			}
		})
	}
}

// lastPage reads the page number of the rel="last" link.
func lastPage(b *testing.B, header string) int {
	b.Helper()
	last, ok := parseLinks(b, header).byRel["last"]
	if !ok {
		b.Fatalf("no last link in %q", header)
	}
	n, err := strconv.Atoi(last.Query().Get("page"))
	if err != nil {
		b.Fatal(err)
	}
	return n
}
