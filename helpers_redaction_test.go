package retreaver

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// The redaction assertions of the unit tests: random keys drawn from alphabets
// that include the characters a query string or an HTML page escapes, the
// forms a server may echo a secret in, and checks that no text, no error of a
// chain and no field of the SDK's error types holds any of them; a debug
// logger to check the log lines with; and the echoing bodies and the host no
// request may reach that the redaction tests of several resources share.

// keyAlphabets are the alphabets random keys are drawn from. NewClient refuses
// white space and control characters; everything else is fair game.
var keyAlphabets = []struct{ name, chars string }{
	{"hex", "0123456789abcdef"},
	{"base64", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="},
	{"url-special", "abcXYZ019+/=%&?#;:@!$'()*,[]~.-_"},
	{"html-special", `abcXYZ019<>&"'+=/%`},
	{"unicode", "aé漢字ßΩ€1+/=%&"},
}

// randomKey draws a key of n runes from chars with crypto/rand. It always holds
// at least one character that needs escaping when the alphabet has any, so that
// the escaped forms differ from the raw one.
func randomKey(t testing.TB, chars string, n int) string {
	t.Helper()
	runes := []rune(chars)
	var b strings.Builder
	for i := 0; i < n; i++ {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(len(runes))))
		require.NoError(t, err)
		b.WriteRune(runes[j.Int64()])
	}
	key := b.String()
	for _, r := range runes {
		if s := string(r); url.QueryEscape(s) != s {
			key = s + key
			break
		}
	}
	return key
}

// keyN returns the i-th random key, cycling through the alphabets, 20 to 64
// runes long.
func keyN(t testing.TB, i int) string {
	a := keyAlphabets[i%len(keyAlphabets)]
	return randomKey(t, a.chars, 20+(i*7)%45)
}

// secretForms lists the ways a server may echo s: raw, query- and path-escaped,
// HTML-escaped, JSON-escaped (with and without Go's HTML-safe escapes, and with
// "/" written "\/", as some JSON encoders do).
func secretForms(s string) []string {
	if forms, ok := secretFormsCache.Load(s); ok {
		return forms.([]string)
	}
	forms := computeSecretForms(s)
	secretFormsCache.Store(s, forms)
	return forms
}

var secretFormsCache sync.Map // string -> []string

func computeSecretForms(s string) []string {
	forms := []string{s, url.QueryEscape(s), url.PathEscape(s), html.EscapeString(s)}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	_ = enc.Encode(s)
	forms = append(forms, strings.TrimSuffix(strings.TrimSpace(buf.String()), `"`)[1:])
	buf.Reset()
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	plain := strings.TrimSuffix(strings.TrimSpace(buf.String()), `"`)[1:]
	forms = append(forms, plain, strings.ReplaceAll(plain, "/", `\/`))
	return append(forms, otherSpellings(s)...)
}

// otherSpellings are spellings of s that no escaping function of Go produces,
// but servers and proxies do: every byte percent-encoded, in upper and lower
// case; url.QueryEscape in lower case; every character as a JSON \u escape
// and as a decimal and a hexadecimal HTML character reference; and an
// escape of an escape.
func otherSpellings(s string) []string {
	var pctUpper, pctLower, jsonU, entDec, entHex strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&pctUpper, "%%%02X", s[i])
		fmt.Fprintf(&pctLower, "%%%02x", s[i])
	}
	for _, r := range s {
		if r < 0x10000 {
			fmt.Fprintf(&jsonU, `\u%04x`, r)
		} else {
			jsonU.WriteRune(r)
		}
		fmt.Fprintf(&entDec, "&#%d;", r)
		fmt.Fprintf(&entHex, "&#x%X;", r)
	}
	lowerQuery := regexpPercent.ReplaceAllStringFunc(url.QueryEscape(s), strings.ToLower)
	return []string{pctUpper.String(), pctLower.String(), lowerQuery, jsonU.String(), entDec.String(), entHex.String(),
		url.QueryEscape(pctUpper.String()), html.EscapeString(jsonU.String())}
}

var regexpPercent = regexp.MustCompile(`%[0-9A-F]{2}`)

// requireTextFree fails if text holds any form of any secret.
func requireTextFree(t testing.TB, what, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, form := range secretForms(s) {
			if strings.Contains(text, form) {
				t.Fatalf("%s leaks a secret (as %q):\n%s", what, form, text)
			}
		}
	}
}

// errorTree returns err and every error it wraps, following both Unwrap() error
// and Unwrap() []error.
func errorTree(err error) []error {
	var out []error
	var walk func(e error, depth int)
	walk = func(e error, depth int) {
		if e == nil || depth > 32 {
			return
		}
		out = append(out, e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap(), depth+1)
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x, depth+1)
			}
		}
	}
	walk(err, 0)
	return out
}

// requireErrorFree fails if any rendering of err, of any error in its chain, or
// of the fields of the SDK's error types holds a secret.
func requireErrorFree(t testing.TB, err error, secrets ...string) {
	t.Helper()
	require.Error(t, err)
	for i, e := range errorTree(err) {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			requireTextFree(t, fmt.Sprintf("error %d of the chain (%T) printed with %s", i, e, verb), fmt.Sprintf(verb, e), secrets...)
		}
		requireTextFree(t, fmt.Sprintf("error %d of the chain (%T).Error()", i, e), e.Error(), secrets...)
		switch v := e.(type) {
		case *APIError:
			requireTextFree(t, "APIError.URL", v.URL, secrets...)
			requireTextFree(t, "APIError.Message", v.Message, secrets...)
			requireTextFree(t, "APIError.Body", string(v.Body), secrets...)
			requireTextFree(t, "APIError.Method", v.Method, secrets...)
			requireTextFree(t, "APIError.Hint", v.Hint, secrets...)
			requireTextFree(t, "APIError.Fields", fmt.Sprint(v.Fields), secrets...)
		case *DecodeError:
			requireTextFree(t, "DecodeError.URL", v.URL, secrets...)
			requireTextFree(t, "DecodeError.Snippet", v.Snippet, secrets...)
			requireTextFree(t, "DecodeError.ContentType", v.ContentType, secrets...)
		case *url.Error:
			requireTextFree(t, "url.Error.URL", v.URL, secrets...)
			requireTextFree(t, "url.Error.Op", v.Op, secrets...)
		}
	}
}

// RequireErrorFree is requireErrorFree for the end-to-end tests, which are in
// package retreaver_test: there is one redaction check for both.
var RequireErrorFree = requireErrorFree

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// debugLogger logs at Debug level as text and as JSON into one buffer.
func debugLogger() (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	return slog.New(multiHandler{slog.NewTextHandler(buf, opts), slog.NewJSONHandler(buf, opts)}), buf
}

type multiHandler []slog.Handler

func (m multiHandler) Enabled(ctx context.Context, l slog.Level) bool { return m[0].Enabled(ctx, l) }
func (m multiHandler) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range m {
		if err := h.Handle(ctx, r.Clone()); err != nil {
			return err
		}
	}
	return nil
}
func (m multiHandler) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(multiHandler, len(m))
	for i, h := range m {
		out[i] = h.WithAttrs(as)
	}
	return out
}
func (m multiHandler) WithGroup(name string) slog.Handler {
	out := make(multiHandler, len(m))
	for i, h := range m {
		out[i] = h.WithGroup(name)
	}
	return out
}

// echoBody writes a body that repeats secret in variant v's way: 0 raw JSON text,
// 1 JSON from an encoder (escaped), 2 an HTML page (raw, HTML-escaped, in a link),
// 3 plain text (path- and query-escaped).
func echoBody(w http.ResponseWriter, r *http.Request, status, v int, secret string) {
	full := "http://" + r.Host + r.URL.RequestURI()
	switch v {
	case 0:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error":"invalid key %s for %s"}`, secret, full)
	case 1:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"errors": map[string]any{"api_key": []string{secret + " is not valid"}, "url": []string{full}},
		})
	case 2:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<!DOCTYPE html><html><head><title>%d</title></head><body><h1>Error for %s</h1>`+
			`<p>%s</p><a href="%s">retry</a><!-- %s --></body></html>`,
			status, secret, html.EscapeString(secret), html.EscapeString(full), url.QueryEscape(secret))
	default:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(status)
		fmt.Fprintf(w, "denied: %s %s %s", url.PathEscape(secret), r.URL.RawQuery, secret)
	}
}

// noOtherHost is a host no request may reach: it fails the test when one does
// (a redirect to another host was followed).
func noOtherHost(t *testing.T) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a request followed a redirect to another host: %s %s", r.Method, r.URL)
	}))
}

// TestErrorTreeSeesJoinedErrors keeps requireErrorFree honest: it must look into
// every branch of a joined error.
func TestErrorTreeSeesJoinedErrors(t *testing.T) {
	inner := errors.New("deep secret-value")
	err := fmt.Errorf("outer: %w", errors.Join(errors.New("a"), fmt.Errorf("b: %w", inner)))
	found := false
	for _, e := range errorTree(err) {
		if e == inner {
			found = true
		}
	}
	require.True(t, found)
	ft := &fakeT{}
	func() {
		defer func() { _ = recover() }()
		requireErrorFree(ft, &redactedError{msg: "clean", err: inner}, "secret-value")
	}()
	require.True(t, ft.failed, "a secret held deep in the chain is found")
}

// fakeT records a failure instead of failing the test.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed = true
	panic("fatal")
}
func (f *fakeT) Errorf(format string, args ...any) { f.failed = true }
func (f *fakeT) FailNow()                          { f.failed = true; panic("fatal") }
