package retreavertest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLinkHeader(t *testing.T) {
	const base = "https://api.retreaver.com/api/v2/calls.json"
	rels := func(h string) []string { return parseLinks(t, h).rels }
	pageOf := func(h, rel string) string { return parseLinks(t, h).byRel[rel].Query().Get("page") }

	h := LinkHeader(base+"?api_key=k&page=7&order=asc#frag", 2, 3)
	require.Equal(t, `<`+base+`?api_key=k&order=asc&page=1>; rel="first", `+
		`<`+base+`?api_key=k&order=asc&page=1>; rel="prev", `+
		`<`+base+`?api_key=k&order=asc&page=3>; rel="next", `+
		`<`+base+`?api_key=k&order=asc&page=3>; rel="last"`, h)

	require.Equal(t, []string{"first", "last"}, rels(LinkHeader(base, 1, 1)))
	require.Equal(t, []string{"first", "last"}, rels(LinkHeader(base, 0, 0)), "below 1 counts as 1")
	require.Equal(t, []string{"first", "next", "last"}, rels(LinkHeader(base, 1, 5)))
	require.Equal(t, []string{"first", "prev", "last"}, rels(LinkHeader(base, 5, 5)))
	past := LinkHeader(base, 9, 5)
	require.Equal(t, []string{"first", "prev", "last"}, rels(past))
	require.Equal(t, "5", pageOf(past, "prev"))
	// Escaped path segments and query values stay escaped.
	h = LinkHeader("http://127.0.0.1:1/api/v1/affiliates/afid/pub%2F7.json?caller=%2B18005550100", 1, 2)
	require.True(t, strings.HasPrefix(h, "<http://127.0.0.1:1/api/v1/affiliates/afid/pub%2F7.json?caller=%2B18005550100&page=1>"), h)
	require.Panics(t, func() { LinkHeader("http://[::1", 1, 1) })
}

// The fake's own Link headers are LinkHeader's.
func TestLinkHeaderMatchesTheFake(t *testing.T) {
	a := newAPI(t)
	a.srv.SeedCalls(130) // 6 pages of 25
	a.call(http.MethodPost, "/api/v1/affiliates.json", nil, obj{"affiliate": obj{"afid": "A1"}}, http.StatusCreated)
	for _, c := range []struct {
		path, query string
		page, last  int
	}{
		{"/api/v2/calls.json", "per_page=25", 1, 6},
		{"/api/v2/calls.json", "page=2&order=asc", 2, 6},
		{"/api/v1/calls.json", "page=6&sort_by=updated_at", 6, 6},
		{"/api/v1/calls.json", "page=40", 40, 6},
		{"/api/v2/calls.json", "caller=%2B18005550100&page=2", 2, 1}, // no such caller: one empty page
		{"/api/v1/affiliates.json", "company_id=" + itoa(a.srv.CompanyID), 1, 1},
	} {
		u := c.path + "?api_key=" + a.srv.APIKey + "&" + c.query
		resp, body := a.raw(http.MethodGet, u, url.Values{"api_key": nil}, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
		require.Equal(t, LinkHeader(a.srv.URL+u, c.page, c.last), resp.Header.Get("Link"), u)
	}
}
