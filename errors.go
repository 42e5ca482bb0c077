package retreaver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
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
		for _, form := range credentialForms(s) {
			if form != "" && !containsString(r.secrets, form) {
				r.secrets = append(r.secrets, form)
			}
		}
	}
	// Longest first, so that an escaped form is replaced before a shorter raw form
	// that it contains.
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// credentialForms lists the ways a server or a library may quote s: raw, query-
// and path-escaped, HTML-escaped (as Go and as Rails write it), JSON-escaped (with
// and without HTML-safe escapes, and with "/" as "\/"), and each of those quoted
// as Go's %q and %+q write it.
func credentialForms(s string) []string {
	var buf bytes.Buffer
	jsonInner := func(escapeHTML bool) string {
		buf.Reset()
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(escapeHTML)
		_ = enc.Encode(s)
		q := strings.TrimSpace(buf.String())
		return q[1 : len(q)-1]
	}
	plainJSON := jsonInner(false)
	base := []string{
		s, url.QueryEscape(s), url.PathEscape(s),
		html.EscapeString(s), railsHTMLEscaper.Replace(s),
		jsonInner(true), plainJSON, strings.ReplaceAll(plainJSON, "/", `\/`),
	}
	forms := base
	for _, f := range base {
		for _, q := range []string{strconv.Quote(f), strconv.QuoteToASCII(f)} {
			forms = append(forms, q[1:len(q)-1])
		}
	}
	return forms
}

var railsHTMLEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

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

// String removes every secret from s. Replacing a secret can form another
// occurrence from the text around it when the secret holds the marker
// ("xxREDACTEDyy" in "xxxxREDACTEDyyyy"), so replacing goes on until none is left;
// text that keeps forming one is withheld whole.
func (r *redactor) String(s string) string {
	if r == nil {
		return s
	}
	for round := 0; round < redactRounds; round++ {
		changed := false
		for _, sec := range r.secrets {
			if strings.Contains(s, sec) {
				s = strings.ReplaceAll(s, sec, redacted)
				changed = true
			}
		}
		if !changed {
			return s
		}
	}
	for _, sec := range r.secrets {
		if strings.Contains(s, sec) {
			return withheld
		}
	}
	return s
}

// Bytes removes every secret from b, as String does, returning b itself when
// there is none.
func (r *redactor) Bytes(b []byte) []byte {
	if r == nil {
		return b
	}
	for round := 0; round < redactRounds; round++ {
		changed := false
		for _, sec := range r.secrets {
			if bytes.Contains(b, []byte(sec)) {
				b = bytes.ReplaceAll(b, []byte(sec), []byte(redacted))
				changed = true
			}
		}
		if !changed {
			return b
		}
	}
	for _, sec := range r.secrets {
		if bytes.Contains(b, []byte(sec)) {
			return []byte(withheld)
		}
	}
	return b
}

const (
	redactRounds = 4
	withheld     = "(withheld: holds a credential)"
)

// trimPartial drops the end of b when it is the start of a secret: for a body
// cut at a size bound in the middle of a secret.
func (r *redactor) trimPartial(b []byte) []byte {
	cut := 0
	for _, sec := range r.secrets {
		for k := min(len(sec)-1, len(b)); k > cut; k-- {
			if bytes.HasSuffix(b, []byte(sec[:k])) {
				cut = k
				break
			}
		}
	}
	return b[:len(b)-cut]
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

// redactedError wraps the error of a *url.Error whose text holds no credential:
// Unwrap keeps errors.Is and errors.As working, and Timeout and Temporary look
// through the whole chain. An error whose chain quotes a credential becomes an
// [opaqueError] instead.
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
// An error whose chain quotes a credential is replaced by an [opaqueError].
func (r *redactor) redactErr(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		inner := ue.Err
		if inner != nil {
			if r.leaks(inner) {
				inner = newOpaqueError(r.String(inner.Error()), inner)
			} else {
				inner = &redactedError{msg: inner.Error(), err: inner}
			}
		}
		return &url.Error{Op: r.String(ue.Op), URL: r.URLString(ue.URL), Err: inner}
	}
	if r.leaks(err) {
		return newOpaqueError(r.String(err.Error()), err)
	}
	return err
}

// leaks reports whether the text of err, or of any error it wraps, quotes a
// credential.
func (r *redactor) leaks(err error) bool {
	for depth := 0; err != nil && depth < 32; depth++ {
		for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err)} {
			if r.String(text) != text {
				return true
			}
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if r.leaks(e) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

// keptSentinels are the errors an opaqueError still matches with errors.Is when
// the error it replaces did: what callers and the retry logic test for.
var keptSentinels = []error{
	context.Canceled, context.DeadlineExceeded, os.ErrDeadlineExceeded,
	io.EOF, io.ErrUnexpectedEOF, net.ErrClosed,
	syscall.ECONNRESET, syscall.ECONNREFUSED, syscall.ECONNABORTED, syscall.EPIPE,
	errRedirectRefused, ErrResponseTooLarge, ErrInvalidArgument,
}

// opaqueError replaces an error whose chain quotes a credential. It keeps the
// redacted text, whether it was a timeout or temporary, and the [keptSentinels]
// it matched, but not the error itself, which would give the credential away to
// anyone who unwraps it.
type opaqueError struct {
	msg                string
	timeout, temporary bool
	is                 []error
}

func newOpaqueError(msg string, err error) *opaqueError {
	e := &opaqueError{msg: msg}
	var t interface{ Timeout() bool }
	e.timeout = errors.As(err, &t) && t.Timeout()
	var tmp interface{ Temporary() bool }
	e.temporary = errors.As(err, &tmp) && tmp.Temporary()
	for _, s := range keptSentinels {
		if errors.Is(err, s) {
			e.is = append(e.is, s)
		}
	}
	return e
}

func (e *opaqueError) Error() string   { return e.msg }
func (e *opaqueError) Timeout() bool   { return e.timeout }
func (e *opaqueError) Temporary() bool { return e.temporary }

// Is reports whether the replaced error matched target, one of keptSentinels.
func (e *opaqueError) Is(target error) bool {
	for _, s := range e.is {
		if s == target {
			return true
		}
	}
	return false
}

// decodeErr prepares a decoding error for a DecodeError. When the body quoted a
// credential, the decoding error may quote it too, in part or escaped in ways no
// redaction can foresee (a timestamp or amount parser quoting the value), so only
// its type is kept.
func (r *redactor) decodeErr(err error, bodyQuotesSecret bool) error {
	if err == nil {
		return nil
	}
	if bodyQuotesSecret {
		return &opaqueError{msg: fmt.Sprintf("%T (details withheld: the answer quotes a credential)", err)}
	}
	return r.redactErr(err)
}
