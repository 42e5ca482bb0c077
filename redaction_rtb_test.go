package retreaver

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/require"
)

// The RTB host: its requests never carry the api_key or a company_id, and no
// error or log line of a reservation or a confirmation carries the postback key
// or the api_key, however the host answers.

// rtbEcho answers RTB requests by echoing the postback key of the body; mode
// (for Confirm, the uuid of the path) picks how. It fails the test if a request
// carries a key in its URL.
func rtbEcho(t *testing.T, evilURL string, mode string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("api_key") || strings.Contains(r.URL.RawQuery, "key") {
			t.Errorf("RTB request carries a key in its URL: %s", r.URL)
		}
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		key := body["key"]
		if mode == "" {
			mode = strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/rtbs/"), ".json")
		}
		switch mode {
		case "html":
			echoBody(w, r, 200, 2, key)
		case "json-time":
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"uuid": "u", "status": "reserved", "expires_at": key})
		case "json-money":
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"uuid": "u", "status": "reserved", "retreaver_payout": key})
		case "json-seconds":
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"uuid": "u", "status": "reserved", "retreaver_seconds": key})
		case "redirect":
			http.Redirect(w, r, evilURL+"/rtbs.json?stolen="+url.QueryEscape(key), http.StatusTemporaryRedirect)
		default:
			code, _ := strconv.Atoi(mode)
			echoBody(w, r, code/10, code%10, key)
		}
	}
}

// rtbModes are the ways the RTB echo server fails.
func rtbModes() []string {
	modes := []string{"html", "json-time", "json-money", "json-seconds", "redirect"}
	for _, code := range []int{400, 401, 403, 404, 410, 422, 429, 500, 502, 503} {
		for v := 0; v < 4; v++ {
			modes = append(modes, strconv.Itoa(code*10+v))
		}
	}
	return modes
}

func TestRedactionRTBConfirm(t *testing.T) {
	evil := noOtherHost(t)
	defer evil.Close()
	srv := httptest.NewServer(rtbEcho(t, evil.URL, ""))
	defer srv.Close()
	for i, mode := range rtbModes() {
		apiKey, rtbKey := keyN(t, 2*i), keyN(t, 2*i+1)
		logger, logs := debugLogger()
		opts := []Option{WithBaseURL("https://api.invalid/"), WithRTBBaseURL(srv.URL), WithLogger(logger),
			WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond})}
		c, err := NewClient(apiKey, opts...)
		require.NoError(t, err)
		rtbOnly, err := NewRTBClient(opts...)
		require.NoError(t, err)
		for _, svc := range []*RTBService{c.RTB, rtbOnly} {
			_, err = svc.Confirm(context.Background(), rtbKey, mode)
			require.Error(t, err, mode)
			requireErrorFree(t, err, rtbKey, apiKey)
		}
		require.NotEmpty(t, logs.String())
		requireTextFree(t, "debug log", logs.String(), rtbKey, apiKey)
	}
}

func TestRedactionRTBReserve(t *testing.T) {
	evil := noOtherHost(t)
	defer evil.Close()
	for i, mode := range rtbModes() {
		apiKey, rtbKey := keyN(t, 3*i), keyN(t, 3*i+2)
		srv := httptest.NewServer(rtbEcho(t, evil.URL, mode))
		logger, logs := debugLogger()
		opts := []Option{WithRTBBaseURL(srv.URL), WithLogger(logger),
			WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond})}
		c, err := NewClient(apiKey, opts...)
		require.NoError(t, err)
		rtbOnly, err := NewRTBClient(opts...)
		require.NoError(t, err)
		for _, svc := range []*RTBService{c.RTB, rtbOnly} {
			_, err = svc.Reserve(context.Background(), &ReservationParams{Key: rtbKey, PublisherID: "pub-1", CallerNumber: "+15551234567",
				Tags: map[string]string{"echo": rtbKey}})
			require.Error(t, err, mode)
			requireErrorFree(t, err, rtbKey, apiKey)
		}
		requireTextFree(t, "debug log", logs.String(), rtbKey, apiKey)
		srv.Close()
	}
}

func TestRTBRequestsNeverCarryTheAPIKey(t *testing.T) {
	apiKey := keyN(t, 7)
	srv := retreavertest.NewServer(retreavertest.WithAPIKey(apiKey))
	defer srv.Close()
	c, err := NewClient(apiKey, WithCompanyID(9), WithRTBBaseURL(srv.URL), WithRetryPolicy(NoRetries))
	require.NoError(t, err)
	r, err := c.RTB.Reserve(context.Background(), &ReservationParams{Key: srv.RTBKey, PublisherID: "p", CallerNumber: "+13015550100"})
	require.NoError(t, err)
	_, err = c.RTB.Confirm(context.Background(), srv.RTBKey, r.UUID)
	require.NoError(t, err)
	seen := srv.Requests()
	require.Len(t, seen, 2)
	for _, req := range seen {
		var hdr bytes.Buffer
		_ = req.Header.Write(&hdr)
		line := req.Method + " " + req.Path + "?" + req.Query.Encode()
		s := line + "\n" + hdr.String() + "\n" + string(req.Body)
		requireTextFree(t, "RTB request", s, apiKey)
		require.NotContains(t, s, "company_id")
		require.NotContains(t, line, "key", "the postback key is in the body, never the URL")
		require.Contains(t, string(req.Body), srv.RTBKey)
	}
}
