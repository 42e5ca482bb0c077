package retreavertest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/retreaver-go/retreaver/retreavertest"
)

func Example() {
	srv := retreavertest.NewServer(retreavertest.WithDemoData())
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/company.json?api_key=" + srv.APIKey)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var body struct {
		Company struct {
			Name string `json:"name"`
		} `json:"company"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		panic(err)
	}
	fmt.Println(body.Company.Name)
	// Output: Northwind Health Leads
}

func ExampleServer_FailNext() {
	srv := retreavertest.NewServer()
	defer srv.Close()
	srv.FailNext(1, retreavertest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second})

	for i := 0; i < 2; i++ {
		resp, err := http.Get(srv.URL + "/targets.json?api_key=" + srv.APIKey)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Printf("%d Retry-After=%q\n", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	fmt.Println(len(srv.Requests()), "requests reached the server")
	// Output:
	// 429 Retry-After="2"
	// 200 Retry-After=""
	// 2 requests reached the server
}

func ExampleServer_SeedCalls() {
	srv := retreavertest.NewServer()
	defer srv.Close()
	srv.SeedCalls(60)
	fmt.Println(srv.CallCount(srv.CompanyID))
	// Output: 60
}

// A test that answers with canned responses builds the Link header the API
// (and the Server) would send with page 2 of 3.
func ExampleLinkHeader() {
	h := retreavertest.LinkHeader("https://api.retreaver.com/api/v2/calls.json?api_key=k&per_page=100&page=2", 2, 3)
	for _, link := range strings.Split(h, ", ") {
		fmt.Println(link)
	}
	// Output:
	// <https://api.retreaver.com/api/v2/calls.json?api_key=k&page=1&per_page=100>; rel="first"
	// <https://api.retreaver.com/api/v2/calls.json?api_key=k&page=1&per_page=100>; rel="prev"
	// <https://api.retreaver.com/api/v2/calls.json?api_key=k&page=3&per_page=100>; rel="next"
	// <https://api.retreaver.com/api/v2/calls.json?api_key=k&page=3&per_page=100>; rel="last"
}

// A call added with chosen fields answers exactly those values.
func ExampleServer_AddCall() {
	srv := retreavertest.NewServer()
	defer srv.Close()
	uuid, err := srv.AddCall(srv.CompanyID, retreavertest.Call{
		CreatedAt: time.Date(2024, 11, 4, 9, 30, 0, 0, time.UTC),
		Duration:  95,
		Revenue:   "12.50",
		Tags:      map[string]string{"source": "tv"},
	})
	if err != nil {
		panic(err)
	}

	resp, err := http.Get(srv.URL + "/api/v2/calls/" + uuid + ".json?api_key=" + srv.APIKey)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var body struct {
		Call struct {
			CreatedAt     string            `json:"created_at"`
			TotalDuration int               `json:"total_duration"`
			Revenue       float64           `json:"revenue"`
			Tags          map[string]string `json:"tags"`
		} `json:"call"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		panic(err)
	}
	fmt.Println(body.Call.CreatedAt, body.Call.TotalDuration, body.Call.Revenue, body.Call.Tags)
	// Output: 2024-11-04T09:30:00.000Z 95 12.5 map[source:tv]
}

func ExampleServer_SeedCallsIn() {
	srv := retreavertest.NewServer()
	defer srv.Close()
	other := srv.CompanyIDs()[1]
	srv.SeedCallsIn(other, 40)
	fmt.Println(srv.CallCount(srv.CompanyID), srv.CallCount(other))
	// Output: 0 40
}

func ExampleServer_AddRTBInbound() {
	srv := retreavertest.NewServer()
	defer srv.Close()
	for _, status := range []string{"claimed", "expired"} {
		if _, err := srv.AddRTBInbound(srv.CompanyID, retreavertest.RTBInbound{Status: status, Revenue: "12.50", CallerState: "TX"}); err != nil {
			panic(err)
		}
	}

	resp, err := http.Get(srv.URL + "/api/v5/rtb_inbounds.json?status[]=claimed&api_key=" + srv.APIKey)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var body struct {
		RTBInbounds []struct {
			Status      string  `json:"status"`
			Revenue     float64 `json:"revenue"`
			CallerState string  `json:"caller_state"`
			CallUUID    string  `json:"call_uuid"`
		} `json:"rtb_inbounds"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		panic(err)
	}
	for _, row := range body.RTBInbounds {
		// A claimed row's call was added to the call log: its uuid is no all-zero UUID.
		fmt.Println(row.Status, row.Revenue, row.CallerState, row.CallUUID != "00000000-0000-0000-0000-000000000000")
	}
	fmt.Println(srv.CallCount(srv.CompanyID), "call")
	// Output:
	// claimed 12.5 TX true
	// 1 call
}
