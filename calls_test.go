package retreaver

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

func TestCallsListV2DecodesReferenceExample(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v2/calls.json", 200, fixture(t, "calls_v2_list.json"),
		"Link", `<https://retreaver.com/api/v2/calls.json?api_key=`+testKey+`&company_id=1&page=6996>; rel="last", <https://retreaver.com/api/v2/calls.json?api_key=`+testKey+`&company_id=1&page=2>; rel="next"`)

	page, err := c.Calls.List(context.Background(), nil)
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", "api/v2/calls.json", nil, false)
	assertNoBody(t, rec.only(t))
	require.Equal(t, 2, page.NextPage)
	require.Equal(t, 6996, page.LastPage)
	require.Zero(t, page.PrevPage)
	require.Len(t, page.Items, 2)

	first := page.Items[0]
	require.Equal(t, "f1abfb78-ab8a-4146-9946-8169fbcc6d6c", first.UUID)
	require.Equal(t, "+13015236555", first.Caller)
	require.Equal(t, "", first.CallerNumberSent)
	require.Equal(t, "28379", first.CallerZip)
	require.Equal(t, "NC", first.CallerState)
	require.Equal(t, "Rockingham", first.CallerCity)
	require.Equal(t, "US", first.CallerCountry)
	require.Equal(t, 2, first.DialedCallDuration)
	require.Equal(t, 14, first.TotalDuration)
	require.Equal(t, 7, first.IVRDuration)
	require.Equal(t, 5, first.HoldDuration)
	require.Equal(t, "finished", first.Status)
	require.Equal(t, time.Date(2024, 11, 4, 16, 52, 18, 34e6, time.UTC), *first.StartTime)
	require.Equal(t, time.Date(2024, 11, 4, 16, 52, 25, 423e6, time.UTC), *first.ForwardedTime)
	require.Equal(t, time.Date(2024, 11, 4, 16, 52, 32, 882e6, time.UTC), *first.EndTime)
	require.Equal(t, "1", first.CID)
	require.Equal(t, "", first.AFID)
	require.Equal(t, "+12263399112", first.DialedNumber)
	require.Equal(t, "5.0", first.Revenue.String())
	require.Equal(t, 5.0, first.Payout.Float64())
	require.True(t, first.PostbackValue.IsZero(), "null")
	require.Nil(t, first.NetworkSaleTimerFired)
	require.Equal(t, "caller", first.HungUpBy)
	require.False(t, first.Duplicate)
	require.Equal(t, int64(27449), *first.CallpixelsTargetID)
	require.Equal(t, int64(27449), *first.SystemTargetID)
	require.Equal(t, int64(9872), *first.SystemCampaignID)
	require.Nil(t, first.SystemAffiliateID)
	require.Equal(t, 4, first.FiredPixelsCount)
	require.Equal(t, "0.08", first.ChargeTotal.String())
	require.Equal(t, []string{"1"}, first.KeysPressed)
	require.True(t, *first.Repeat)
	require.False(t, *first.AffiliateRepeat)
	require.True(t, *first.TargetRepeat)
	require.Equal(t, "https://example.com", first.VisitorURL)
	require.Equal(t, int64(2), first.CompanyID)
	require.Equal(t, time.Date(2024, 11, 4, 16, 52, 54, 744e6, time.UTC), *first.ConversionsDeterminedAt)
	require.Equal(t, time.Date(2024, 11, 4, 16, 52, 18, 177e6, time.UTC), first.CreatedAt)
	require.Equal(t, 1, first.BillableMinutes)
	require.Equal(t, []string{}, first.DownstreamCallUUIDs)
	require.Equal(t, CallTargetGroup{ID: 1639, Name: "Retreaver Team"}, first.TargetGroup)
	require.Equal(t, "+18886064349", first.Number)
	require.True(t, first.Converted)
	require.Nil(t, first.ConversionSeconds)
	require.Equal(t, "27449", first.Tags["system_target_id"])
	require.Equal(t, "301,us,us-28379,us-nc", first.Tags["geo"])
	require.Len(t, first.Tags, 6)
	require.Len(t, first.FiredPixels, 4)
	require.Equal(t, FiredPixel{URL: "https://example.com", FireOrder: 1, BatchUUID: "39d94d6b-639a-486b-bb21-dbba5949dd2e",
		CreatedAt: time.Date(2024, 11, 4, 16, 52, 55, 182e6, time.UTC), Status: "new"}, first.FiredPixels[0])
	require.Equal(t, "Test Webhook", first.FiredPixels[1].WebhookName)
	require.Equal(t, time.Date(2024, 11, 4, 16, 52, 26, 947e6, time.UTC), *first.FiredPixels[1].FiredAt)
	require.Equal(t, "inbound-dial", first.Via)
	require.Equal(t, int64(9872), *first.CampaignID)
	require.Equal(t, "Retreaver Main - Sales & Support", first.CampaignName)
	require.Equal(t, int64(4906092), *first.NumberID)
	require.Equal(t, int64(27449), *first.TargetID)
	require.True(t, first.Connected)
	require.Equal(t, "-0.08", first.ProfitGross.String())
	require.Equal(t, "0.0", first.ProfitNet.String())
	require.Equal(t, "Taylor Anderson - Sales - +12263399112", first.TargetName)
	require.Equal(t, 168096, *first.TimeToCallInSeconds)
	require.Equal(t, 12, *first.TimeToConnectInSeconds)
	require.Equal(t, "0.08", first.TotalCost.String())

	second := page.Items[1]
	require.Nil(t, second.ForwardedTime)
	require.True(t, second.Revenue.IsZero(), "null revenue")
	require.Nil(t, second.TargetRepeat)
	require.Equal(t, CallTargetGroup{}, second.TargetGroup)
	require.Nil(t, second.TargetID)
	require.Equal(t, "0", second.ProfitNet.String())
	require.Equal(t, "", second.TargetName)
	require.Len(t, second.FiredPixels, 5)
}

func TestCallsListSendsEveryFilter(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v2/calls.json", 200, `[]`)
	est := time.FixedZone("EST", -5*3600)
	_, err := c.Calls.List(context.Background(), &CallListOptions{
		ListOptions:    ListOptions{Page: 3},
		PerPage:        100,
		CreatedAtStart: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC),
		CreatedAtEnd:   time.Date(2016, 1, 2, 0, 0, 0, 0, est),
		SortBy:         SortByCreatedAt,
		Order:          OrderAsc,
		Caller:         "+13015236555",
		ClientAFID:     "0002",
		ClientCID:      "0044",
		ClientTID:      "t-1",
		SubID:          "superaffiliate",
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "api/v2/calls.json", url.Values{
		"page":             {"3"},
		"per_page":         {"100"},
		"created_at_start": {"2016-01-01T00:00:00Z"},
		"created_at_end":   {"2016-01-02T05:00:00Z"}, // in UTC
		"sort_by":          {"created_at"},
		"order":            {"asc"},
		"caller":           {"+13015236555"},
		"client_afid":      {"0002"},
		"client_cid":       {"0044"},
		"client_tid":       {"t-1"},
		"sub_id":           {"superaffiliate"},
	}, false)
	require.Contains(t, got.RawURL, "caller=%2B13015236555", "the + of a caller number is escaped")
	require.Contains(t, got.RawURL, "created_at_end=2016-01-02T05%3A00%3A00Z")
}

// A zone whose offset has seconds (local mean time, as time zone databases give
// for dates before standard time) would be written cut to the minute, another
// instant: times are sent in UTC.
func TestCallsListSendsTimesInUTC(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v2/calls.json", 200, `[]`)
	lmt := time.FixedZone("LMT", -(4*3600 + 56*60 + 2))
	opts := &CallListOptions{
		CreatedAtStart: time.Date(1883, 11, 18, 11, 0, 0, 0, lmt),
		CreatedAtEnd:   time.Date(2016, 1, 2, 0, 0, 0, 0, time.FixedZone("IST", 5*3600+1800)),
	}
	_, err := c.Calls.List(context.Background(), opts)
	require.NoError(t, err)
	for range c.Calls.All(context.Background(), opts) {
		t.Fatal("no calls")
	}
	want := url.Values{
		"created_at_start": {"1883-11-18T15:56:02Z"},
		"created_at_end":   {"2016-01-01T18:30:00Z"},
	}
	reqs := rec.all()
	require.Len(t, reqs, 2)
	assertWire(t, reqs[0], "GET", "api/v2/calls.json", want, false)
	want.Set("page", "1")
	assertWire(t, reqs[1], "GET", "api/v2/calls.json", want, false)
	require.Equal(t, lmt, opts.CreatedAtStart.Location(), "the caller's options are not changed")
}

func TestCallsGetV2(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v2/calls/94079290-93f3-4527-9e78-88653aaf3c49.json", 200, fixture(t, "calls_v2_get.json"))
	call, err := c.Calls.Get(context.Background(), "94079290-93f3-4527-9e78-88653aaf3c49")
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", "api/v2/calls/94079290-93f3-4527-9e78-88653aaf3c49.json", nil, false)
	require.Equal(t, "94079290-93f3-4527-9e78-88653aaf3c49", call.UUID)
	require.Equal(t, "0", call.Tags["robodial_blacklist"])
	require.Equal(t, "Webhook 4", call.FiredPixels[4].WebhookName)
	require.Equal(t, 43, *call.TimeToConnectInSeconds)
	require.Equal(t, time.Date(2024, 11, 4, 16, 46, 54, 37e6, time.UTC), *call.EndTime)
}

func TestCallsV1(t *testing.T) {
	c, mt := newTestClient(t)
	list := stub(t, mt, "GET", "api/v1/calls.json", 200, fixture(t, "calls_v1_list.json"), "Link",
		`<https://api.retreaver.com/api/v1/calls.json?api_key=`+testKey+`&company_id=1&sort_by=created_at&order=asc&page=6996>; rel="last", <https://api.retreaver.com/api/v1/calls.json?api_key=`+testKey+`&company_id=1&sort_by=created_at&order=asc&page=2>; rel="next"`)
	one := stub(t, mt, "GET", "api/v1/calls/addcf985-017e-4962-be34-cf5d55e74afc.json", 200, fixture(t, "calls_v1_get.json"))

	page, err := c.CallsV1.List(context.Background(), &CallListOptions{SortBy: "created_at", Order: "asc", ListOptions: ListOptions{Page: 1}})
	require.NoError(t, err)
	assertWire(t, list.only(t), "GET", "api/v1/calls.json", url.Values{"sort_by": {"created_at"}, "order": {"asc"}, "page": {"1"}}, false)
	require.Len(t, page.Items, 2)
	require.Equal(t, 2, page.NextPage)
	require.Equal(t, 6996, page.LastPage)
	require.Equal(t, "8ae0aa38-0173-4e62-5342-cf5d55e74afe", page.Items[1].UUID)
	require.Equal(t, "", page.Items[1].CallerZip)
	require.Equal(t, 33, page.Items[1].DialedCallDuration)

	call, err := c.CallsV1.Get(context.Background(), "addcf985-017e-4962-be34-cf5d55e74afc")
	require.NoError(t, err)
	assertWire(t, one.only(t), "GET", "api/v1/calls/addcf985-017e-4962-be34-cf5d55e74afc.json", nil, false)
	require.Equal(t, "+17195220377", call.Caller)
	require.Equal(t, "80920", call.CallerZip)
	require.Equal(t, "COLORADO SPRINGS", call.CallerCity)
	require.Equal(t, 193, call.DialedCallDuration)
	require.Equal(t, 204, call.TotalDuration)
	require.Equal(t, "0003", call.CID)
	require.Equal(t, "03994", call.AFID)
	require.Equal(t, "", call.SID)
	require.Equal(t, time.Date(2012, 4, 29, 12, 32, 46, 0, time.UTC), *call.EndTime)
	require.Equal(t, "http://callpixels.com/recordings/87d43a5f5c88041687f9fd1bb6a58d6f/call_17192096019_1342303189.mp3", call.RecordingURL)
}

func TestCallsV1AllFollowsTheReferenceLinks(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		if w.Path != "/api/v1/calls.json" {
			return httpmock.NewStringResponse(404, `{"error":"Not found"}`), nil
		}
		resp := httpmock.NewStringResponse(200, `[{"call":{"uuid":"u-`+w.Query.Get("page")+`"}}]`)
		if w.Query.Get("page") == "1" {
			resp.Header.Set("Link", `<https://api.retreaver.com/api/v1/calls.json?api_key=woofwoofwoof&company_id=1&sort_by=created_at&order=asc&page=2>; rel="last", <https://api.retreaver.com/api/v1/calls.json?api_key=woofwoofwoof&company_id=1&sort_by=created_at&order=asc&page=2>; rel="next"`)
		}
		return resp, nil
	})
	var uuids []string
	for call, err := range c.CallsV1.All(context.Background(), &CallListOptions{SortBy: SortByCreatedAt, Order: OrderAsc}) {
		require.NoError(t, err)
		uuids = append(uuids, call.UUID)
	}
	require.Equal(t, []string{"u-1", "u-2"}, uuids)
	reqs := rec.all()
	require.Len(t, reqs, 2)
	for i, r := range reqs {
		assertWire(t, r, "GET", "api/v1/calls.json", url.Values{
			"sort_by": {"created_at"}, "order": {"asc"}, "page": {strconv.Itoa(i + 1)},
		}, false)
		require.Equal(t, "api.test", r.Host, "the key never follows a link to another host")
	}
}

func TestCallsRejectBadInputBeforeSending(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()
	now := time.Now()
	cases := map[string]func() error{
		"empty uuid":    func() error { _, err := c.Calls.Get(ctx, ""); return err },
		"blank uuid v1": func() error { _, err := c.CallsV1.Get(ctx, "  "); return err },
		"bad sort":      func() error { _, err := c.Calls.List(ctx, &CallListOptions{SortBy: "name"}); return err },
		"bad order":     func() error { _, err := c.Calls.List(ctx, &CallListOptions{Order: "up"}); return err },
		"per page 101":  func() error { _, err := c.Calls.List(ctx, &CallListOptions{PerPage: 101}); return err },
		"negative page": func() error {
			_, err := c.CallsV1.List(ctx, &CallListOptions{ListOptions: ListOptions{Page: -1}})
			return err
		},
		"end before start": func() error {
			_, err := c.Calls.List(ctx, &CallListOptions{CreatedAtStart: now, CreatedAtEnd: now.Add(-time.Hour)})
			return err
		},
		"all with bad order": func() error {
			for _, err := range c.Calls.All(ctx, &CallListOptions{Order: "sideways"}) {
				return err
			}
			return nil
		},
	}
	for name, fn := range cases {
		t.Run(name, func(t *testing.T) {
			err := fn()
			require.ErrorIs(t, err, ErrInvalidArgument)
			noRequests(t, mt)
		})
	}
}

func TestCallsGetEscapesPathSegment(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		return nil, errors.New("not answered")
	})
	_, _ = c.Calls.Get(context.Background(), "a/b?c#d")
	require.Equal(t, "/api/v2/calls/a%2Fb%3Fc%23d.json", rec.only(t).Path)
}

func TestFiredPixelWrappedOrBare(t *testing.T) {
	want := FiredPixel{URL: "https://example.com", FireOrder: 1, Status: "new",
		CreatedAt: time.Date(2024, 11, 4, 16, 52, 55, 182e6, time.UTC)}
	for _, in := range []string{
		`{"fired_pixel":{"url":"https://example.com","fire_order":1,"created_at":"2024-11-04T16:52:55.182Z","fired_at":null,"status":"new"}}`,
		`{"url":"https://example.com","fire_order":1,"created_at":"2024-11-04T16:52:55.182Z","fired_at":null,"status":"new"}`,
	} {
		var got FiredPixel
		require.NoError(t, json.Unmarshal([]byte(in), &got), in)
		require.Equal(t, want, got, in)
	}
	var got FiredPixel
	require.Error(t, json.Unmarshal([]byte(`{"fired_pixel":5}`), &got))
}

func TestCallsOfLaterVersionsReadNumberAndCampaignObjects(t *testing.T) {
	c, mt := newTestClient(t, WithCallsVersion(4))
	stub(t, mt, "GET", "api/v4/calls.json", 200, `[
		{"call":{"uuid":"a","number":{"number":"+18886064349","name":"Main line"},"campaign":{"id":"9872","name":"Sales"}}},
		{"call":{"uuid":"b","number":"+18886064350","campaign_id":"12","campaign_name":"Support"}},
		{"call":{"uuid":"c","number":null,"campaign":{"id":null,"name":""},"campaign_id":7}}]`)
	page, err := c.Calls.List(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 3)
	a, b, cc := page.Items[0], page.Items[1], page.Items[2]
	require.Equal(t, "+18886064349", a.Number)
	require.Equal(t, "Main line", a.NumberName)
	require.Equal(t, int64(9872), *a.CampaignID)
	require.Equal(t, "Sales", a.CampaignName)
	require.Equal(t, "+18886064350", b.Number)
	require.Empty(t, b.NumberName)
	require.Equal(t, int64(12), *b.CampaignID)
	require.Equal(t, "Support", b.CampaignName)
	require.Empty(t, cc.Number)
	require.Equal(t, int64(7), *cc.CampaignID, "a campaign without an id keeps campaign_id")

	for i, raw := range []string{
		`{"uuid":"a","number":{"number":"+18886064349","name":"Main line"},"campaign":{"id":"9872","name":"Sales"}}`,
		`{"uuid":"b","number":"+18886064350","campaign_id":"12","campaign_name":"Support"}`,
		`{"uuid":"c","number":null,"campaign":{"id":null,"name":""},"campaign_id":7}`,
	} {
		var got Call
		require.NoError(t, json.Unmarshal([]byte(raw), &got))
		require.Equal(t, page.Items[i], &got, "Call.UnmarshalJSON reads what a page does")
	}
	var got Call
	require.Error(t, json.Unmarshal([]byte(`{"number":5}`), &got))
	require.Error(t, json.Unmarshal([]byte(`{"campaign":{"id":"x"}}`), &got))
}
