package retreaver_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/retreaver-go/retreaver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Numbers against the fake: their lifecycle, and the filters of their listing.

func TestE2ENumberLifecycle(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t)
	ctx := e2eCtx(t)

	camp, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr("num-camp"), Message: retreaver.Ptr("Campaign greeting")})
	require.NoError(t, err)
	other, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr("num-other")})
	require.NoError(t, err)
	aff, err := client.Affiliates.Create(ctx, &retreaver.AffiliateParams{AFID: retreaver.Ptr("num-pub")})
	require.NoError(t, err)

	n, err := client.Numbers.Create(ctx, &retreaver.NumberParams{
		CID: retreaver.Ptr(camp.CID), AFID: retreaver.Ptr(aff.AFID), SID: retreaver.Ptr("fb-feed"),
		Type: retreaver.Ptr(retreaver.NumberTypeLocal),
	})
	require.NoError(t, err)
	require.Positive(t, n.ID)
	assert.Regexp(t, `^\+1\d{10}$`, n.Number)
	assert.False(t, n.TollFree)
	assert.Equal(t, "num-camp", n.CID)
	assert.Equal(t, "num-pub", n.AFID)
	assert.Equal(t, "fb-feed", n.SID)
	assert.True(t, n.UsesCampaignSettings)
	assert.Equal(t, "Campaign greeting", n.Greeting.Message)
	assert.True(t, n.Greeting.Inherited)

	tollFree, err := client.Numbers.Create(ctx, &retreaver.NumberParams{CID: retreaver.Ptr(other.CID), AFID: retreaver.Ptr(aff.AFID)})
	require.NoError(t, err)
	assert.True(t, tollFree.TollFree, "toll-free by default")
	assert.NotEqual(t, n.Number, tollFree.Number)

	got, err := client.Numbers.Get(ctx, n.ID)
	require.NoError(t, err)
	assert.Equal(t, n.Number, got.Number)
	assert.Equal(t, n.SID, got.SID)

	// Filters: by campaign, by affiliate, by sub id.
	page, err := client.Numbers.List(ctx, &retreaver.NumberListOptions{ClientCID: camp.CID})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, n.ID, page.Items[0].ID)
	byAFID := e2eCollect(t, client.Numbers.All(ctx, &retreaver.NumberListOptions{ClientAFID: aff.AFID}))
	assert.Len(t, byAFID, 2)
	bySID := e2eCollect(t, client.Numbers.All(ctx, &retreaver.NumberListOptions{SubID: "fb-feed"}))
	require.Len(t, bySID, 1)
	assert.Equal(t, n.ID, bySID[0].ID)
	assert.Empty(t, e2eCollect(t, client.Numbers.All(ctx, &retreaver.NumberListOptions{ClientCID: "no-such-cid"})))

	// Partial updates.
	up, err := client.Numbers.Update(ctx, n.ID, &retreaver.NumberParams{SID: retreaver.Ptr("google-cpc")})
	require.NoError(t, err)
	assert.Equal(t, "google-cpc", up.SID)
	assert.Equal(t, "num-camp", up.CID)
	assert.Equal(t, "num-pub", up.AFID)
	assert.Equal(t, n.Number, up.Number)
	assert.True(t, up.UsesCampaignSettings)

	// Its own greeting overrides the campaign's.
	up, err = client.Numbers.Update(ctx, n.ID, &retreaver.NumberParams{
		Message: retreaver.Ptr("Number greeting"),
		Timers:  []retreaver.TimerParams{{Seconds: retreaver.Ptr(60), URL: retreaver.Ptr("https://track.example.com/n")}},
	})
	require.NoError(t, err)
	assert.False(t, up.UsesCampaignSettings)
	assert.Equal(t, "Number greeting", up.Greeting.Message)
	assert.False(t, up.Greeting.Inherited)
	require.Len(t, up.Timers, 1)
	assert.Equal(t, 60, up.Timers[0].Seconds)
	assert.Equal(t, "google-cpc", up.SID)
	// Reads list a number's timers bare, writes wrapped: both decode.
	got, err = client.Numbers.Get(ctx, n.ID)
	require.NoError(t, err)
	require.Len(t, got.Timers, 1)
	assert.Equal(t, up.Timers[0].ID, got.Timers[0].ID)
	assert.Equal(t, "https://track.example.com/n", got.Timers[0].URL)
	assert.False(t, got.Timers[0].Inherited)
	assert.Equal(t, "Number greeting", got.Greeting.Message)

	// Moved to the other campaign.
	up, err = client.Numbers.Update(ctx, n.ID, &retreaver.NumberParams{CID: retreaver.Ptr(other.CID)})
	require.NoError(t, err)
	assert.Equal(t, other.CID, up.CID)
	assert.Len(t, e2eCollect(t, client.Numbers.All(ctx, &retreaver.NumberListOptions{ClientCID: other.CID})), 2)

	// While the affiliate has numbers it cannot be deleted.
	err = client.Affiliates.Delete(ctx, aff.ID)
	apiErr := e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Contains(t, apiErr.Message, "numbers")

	require.NoError(t, client.Numbers.Delete(ctx, n.ID))
	_, err = client.Numbers.Get(ctx, n.ID)
	e2eRequireGone(t, err)
	e2eRequireGone(t, client.Numbers.Delete(ctx, n.ID))
	require.NoError(t, client.Numbers.Delete(ctx, tollFree.ID))
	assert.Empty(t, e2eCollect(t, client.Numbers.All(ctx, nil)))
	require.NoError(t, client.Affiliates.Delete(ctx, aff.ID))
}

// Numbers filter by client_cid, client_afid and sub_id. The names an older
// reference gave (cid, afid, sid) never filtered: the API ignores them.
func TestE2ENumberFiltersUseTheCurrentNames(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	for _, cid := range []string{"flt-a", "flt-b"} {
		_, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr(cid)})
		require.NoError(t, err)
	}
	newNumber := func(cid, afid, sid string) *retreaver.Number {
		p := &retreaver.NumberParams{CID: retreaver.Ptr(cid), AFID: retreaver.Ptr(afid)}
		if sid != "" {
			p.SID = retreaver.Ptr(sid)
		}
		n, err := client.Numbers.Create(ctx, p)
		require.NoError(t, err)
		return n
	}
	aa := newNumber("flt-a", "pub-1", "fb")
	ab := newNumber("flt-a", "pub-2", "")
	ba := newNumber("flt-b", "pub-1", "fb")
	bb := newNumber("flt-b", "pub-2", "tv")
	ids := func(ns []*retreaver.Number) []int64 {
		out := []int64{}
		for _, n := range ns {
			out = append(out, n.ID)
		}
		return out
	}

	for _, tc := range []struct {
		opts  retreaver.NumberListOptions
		query string
		want  []int64
	}{
		{retreaver.NumberListOptions{ClientCID: "flt-a"}, "client_cid=flt-a", []int64{aa.ID, ab.ID}},
		{retreaver.NumberListOptions{ClientAFID: "pub-1"}, "client_afid=pub-1", []int64{aa.ID, ba.ID}},
		{retreaver.NumberListOptions{SubID: "fb"}, "sub_id=fb", []int64{aa.ID, ba.ID}},
		{retreaver.NumberListOptions{ClientCID: "flt-b", ClientAFID: "pub-2", SubID: "tv"}, "client_afid=pub-2&client_cid=flt-b&sub_id=tv", []int64{bb.ID}},
		{retreaver.NumberListOptions{ClientCID: "flt-b", SubID: "none"}, "client_cid=flt-b&sub_id=none", []int64{}},
	} {
		srv.ResetRequests()
		assert.Equal(t, tc.want, ids(e2eCollect(t, client.Numbers.All(ctx, &tc.opts))), tc.query)
		reqs := srv.Requests()
		require.Len(t, reqs, 1)
		q := reqs[0].Query
		q.Del("api_key")
		q.Del("company_id")
		q.Del("page")
		assert.Equal(t, tc.query, q.Encode())
	}

	// The old names are ignored: every number comes back.
	for _, old := range []url.Values{{"cid": {"flt-a"}}, {"afid": {"pub-1"}}, {"sid": {"tv"}}} {
		var got []struct {
			Number struct {
				ID int64 `json:"id"`
			} `json:"number"`
		}
		_, err := client.Do(ctx, http.MethodGet, "numbers.json", old, nil, &got)
		require.NoError(t, err, old.Encode())
		assert.Len(t, got, 4, old.Encode())
	}
}
