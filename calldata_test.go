package retreaver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

const (
	testCallDataURL = "https://data.test/"
	callDataKey     = "d4t4-p0stback-0f1e2d3c4b5a6978"
)

// newCallDataTestWriter returns a writer whose requests go to an httpmock
// transport, with retries off unless opts turn them on. The API host is set
// too, to prove that the writer does not use it.
func newCallDataTestWriter(t *testing.T, opts ...Option) (*CallDataWriter, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	base := []Option{
		WithHTTPClient(&http.Client{Transport: mt}),
		WithBaseURL(testBaseURL),
		WithCallDataBaseURL(testCallDataURL),
		WithCompanyID(testCompany), // has no effect: no company_id is sent
		WithRetryPolicy(NoRetries),
	}
	w, err := NewCallDataWriter(callDataKey, append(base, opts...)...)
	require.NoError(t, err)
	return w, mt
}

// stubCallData answers POST data_writing on the call data host with status and
// body, recording each request.
func stubCallData(t *testing.T, mt *httpmock.MockTransport, status int, body string) *recorder {
	t.Helper()
	return stubAt(t, mt, "POST", testCallDataURL+"data_writing", status, body)
}

// assertCallDataWire checks a call data request: the call data host, POST
// data_writing, no query at all (no key, api_key or company_id), no
// Authorization, the JSON body want.
func assertCallDataWire(t *testing.T, got wireRequest, want string) {
	t.Helper()
	require.Equal(t, "data.test", got.Host, "host")
	require.Equal(t, "POST", got.Method, "method")
	require.Equal(t, "/data_writing", got.Path, "path")
	require.Empty(t, got.Query, "query")
	require.NotContains(t, got.RawURL, callDataKey)
	require.Empty(t, got.Header.Get("Authorization"))
	require.Equal(t, "application/json", got.Header.Get("Accept"), "Accept header")
	require.Contains(t, got.Header.Get("User-Agent"), "retreaver-go/"+Version)
	assertJSONBody(t, got, want)
}

func TestCallDataWriteTagsByCallerNumber(t *testing.T) {
	w, mt := newCallDataTestWriter(t)
	rec := stubCallData(t, mt, 200, fixture(t, "call_data_not_found.json"))
	res, err := w.WriteTags(context.Background(), &CallDataParams{
		CallerNumber: "+3569878933094",
		Tags:         map[string]string{"age": "39", "utm_campaign": "auto"},
	})
	require.NoError(t, err)
	assertCallDataWire(t, rec.only(t), `{"key":"`+callDataKey+`","caller_number":"+3569878933094","age":"39","utm_campaign":"auto"}`)
	require.Equal(t, &CallDataResult{
		TagValues:    map[string]string{"age": "39", "utm_campaign": "auto"},
		CallerNumber: "+3569878933094",
		Status:       CallDataStatusCallNotFound,
	}, res)
}

func TestCallDataWriteTagsByCallUUID(t *testing.T) {
	for _, tc := range []struct {
		fixture, status string
	}{
		{"call_data_completed.json", CallDataStatusCompletedCallFound},
		{"call_data_in_progress_documented.json", "in progress call found, tags stored"},
	} {
		w, mt := newCallDataTestWriter(t)
		rec := stubCallData(t, mt, 200, fixture(t, tc.fixture))
		res, err := w.WriteTags(context.Background(), &CallDataParams{
			CallUUID: "9b653cf0-4835-493b-860c-aed9b7af2a4a",
			Tags:     map[string]string{"age": "39", "utm_campaign": "auto"},
		})
		require.NoError(t, err, tc.fixture)
		assertCallDataWire(t, rec.only(t), `{"key":"`+callDataKey+`","call_uuid":"9b653cf0-4835-493b-860c-aed9b7af2a4a","age":"39","utm_campaign":"auto"}`)
		require.Equal(t, &CallDataResult{
			TagValues: map[string]string{"age": "39", "utm_campaign": "auto"},
			CallUUID:  "9b653cf0-4835-493b-860c-aed9b7af2a4a",
			Status:    tc.status,
		}, res, tc.fixture)
	}
}

func TestCallDataAnswerShapes(t *testing.T) {
	ok := map[string]*CallDataResult{
		`{"tag_values":{"age":39,"score":1.0,"none":null},"caller_number":"+15855752500","status":"call not found, tags stored"}`: {
			TagValues: map[string]string{"age": "39", "score": "1", "none": ""}, CallerNumber: "+15855752500", Status: CallDataStatusCallNotFound},
		`{"status":"completed call found, tags applied"}`: {Status: CallDataStatusCompletedCallFound},
	}
	for body, want := range ok {
		w, mt := newCallDataTestWriter(t)
		stubCallData(t, mt, 200, body)
		res, err := w.WriteTags(context.Background(), &CallDataParams{CallerNumber: "+15855752500", Tags: map[string]string{"age": "39"}})
		require.NoError(t, err, body)
		require.Equal(t, want, res, body)
	}
	for _, body := range []string{``, `null`, `{}`, `{"tag_values":{"age":"39"}}`, `{"status":"x","tag_values":{"a":{}}}`, `[]`,
		`<html><body>Sign in</body></html>`, `{"status":"call not found, tags stored"`} {
		w, mt := newCallDataTestWriter(t)
		stubCallData(t, mt, 200, body)
		_, err := w.WriteTags(context.Background(), &CallDataParams{CallerNumber: "+15855752500", Tags: map[string]string{"age": "39"}})
		require.ErrorIs(t, err, ErrUnexpectedResponse, "body %q", body)
	}
	w, mt := newCallDataTestWriter(t)
	stubCallData(t, mt, 422, `{"errors":{"key":["is invalid"]}}`)
	_, err := w.WriteTags(context.Background(), &CallDataParams{CallerNumber: "+15855752500", Tags: map[string]string{"age": "39"}})
	require.ErrorIs(t, err, ErrUnprocessable)
}

func TestCallDataValidationSendsNothing(t *testing.T) {
	for _, key := range []string{"", " ", callDataKey + " x", "a\tb", "\n"} {
		_, err := NewCallDataWriter(key)
		require.ErrorIs(t, err, ErrInvalidArgument, "%q", key)
	}
	_, err := NewCallDataWriter(callDataKey, WithCallDataBaseURL("data.test"))
	require.ErrorIs(t, err, ErrInvalidArgument)

	w, mt := newCallDataTestWriter(t)
	recordAll(mt, nil)
	tags := map[string]string{"age": "39"}
	for i, p := range []*CallDataParams{
		nil,
		{Tags: tags},
		{CallerNumber: " ", CallUUID: "\t", Tags: tags},
		{CallerNumber: "+15855752500", CallUUID: "9b653cf0-4835-493b-860c-aed9b7af2a4a", Tags: tags},
		{CallerNumber: "+15855752500"},
		{CallerNumber: "+15855752500", Tags: map[string]string{}},
		{CallerNumber: "+15855752500", Tags: map[string]string{"key": "x"}},
		{CallerNumber: "+15855752500", Tags: map[string]string{"age": "39", "caller_number": "+1"}},
		{CallUUID: "9b653cf0-4835-493b-860c-aed9b7af2a4a", Tags: map[string]string{"call_uuid": "u"}},
		{CallUUID: "9b653cf0-4835-493b-860c-aed9b7af2a4a", Tags: map[string]string{"": "x"}},
		{CallUUID: "9b653cf0-4835-493b-860c-aed9b7af2a4a", Tags: map[string]string{"  ": "x"}},
	} {
		_, err := w.WriteTags(context.Background(), p)
		require.ErrorIs(t, err, ErrInvalidArgument, "params %d", i)
	}
	//lint:ignore SA1012 a nil context is refused, not sent
	_, err = w.WriteTags(nil, &CallDataParams{CallerNumber: "+15855752500", Tags: tags})
	require.ErrorIs(t, err, ErrInvalidArgument)
	noRequests(t, mt)
}

func TestCallDataIsRetriedOnlyAsAPOST(t *testing.T) {
	policy := WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond})
	for status, attempts := range map[int]int{500: 1, 502: 1, 503: 1, 504: 1, 429: 3} {
		w, mt := newCallDataTestWriter(t, policy)
		rec := stubCallData(t, mt, status, `{"error":"busy"}`)
		_, err := w.WriteTags(context.Background(), &CallDataParams{CallerNumber: "+15855752500", Tags: map[string]string{"age": "39"}})
		require.ErrorIs(t, err, statusSentinel(status))
		require.Len(t, rec.all(), attempts, "status %d", status)
	}
	// An empty 200 may have been acted on: it is not sent again.
	w, mt := newCallDataTestWriter(t, policy)
	rec := stubCallData(t, mt, 200, ``)
	_, err := w.WriteTags(context.Background(), &CallDataParams{CallerNumber: "+15855752500", Tags: map[string]string{"age": "39"}})
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	require.Len(t, rec.all(), 1)
}

func TestCallDataWithServerUsesTheOneHost(t *testing.T) {
	mt := httpmock.NewMockTransport()
	w, err := NewCallDataWriter(callDataKey, WithHTTPClient(&http.Client{Transport: mt}), WithServer("http://fake.test/prefix"), WithRetryPolicy(NoRetries))
	require.NoError(t, err)
	rec := recordAll(mt, func(wireRequest) (*http.Response, error) {
		return httpmock.NewStringResponse(200, fixture(t, "call_data_not_found.json")), nil
	})
	_, err = w.WriteTags(context.Background(), &CallDataParams{CallerNumber: "+3569878933094", Tags: map[string]string{"age": "39"}})
	require.NoError(t, err)
	got := rec.only(t)
	require.Equal(t, "fake.test", got.Host)
	require.Equal(t, "/prefix/data_writing", got.Path)
	require.Equal(t, "retreaver.CallDataWriter{BaseURL: http://fake.test/prefix/}", w.String())
}

// callDataEcho answers data writing requests by echoing the key of the body;
// the caller number picks how (see rtbEcho). It fails the test if a request
// carries a key in its URL.
func callDataEcho(t *testing.T, evilURL string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			t.Errorf("call data request has a query: %s", r.URL)
		}
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		key := body["key"]
		switch mode := body["caller_number"]; mode {
		case "html":
			echoBody(w, r, 200, 2, key)
		case "json-status":
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"status": 1, "tag_values": map[string]any{"k": map[string]string{key: key}}})
		case "json-truncated":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"status":"call not found, tags stored","caller_number":%q`, key)
		case "redirect":
			http.Redirect(w, r, evilURL+"/data_writing?stolen="+key, http.StatusTemporaryRedirect)
		default:
			code, _ := strconv.Atoi(mode)
			echoBody(w, r, code/10, code%10, key)
		}
	}
}

func TestRedactionCallData(t *testing.T) {
	evil := noOtherHost(t)
	defer evil.Close()
	srv := httptest.NewServer(callDataEcho(t, evil.URL))
	defer srv.Close()
	modes := []string{"html", "json-status", "json-truncated", "redirect"}
	for _, code := range []int{400, 401, 403, 404, 422, 429, 500, 503} {
		for v := 0; v < 4; v++ {
			modes = append(modes, strconv.Itoa(code*10+v))
		}
	}
	for i, mode := range modes {
		key := keyN(t, i)
		logger, logs := debugLogger()
		w, err := NewCallDataWriter(key, WithCallDataBaseURL(srv.URL), WithLogger(logger),
			WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond}))
		require.NoError(t, err)
		_, err = w.WriteTags(context.Background(), &CallDataParams{CallerNumber: mode, Tags: map[string]string{"echo": key}})
		require.Error(t, err, mode)
		requireErrorFree(t, err, key)
		require.NotEmpty(t, logs.String())
		requireTextFree(t, "debug log", logs.String(), key)
	}
}

func TestPrintingACallDataWriterShowsNoKey(t *testing.T) {
	for i := 0; i < 10; i++ {
		key := keyN(t, i)
		w, err := NewCallDataWriter(key)
		require.NoError(t, err)
		holder := struct {
			P *CallDataWriter
			V CallDataWriter
		}{w, *w}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			for _, v := range []any{w, *w, holder} {
				requireTextFree(t, "printed with "+verb, fmt.Sprintf(verb, v), key)
			}
		}
		require.Equal(t, "retreaver.CallDataWriter{BaseURL: https://retreaverdata.com/}", fmt.Sprintf("%#v", w))
	}
}
