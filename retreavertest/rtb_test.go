package retreavertest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// rtb sends an RTB request (no api_key).
func (a *api) rtb(method, path string, body any) (*http.Response, []byte) {
	return a.raw(method, path, url.Values{"api_key": nil}, body)
}

func (a *api) reserve(body any, want int) map[string]any {
	a.t.Helper()
	v := a.call(http.MethodPost, "/rtbs.json", url.Values{"api_key": nil}, body, want)
	m, _ := v.(map[string]any)
	return m
}

func TestRTBReserveAndConfirm(t *testing.T) {
	a := newAPI(t)
	r := a.reserve(obj{"key": a.srv.RTBKey, "publisher_id": "pub-7", "caller_number": "+13015550100", "caller_zip": "28379", "age": 67}, http.StatusOK)
	require.Equal(t, "reserved", r["status"])
	require.Regexp(t, `^[0-9a-f-]{36}$`, r["uuid"])
	require.IsType(t, float64(0), r["retreaver_payout"])
	require.Equal(t, float64(rtbDefaultSeconds), r["retreaver_seconds"])
	require.Regexp(t, `^\+1\d{10}$`, r["inbound_number"])
	require.True(t, strings.HasPrefix(r["sip_address"].(string), "sip:"))
	require.Equal(t, false, r["retreaver_ping_shield"])
	exp, err := time.Parse(time.RFC3339, r["expires_at"].(string))
	require.NoError(t, err)
	require.WithinDuration(t, time.Now().Add(DefaultRTBReservationTTL), exp, 5*time.Second)

	res := a.srv.RTBReservations()
	require.Len(t, res, 1)
	require.Equal(t, map[string]string{"caller_zip": "28379", "age": "67"}, res[0].Tags)
	require.Equal(t, "pub-7", res[0].PublisherID)
	require.Equal(t, a.srv.CompanyID, res[0].CompanyID)

	// A second reserve for the same caller and key: the first, ping shielded.
	again := a.reserve(obj{"key": a.srv.RTBKey, "publisher_id": "pub-7", "caller_number": "+13015550100"}, http.StatusOK)
	require.Equal(t, r["uuid"], again["uuid"])
	require.Equal(t, true, again["retreaver_ping_shield"])
	require.Len(t, a.srv.RTBReservations(), 1)
	// Another caller gets its own reservation; a form body works too.
	other := a.reserve(url.Values{"key": {a.srv.RTBKey}, "source_id": {"src-1"}, "caller_number": {"3015550199"}, "inbound_number": {"+18005550123"}}, http.StatusOK)
	require.NotEqual(t, r["uuid"], other["uuid"])
	require.Equal(t, "+18005550123", other["inbound_number"])

	path := "/rtbs/" + r["uuid"].(string) + ".json"
	resp, body := a.rtb(http.MethodPut, path, obj{"key": a.srv.RTBKey, "status": "pending"})
	require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode, "%s", body)
	resp, body = a.rtb(http.MethodPut, path, obj{"key": a.srv.RTBKey, "status": "confirmed"})
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	require.Contains(t, string(body), `"status":"confirmed"`)
	resp, _ = a.rtb(http.MethodPatch, path, url.Values{"key": {a.srv.RTBKey}, "status": {"confirmed"}})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "confirmed", a.srv.RTBReservations()[0].Status)
	resp, _ = a.rtb(http.MethodPut, "/rtbs/00000000-0000-4000-8000-000000000000.json", obj{"key": a.srv.RTBKey, "status": "confirmed"})
	require.Equal(t, http.StatusNotFound, resp.StatusCode)

	// Required fields.
	require.NotEmpty(t, a.reserve(obj{"key": a.srv.RTBKey, "caller_number": "+13015550100"}, http.StatusUnprocessableEntity)["error"])
	require.NotEmpty(t, a.reserve(obj{"key": a.srv.RTBKey, "publisher_id": "p"}, http.StatusUnprocessableEntity)["error"])
}

func TestRTBBadKeyAnswersLoginPage(t *testing.T) {
	a := newAPI(t)
	for _, body := range []any{obj{"key": "nope", "publisher_id": "p", "caller_number": "+13015550100"}, obj{}} {
		resp, data := a.rtb(http.MethodPost, "/rtbs.json", body)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html"))
		require.Contains(t, string(data), "<html")
	}
	r := a.reserve(obj{"key": a.srv.RTBKey, "publisher_id": "p", "caller_number": "+13015550100"}, http.StatusOK)
	resp, data := a.rtb(http.MethodPut, "/rtbs/"+r["uuid"].(string)+".json", obj{"key": "nope", "status": "confirmed"})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(data), "<html")
}

func TestRTBNoTarget(t *testing.T) {
	a := newAPI(t)
	a.srv.SetRTBNoTarget(true)
	r := a.reserve(obj{"key": a.srv.RTBKey, "publisher_id": "p", "caller_number": "+13015550100"}, http.StatusOK)
	require.Equal(t, []string{"status", "uuid"}, keys(r))
	require.Equal(t, "no-target", r["status"])
	resp, _ := a.rtb(http.MethodPut, "/rtbs/"+r["uuid"].(string)+".json", obj{"key": a.srv.RTBKey, "status": "confirmed"})
	require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	a.srv.SetRTBNoTarget(false)
	// A no-target answer is not live: the next reserve is a real one.
	require.Equal(t, "reserved", a.reserve(obj{"key": a.srv.RTBKey, "publisher_id": "p", "caller_number": "+13015550100"}, http.StatusOK)["status"])

	// Suppressed callers get no target.
	a.call(http.MethodPost, "/suppressed_numbers/+13215550000.json", nil, nil, http.StatusCreated)
	r = a.reserve(obj{"key": a.srv.RTBKey, "publisher_id": "p", "caller_number": "+13215550000"}, http.StatusOK)
	require.Equal(t, "no-target", r["status"])
}

func TestRTBExpiry(t *testing.T) {
	a := newAPI(t)
	a.srv.SetRTBReservationTTL(50 * time.Millisecond)
	r := a.reserve(obj{"key": a.srv.RTBKey, "publisher_id": "p", "caller_number": "+13015550100"}, http.StatusOK)
	time.Sleep(80 * time.Millisecond)
	resp, _ := a.rtb(http.MethodPut, "/rtbs/"+r["uuid"].(string)+".json", obj{"key": a.srv.RTBKey, "status": "confirmed"})
	require.Equal(t, http.StatusGone, resp.StatusCode)
	// Expired: no ping shield any more.
	again := a.reserve(obj{"key": a.srv.RTBKey, "publisher_id": "p", "caller_number": "+13015550100"}, http.StatusOK)
	require.NotEqual(t, r["uuid"], again["uuid"])
	require.Equal(t, false, again["retreaver_ping_shield"])
}

func TestRTBKeysOfCampaigns(t *testing.T) {
	a := newAPI(t, WithDemoData())
	require.Equal(t, a.srv.RTBKeyFor(a.srv.CompanyID, "1001"), a.srv.RTBKey)
	require.Empty(t, a.srv.RTBKeyFor(a.srv.CompanyID, "nope"))
	other := a.srv.CompanyIDs()[1]
	b := &api{t: t, srv: a.srv, company: other}
	b.call(http.MethodPost, "/campaigns.json", nil, obj{"campaign": obj{"cid": "NEW", "timers_attributes": []obj{{"seconds": 180, "url": "http://x"}}}}, http.StatusCreated)
	key := a.srv.RTBKeyFor(other, "NEW")
	require.NotEmpty(t, key)
	r := a.reserve(obj{"key": key, "publisher_id": "p", "caller_number": "+13015550100"}, http.StatusOK)
	require.Equal(t, float64(180), r["retreaver_seconds"])
	require.Equal(t, other, a.srv.RTBReservations()[0].CompanyID)

	// A deleted campaign's key no longer works.
	b.call(http.MethodDelete, "/campaigns/cid/NEW.json", nil, nil, http.StatusOK)
	resp, data := a.rtb(http.MethodPost, "/rtbs.json", obj{"key": key, "publisher_id": "p", "caller_number": "+13015550111"})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(data), "<html")
}
