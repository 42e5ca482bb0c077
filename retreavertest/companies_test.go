package retreavertest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCompanyLifecycle(t *testing.T) {
	a := newAPI(t)
	require.Equal(t, obj{"name": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/companies.json", obj{"company": obj{}}))
	before := len(a.srv.CompanyIDs())
	c := a.obj(http.MethodPost, "/companies.json", obj{"company": obj{"name": "CallPixels.com"}}, http.StatusCreated, "company")
	require.Equal(t, "1.0", c["per_number"])
	require.Equal(t, true, c["use_global_suppression_list"])
	require.Len(t, a.srv.CompanyIDs(), before+1)
	path := idPath("/companies", c["id"])
	u := a.obj(http.MethodPut, path, obj{"company": obj{"name": "Retreaver"}}, http.StatusOK, "company")
	require.Equal(t, "Retreaver", u["name"])

	// The new company is reachable and empty.
	b := &api{t: t, srv: a.srv, company: num(c["id"])}
	require.Empty(t, b.list("/targets.json", nil, "target"))

	resp, _ := a.raw(http.MethodDelete, path, nil, nil)
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	a.call(http.MethodGet, path, nil, nil, http.StatusNotFound)
	require.Len(t, a.srv.CompanyIDs(), before)
}
