package retreaver_test

// The test code shown in README.md ("Testing your code"), verbatim, so that
// what the README shows runs. Keep the two in step.

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
)

// countCalls is the code under test: the calls of the past week.
func countCalls(ctx context.Context, c *retreaver.Client) (int, error) {
	n := 0
	for _, err := range c.Calls.All(ctx, &retreaver.CallListOptions{
		CreatedAtStart: time.Now().AddDate(0, 0, -7), PerPage: 100,
	}) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func TestCountCalls(t *testing.T) {
	srv := retreavertest.NewServer() // or NewServer(retreavertest.WithDemoData())
	t.Cleanup(srv.Close)
	now := time.Now()
	srv.SeedCallsAt(srv.CompanyID, 120, now.AddDate(0, 0, -7).Add(time.Minute), now)   // this week
	srv.SeedCallsAt(srv.CompanyID, 80, now.AddDate(0, 0, -20), now.AddDate(0, 0, -10)) // older

	client, err := retreaver.NewClient(srv.APIKey,
		retreaver.WithServer(srv.URL), // every host: the API, RTB and call data
		retreaver.WithCompanyID(srv.CompanyID),
		retreaver.WithRetryPolicy(retreaver.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}

	// The first call listing answers 503: the SDK retries it.
	srv.FailNext(1, retreavertest.Fault{Status: http.StatusServiceUnavailable,
		Match: func(r *http.Request) bool { return r.URL.Path == "/api/v2/calls.json" }})

	n, err := countCalls(context.Background(), client)
	if err != nil || n != 120 {
		t.Fatalf("countCalls = %d, %v; want 120", n, err)
	}
	// What reached the API: the 503, its retry, then page 2.
	if reqs := srv.Requests(); len(reqs) != 3 || reqs[0].Query.Get("per_page") != "100" {
		t.Fatalf("requests: %+v", reqs)
	}
}

func TestWithHTTPMock(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, "https://api.retreaver.com/api/v1/calls.json",
		httpmock.NewStringResponder(http.StatusOK,
			`[{"call": {"uuid": "2f6b0c1e-6e0a-4f55-9b43-0c3d7d1f0a11", "caller": "+18668987878"}}]`))
	mt.RegisterResponder(http.MethodGet, "https://api.retreaver.com/api/v1/affiliates/afid/0001.json",
		httpmock.NewStringResponder(http.StatusNotFound, `{"error": "Not found"}`))

	client, err := retreaver.NewClient("test-key", retreaver.WithCompanyID(1234),
		retreaver.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		t.Fatal(err)
	}
	page, err := client.CallsV1.List(context.Background(), nil)
	if err != nil || len(page.Items) != 1 || page.Items[0].Caller != "+18668987878" {
		t.Fatalf("List = %+v, %v", page, err)
	}
	_, err = client.Affiliates.GetByAFID(context.Background(), "0001")
	if !errors.Is(err, retreaver.ErrNotFound) {
		t.Fatalf("GetByAFID: %v, want ErrNotFound", err)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Fatalf("%d requests", n)
	}
}

func TestTwoPages(t *testing.T) {
	const calls = "https://api.retreaver.com/api/v2/calls.json"
	pages := map[string]string{
		"1": `[{"call": {"uuid": "a"}}, {"call": {"uuid": "b"}}]`,
		"2": `[{"call": {"uuid": "c"}}]`,
	}
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, calls, func(req *http.Request) (*http.Response, error) {
		page := req.URL.Query().Get("page")
		if page == "" {
			page = "1"
		}
		resp := httpmock.NewStringResponse(http.StatusOK, pages[page])
		n, _ := strconv.Atoi(page)
		resp.Header.Set("Link", retreavertest.LinkHeader(calls+"?api_key=test-key", n, 2))
		return resp, nil
	})
	client, err := retreaver.NewClient("test-key", retreaver.WithCompanyID(1234),
		retreaver.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		t.Fatal(err)
	}
	var uuids []string
	for call, err := range client.Calls.All(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		uuids = append(uuids, call.UUID)
	}
	if strings.Join(uuids, ",") != "a,b,c" {
		t.Fatalf("got %v", uuids)
	}
}

// TestREADMETestCodeIsThisFile fails when the README's test code and this
// file drift apart.
func TestREADMETestCodeIsThisFile(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go\n((?://[^\n]*\n)?func (?:countCalls|TestCountCalls|TestWithHTTPMock|TestTwoPages)\\(.*?)```").FindAllSubmatch(readme, -1)
	if len(blocks) != 3 {
		t.Fatalf("%d blocks of test code in README.md, want 3", len(blocks))
	}
	for _, b := range blocks {
		if !bytes.Contains(self, b[1]) {
			t.Errorf("README.md shows test code that readme_test.go does not hold:\n%s", b[1])
		}
	}
}
