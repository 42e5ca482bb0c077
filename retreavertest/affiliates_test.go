package retreavertest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAffiliateLifecycle(t *testing.T) {
	a := newAPI(t)
	created := a.obj(http.MethodPost, "/api/v1/affiliates.json", obj{"affiliate": obj{"first_name": "Nancy", "last_name": "Drew", "afid": "0002"}}, http.StatusCreated, "affiliate")
	require.Equal(t, "0002", created["afid"])
	require.Equal(t, "Nancy", created["first_name"])
	require.Nil(t, created["company_name"])
	require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`, created["created_at"])

	got := a.obj(http.MethodGet, idPath("/api/v1/affiliates", created["id"]), nil, http.StatusOK, "affiliate")
	require.Equal(t, created, got)
	upd := a.obj(http.MethodPut, "/api/v1/affiliates/afid/0002.json", obj{"affiliate": obj{"first_name": "Nathan"}}, http.StatusOK, "affiliate")
	require.Equal(t, "Nathan", upd["first_name"])
	require.Equal(t, "Drew", upd["last_name"])

	require.Equal(t, obj{"afid": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/api/v1/affiliates.json", obj{"affiliate": obj{"first_name": "X"}}))
	require.Contains(t, a.errorsOf(http.MethodPost, "/api/v1/affiliates.json", obj{"affiliate": obj{"afid": "0002"}}), "afid")

	// The same afid can exist in another company, independently.
	b := &api{t: t, srv: a.srv, company: a.srv.CompanyIDs()[1]}
	require.Empty(t, b.list("/api/v1/affiliates.json", nil, "affiliate"))
	b.call(http.MethodPost, "/api/v1/affiliates.json", nil, obj{"affiliate": obj{"afid": "0002"}}, http.StatusCreated)
	b.call(http.MethodGet, idPath("/api/v1/affiliates", created["id"]), nil, nil, http.StatusNotFound)

	resp, body := a.raw(http.MethodDelete, "/api/v1/affiliates/afid/0002.json", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, body)
	a.call(http.MethodGet, "/api/v1/affiliates/afid/0002.json", nil, nil, http.StatusNotFound)
	require.Len(t, b.list("/api/v1/affiliates.json", nil, "affiliate"), 1)
}
