package retreaver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors. An [*APIError] matches the sentinel of its status code with
// errors.Is, so callers can write errors.Is(err, retreaver.ErrNotFound).
var (
	// ErrBadRequest matches a 400 answer: the request could not be understood.
	ErrBadRequest = errors.New("retreaver: bad request")
	// ErrUnauthorized matches a 401 answer: the API key is wrong or missing.
	ErrUnauthorized = errors.New("retreaver: unauthorized")
	// ErrForbidden matches a 403 answer: company_id is missing or the key cannot reach it.
	ErrForbidden = errors.New("retreaver: forbidden")
	// ErrNotFound matches a 404 answer: no such object.
	ErrNotFound = errors.New("retreaver: not found")
	// ErrGone matches a 410 answer: the object was deleted.
	ErrGone = errors.New("retreaver: gone")
	// ErrUnprocessable matches a 422 answer: validation failed; see APIError.Message.
	ErrUnprocessable = errors.New("retreaver: unprocessable entity")
	// ErrRateLimited matches a 429 answer: too many requests.
	ErrRateLimited = errors.New("retreaver: rate limited")
	// ErrServer matches any 5xx answer.
	ErrServer = errors.New("retreaver: server error")
	// ErrInvalidArgument is wrapped by every error returned before a request is sent
	// because the input is knowably wrong (an empty id, a missing required field, a
	// value out of range).
	ErrInvalidArgument = errors.New("retreaver: invalid argument")
	// ErrUnexpectedResponse is wrapped by a [*DecodeError]: a 2xx answer whose body is
	// not the JSON the API documents (an HTML page, truncated JSON, a wrong shape).
	ErrUnexpectedResponse = errors.New("retreaver: unexpected response")
	// ErrResponseTooLarge is returned when a response body exceeds the limit set by
	// [WithMaxResponseBytes].
	ErrResponseTooLarge = errors.New("retreaver: response body too large")
	// ErrPagination is returned by iterators when the server's Link header does not
	// advance (a next page that is the current one or an earlier one).
	ErrPagination = errors.New("retreaver: pagination does not advance")
)

// maxErrorBody bounds how much of an error response is read and kept.
const maxErrorBody = 64 << 10

// APIError is the error returned for any answer outside 2xx.
type APIError struct {
	StatusCode int           // HTTP status code
	Method     string        // HTTP method of the request
	URL        string        // request URL, credentials redacted
	Message    string        // from {"error": ...} / {"errors": ...}, else the start of the body
	Body       []byte        // raw body (credentials redacted), at most 64 KiB
	RetryAfter time.Duration // from Retry-After on 429 and 503 answers; 0 when absent
}

// Error implements error. It never contains the API key.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("retreaver: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.URL)
	b.WriteString(": ")
	b.WriteString(fmt.Sprint(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// Is reports whether target is the sentinel error of e's status code.
func (e *APIError) Is(target error) bool {
	s := statusSentinel(e.StatusCode)
	return s != nil && s == target
}

func statusSentinel(code int) error {
	switch {
	case code == http.StatusBadRequest:
		return ErrBadRequest
	case code == http.StatusUnauthorized:
		return ErrUnauthorized
	case code == http.StatusForbidden:
		return ErrForbidden
	case code == http.StatusNotFound:
		return ErrNotFound
	case code == http.StatusGone:
		return ErrGone
	case code == http.StatusUnprocessableEntity:
		return ErrUnprocessable
	case code == http.StatusTooManyRequests:
		return ErrRateLimited
	case code >= 500 && code <= 599:
		return ErrServer
	}
	return nil
}

// DecodeError is returned when a 2xx answer cannot be decoded as the documented JSON.
// It wraps [ErrUnexpectedResponse] and the underlying decoding error.
type DecodeError struct {
	StatusCode  int    // HTTP status code (2xx)
	Method      string // HTTP method of the request
	URL         string // request URL, credentials redacted
	ContentType string // the Content-Type the server sent
	Snippet     string // the start of the body, credentials redacted
	Err         error  // the decoding error
}

// Error implements error. It never contains the API key.
func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("retreaver: %s %s: %d answer is not the expected JSON", e.Method, e.URL, e.StatusCode)
	if e.ContentType != "" {
		msg += " (Content-Type " + e.ContentType + ")"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns ErrUnexpectedResponse and the decoding error.
func (e *DecodeError) Unwrap() []error { return []error{ErrUnexpectedResponse, e.Err} }

// invalidArg returns an error wrapping ErrInvalidArgument.
func invalidArg(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidArgument, fmt.Sprintf(format, args...))
}

// requireID checks a string path identifier before any request is made.
func requireID(name, v string) error {
	if strings.TrimSpace(v) == "" {
		return invalidArg("%s is empty", name)
	}
	return nil
}

// requireIntID checks a numeric path identifier before any request is made.
func requireIntID(name string, v int64) error {
	if v <= 0 {
		return invalidArg("%s must be positive, got %d", name, v)
	}
	return nil
}

// errorMessage extracts a human-readable message from an error body:
// {"error": "..."}, {"errors": {"field": ["msg"]}}, {"errors": ["msg"]}, or the start
// of any other body (an HTML error page) with markup stripped.
func errorMessage(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	if body[0] == '{' {
		var v struct {
			Error   json.RawMessage `json:"error"`
			Errors  json.RawMessage `json:"errors"`
			Message json.RawMessage `json:"message"`
		}
		if json.Unmarshal(body, &v) == nil {
			for _, raw := range []json.RawMessage{v.Error, v.Errors, v.Message} {
				if m := flattenMessage(raw); m != "" {
					return truncateText(m, 500)
				}
			}
		}
	}
	if body[0] == '[' {
		if m := flattenMessage(body); m != "" {
			return truncateText(m, 500)
		}
	}
	return truncateText(stripMarkup(string(body)), 200)
}

// flattenMessage turns a JSON string, array or object of messages into one line.
func flattenMessage(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		parts := make([]string, 0, len(list))
		for _, item := range list {
			if m := flattenMessage(item); m != "" {
				parts = append(parts, m)
			}
		}
		return strings.Join(parts, "; ")
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			if m := flattenMessage(obj[k]); m != "" {
				parts = append(parts, k+" "+m)
			}
		}
		return strings.Join(parts, "; ")
	}
	var other any
	if json.Unmarshal(raw, &other) == nil && other != nil {
		return fmt.Sprint(other)
	}
	return ""
}

// stripMarkup removes HTML tags and folds white space, for messages taken from
// non-JSON error pages.
func stripMarkup(s string) string {
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
			b.WriteByte(' ')
		case r == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// truncateText shortens s to at most n bytes without splitting a UTF-8 sequence.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// redactor removes credentials from URLs and text.
type redactor struct {
	secrets []string // the raw secrets and their URL-escaped forms
}

const redacted = "REDACTED"

// credentialParams are query parameters that carry credentials.
var credentialParams = []string{"api_key", "key"}

func newRedactor(secrets ...string) *redactor {
	r := &redactor{}
	r.add(secrets...)
	return r
}

func (r *redactor) add(secrets ...string) {
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
			if !containsString(r.secrets, form) {
				r.secrets = append(r.secrets, form)
			}
		}
	}
	// Longest first, so that an escaped form is replaced before a shorter raw form
	// that it contains.
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// with returns a redactor that also removes the given secrets.
func (r *redactor) with(secrets ...string) *redactor {
	if len(secrets) == 0 {
		return r
	}
	n := &redactor{secrets: append([]string(nil), r.secrets...)}
	n.add(secrets...)
	return n
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// String removes every secret from s.
func (r *redactor) String(s string) string {
	if r == nil {
		return s
	}
	for _, sec := range r.secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	return s
}

// Bytes removes every secret from b, returning b itself when there is none.
func (r *redactor) Bytes(b []byte) []byte {
	if r == nil {
		return b
	}
	for _, sec := range r.secrets {
		if bytes.Contains(b, []byte(sec)) {
			b = bytes.ReplaceAll(b, []byte(sec), []byte(redacted))
		}
	}
	return b
}

// URL returns u as a string with credential parameters and secrets redacted.
func (r *redactor) URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		q := c.Query()
		changed := false
		for _, p := range credentialParams {
			if _, ok := q[p]; ok {
				q.Set(p, redacted)
				changed = true
			}
		}
		if changed {
			c.RawQuery = q.Encode()
		}
	}
	return r.String(c.String())
}

// URLString redacts a URL given as text; text that does not parse is redacted as a
// plain string.
func (r *redactor) URLString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return r.String(s)
	}
	return r.URL(u)
}

// redactedError wraps an error whose text may contain credentials: Error returns
// the redacted text while Unwrap keeps errors.Is and errors.As working.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Timeout reports whether the wrapped error is a timeout.
func (e *redactedError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.err, &t) && t.Timeout()
}

// Temporary reports whether the wrapped error is temporary.
func (e *redactedError) Temporary() bool {
	var t interface{ Temporary() bool }
	return errors.As(e.err, &t) && t.Temporary()
}

// redactErr returns err with every credential removed from its text. A *url.Error
// keeps its type with its URL redacted, so callers can still use errors.As on it.
func (r *redactor) redactErr(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		inner := ue.Err
		if inner != nil {
			inner = &redactedError{msg: r.String(inner.Error()), err: inner}
		}
		return &url.Error{Op: ue.Op, URL: r.URLString(ue.URL), Err: inner}
	}
	msg := err.Error()
	if clean := r.String(msg); clean != msg {
		return &redactedError{msg: clean, err: err}
	}
	return err
}
