package retreavertest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNumberPoolLifecycle(t *testing.T) {
	a := newAPI(t)
	require.Equal(t, obj{"cid": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/number_pools.json", obj{"number_pool": obj{}}))
	a.call(http.MethodPost, "/campaigns.json", nil, obj{"campaign": obj{"cid": "111"}}, http.StatusCreated)
	a.call(http.MethodPost, "/api/v1/affiliates.json", nil, obj{"affiliate": obj{"afid": "0001"}}, http.StatusCreated)
	p := a.obj(http.MethodPost, "/number_pools.json", obj{"number_pool": obj{"cid": "111", "max_pool_size": 100, "hide_embedded_access": true, "google_analytics": true}}, http.StatusCreated, "number_pool")
	require.Equal(t, "Toll-free", p["type"])
	require.Equal(t, "US", p["country"])
	require.Equal(t, float64(0), p["buffer_seconds"])
	require.Equal(t, float64(1), p["reserve_size"])
	require.Equal(t, float64(0), p["numbers_count"])
	require.Nil(t, p["afid"])
	require.Len(t, p["google_analytics_paths"], 2)
	q := a.obj(http.MethodPost, "/number_pools.json", obj{"number_pool": obj{"cid": "111", "afid": "0001", "type": "Local", "country": "CA"}}, http.StatusCreated, "number_pool")
	require.NotContains(t, q, "google_analytics_paths")
	require.Contains(t, a.errorsOf(http.MethodPost, "/number_pools.json", obj{"number_pool": obj{"cid": "111", "afid": "0001", "google_analytics": true}}), "google_analytics")
	require.Contains(t, a.errorsOf(http.MethodPost, "/number_pools.json", obj{"number_pool": obj{"cid": "111", "afid": "nobody"}}), "afid")
	require.Len(t, a.list("/number_pools.json", url.Values{"afid": {"0001"}}, "number_pool"), 1)
	require.Len(t, a.list("/number_pools.json", url.Values{"cid": {"111"}}, "number_pool"), 2)
	resp, _ := a.raw(http.MethodDelete, idPath("/number_pools", q["id"]), nil, nil)
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	require.Len(t, a.list("/number_pools.json", nil, "number_pool"), 1)
}
