package retreaver

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ReservationStatus is the status of a [Reservation].
type ReservationStatus string

// Statuses of a [Reservation]. The API may send others; a status is data, never an
// error.
const (
	// ReservationReserved: a target was found and held for the caller. Confirm the
	// reservation to commit to placing the call.
	ReservationReserved ReservationStatus = "reserved"
	// ReservationConfirmed: the publisher has confirmed the reservation and must now
	// place the call. It counts against the target's caps.
	ReservationConfirmed ReservationStatus = "confirmed"
	// ReservationNoTarget: no target will take the call now. Such an answer may
	// carry only UUID and Status.
	ReservationNoTarget ReservationStatus = "no-target"
)

// Reservation is the RTB host's answer to a reservation or a confirmation: a
// target held for one caller, the payout on offer and the number (or SIP address)
// to send the call to.
type Reservation struct {
	// UUID identifies the reservation; Confirm takes it.
	UUID string `json:"uuid"`
	// Status is ReservationReserved, ReservationConfirmed, ReservationNoTarget or
	// another status the API adds.
	Status ReservationStatus `json:"status"`
	// Payout is what the publisher is paid for the call (retreaver_payout); zero
	// Money when absent.
	Payout Money `json:"retreaver_payout"`
	// Seconds is how long the call must last to be paid (retreaver_seconds).
	Seconds int `json:"retreaver_seconds"`
	// InboundNumber is the number to send the call to: the static number given in
	// ReservationParams.InboundNumber, or a temporary one.
	InboundNumber string `json:"inbound_number"`
	// SIPAddress is a SIP URI unique to this reservation, an alternative to
	// InboundNumber.
	SIPAddress string `json:"sip_address"`
	// ExpiresAt is when the reservation lapses if the call has not arrived; zero
	// when absent.
	ExpiresAt time.Time `json:"expires_at"`
	// PingShield is true when this answer repeats the reservation already made for
	// the same caller on the same key while that one is live
	// (retreaver_ping_shield).
	PingShield bool `json:"retreaver_ping_shield"`
}

// NoTarget reports whether no target will take the call (Status is
// ReservationNoTarget).
func (r *Reservation) NoTarget() bool { return r != nil && r.Status == ReservationNoTarget }

// UnmarshalJSON reads a reservation, tolerating retreaver_seconds written as 30.0
// or "30".
func (r *Reservation) UnmarshalJSON(b []byte) error {
	type plain Reservation
	var v struct {
		*plain
		Seconds looseInt `json:"retreaver_seconds"`
	}
	v.plain = (*plain)(r)
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	r.Seconds = int(v.Seconds)
	return nil
}

// ReservationParams asks the RTB host for a reservation.
type ReservationParams struct {
	// Key is the campaign's RTB postback key: the request's only credential.
	// Required. It is sent in the body, never in the URL, and is redacted from
	// every error and log line.
	Key string
	// PublisherID identifies the publisher, sent as publisher_id. Exactly one of
	// PublisherID and SourceID is required.
	PublisherID string
	// SourceID identifies the publisher by its source id, sent as source_id, the
	// alternative to PublisherID.
	SourceID string
	// CallerNumber is the caller's phone number. The API requires it unless the
	// campaign's key allows reservations without one, so it is not checked here;
	// when empty it is not sent.
	CallerNumber string
	// InboundNumber is a static number the caller will dial. When empty, the
	// answer carries a temporary number instead.
	InboundNumber string
	// Tags are set on the reservation (such as "caller_zip": "90210", "age": "42").
	// Each is sent as a top-level string field beside key and publisher_id (or
	// source_id), so a tag may not be named key, publisher_id, source_id,
	// caller_number, inbound_number or status, nor be empty.
	Tags map[string]string
}

// rtbReservedFields are the request fields a tag may not shadow.
var rtbReservedFields = []string{"key", "publisher_id", "source_id", "caller_number", "inbound_number", "status"}

func (p *ReservationParams) validate() error {
	switch {
	case p == nil:
		return invalidArg("reservation params are nil")
	case strings.TrimSpace(p.Key) == "":
		return invalidArg("RTB key is required")
	case (strings.TrimSpace(p.PublisherID) == "") == (strings.TrimSpace(p.SourceID) == ""):
		return invalidArg("exactly one of publisher id and source id is required")
	}
	return checkTagFields("reservation", p.Tags, rtbReservedFields)
}

// body is the request body of valid params: a bare JSON object, the tags
// beside the request's fields.
func (p *ReservationParams) body() map[string]string {
	out := maps.Clone(p.Tags)
	if out == nil {
		out = map[string]string{}
	}
	out["key"] = p.Key
	if strings.TrimSpace(p.PublisherID) != "" {
		out["publisher_id"] = p.PublisherID
	} else {
		out["source_id"] = p.SourceID
	}
	if p.CallerNumber != "" {
		out["caller_number"] = p.CallerNumber
	}
	if p.InboundNumber != "" {
		out["inbound_number"] = p.InboundNumber
	}
	return out
}

// RTBService makes real-time bidding reservations on the RTB host
// ([DefaultRTBBaseURL], set with [WithRTBBaseURL]). Its requests authenticate with
// the campaign's postback key alone: they never carry the api_key or a
// company_id. Publishers who hold only a postback key get one from
// [NewRTBClient]; others use [Client.RTB].
//
// A reservation holds a target for a caller for a while; it counts against caps
// only once confirmed, and a confirmed reservation obliges the publisher to place
// the call.
type RTBService service

const rtbPath = "rtbs"

// NewRTBClient returns the RTB service alone, for publishers who hold only a
// campaign's postback key and no API key. Only RTB requests can be made with it.
// The options are those of [NewClient]; WithRTBBaseURL, WithHTTPClient,
// WithRetryPolicy, WithLogger and the like apply, WithBaseURL and WithCompanyID
// have no effect (RTB requests carry no company_id).
func NewRTBClient(opts ...Option) (*RTBService, error) {
	cfg, err := newConfig(opts, "")
	if err != nil {
		return nil, err
	}
	// No API key: only the RTB service is handed out, and RTB requests never send
	// one.
	return newClient(cfg, 0).RTB, nil
}

// Reserve asks for a reservation (POST rtbs.json). A "no-target" answer is a
// Reservation whose Status is ReservationNoTarget, not an error. A missing Key,
// both or neither of PublisherID and SourceID, or a tag that collides with a
// request field, fails with an error wrapping ErrInvalidArgument before any
// request. An answer that is not a
// reservation (the HTML login page the host serves, with status 200, for a bad
// key) is a [*DecodeError] wrapping ErrUnexpectedResponse. Being a POST, the
// request is retried only when the server refused it (429) or it was never sent.
func (s *RTBService) Reserve(ctx context.Context, p *ReservationParams) (*Reservation, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	return s.send(ctx, http.MethodPost, rtbPath+".json", p.body(), p.Key, "")
}

// Confirm confirms the reservation uuid (PUT rtbs/{uuid}.json with status
// "confirmed"), committing the publisher to place the call. key is the postback
// key the reservation was made with. An empty key or uuid fails with an error
// wrapping ErrInvalidArgument before any request.
func (s *RTBService) Confirm(ctx context.Context, key, uuid string) (*Reservation, error) {
	if strings.TrimSpace(key) == "" {
		return nil, invalidArg("RTB key is required")
	}
	if err := requireID("reservation uuid", uuid); err != nil {
		return nil, err
	}
	body := map[string]string{"key": key, "status": string(ReservationConfirmed)}
	return s.send(ctx, http.MethodPut, pathJoin(rtbPath, uuid), body, key, uuid)
}

// send makes an RTB request, on the RTB host and with no api_key or company_id,
// and decodes the reservation (a bare object). uuid, when known, fills in an
// answer that has a status but omits its uuid. The HTML login page the host
// serves for a bad key, with status 200, is an error.
func (s *RTBService) send(ctx context.Context, method, path string, body map[string]string, key, uuid string) (*Reservation, error) {
	r := &request{method: method, base: s.client.cfg.rtbBaseURL, path: path, query: url.Values{}, body: body, secrets: []string{key}}
	return exchangeBare(ctx, s.client.cfg, r, func(res *Reservation) error {
		if res.UUID == "" && uuid != "" && res.Status != "" {
			res.UUID = uuid
		}
		if res.UUID == "" {
			return errors.New("answer has no reservation uuid")
		}
		return nil
	})
}
