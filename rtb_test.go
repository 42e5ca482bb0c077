package retreaver

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

const rtbKey = "rtb-p0stback-key-9f8e7d6c5b4a"

// stubRTB answers method+path on the RTB host with status, body and Content-Type,
// recording each request.
func stubRTB(t *testing.T, mt *httpmock.MockTransport, method, path string, status int, body, ctype string) *recorder {
	t.Helper()
	rec := &recorder{}
	mt.RegisterResponder(method, testRTBURL+strings.TrimPrefix(path, "/"), func(req *http.Request) (*http.Response, error) {
		rec.record(req)
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", ctype)
		resp.Request = req
		return resp, nil
	})
	return rec
}

// assertRTBWire checks an RTB request: the RTB host, method, escaped path, no query
// at all (no api_key, no company_id), the usual headers.
func assertRTBWire(t *testing.T, got wireRequest, method, path string) {
	t.Helper()
	require.Equal(t, "rtb.test", got.Host, "host")
	require.Equal(t, method, got.Method, "method")
	require.Equal(t, path, got.Path, "path")
	require.Empty(t, got.Query, "query")
	require.NotContains(t, got.RawURL, testKey)
	require.NotContains(t, got.RawURL, "api_key")
	require.NotContains(t, got.RawURL, "company_id")
	require.Equal(t, "application/json", got.Header.Get("Accept"), "Accept header")
	require.Contains(t, got.Header.Get("User-Agent"), "retreaver-go/"+Version)
}

// The reference's RTB examples: its postback key, and the reservation its
// reserve and confirm examples answer.
const (
	refRTBKey  = "7fc40342-f0a0-4e8f-bf09-b3887eedcb41"
	refRTBUUID = "c6e4ce37-9b49-46af-bd8e-16cb7753499d"
)

func referenceReservation(status ReservationStatus) *Reservation {
	return &Reservation{
		UUID:          refRTBUUID,
		Status:        status,
		Payout:        MustMoney("5.0"),
		Seconds:       10,
		InboundNumber: "+18772435010",
		ExpiresAt:     time.Date(2024, 10, 28, 12, 8, 49, 880e6, time.UTC),
	}
}

func TestRTBReserveSendsBareBodyWithTagsAndDecodes(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stubRTB(t, mt, "POST", "rtbs.json", 200, fixture(t, "rtb_reserve.json"), "application/json; charset=utf-8")

	res, err := c.RTB.Reserve(context.Background(), &ReservationParams{
		Key:          refRTBKey,
		PublisherID:  "retreaver_pub",
		CallerNumber: "+18558485518",
		Tags:         map[string]string{"caller_zip": "12344", "age": "25", "empty": ""},
	})
	require.NoError(t, err)
	w := rec.only(t)
	assertRTBWire(t, w, "POST", "/rtbs.json")
	// The reference's "Pass additional data" body, but for the tags: they are
	// sent as strings (the reference writes 12344 and 25 as numbers, and takes
	// the same fields as form parameters, which are text).
	assertJSONBody(t, w, `{
		"key": "7fc40342-f0a0-4e8f-bf09-b3887eedcb41",
		"publisher_id": "retreaver_pub",
		"caller_number": "+18558485518",
		"caller_zip": "12344",
		"age": "25",
		"empty": ""
	}`)

	require.Equal(t, referenceReservation(ReservationReserved), res)
	require.Equal(t, "5.0", res.Payout.String())
	require.False(t, res.NoTarget())
	require.False(t, res.PingShield)
	require.Equal(t, "", res.SIPAddress, "the example has none")
}

func TestRTBReserveOnAStaticInboundNumber(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stubRTB(t, mt, "POST", "rtbs.json", 200, fixture(t, "rtb_reserve.json"), "application/json")
	res, err := c.RTB.Reserve(context.Background(), &ReservationParams{
		Key: refRTBKey, PublisherID: "retreaver_pub", CallerNumber: "+18558485518", InboundNumber: "+12029795452",
	})
	require.NoError(t, err)
	w := rec.only(t)
	assertRTBWire(t, w, "POST", "/rtbs.json")
	assertJSONBody(t, w, `{
		"key": "7fc40342-f0a0-4e8f-bf09-b3887eedcb41",
		"publisher_id": "retreaver_pub",
		"caller_number": "+18558485518",
		"inbound_number": "+12029795452"
		}`)
	// The reference answers this request with the same reservation as the one
	// without a static number; the number is read as the answer gives it.
	require.Equal(t, referenceReservation(ReservationReserved), res)
}

func TestRTBReserveWithSourceID(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stubRTB(t, mt, "POST", "rtbs.json", 200, fixture(t, "rtb_reserve.json"), "application/json")
	res, err := c.RTB.Reserve(context.Background(), &ReservationParams{
		Key: refRTBKey, SourceID: "retreaver_src", CallerNumber: "+18558485518",
	})
	require.NoError(t, err)
	w := rec.only(t)
	assertRTBWire(t, w, "POST", "/rtbs.json")
	assertJSONBody(t, w, `{"key":"`+refRTBKey+`","source_id":"retreaver_src","caller_number":"+18558485518"}`)
	require.Equal(t, referenceReservation(ReservationReserved), res)

	// A blank PublisherID beside the SourceID counts as unset.
	_, err = c.RTB.Reserve(context.Background(), &ReservationParams{Key: refRTBKey, PublisherID: " ", SourceID: "s"})
	require.NoError(t, err)
	assertJSONBody(t, rec.all()[1], `{"key":"`+refRTBKey+`","source_id":"s"}`)
}

func TestRTBReserveSendsOnlyTheFieldsSet(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stubRTB(t, mt, "POST", "rtbs.json", 200, fixture(t, "rtb_reserve.json"), "application/json")
	_, err := c.RTB.Reserve(context.Background(), &ReservationParams{Key: rtbKey, PublisherID: "7"})
	require.NoError(t, err)
	w := rec.only(t)
	assertRTBWire(t, w, "POST", "/rtbs.json")
	assertJSONBody(t, w, `{"key":"`+rtbKey+`","publisher_id":"7"}`)
}

func TestRTBNoTargetIsNotAnError(t *testing.T) {
	c, mt := newTestClient(t)
	reserve := stubRTB(t, mt, "POST", "rtbs.json", 200, fixture(t, "rtb_no_target_repaired.json"), "application/json")
	confirm := stubRTB(t, mt, "PUT", "rtbs/"+refRTBUUID+".json", 200, fixture(t, "rtb_no_target_repaired.json"), "application/json")
	want := &Reservation{UUID: refRTBUUID, Status: ReservationNoTarget}

	res, err := c.RTB.Reserve(context.Background(), &ReservationParams{Key: rtbKey, PublisherID: "7", CallerNumber: "+13015236555"})
	require.NoError(t, err)
	assertRTBWire(t, reserve.only(t), "POST", "/rtbs.json")
	require.Equal(t, want, res)
	require.True(t, res.NoTarget())
	require.True(t, res.Payout.IsZero())
	require.True(t, res.ExpiresAt.IsZero())

	// The reference shows it as the answer of a confirmation that failed.
	res, err = c.RTB.Confirm(context.Background(), refRTBKey, refRTBUUID)
	require.NoError(t, err)
	assertRTBWire(t, confirm.only(t), "PUT", "/rtbs/"+refRTBUUID+".json")
	require.Equal(t, want, res)
	require.True(t, res.NoTarget())
}

func TestRTBConfirmWireAndDecoding(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stubRTB(t, mt, "PUT", "rtbs/"+refRTBUUID+".json", 200, fixture(t, "rtb_confirm.json"), "application/json")

	res, err := c.RTB.Confirm(context.Background(), refRTBKey, refRTBUUID)
	require.NoError(t, err)
	w := rec.only(t)
	assertRTBWire(t, w, "PUT", "/rtbs/"+refRTBUUID+".json")
	assertJSONBody(t, w, `{
	"key": "7fc40342-f0a0-4e8f-bf09-b3887eedcb41",
	"status": "confirmed"
}`)
	require.Equal(t, referenceReservation(ReservationConfirmed), res)
}

// rtb_confirm_documented.json holds the shapes no reference example shows: the
// payout as a string, seconds as 90.0, a Rails-style timestamp, a SIP address.
func TestRTBConfirmOddShapes(t *testing.T) {
	c, mt := newTestClient(t)
	stubRTB(t, mt, "PUT", "rtbs/5b3f6c1e-2a4d-4c8e-9f7a-1d2e3f4a5b6c.json", 200, fixture(t, "rtb_confirm_documented.json"), "application/json")

	res, err := c.RTB.Confirm(context.Background(), rtbKey, "5b3f6c1e-2a4d-4c8e-9f7a-1d2e3f4a5b6c")
	require.NoError(t, err)
	require.Equal(t, "5b3f6c1e-2a4d-4c8e-9f7a-1d2e3f4a5b6c", res.UUID)
	require.Equal(t, ReservationConfirmed, res.Status)
	require.Equal(t, "12.50", res.Payout.String())
	require.Equal(t, 12.5, res.Payout.Float64())
	require.Equal(t, 90, res.Seconds) // sent as 90.0
	require.Equal(t, "+18005550199", res.InboundNumber)
	require.Equal(t, "sip:5b3f6c1e-2a4d-4c8e-9f7a-1d2e3f4a5b6c@rtb.retreaver.com", res.SIPAddress)
	require.True(t, res.ExpiresAt.Equal(time.Date(2024, 11, 4, 16, 57, 18, 0, time.UTC)), "%v", res.ExpiresAt)
	require.True(t, res.PingShield)
}

// The reference's Ping Shield example: the same request twice, the second
// answered with the first reservation and retreaver_ping_shield.
func TestRTBPingShield(t *testing.T) {
	c, mt := newTestClient(t)
	answers := []string{fixture(t, "rtb_ping_shield_first_repaired.json"), fixture(t, "rtb_ping_shield_repeat.json")}
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		return httpmock.NewStringResponse(200, answers[w.Attempt-1]), nil
	})
	p := &ReservationParams{Key: refRTBKey, PublisherID: "retreaver_pub", CallerNumber: "+18558485518"}
	first, err := c.RTB.Reserve(context.Background(), p)
	require.NoError(t, err)
	second, err := c.RTB.Reserve(context.Background(), p)
	require.NoError(t, err)

	want := &Reservation{
		UUID:          "4454ffc8-c1b4-4420-81d2-4bbd1a1e132e",
		Status:        ReservationReserved,
		Payout:        MustMoney("5.0"),
		Seconds:       10,
		InboundNumber: "+18778955221",
		ExpiresAt:     time.Date(2024, 10, 28, 12, 29, 4, 397e6, time.UTC),
	}
	require.Equal(t, want, first)
	want.PingShield = true
	require.Equal(t, want, second)
	for _, w := range rec.all() {
		assertRTBWire(t, w, "POST", "/rtbs.json")
		assertJSONBody(t, w, `{"key":"`+refRTBKey+`","publisher_id":"retreaver_pub","caller_number":"+18558485518"}`)
	}
}

func TestRTBConfirmEscapesUUIDAndFillsAMissingOne(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		return httpmock.NewStringResponse(200, `{"status":"confirmed"}`), nil
	})
	res, err := c.RTB.Confirm(context.Background(), rtbKey, "a/b c")
	require.NoError(t, err)
	assertRTBWire(t, rec.only(t), "PUT", "/rtbs/a%2Fb%20c.json")
	require.Equal(t, &Reservation{UUID: "a/b c", Status: ReservationConfirmed}, res)
}

func TestRTBAnswersThatAreNotReservationsAreErrorsWithoutTheKey(t *testing.T) {
	loginPage := `<!DOCTYPE html><html><head><title>Log in</title></head><body>
<form action="/users/sign_in"><input type="hidden" name="key" value="` + rtbKey + `">
<p>Invalid key ` + rtbKey + `</p></form></body></html>`
	cases := map[string]struct{ ctype, body string }{
		"html login page":         {"text/html; charset=utf-8", loginPage},
		"html without a type":     {"", "\n  " + loginPage},
		"html labelled as json":   {"application/json", loginPage},
		"empty object":            {"application/json", `{}`},
		"error object":            {"application/json", `{"error":"bad key ` + rtbKey + `"}`},
		"empty body":              {"application/json", ``},
		"array":                   {"application/json", `[{"uuid":"x"}]`},
		"seconds not an integer":  {"application/json", `{"uuid":"x","status":"reserved","retreaver_seconds":1.5}`},
		"truncated json with key": {"application/json", `{"uuid":"x","key":"` + rtbKey},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			c, mt := newTestClient(t, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
				resp := httpmock.NewStringResponse(200, tc.body)
				if tc.ctype != "" {
					resp.Header.Set("Content-Type", tc.ctype)
				}
				return resp, nil
			})
			for _, call := range []func() (*Reservation, error){
				func() (*Reservation, error) {
					return c.RTB.Reserve(context.Background(), &ReservationParams{Key: rtbKey, PublisherID: "7", CallerNumber: "+13015236555"})
				},
				func() (*Reservation, error) { return c.RTB.Confirm(context.Background(), rtbKey, "some-uuid") },
			} {
				res, err := call()
				require.Nil(t, res)
				require.Error(t, err)
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				require.ErrorIs(t, err, ErrUnexpectedResponse)
				require.Equal(t, 200, de.StatusCode)
				for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%v", err),
					fmt.Sprintf("%#v", err), de.Snippet, de.URL} {
					require.NotContains(t, text, rtbKey)
				}
			}
			require.NotEmpty(t, logs.String())
			require.NotContains(t, logs.String(), rtbKey)
			require.Equal(t, 2, mt.GetTotalCallCount())
		})
	}
}

func TestRTBErrorStatusesKeepTheKeyOut(t *testing.T) {
	c, mt := newTestClient(t)
	stubRTB(t, mt, "POST", "rtbs.json", 401, `{"error":"unknown key `+rtbKey+`"}`, "application/json")
	_, err := c.RTB.Reserve(context.Background(), &ReservationParams{Key: rtbKey, PublisherID: "7"})
	require.ErrorIs(t, err, ErrUnauthorized)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.NotContains(t, err.Error(), rtbKey)
	require.NotContains(t, fmt.Sprintf("%+v", err), rtbKey)
	require.NotContains(t, string(apiErr.Body), rtbKey)
	require.Contains(t, apiErr.Message, "unknown key")
}

func TestRTBReserveIsNotRetriedOnServerErrors(t *testing.T) {
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	rec := stubRTB(t, mt, "POST", "rtbs.json", 502, `bad gateway`, "text/plain")
	_, err := c.RTB.Reserve(context.Background(), &ReservationParams{Key: rtbKey, PublisherID: "7"})
	require.ErrorIs(t, err, ErrServer)
	require.Len(t, rec.all(), 1, "a POST is not retried on 502")
}

func TestRTBValidation(t *testing.T) {
	reserve := func(p *ReservationParams) func(c *Client) error {
		return func(c *Client) error {
			_, err := c.RTB.Reserve(context.Background(), p)
			return err
		}
	}
	confirm := func(key, uuid string) func(c *Client) error {
		return func(c *Client) error {
			_, err := c.RTB.Confirm(context.Background(), key, uuid)
			return err
		}
	}
	withTag := func(name string) *ReservationParams {
		return &ReservationParams{Key: rtbKey, PublisherID: "7", Tags: map[string]string{"ok": "1", name: "x"}}
	}
	cases := map[string]func(c *Client) error{
		"nil params":                 reserve(nil),
		"no key":                     reserve(&ReservationParams{PublisherID: "7", CallerNumber: "+13015236555"}),
		"blank key":                  reserve(&ReservationParams{Key: "  ", PublisherID: "7"}),
		"no publisher":               reserve(&ReservationParams{Key: rtbKey, CallerNumber: "+13015236555"}),
		"blank publisher":            reserve(&ReservationParams{Key: rtbKey, PublisherID: "\t"}),
		"blank source":               reserve(&ReservationParams{Key: rtbKey, SourceID: " "}),
		"blank publisher and source": reserve(&ReservationParams{Key: rtbKey, PublisherID: " ", SourceID: ""}),
		"publisher and source":       reserve(&ReservationParams{Key: rtbKey, PublisherID: "7", SourceID: "8", CallerNumber: "+13015236555"}),
		"source without key":         reserve(&ReservationParams{SourceID: "8"}),
		"empty tag name":             reserve(withTag("")),
		"blank tag name":             reserve(withTag(" ")),
		"tag named key":              reserve(withTag("key")),
		"tag named publisher_id":     reserve(withTag("publisher_id")),
		"tag named source_id":        reserve(withTag("source_id")),
		"tag named caller_number":    reserve(withTag("caller_number")),
		"tag named inbound_number":   reserve(withTag("inbound_number")),
		"tag named status":           reserve(withTag("status")),
		"confirm without key":        confirm("", "5b3f6c1e"),
		"confirm with blank key":     confirm(" ", "5b3f6c1e"),
		"confirm without uuid":       confirm(rtbKey, ""),
		"confirm with blank uuid":    confirm(rtbKey, "  "),
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			err := call(c)
			require.ErrorIs(t, err, ErrInvalidArgument)
			require.NotContains(t, err.Error(), rtbKey)
			noRequests(t, mt)
		})
	}
}

func TestNewRTBClientSendsNoAPIKeyOrCompany(t *testing.T) {
	mt := httpmock.NewMockTransport()
	rtb, err := NewRTBClient(
		WithHTTPClient(&http.Client{Transport: mt}),
		WithRTBBaseURL(testRTBURL),
		WithCompanyID(42), // has no effect on RTB requests
		WithRetryPolicy(NoRetries),
	)
	require.NoError(t, err)
	require.NotNil(t, rtb)
	reserve := stubRTB(t, mt, "POST", "rtbs.json", 200, fixture(t, "rtb_reserve.json"), "application/json")
	confirm := stubRTB(t, mt, "PUT", "rtbs/"+refRTBUUID+".json", 200, fixture(t, "rtb_confirm.json"), "application/json")

	res, err := rtb.Reserve(context.Background(), &ReservationParams{Key: rtbKey, PublisherID: "0002", CallerNumber: "+13015236555"})
	require.NoError(t, err)
	require.Equal(t, ReservationReserved, res.Status)
	w := reserve.only(t)
	assertRTBWire(t, w, "POST", "/rtbs.json")
	assertJSONBody(t, w, `{"key":"`+rtbKey+`","publisher_id":"0002","caller_number":"+13015236555"}`)

	res, err = rtb.Confirm(context.Background(), rtbKey, res.UUID)
	require.NoError(t, err)
	require.Equal(t, ReservationConfirmed, res.Status)
	assertRTBWire(t, confirm.only(t), "PUT", "/rtbs/"+refRTBUUID+".json")
}

func TestNewRTBClientDefaultsAndBadOptions(t *testing.T) {
	rtb, err := NewRTBClient()
	require.NoError(t, err)
	require.Equal(t, DefaultRTBBaseURL, rtb.client.cfg.rtbBaseURL.String())

	_, err = NewRTBClient(WithRTBBaseURL("ftp://rtb.example/"))
	require.ErrorIs(t, err, ErrInvalidArgument)
}
