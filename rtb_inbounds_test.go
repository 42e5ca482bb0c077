package retreaver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

const rtbInboundsWirePath = "api/v5/rtb_inbounds.json"

func TestRTBInboundsListSendsTheReferenceQueryAndDecodesItsExample(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", rtbInboundsWirePath, 200, fixture(t, "rtb_inbounds_list.json"),
		"Link", `<https://api.retreaver.com/api/v5/rtb_inbounds.json?api_key=x&page=2>; rel="next", <https://api.retreaver.com/api/v5/rtb_inbounds.json?api_key=x&page=9>; rel="last"`)

	p, err := c.RTBInbounds.List(context.Background(), &RTBInboundListOptions{CampaignIDs: []int64{123}, CreatedAt: "last_7d"})
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", rtbInboundsWirePath, url.Values{"campaign_id[]": {"123"}, "created_at": {"last_7d"}}, false)
	require.Len(t, p.Items, 1)
	require.Equal(t, referenceRTBInbound(), p.Items[0])
	require.Equal(t, 2, p.NextPage)
	require.Equal(t, 9, p.LastPage)
}

func TestRTBInboundsListEncodesEveryFilterAsTheAPIReadsIt(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", rtbInboundsWirePath, 200, `{"rtb_inbounds": []}`)
	est := time.FixedZone("EST", -5*3600)
	opts := &RTBInboundListOptions{
		ListOptions:    ListOptions{Page: 3},
		CampaignIDs:    []int64{1, 2},
		AffiliateIDs:   []int64{3},
		TargetIDs:      []int64{4, 5, 6},
		PostbackKeyIDs: []int64{7},
		Statuses:       []string{RTBInboundExpired, RTBInboundClaimed, RTBInboundNoTarget, RTBInboundRejected},
		Duplicate:      Ptr(false),
		CallerState:    "TX",
		CallerCountry:  "US",
		Revenue:        &Range{Min: 20, Max: 30},
		Payout:         &Range{Min: 0.5, Max: 12.25},
		CreatedAtStart: time.Date(2026, 9, 1, 19, 30, 15, 900, est),
		CreatedAtEnd:   time.Date(2026, 10, 31, 19, 0, 0, 0, est),
		WithFilters:    true,
	}
	p, err := c.RTBInbounds.List(context.Background(), opts)
	require.NoError(t, err)
	require.Empty(t, p.Items)
	w := rec.only(t)
	assertWire(t, w, "GET", rtbInboundsWirePath, url.Values{
		"page":              {"3"},
		"campaign_id[]":     {"1", "2"},
		"affiliate_id[]":    {"3"},
		"target_id[]":       {"4", "5", "6"},
		"postback_key_id[]": {"7"},
		"status[]":          {"expired", "claimed", "no-target", "rejected"},
		"duplicate":         {"false"},
		"caller_state":      {"TX"},
		"caller_country":    {"US"},
		"revenue[]":         {"20", "30"},
		"payout[]":          {"0.5", "12.25"},
		"created_at_start":  {"2026-09-02T00:30:15Z"},
		"created_at_end":    {"2026-11-01T00:00:00Z"},
		"with_filters":      {"true"},
	}, false)
	// Repeated keys, in order, brackets percent-encoded (Rack reads both forms).
	require.Contains(t, w.RawURL, "campaign_id[]=1&campaign_id[]=2")
	require.Contains(t, w.RawURL, "revenue[]=20&revenue[]=30")
	require.Contains(t, w.RawURL, "status[]=expired&status[]=claimed&status[]=no-target&status[]=rejected")
}

func TestRTBInboundsListWithoutOptionsSendsOnlyTheCredentials(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", rtbInboundsWirePath, 200, `{"rtb_inbounds": []}`)
	_, err := c.RTBInbounds.List(context.Background(), nil)
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", rtbInboundsWirePath, nil, false)
}

func TestRTBInboundsOptionsAreCheckedBeforeAnyRequest(t *testing.T) {
	for name, opts := range invalidRTBInboundOptions() {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			_, err := c.RTBInbounds.List(context.Background(), opts)
			require.ErrorIs(t, err, ErrInvalidArgument)
			_, _, err = c.RTBInbounds.ListWithFilters(context.Background(), opts)
			require.ErrorIs(t, err, ErrInvalidArgument)
			require.ErrorIs(t, onlyError(t, c.RTBInbounds.All(context.Background(), opts)), ErrInvalidArgument)
			noRequests(t, mt)
		})
	}
}

func TestRTBInboundsWindowOfExactlyTwoMonthsIsAccepted(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "GET", rtbInboundsWirePath, 200, `{"rtb_inbounds": []}`)
	start := time.Date(2026, 7, 31, 12, 0, 0, 0, time.UTC)
	_, err := c.RTBInbounds.List(context.Background(), &RTBInboundListOptions{CreatedAtStart: start, CreatedAtEnd: start.AddDate(0, 2, 0)})
	require.NoError(t, err)
}

func TestRTBInboundDecodingReadsTheVariantsTheReferenceShows(t *testing.T) {
	// The all-zero UUID is absent; pbm_table_version is documented as a string
	// and shown as a number elsewhere; nulls and a Rails-style time.
	body := `{"rtb_inbounds": [
		{"uuid": "u1", "call_uuid": "00000000-0000-0000-0000-000000000000",
		 "duplicate_original_uuid": "8f0a2d13-9d3a-4b3e-9a7a-6b8e4b9d9a21",
		 "postback_key_id": 456, "affiliate_id": 789, "campaign_id": null, "target_id": 0,
		 "revenue": "12.50", "payout": null, "duplicate_order": 1, "time_to_resolve": 0.75,
		 "created_at": "2026-09-01 14:02:11 UTC", "confirmed_at": null, "ended_at": null,
		 "fired_pixels_count": 3, "pbm_table_version": 9001, "pbm_rule_id": null,
		 "pbm_bucket": 17, "pbm_percent_of_revenue": 62.5, "pbm_original_payout": "10"},
		{"uuid": "u2"}
	]}`
	c, mt := newTestClient(t)
	stub(t, mt, "GET", rtbInboundsWirePath, 200, body)
	p, err := c.RTBInbounds.List(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, p.Items, 2)
	r := p.Items[0]
	require.Equal(t, "", r.CallUUID)
	require.Equal(t, "8f0a2d13-9d3a-4b3e-9a7a-6b8e4b9d9a21", r.DuplicateOriginalUUID)
	require.Equal(t, []int64{456, 789, 0, 0}, []int64{r.PostbackKeyID, r.AffiliateID, r.CampaignID, r.TargetID})
	require.Equal(t, "12.50", r.Revenue.String())
	require.True(t, r.Payout.IsZero())
	require.Equal(t, 1, r.DuplicateOrder)
	require.Equal(t, 0.75, r.TimeToResolve)
	require.True(t, time.Date(2026, 9, 1, 14, 2, 11, 0, time.UTC).Equal(r.CreatedAt))
	require.Nil(t, r.ConfirmedAt)
	require.Nil(t, r.EndedAt)
	require.Equal(t, 3, r.FiredPixelsCount)
	require.Equal(t, "9001", r.PBMTableVersion)
	require.Nil(t, r.PBMRuleID)
	require.Equal(t, Ptr(17), r.PBMBucket)
	require.Equal(t, Ptr(62.5), r.PBMPercentOfRevenue)
	require.Equal(t, "10", r.PBMOriginalPayout.String())
	require.Nil(t, r.Extra)
	require.Equal(t, &RTBInbound{UUID: "u2"}, p.Items[1])

	// An id the reference shows as a number, sent as text, is not the documented shape.
	stub(t, mt, "GET", rtbInboundsWirePath, 200, `{"rtb_inbounds": [{"uuid": "u1", "campaign_id": "123"}]}`)
	_, err = c.RTBInbounds.List(context.Background(), nil)
	require.ErrorIs(t, err, ErrUnexpectedResponse)
}

func TestRTBInboundAnswersOfTheWrongShapeAreErrors(t *testing.T) {
	cases := map[string]string{
		"no root key":       `{"rtb_inbound": []}`,
		"null root":         `{"rtb_inbounds": null}`,
		"null element":      `{"rtb_inbounds": [null]}`,
		"array of wrapped":  `[{"rtb_inbound": {"uuid": "u"}}]`,
		"root is an object": `{"rtb_inbounds": {"uuid": "u"}}`,
		"bad amount":        `{"rtb_inbounds": [{"revenue": "lots"}]}`,
		"bad id":            `{"rtb_inbounds": [{"campaign_id": "abc"}]}`,
		"fractional bucket": `{"rtb_inbounds": [{"pbm_bucket": 1.5}]}`,
		"html":              `<html>login</html>`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			stub(t, mt, "GET", rtbInboundsWirePath, 200, body)
			_, err := c.RTBInbounds.List(context.Background(), nil)
			require.ErrorIs(t, err, ErrUnexpectedResponse)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
		})
	}
}

// pagedInbounds answers page n (1 to last) with rows "p<n>-1" and "p<n>-2",
// and a Link to the next page.
func pagedInbounds(t *testing.T, mt *httpmock.MockTransport, last int, body func(page int) string) *recorder {
	rec := &recorder{}
	mt.RegisterResponder("GET", testBaseURL+rtbInboundsWirePath, func(req *http.Request) (*http.Response, error) {
		rec.record(req)
		page := 1
		fmt.Sscan(req.URL.Query().Get("page"), &page)
		b := fmt.Sprintf(`{"rtb_inbounds": [{"uuid": "p%d-1"}, {"uuid": "p%d-2"}]}`, page, page)
		if body != nil {
			b = body(page)
		}
		resp := httpmock.NewStringResponse(200, b)
		link := fmt.Sprintf(`<https://elsewhere.example/api/v5/rtb_inbounds.json?api_key=stolen&page=%d>; rel="last"`, last)
		if page < last {
			link += fmt.Sprintf(`, <https://elsewhere.example/api/v5/rtb_inbounds.json?page=%d>; rel="next"`, page+1)
		}
		resp.Header.Set("Link", link)
		resp.Request = req
		return resp, nil
	})
	return rec
}

func TestRTBInboundsAllFollowsNextOnTheBaseHostKeepingTheFilters(t *testing.T) {
	c, mt := newTestClient(t)
	rec := pagedInbounds(t, mt, 3, nil)
	var got []string
	for r, err := range c.RTBInbounds.All(context.Background(), &RTBInboundListOptions{Statuses: []string{"claimed"}, WithFilters: true}) {
		require.NoError(t, err)
		got = append(got, r.UUID)
	}
	require.Equal(t, []string{"p1-1", "p1-2", "p2-1", "p2-2", "p3-1", "p3-2"}, got)
	reqs := rec.all()
	require.Len(t, reqs, 3)
	for i, w := range reqs {
		want := url.Values{"status[]": {"claimed"}, "page": {fmt.Sprint(i + 1)}}
		assertWire(t, w, "GET", rtbInboundsWirePath, want, false) // no with_filters
		require.Equal(t, "api.test", w.Host)
	}
}

func TestRTBInboundsAllGuardsAgainstAServerThatDoesNotPage(t *testing.T) {
	t.Run("identical pages", func(t *testing.T) {
		c, mt := newTestClient(t)
		pagedInbounds(t, mt, 3, func(int) string { return `{"rtb_inbounds": [{"uuid": "same"}]}` })
		var n int
		var last error
		for _, err := range c.RTBInbounds.All(context.Background(), nil) {
			if err != nil {
				last = err
				break
			}
			n++
		}
		require.Equal(t, 1, n)
		require.ErrorIs(t, last, ErrPagination)
	})
	t.Run("empty page before the last is retried, then an error", func(t *testing.T) {
		c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
		rec := pagedInbounds(t, mt, 3, func(page int) string {
			if page == 2 {
				return `{"rtb_inbounds": []}`
			}
			return fmt.Sprintf(`{"rtb_inbounds": [{"uuid": "p%d"}]}`, page)
		})
		var last error
		for _, err := range c.RTBInbounds.All(context.Background(), nil) {
			last = err
		}
		require.ErrorIs(t, last, ErrUnexpectedResponse)
		require.Len(t, rec.all(), 4) // page 1, then page 2 three times
	})
	t.Run("next that does not advance", func(t *testing.T) {
		c, mt := newTestClient(t)
		stub(t, mt, "GET", rtbInboundsWirePath, 200, `{"rtb_inbounds": [{"uuid": "a"}]}`,
			"Link", `<https://api.test/api/v5/rtb_inbounds.json?page=1>; rel="next"`)
		var last error
		for _, err := range c.RTBInbounds.All(context.Background(), nil) {
			last = err
		}
		require.ErrorIs(t, last, ErrPagination)
	})
}

func TestRTBInboundsListWithFiltersKeepsTheFiltersObject(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", rtbInboundsWirePath, 200, `{
		"rtb_inbounds": [{"uuid": "u"}],
		"filters": {
			"campaigns": [{"id": 123, "name": "Auto Insurance"}],
			"statuses": ["expired", "claimed", "no-target", "rejected"]
		}
	}`)
	p, f, err := c.RTBInbounds.ListWithFilters(context.Background(), &RTBInboundListOptions{CampaignIDs: []int64{123}})
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", rtbInboundsWirePath, url.Values{"campaign_id[]": {"123"}, "with_filters": {"true"}}, false)
	require.Len(t, p.Items, 1)
	require.Len(t, f, 2)
	require.JSONEq(t, `[{"id": 123, "name": "Auto Insurance"}]`, string(f["campaigns"]))
	var statuses []string
	require.NoError(t, json.Unmarshal(f["statuses"], &statuses))
	require.Equal(t, []string{RTBInboundExpired, RTBInboundClaimed, RTBInboundNoTarget, RTBInboundRejected}, statuses)

	// List does not decode the object at all: a hostile one costs nothing.
	stub(t, mt, "GET", rtbInboundsWirePath, 200, `{"rtb_inbounds": [], "filters": {"campaigns": [`+strings.Repeat("1234,", 1000)+`1]}}`)
	p, err = c.RTBInbounds.List(context.Background(), nil)
	require.NoError(t, err)
	require.Empty(t, p.Items)
}

func TestRTBInboundsListWithFiltersNeedsTheObject(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "GET", rtbInboundsWirePath, 200, `{"rtb_inbounds": []}`)
	_, _, err := c.RTBInbounds.ListWithFilters(context.Background(), nil)
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	require.True(t, strings.Contains(err.Error(), "filters"), err.Error())
}

func TestRTBInboundsListSendsWithFiltersOnlyWhenAsked(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", rtbInboundsWirePath, 200, `{"rtb_inbounds": [], "filters": {}}`)
	_, err := c.RTBInbounds.List(context.Background(), &RTBInboundListOptions{WithFilters: true})
	require.NoError(t, err)
	_, err = c.RTBInbounds.List(context.Background(), &RTBInboundListOptions{})
	require.NoError(t, err)
	reqs := rec.all()
	require.Equal(t, "true", reqs[0].Query.Get("with_filters"))
	require.False(t, reqs[1].Query.Has("with_filters"))
}

func TestRTBInboundsAPIErrorsAreTyped(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "GET", rtbInboundsWirePath, 403, `{"error": "company not reachable"}`)
	_, err := c.RTBInbounds.List(context.Background(), nil)
	require.ErrorIs(t, err, ErrForbidden)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	require.Equal(t, "company not reachable", apiErr.Message)
	requireErrorFree(t, err, testKey)
}
