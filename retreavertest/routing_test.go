package retreavertest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// A customer id holding a slash is sent escaped ("a%2Fb") and stays one path
// segment, as in Rails routes; an unescaped slash is another path.
func TestEscapedSlashInPathIDs(t *testing.T) {
	a := newAPI(t)
	aff := a.obj(http.MethodPost, "/affiliates.json", obj{"affiliate": obj{"afid": "pub/7", "first_name": "Sam"}}, http.StatusCreated, "affiliate")
	got := a.obj(http.MethodGet, "/affiliates/afid/pub%2F7.json", nil, http.StatusOK, "affiliate")
	require.Equal(t, aff, got)
	a.call(http.MethodGet, "/affiliates/afid/pub/7.json", nil, nil, http.StatusNotFound)

	a.call(http.MethodPost, "/targets.json", nil, obj{"target": obj{"number": "+15555550100", "tid": "east/1"}}, http.StatusCreated)
	upd := a.obj(http.MethodPut, "/targets/tid/east%2F1.json", obj{"target": obj{"name": "East"}}, http.StatusOK, "target")
	require.Equal(t, "East", upd["name"])
	require.Equal(t, "east/1", upd["tid"])

	a.call(http.MethodPost, "/campaigns.json", nil, obj{"campaign": obj{"cid": "a b/c%d"}}, http.StatusCreated)
	got = a.obj(http.MethodGet, "/campaigns/cid/a%20b%2Fc%25d.json", nil, http.StatusOK, "campaign")
	require.Equal(t, "a b/c%d", got["cid"])
	resp, _ := a.raw(http.MethodDelete, "/campaigns/cid/a%20b%2Fc%25d.json", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	a.call(http.MethodGet, "/campaigns/cid/a%20b%2Fc%25d.json", nil, nil, http.StatusNotFound)
}
