package retreaver_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/retreaver-go/retreaver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
