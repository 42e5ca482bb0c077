package retreaver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Decode benchmarks: each resource's page (25 items, the API's default page
// size, built by repeating the elements of the resource's fixture) read through
// the SDK and through a hand-written client (net/http, io.ReadAll, one
// json.Unmarshal into the structs of benchmark_baseline_test.go), from the
// same bytes and the same in-memory transport.
//
//	go test -run '^$' -bench 'DecodeVsRaw' -benchmem -count 3 .  # every ratio
//	go test -run '^$' -bench 'Decode/' -benchmem .                 # each side alone
//
// BenchmarkDecodeVsRaw runs the two sides alternately, so that both see the
// same load on a busy machine, and reports each side's time and allocations
// per op and their ratios (time-ratio and allocs-ratio, SDK over hand-written;
// the bounds: 1.5 and 1.6).

// pageItems is the size of the pages decoded: the API's default page size.
const pageItems = 25

// decodeCase is one resource of the decode benchmarks.
type decodeCase struct {
	name string
	// body builds the answer from testdata.
	body func(b *testing.B) []byte
	// path and query are the request's, without credentials.
	path  string
	query url.Values
	// callerList says the request authenticates with a postback key, as
	// caller list requests do, rather than an api_key and a company_id.
	callerList bool
	// sdk makes the SDK's request with c, or with cl for caller lists, and
	// returns the items it read.
	sdk func(ctx context.Context, c *Client, cl *CallerListClient) (int, error)
	// raw decodes the answer as the hand-written client does and returns the
	// items it read.
	raw func(body []byte) (int, error)
	// opts are the SDK client's options besides the transport.
	opts []Option
}

var reportBenchOptions = &ReportOptions{Facet: ReportFacetPublisher,
	CreatedAtStart: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), CreatedAtEnd: time.Date(2024, 10, 31, 0, 0, 0, 0, time.UTC)}

var decodeCases = []decodeCase{
	{name: "calls-v2", body: listBody("calls_v2_list.json"), path: "api/v2/calls.json",
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			return pageLen(c.Calls.List(ctx, nil))
		},
		raw: rawList[rawCallElem]},
	{name: "calls-v4", body: callsV4Body, path: "api/v4/calls.json", opts: []Option{WithCallsVersion(4)},
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			return pageLen(c.Calls.List(ctx, nil))
		},
		raw: rawList[rawCallV4Elem]},
	{name: "affiliates", body: listBody("affiliates_list_documented.json"), path: "api/v1/affiliates.json",
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			return pageLen(c.Affiliates.List(ctx, nil))
		},
		raw: rawList[rawAffiliateElem]},
	{name: "targets", body: listBody("targets_list.json"), path: "targets.json",
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			return pageLen(c.Targets.List(ctx, nil))
		},
		raw: rawList[rawTargetElem]},
	{name: "target-get", body: fileBody("target_get.json"), path: "targets/6588.json",
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			t, err := c.Targets.Get(ctx, 6588)
			return btoi(t != nil), err
		},
		raw: func(b []byte) (int, error) {
			var v struct {
				V *rawTarget `json:"target"`
			}
			err := json.Unmarshal(b, &v)
			return btoi(v.V != nil), err
		}},
	{name: "target-groups", body: listBody("target_groups_list_documented.json"), path: "target_groups.json",
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			return pageLen(c.TargetGroups.List(ctx, nil))
		},
		raw: rawList[rawTargetGroupElem]},
	{name: "campaigns", body: listBody("campaigns_list.json"), path: "campaigns.json",
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			return pageLen(c.Campaigns.List(ctx, nil))
		},
		raw: rawList[rawCampaignElem]},
	{name: "numbers", body: listBody("numbers_list.json"), path: "numbers.json",
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			return pageLen(c.Numbers.List(ctx, nil))
		},
		raw: rawList[rawNumberElem]},
	{name: "number-pools", body: listBody("number_pools_list.json"), path: "number_pools.json",
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			return pageLen(c.NumberPools.List(ctx, nil))
		},
		raw: rawList[rawNumberPoolElem]},
	{name: "companies", body: listBody("companies_list.json"), path: "companies.json",
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			return pageLen(c.Companies.List(ctx, nil))
		},
		raw: rawList[rawCompanyElem]},
	{name: "contacts", body: listBody("contacts_list.json"), path: "contacts.json",
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			return pageLen(c.Contacts.List(ctx, nil))
		},
		raw: rawList[rawContactElem]},
	{name: "suppressed-numbers", body: listBody("suppressed_list_repaired.json"), path: "suppressed_numbers.json",
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			return pageLen(c.SuppressedNumbers.List(ctx, nil))
		},
		raw: rawList[rawSuppressedNumberElem]},
	{name: "static-caller-numbers", body: listBody("static_caller_numbers_list.json"), path: "static_caller_numbers.json",
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			return pageLen(c.StaticCallerNumbers.List(ctx, nil))
		},
		raw: rawList[rawStaticCallerNumberElem]},
	{name: "reports", body: reportPageBody, path: "api/v1/reports.json", query: reportBenchOptions.values(0),
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			r, err := c.Reports.Get(ctx, reportBenchOptions)
			if err != nil {
				return 0, err
			}
			return len(r.Rows), nil
		},
		raw: func(b []byte) (int, error) {
			var r rawReport
			if err := json.Unmarshal(b, &r); err != nil {
				return 0, err
			}
			n := 0
			for _, row := range r.Data {
				n += btoi(row != nil)
			}
			return n, nil
		}},
	{name: "rtb-inbounds", body: rtbInboundsBody, path: "api/v5/rtb_inbounds.json",
		sdk: func(ctx context.Context, c *Client, _ *CallerListClient) (int, error) {
			return pageLen(c.RTBInbounds.List(ctx, nil))
		},
		raw: func(b []byte) (int, error) {
			var v struct {
				Items []*rawRTBInbound `json:"rtb_inbounds"`
			}
			err := json.Unmarshal(b, &v)
			return len(v.Items), err
		}},
	{name: "caller-list-numbers", body: listBody("caller_list_numbers.json"),
		path: "api/v2/targets/43103/caller_lists/suppressed/caller_list_numbers.json", callerList: true,
		sdk: func(ctx context.Context, _ *Client, cl *CallerListClient) (int, error) {
			return pageLen(cl.Target(43103).Numbers(ctx, "suppressed", nil))
		},
		raw: rawList[rawCallerListNumberElem]},
}

func pageLen[T any](p *Page[T], err error) (int, error) {
	if err != nil {
		return 0, err
	}
	return len(p.Items), nil
}

func btoi(ok bool) int {
	if ok {
		return 1
	}
	return 0
}

// rawList decodes a list answer into elements of type E and counts those that
// hold their object.
func rawList[E interface{ ok() bool }](body []byte) (int, error) {
	var page []E
	if err := json.Unmarshal(body, &page); err != nil {
		return 0, err
	}
	n := 0
	for _, e := range page {
		n += btoi(e.ok())
	}
	return n, nil
}

// fileBody answers the fixture as it is.
func fileBody(name string) func(*testing.B) []byte {
	return func(b *testing.B) []byte { return []byte(fixture(b, name)) }
}

// listBody answers a page of pageItems elements, the fixture's repeated.
func listBody(name string) func(*testing.B) []byte {
	return func(b *testing.B) []byte {
		var elems []json.RawMessage
		if err := json.Unmarshal([]byte(fixture(b, name)), &elems); err != nil {
			b.Fatal(err)
		}
		return repeatElements(elems)
	}
}

func repeatElements(elems []json.RawMessage) []byte {
	var page bytes.Buffer
	page.WriteByte('[')
	for i := range pageItems {
		if i > 0 {
			page.WriteByte(',')
		}
		page.Write(elems[i%len(elems)])
	}
	page.WriteByte(']')
	return page.Bytes()
}

// rtbInboundsBody is a page of RTB inbounds, {"rtb_inbounds": [...]}, of the
// reference's example.
func rtbInboundsBody(b *testing.B) []byte {
	var page struct {
		Items []json.RawMessage `json:"rtb_inbounds"`
	}
	if err := json.Unmarshal([]byte(fixture(b, "rtb_inbounds_list.json")), &page); err != nil {
		b.Fatal(err)
	}
	return append(append([]byte(`{"rtb_inbounds":`), repeatElements(page.Items)...), '}')
}

// callsV4Body answers a page of v2 calls rewritten as version 4 sends them:
// number as {"number", "name"}, campaign_id and campaign_name as campaign
// {"id", "name"}.
func callsV4Body(b *testing.B) []byte {
	var elems []map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(fixture(b, "calls_v2_list.json")), &elems); err != nil {
		b.Fatal(err)
	}
	out := make([]json.RawMessage, len(elems))
	for i, e := range elems {
		call := e["call"]
		call["number"] = json.RawMessage(`{"number":` + string(call["number"]) + `,"name":"Main line"}`)
		call["campaign"] = json.RawMessage(`{"id":` + string(call["campaign_id"]) + `,"name":` + string(call["campaign_name"]) + `}`)
		delete(call, "campaign_id")
		delete(call, "campaign_name")
		data, err := json.Marshal(e)
		if err != nil {
			b.Fatal(err)
		}
		out[i] = data
	}
	return repeatElements(out)
}

// reportPageBody answers a report of pageItems rows, the fixture's repeated.
func reportPageBody(b *testing.B) []byte {
	var r struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal([]byte(fixture(b, "reports_documented.json")), &r); err != nil {
		b.Fatal(err)
	}
	return []byte(`{"count":` + strconv.Itoa(pageItems) + `,"count_total":` + strconv.Itoa(pageItems) +
		`,"data":` + string(repeatElements(r.Data)) + `}`)
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

const benchPostbackKey, benchPostbackSecret = "0b6f3c4e-5d1a-4f7e-9c2b-8a1d2e3f4a5b", "s3cret-0123456789abcdef"

// sides returns the SDK's and the hand-written client's reading of the case's
// answer, each from its own in-memory transport serving the same bytes, and
// the answer's size.
func (dc decodeCase) sides(b *testing.B) (sdk, raw func() (int, error), size int) {
	b.Helper()
	body := dc.body(b)
	opts := append([]Option{WithHTTPClient(&http.Client{Transport: newStaticTransport(body)}),
		WithBaseURL(testBaseURL), WithCompanyID(testCompany), WithRetryPolicy(NoRetries)}, dc.opts...)
	c, err := NewClient(testKey, opts...)
	if err != nil {
		b.Fatal(err)
	}
	cl, err := NewCallerListClient(benchPostbackKey, benchPostbackSecret, opts...)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	sdk = func() (int, error) { return dc.sdk(ctx, c, cl) }

	hc := &http.Client{Transport: newStaticTransport(body)}
	raw = func() (int, error) {
		// The URL is built for each request, as a client's method would.
		q := url.Values{"api_key": {testKey}, "company_id": {strconv.Itoa(testCompany)}}
		if dc.callerList {
			q = url.Values{"key": {benchPostbackKey}}
		}
		for k, v := range dc.query {
			q[k] = v
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, testBaseURL+dc.path+"?"+q.Encode(), nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", defaultUserAgent)
		if dc.callerList {
			req.Header.Set("Authorization", "Bearer "+benchPostbackSecret)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return 0, err
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, err
		}
		if resp.StatusCode != http.StatusOK {
			return 0, errors.New(resp.Status)
		}
		return dc.raw(data)
	}
	for _, side := range []func() (int, error){sdk, raw} {
		if err := wantItems(dc, side); err != nil {
			b.Fatal(err)
		}
	}
	return sdk, raw, len(body)
}

// wantItems runs read once and checks that it read the whole page.
func wantItems(dc decodeCase, read func() (int, error)) error {
	want := pageItems
	if dc.name == "target-get" {
		want = 1
	}
	n, err := read()
	if err == nil && n != want {
		err = fmt.Errorf("%s: read %d items, want %d", dc.name, n, want)
	}
	return err
}

// BenchmarkDecode times each side alone: Decode/<resource>/sdk and
// Decode/<resource>/raw.
func BenchmarkDecode(b *testing.B) {
	for _, dc := range decodeCases {
		b.Run(dc.name, func(b *testing.B) {
			sdk, raw, size := dc.sides(b)
			for _, side := range []struct {
				name string
				read func() (int, error)
			}{{"sdk", sdk}, {"raw", raw}} {
				b.Run(side.name, func(b *testing.B) {
					b.SetBytes(int64(size))
					b.ReportAllocs()
					for i := 0; i < b.N; i++ {
						if _, err := side.read(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkDecodeVsRaw runs the SDK and the hand-written reading of each
// resource alternately, one op each, the first of the pair taking turns, and
// reports their times, their allocations and the ratios. Allocations are
// counted apart, after the timed loop (counting them needs a stop of the world
// that would distort the times).
func BenchmarkDecodeVsRaw(b *testing.B) {
	for _, dc := range decodeCases {
		b.Run(dc.name, func(b *testing.B) {
			sdk, raw, _ := dc.sides(b)
			sides := [2]func() (int, error){sdk, raw}
			var took [2]time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for k := range 2 {
					j := (i + k) % 2
					start := time.Now()
					_, err := sides[j]()
					took[j] += time.Since(start)
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			b.StopTimer()
			sdkAllocs, rawAllocs := allocsPerRead(sdk), allocsPerRead(raw)
			b.ReportMetric(float64(took[0].Nanoseconds())/float64(b.N), "sdk-ns/op")
			b.ReportMetric(float64(took[1].Nanoseconds())/float64(b.N), "raw-ns/op")
			b.ReportMetric(took[0].Seconds()/took[1].Seconds(), "time-ratio")
			b.ReportMetric(sdkAllocs, "sdk-allocs/op")
			b.ReportMetric(rawAllocs, "raw-allocs/op")
			b.ReportMetric(sdkAllocs/rawAllocs, "allocs-ratio")
		})
	}
}

// allocsPerRead returns the heap allocations of one read, the mean of 20.
func allocsPerRead(read func() (int, error)) float64 {
	const runs = 20
	read() // warm up pools and caches
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		read()
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / runs
}

// TestDecodeBaselinesMirrorModels checks that each hand-written struct of the
// decode benchmarks reads the JSON fields its SDK model reads, no fewer: a
// baseline that skipped fields would flatter itself.
func TestDecodeBaselinesMirrorModels(t *testing.T) {
	reportRow := reflect.TypeFor[rawReport]().Field(2).Type.Elem().Elem()
	for _, pair := range [][2]reflect.Type{
		{reflect.TypeFor[Call](), reflect.TypeFor[rawCall]()},
		{reflect.TypeFor[Affiliate](), reflect.TypeFor[rawAffiliate]()},
		{reflect.TypeFor[Target](), reflect.TypeFor[rawTarget]()},
		{reflect.TypeFor[TargetGroup](), reflect.TypeFor[rawTargetGroup]()},
		{reflect.TypeFor[Campaign](), reflect.TypeFor[rawCampaign]()},
		{reflect.TypeFor[Number](), reflect.TypeFor[rawNumber]()},
		{reflect.TypeFor[NumberPool](), reflect.TypeFor[rawNumberPool]()},
		{reflect.TypeFor[Company](), reflect.TypeFor[rawCompany]()},
		{reflect.TypeFor[Contact](), reflect.TypeFor[rawContact]()},
		{reflect.TypeFor[SuppressedNumber](), reflect.TypeFor[rawSuppressedNumber]()},
		{reflect.TypeFor[StaticCallerNumber](), reflect.TypeFor[rawStaticCallerNumber]()},
		{reflect.TypeFor[CallerListNumber](), reflect.TypeFor[rawCallerListNumber]()},
		{reflect.TypeFor[RTBInbound](), reflect.TypeFor[rawRTBInbound]()},
		{reflect.TypeFor[ReportRow](), reportRow},
	} {
		if model, raw := jsonNames(pair[0]), jsonNames(pair[1]); !slices.Equal(model, raw) {
			t.Errorf("%v reads %v,\nits baseline %v", pair[0], model, raw)
		}
	}
}

// jsonNames returns the sorted JSON names of the fields of struct type t.
func jsonNames(t reflect.Type) []string {
	var names []string
	for _, f := range reflect.VisibleFields(t) {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && !f.Anonymous && name != "-" && name != "" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}
