package retreavertest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// writeData POSTs a call data writing body to data_writing (no api_key) and
// returns the status and the decoded answer.
func writeData(t *testing.T, srv *Server, body any) (int, map[string]any) {
	t.Helper()
	raw, ok := body.(string)
	if !ok {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		raw = string(b)
	}
	resp, err := http.Post(srv.URL+"/data_writing", "application/json", strings.NewReader(raw))
	require.NoError(t, err)
	return readAnswer(t, resp)
}

func readAnswer(t *testing.T, resp *http.Response) (int, map[string]any) {
	t.Helper()
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var v map[string]any
	require.NoError(t, json.Unmarshal(data, &v), "%s", data)
	return resp.StatusCode, v
}

func callTags(t *testing.T, a *api, uuid string) map[string]any {
	t.Helper()
	return a.obj(http.MethodGet, "/api/v2/calls/"+uuid+".json", nil, http.StatusOK, "call")["tags"].(map[string]any)
}

// Tags for a caller without a call wait for the caller's next call, and only
// that one.
func TestCallDataBeforeTheCall(t *testing.T) {
	a := newAPI(t)
	srv := a.srv
	status, v := writeData(t, srv, obj{"key": srv.CallDataKey, "caller_number": "(585) 575-2500", "age": "39", "utm_campaign": "auto"})
	require.Equal(t, 200, status)
	require.Equal(t, obj{"tag_values": obj{"age": "39", "utm_campaign": "auto"}, "caller_number": "+15855752500",
		"status": "call not found, tags stored"}, v)
	_, v = writeData(t, srv, obj{"key": srv.CallDataKey, "caller_number": "+15855752500", "age": "40", "score": 7})
	require.Equal(t, obj{"age": "40", "score": "7"}, v["tag_values"], "a number is written as its text")

	other, err := srv.AddCall(srv.CompanyID, Call{Caller: "+15855750000"})
	require.NoError(t, err)
	require.Empty(t, callTags(t, a, other))

	first, err := srv.AddCall(srv.CompanyID, Call{Caller: "5855752500", Tags: map[string]string{"source": "tv", "age": "1"}})
	require.NoError(t, err)
	require.Equal(t, obj{"source": "tv", "age": "40", "utm_campaign": "auto", "score": "7"}, callTags(t, a, first),
		"later writes win over earlier ones and over the call's own tags")
	second, err := srv.AddCall(srv.CompanyID, Call{Caller: "+15855752500"})
	require.NoError(t, err)
	require.Empty(t, callTags(t, a, second), "only the next call takes them")

	// Another company's calls do not take them.
	co2 := srv.CompanyIDs()[1]
	key2 := srv.AddCallDataKey(co2)
	writeData(t, srv, obj{"key": key2, "caller_number": "+15855753333", "lead": "hot"})
	uuid, err := srv.AddCall(srv.CompanyID, Call{Caller: "+15855753333"})
	require.NoError(t, err)
	require.Empty(t, callTags(t, a, uuid))
	uuid, err = srv.AddCall(co2, Call{Caller: "+15855753333"})
	require.NoError(t, err)
	require.Equal(t, obj{"lead": "hot"}, callTags(t, &api{t: t, srv: srv, company: co2}, uuid))
}

// Tags for an ended call, named by its uuid or as the caller's latest call,
// are applied at once.
func TestCallDataCompletedCall(t *testing.T) {
	a := newAPI(t)
	srv := a.srv
	old, err := srv.AddCall(srv.CompanyID, Call{Caller: "+15855752500", CreatedAt: time.Now().Add(-2 * time.Hour), Duration: 60})
	require.NoError(t, err)
	latest, err := srv.AddCall(srv.CompanyID, Call{Caller: "+15855752500", CreatedAt: time.Now().Add(-time.Hour), Duration: 60,
		Tags: map[string]string{"source": "tv"}})
	require.NoError(t, err)

	before := time.Now().UTC().Add(-time.Second)
	status, v := writeData(t, srv, obj{"key": srv.CallDataKey, "call_uuid": old, "age": "39"})
	require.Equal(t, 200, status)
	require.Equal(t, obj{"tag_values": obj{"age": "39"}, "call_uuid": old, "status": "completed call found, tags applied"}, v)
	c := a.obj(http.MethodGet, "/api/v2/calls/"+old+".json", nil, http.StatusOK, "call")
	require.Equal(t, obj{"age": "39"}, c["tags"])
	updated, err := time.Parse(time.RFC3339Nano, c["updated_at"].(string))
	require.NoError(t, err)
	require.True(t, updated.After(before), "updated_at moves")

	_, v = writeData(t, srv, obj{"key": srv.CallDataKey, "caller_number": "+15855752500", "age": "41"})
	require.Equal(t, obj{"tag_values": obj{"age": "41"}, "caller_number": "+15855752500", "status": "completed call found, tags applied"}, v)
	require.Equal(t, obj{"source": "tv", "age": "41"}, callTags(t, a, latest), "the caller's latest call")
	require.Equal(t, obj{"age": "39"}, callTags(t, a, old))
}

// Tags for a call in progress are stored and applied when the call ends.
func TestCallDataInProgressCall(t *testing.T) {
	a := newAPI(t)
	srv := a.srv
	uuid, err := srv.AddCall(srv.CompanyID, Call{Caller: "+15855752500", Status: "in-progress", CreatedAt: time.Now().Add(-90 * time.Second)})
	require.NoError(t, err)
	for _, body := range []obj{
		{"key": srv.CallDataKey, "call_uuid": uuid, "age": "39"},
		{"key": srv.CallDataKey, "caller_number": "+15855752500", "utm_campaign": "auto"},
	} {
		status, v := writeData(t, srv, body)
		require.Equal(t, 200, status)
		require.Equal(t, "in progress call found, tags stored", v["status"])
	}
	c := a.obj(http.MethodGet, "/api/v2/calls/"+uuid+".json", nil, http.StatusOK, "call")
	require.Empty(t, c["tags"], "not applied during the call")
	require.Equal(t, "in-progress", c["status"])
	require.Nil(t, c["end_time"])

	require.NoError(t, srv.EndCall(srv.CompanyID, uuid))
	c = a.obj(http.MethodGet, "/api/v2/calls/"+uuid+".json", nil, http.StatusOK, "call")
	require.Equal(t, obj{"age": "39", "utm_campaign": "auto"}, c["tags"])
	require.Equal(t, "finished", c["status"])
	require.NotNil(t, c["end_time"])
	require.GreaterOrEqual(t, c["total_duration"], 90.0)
	require.Equal(t, 2.0, c["billable_minutes"])
	require.Equal(t, "caller", c["hung_up_by"])

	require.ErrorContains(t, srv.EndCall(srv.CompanyID, uuid), "has ended")
	require.Error(t, srv.EndCall(srv.CompanyID, "no-such-call"))
	require.Error(t, srv.EndCall(424242, uuid))
}

// The demo data's calls still on the line end like added ones.
func TestEndCallOfDemoData(t *testing.T) {
	a := newAPI(t, WithDemoData())
	live := a.list("/api/v2/calls.json", url.Values{"per_page": {"100"}}, "call")
	var uuid string
	for _, c := range live {
		if c["status"] == "in-progress" {
			uuid = c["uuid"].(string)
			break
		}
	}
	require.NotEmpty(t, uuid)
	_, v := writeData(t, a.srv, obj{"key": a.srv.CallDataKey, "call_uuid": uuid, "lead": "warm"})
	require.Equal(t, "in progress call found, tags stored", v["status"])
	require.NoError(t, a.srv.EndCall(a.srv.CompanyID, uuid))
	c := a.obj(http.MethodGet, "/api/v2/calls/"+uuid+".json", nil, http.StatusOK, "call")
	require.Equal(t, "warm", c["tags"].(map[string]any)["lead"])
	require.Equal(t, "finished", c["status"])
}

func TestCallDataErrors(t *testing.T) {
	a := newAPI(t)
	srv := a.srv
	other, err := srv.AddCall(srv.CompanyIDs()[1], Call{})
	require.NoError(t, err)
	for _, tc := range []struct {
		body any
		want int
	}{
		{obj{"caller_number": "+15855752500", "age": "39"}, 401},
		{obj{"key": "nope", "caller_number": "+15855752500", "age": "39"}, 401},
		{obj{"key": srv.APIKey, "caller_number": "+15855752500", "age": "39"}, 401},
		{obj{"key": srv.CallerListKey, "caller_number": "+15855752500", "age": "39"}, 401},
		{obj{"key": srv.CallDataKey, "call_uuid": "9b653cf0-4835-493b-860c-aed9b7af2a4a", "age": "39"}, 404},
		{obj{"key": srv.CallDataKey, "call_uuid": other, "age": "39"}, 404},
		{obj{"key": srv.CallDataKey, "age": "39"}, 422},
		{`{"key": "` + srv.CallDataKey + `", "caller_number": `, 400},
	} {
		status, v := writeData(t, srv, tc.body)
		require.Equal(t, tc.want, status, "%v", tc.body)
		require.NotEmpty(t, v["error"], "%v", tc.body)
	}
	resp, err := http.Get(srv.URL + "/data_writing")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	resp, err = http.Post(srv.URL+"/data_writing.json", "application/json", strings.NewReader(`{}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "data_writing.json is no route: it asks for the api_key")
}

// The reference's GET form: the key in the path, the rest in the query; and
// a form-encoded POST.
func TestCallDataGETAndForm(t *testing.T) {
	a := newAPI(t)
	srv := a.srv
	q := url.Values{"caller_number": {"+15855752500"}, "age": {"39"}}
	resp, err := http.Get(srv.URL + "/data_writing/" + srv.CallDataKey + "?" + q.Encode())
	require.NoError(t, err)
	status, v := readAnswer(t, resp)
	require.Equal(t, 200, status)
	require.Equal(t, obj{"tag_values": obj{"age": "39"}, "caller_number": "+15855752500", "status": "call not found, tags stored"}, v)

	resp, err = http.Get(srv.URL + "/data_writing/nope?" + q.Encode())
	require.NoError(t, err)
	status, _ = readAnswer(t, resp)
	require.Equal(t, 401, status)

	form := url.Values{"key": {srv.CallDataKey}, "caller_number": {"+15855752500"}, "source": {"tv"}}
	resp, err = http.PostForm(srv.URL+"/data_writing", form)
	require.NoError(t, err)
	status, v = readAnswer(t, resp)
	require.Equal(t, 200, status)
	require.Equal(t, obj{"source": "tv"}, v["tag_values"])

	uuid, err := srv.AddCall(srv.CompanyID, Call{Caller: "+15855752500"})
	require.NoError(t, err)
	require.Equal(t, obj{"age": "39", "source": "tv"}, callTags(t, a, uuid))
}
