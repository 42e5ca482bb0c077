package retreavertest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNumberLifecycle(t *testing.T) {
	a := newAPI(t)
	require.Equal(t, obj{"cid": []any{"can't be blank"}, "afid": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/numbers.json", obj{"number": obj{}}))
	require.Equal(t, obj{"cid": []any{"does not exist"}}, a.errorsOf(http.MethodPost, "/numbers.json", obj{"number": obj{"cid": "nope", "afid": "1"}}))
	a.call(http.MethodPost, "/campaigns.json", nil, obj{"campaign": obj{"cid": "0001", "message": "Hi", "timers_attributes": []obj{{"seconds": 0, "url": "http://c"}}}}, http.StatusCreated)
	a.call(http.MethodPost, "/campaigns.json", nil, obj{"campaign": obj{"cid": "0002"}}, http.StatusCreated)
	require.Contains(t, a.errorsOf(http.MethodPost, "/numbers.json", obj{"number": obj{"cid": "0001", "afid": "1", "type": "Premium"}}), "type")

	n := a.obj(http.MethodPost, "/numbers.json", obj{"number": obj{"type": "Toll-free", "desired_text": "TEST", "afid": "0002", "cid": "0001", "sid": "superaffiliate"}}, http.StatusCreated, "number")
	require.Regexp(t, `^\+18(00|33|44|55|66|77|88)\d{7}$`, n["number"])
	require.Equal(t, true, n["toll_free"])
	require.Equal(t, true, n["uses_campaign_settings"])
	require.Equal(t, obj{"message": "Hi", "voice_gender": "Female", "inherited": true}, n["greeting"])
	// Writes wrap timers, reads list them bare (as the reference shows).
	wt := n["timers"].([]any)[0].(obj)["timer"].(obj)
	require.Equal(t, true, wt["inherited"])
	got := a.obj(http.MethodGet, idPath("/numbers", n["id"]), nil, http.StatusOK, "number")
	require.Equal(t, wt, got["timers"].([]any)[0].(obj))
	// The unknown afid created an affiliate.
	a.obj(http.MethodGet, "/api/v1/affiliates/afid/0002.json", nil, http.StatusOK, "affiliate")

	local := a.obj(http.MethodPost, "/numbers.json", obj{"number": obj{"type": "Local", "afid": "0005", "cid": "0002", "timers_attributes": []obj{{"seconds": 10, "url": "http://own"}}}}, http.StatusCreated, "number")
	require.Equal(t, false, local["toll_free"])
	require.Equal(t, false, local["uses_campaign_settings"])
	require.Equal(t, false, local["timers"].([]any)[0].(obj)["timer"].(obj)["inherited"])

	require.Len(t, a.list("/numbers.json", url.Values{"client_cid": {"0001"}}, "number"), 1)
	require.Len(t, a.list("/numbers.json", url.Values{"client_afid": {"0005"}}, "number"), 1)
	require.Len(t, a.list("/numbers.json", url.Values{"sub_id": {"superaffiliate"}}, "number"), 1)
	require.Len(t, a.list("/numbers.json", url.Values{"sub_id": {"none"}}, "number"), 0)
	require.Len(t, a.list("/numbers.json", url.Values{"client_cid": {"0001"}, "client_afid": {"0005"}}, "number"), 0)
	// The old names never filtered.
	for _, old := range []url.Values{{"cid": {"0001"}}, {"afid": {"0005"}}, {"sid": {"none"}}} {
		require.Len(t, a.list("/numbers.json", old, "number"), 2, "%v", old)
	}

	u := a.obj(http.MethodPut, idPath("/numbers", n["id"]), obj{"number": obj{"afid": "0005"}}, http.StatusOK, "number")
	require.Equal(t, "0005", u["afid"])
	require.Equal(t, n["number"], u["number"])
	// Renaming an affiliate's afid carries its numbers along.
	a.call(http.MethodPut, "/api/v1/affiliates/afid/0005.json", nil, obj{"affiliate": obj{"afid": "0006"}}, http.StatusOK)
	require.Len(t, a.list("/numbers.json", url.Values{"client_afid": {"0006"}}, "number"), 2)
	a.call(http.MethodPut, "/api/v1/affiliates/afid/0006.json", nil, obj{"affiliate": obj{"afid": "0005"}}, http.StatusOK)
	// An affiliate with numbers cannot be deleted.
	a.call(http.MethodDelete, "/api/v1/affiliates/afid/0005.json", nil, nil, http.StatusUnprocessableEntity)
	resp, body := a.raw(http.MethodDelete, idPath("/numbers", n["id"]), nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, body)
}
