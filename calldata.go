package retreaver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
)

// CallDataWriter tags callers and calls through Retreaver's call data writing
// host ([DefaultCallDataBaseURL], set with [WithCallDataBaseURL]), with a
// postback key that allows data writing. Tags can be written before a call
// comes in, while it is in progress, or after it ended. It is made with
// [NewCallDataWriter] and is safe for concurrent use.
//
// Its requests carry the postback key in a JSON body, never in the URL, and
// never carry an api_key or a company_id. The key is kept where no printer
// reaches it and is redacted from every error and log line.
type CallDataWriter struct {
	cfg *clientConfig // cfg.credential returns the postback key
}

// NewCallDataWriter returns a writer that authenticates with postbackKey, the
// UUID of a postback key. An empty key, or one with white space in it, is an
// error wrapping [ErrInvalidArgument].
//
// The options are those of [NewClient]: WithCallDataBaseURL, WithHTTPClient,
// WithRetryPolicy, WithLogger and the like apply; WithBaseURL and
// WithCompanyID have no effect.
func NewCallDataWriter(postbackKey string, opts ...Option) (*CallDataWriter, error) {
	if err := checkSecret("postback key", postbackKey); err != nil {
		return nil, err
	}
	cfg, err := newConfig(opts, postbackKey)
	if err != nil {
		return nil, err
	}
	return &CallDataWriter{cfg: cfg}, nil
}

// CloseIdleConnections closes the idle connections of the writer's pool. The
// writer stays usable.
func (w *CallDataWriter) CloseIdleConnections() { w.cfg.httpClient.CloseIdleConnections() }

// String describes the writer without its key.
func (w *CallDataWriter) String() string {
	return fmt.Sprintf("retreaver.CallDataWriter{BaseURL: %s}", w.cfg.callDataBaseURL)
}

// GoString is like String, for %#v.
func (w *CallDataWriter) GoString() string { return w.String() }

// CallDataParams names a caller or a call, and the tags to write on it.
type CallDataParams struct {
	// CallerNumber is the caller's phone number: the tags go on that caller's
	// call, or, when none is found, wait for the caller's next call. Exactly
	// one of CallerNumber and CallUUID is required.
	CallerNumber string
	// CallUUID is the UUID of the call to tag, the alternative to CallerNumber.
	CallUUID string
	// Tags are the tags to write, such as "age": "39", "utm_campaign": "auto".
	// At least one is required. Each is sent as a top-level field beside key
	// and the caller or call, so a tag may not be named key, caller_number or
	// call_uuid, nor have an empty name.
	Tags map[string]string
}

// callDataReservedFields are the request fields a tag may not shadow.
var callDataReservedFields = []string{"key", "caller_number", "call_uuid"}

func (p *CallDataParams) validate() error {
	switch {
	case p == nil:
		return invalidArg("call data params are nil")
	case (strings.TrimSpace(p.CallerNumber) == "") == (strings.TrimSpace(p.CallUUID) == ""):
		return invalidArg("exactly one of caller number and call uuid is required")
	case len(p.Tags) == 0:
		return invalidArg("call data needs at least one tag")
	}
	return checkTagFields("call data", p.Tags, callDataReservedFields)
}

// body is the request body of valid params: a bare JSON object, the tags
// beside the key and the caller or call.
func (p *CallDataParams) body(key string) map[string]string {
	out := maps.Clone(p.Tags)
	out["key"] = key
	if strings.TrimSpace(p.CallerNumber) != "" {
		out["caller_number"] = p.CallerNumber
	} else {
		out["call_uuid"] = p.CallUUID
	}
	return out
}

// Statuses of a [CallDataResult] that the API documents. The status of an
// answer for a call in progress is not documented: it is passed on as the API
// sends it.
const (
	// CallDataStatusCallNotFound: no call was found; the tags are stored and
	// will be applied to the next call from the caller number.
	CallDataStatusCallNotFound = "call not found, tags stored"
	// CallDataStatusCompletedCallFound: the call was found, had ended, and the
	// tags are applied to it.
	CallDataStatusCompletedCallFound = "completed call found, tags applied"
)

// CallDataResult is the answer to [CallDataWriter.WriteTags]: the tags written
// and what became of them.
//
// Status says which of three things happened:
//
//   - [CallDataStatusCallNotFound]: no call was found. The tags are stored and
//     are applied when a call from the caller number comes in, so they can be
//     written before the caller dials.
//   - [CallDataStatusCompletedCallFound]: the call was found and had ended;
//     the tags are applied to it.
//   - A call in progress was found (the reference does not document this
//     status's text): the tags are stored but may not be applied at once.
//     They are applied the next time a routing decision needs them or, if none
//     comes, when the call ends. Tags written during a call may therefore not
//     show in the web interface or the API until the call has ended, and tags
//     written after the call was routed are applied but cannot change where it
//     went.
type CallDataResult struct {
	// TagValues are the tags written, as the API stores them.
	TagValues map[string]string
	// CallUUID is the call's UUID when the answer carries it, as it does when
	// the request named the call; "" otherwise.
	CallUUID string
	// CallerNumber is the caller's number when the answer carries it, as it
	// does when the request named the caller; "" otherwise.
	CallerNumber string
	// Status says what became of the tags: see [CallDataResult].
	Status string
}

// UnmarshalJSON reads a call data answer, tolerating tag values sent as
// numbers.
func (r *CallDataResult) UnmarshalJSON(b []byte) error {
	var v struct {
		TagValues    map[string]looseText `json:"tag_values"`
		CallUUID     string               `json:"call_uuid"`
		CallerNumber string               `json:"caller_number"`
		Status       string               `json:"status"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = CallDataResult{CallUUID: v.CallUUID, CallerNumber: v.CallerNumber, Status: v.Status}
	if v.TagValues != nil {
		r.TagValues = make(map[string]string, len(v.TagValues))
		for k, t := range v.TagValues {
			r.TagValues[k] = string(t)
		}
	}
	return nil
}

// WriteTags writes tags on a caller or a call (POST data_writing on the call
// data host, with the JSON body {"key", "caller_number" or "call_uuid",
// <tag>: <value>...}). See [CallDataResult] for what the answer's Status
// means: in short, tags for a caller with no call yet wait for the caller's
// next call, tags for an ended call are applied, and tags for a call in
// progress are applied later, so they may not show until the call ends.
//
// Params that are nil, name neither or both of CallerNumber and CallUUID,
// hold no tag, or hold a tag named key, caller_number or call_uuid (or with
// an empty name) fail with an error wrapping [ErrInvalidArgument] before any
// request. An answer other than 2xx is an [*APIError]; an answer without a
// status is a [*DecodeError]. Being a POST, the request is retried only when
// the server refused it (429) or it was never sent.
func (w *CallDataWriter) WriteTags(ctx context.Context, p *CallDataParams) (*CallDataResult, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	r := &request{method: http.MethodPost, base: w.cfg.callDataBaseURL, path: "data_writing", query: url.Values{}, body: p.body(w.cfg.credential())}
	return exchangeBare(ctx, w.cfg, r, func(res *CallDataResult) error {
		if res.Status == "" {
			return errors.New("answer has no status")
		}
		return nil
	})
}
