package retreaver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
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
	// Fields holds the per-field messages of a validation failure (422), from
	// {"errors": {"field": ["message", ...]}}; nil when the body has none.
	Fields map[string][]string
	// Attempts is the number of times the request was sent, this answer's
	// included.
	Attempts int
	// Hint says what the SDK knows of the cause beyond the server's message: for
	// a 403, which company access or which permission the credential lacks.
	Hint string
}

// Error implements error. It never contains a credential.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("retreaver: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.URL)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteByte(')')
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
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

// requireID checks a string path identifier before any request is made. "." and
// ".." are refused: as path segments, a proxy or server may normalize them away
// and reach another object.
func requireID(name, v string) error {
	switch strings.TrimSpace(v) {
	case "":
		return invalidArg("%s is empty", name)
	case ".", "..":
		return invalidArg("%s %q is not a valid path segment", name, v)
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

// fieldErrors reads {"errors": {"field": ["message", ...]}} (a message may also
// be a single string); nil when the body has no such object.
func fieldErrors(body []byte) map[string][]string {
	var v struct {
		Errors map[string]json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &v) != nil || len(v.Errors) == 0 {
		return nil
	}
	out := make(map[string][]string, len(v.Errors))
	for field, raw := range v.Errors {
		var list []string
		if json.Unmarshal(raw, &list) != nil {
			var one string
			if json.Unmarshal(raw, &one) != nil {
				continue
			}
			list = []string{one}
		}
		out[field] = list
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// flattenMessage turns a JSON string, array or object of messages into one line.
func flattenMessage(raw json.RawMessage) string { return flattenMessageAt(raw, 0) }

// maxMessageDepth bounds how deep flattenMessage looks into nested arrays and
// objects. Each level parses again what lies below it, so without a bound a
// hostile 64 KiB error body nested thousands deep costs seconds of CPU.
const maxMessageDepth = 8

func flattenMessageAt(raw json.RawMessage, depth int) string {
	if len(raw) == 0 {
		return ""
	}
	if c := bytes.TrimLeft(raw, " \t\r\n"); depth >= maxMessageDepth && len(c) > 0 && (c[0] == '[' || c[0] == '{') {
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
			if m := flattenMessageAt(item, depth+1); m != "" {
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
			if m := flattenMessageAt(obj[k], depth+1); m != "" {
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
