package retreavertest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestListPagination(t *testing.T) {
	a := newAPI(t)
	for i := 0; i < 30; i++ {
		a.call(http.MethodPost, "/api/v1/affiliates.json", nil, obj{"affiliate": obj{"afid": "A" + itoa(int64(i))}}, http.StatusCreated)
	}
	resp, _ := a.raw(http.MethodGet, "/api/v1/affiliates.json", url.Values{"company_id": {itoa(a.srv.CompanyID)}}, nil)
	links := parseLinks(t, resp.Header.Get("Link"))
	require.Equal(t, []string{"first", "next", "last"}, links.rels)
	next := links.byRel["next"]
	require.Equal(t, a.srv.URL+"/api/v1/affiliates.json", next.Scheme+"://"+next.Host+next.Path)
	require.Equal(t, a.srv.APIKey, next.Query().Get("api_key"))
	require.Equal(t, itoa(a.srv.CompanyID), next.Query().Get("company_id"))
	require.Equal(t, "2", next.Query().Get("page"))
	require.Equal(t, "2", links.byRel["last"].Query().Get("page"))
	require.Len(t, a.list("/api/v1/affiliates.json", nil, "affiliate"), DefaultPageSize)
	page2 := a.list("/api/v1/affiliates.json", url.Values{"page": {"2"}}, "affiliate")
	require.Len(t, page2, 5)
	require.Equal(t, "A29", page2[4]["afid"])
	require.Empty(t, a.list("/api/v1/affiliates.json", url.Values{"page": {"9"}}, "affiliate"))
}

// A page past the end, however far, is empty; its prev link is the last page.
func TestPagePastTheEnd(t *testing.T) {
	a := newAPI(t)
	a.srv.SeedCalls(30)
	for _, page := range []string{"3", "9223372036854775807"} {
		for _, path := range []string{"/api/v2/calls.json", "/api/v1/calls.json", "/api/v1/affiliates.json"} {
			q := url.Values{"page": {page}, "company_id": {itoa(a.srv.CompanyID)}}
			resp, body := a.raw(http.MethodGet, path, q, nil)
			require.Equal(t, http.StatusOK, resp.StatusCode, "%s %s", path, body)
			require.Equal(t, "[]", string(body))
			l := parseLinks(t, resp.Header.Get("Link"))
			require.Equal(t, []string{"first", "prev", "last"}, l.rels)
			require.Equal(t, l.byRel["last"].Query().Get("page"), l.byRel["prev"].Query().Get("page"))
		}
	}
	// The order of a listing does not change its pages' links.
	q := url.Values{"page": {"2"}, "order": {"asc"}}
	resp, _ := a.raw(http.MethodGet, "/api/v2/calls.json", q, nil)
	require.Equal(t, []string{"first", "prev", "last"}, parseLinks(t, resp.Header.Get("Link")).rels)
}
