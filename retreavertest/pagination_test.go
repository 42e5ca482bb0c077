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
		a.call(http.MethodPost, "/affiliates.json", nil, obj{"affiliate": obj{"afid": "A" + itoa(int64(i))}}, http.StatusCreated)
	}
	resp, _ := a.raw(http.MethodGet, "/affiliates.json", url.Values{"company_id": {itoa(a.srv.CompanyID)}}, nil)
	links := parseLinks(t, resp.Header.Get("Link"))
	require.Equal(t, []string{"first", "next", "last"}, links.rels)
	next := links.byRel["next"]
	require.Equal(t, a.srv.URL+"/affiliates.json", next.Scheme+"://"+next.Host+next.Path)
	require.Equal(t, a.srv.APIKey, next.Query().Get("api_key"))
	require.Equal(t, itoa(a.srv.CompanyID), next.Query().Get("company_id"))
	require.Equal(t, "2", next.Query().Get("page"))
	require.Equal(t, "2", links.byRel["last"].Query().Get("page"))
	require.Len(t, a.list("/affiliates.json", nil, "affiliate"), DefaultPageSize)
	page2 := a.list("/affiliates.json", url.Values{"page": {"2"}}, "affiliate")
	require.Len(t, page2, 5)
	require.Equal(t, "A29", page2[4]["afid"])
	require.Empty(t, a.list("/affiliates.json", url.Values{"page": {"9"}}, "affiliate"))
}
