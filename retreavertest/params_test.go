package retreavertest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestUnwrappedAndFormBodies(t *testing.T) {
	a := newAPI(t)
	c := a.obj(http.MethodPost, "/api/v1/affiliates.json", obj{"afid": "U1", "first_name": "Un"}, http.StatusCreated, "affiliate")
	require.Equal(t, "U1", c["afid"])
	c = a.obj(http.MethodPost, "/api/v1/affiliates.json", url.Values{"affiliate[afid]": {"F1"}, "affiliate[last_name]": {"Form"}}, http.StatusCreated, "affiliate")
	require.Equal(t, "Form", c["last_name"])
	p := a.obj(http.MethodPost, "/campaigns.json", obj{"campaign": obj{"cid": "C1"}}, http.StatusCreated, "campaign")
	require.Equal(t, "C1", p["cid"])
	pool := a.obj(http.MethodPost, "/number_pools.json", obj{"number_pool": obj{"cid": "C1"}}, http.StatusCreated, "number_pool")
	pool = a.obj(http.MethodPut, idPath("/number_pools", pool["id"]), obj{"number_pool": obj{"max_pool_size": "1000"}}, http.StatusOK, "number_pool")
	require.Equal(t, float64(1000), pool["max_pool_size"])
	require.Contains(t, a.errorsOf(http.MethodPut, idPath("/number_pools", pool["id"]), obj{"number_pool": obj{"max_pool_size": "lots"}}), "max_pool_size")
}
