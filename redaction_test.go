package retreaver

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Redaction as a property: for many random keys, drawn from alphabets that include
// the characters a query string or an HTML page escapes, no error, no part of an
// error's chain and no debug log line carries the api_key or an RTB postback key,
// in any of the forms a server may echo it in.

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

// errorStatuses are the statuses 400 to 503 that have a name, and 499, which has none.
func errorStatuses() []int {
	var out []int
	for code := 400; code <= 503; code++ {
		if http.StatusText(code) != "" || code == 499 {
			out = append(out, code)
		}
	}
	return out
}

// echoAPI answers /companies/{status*10+variant}.json with that status and an
// echo of the request's api_key.
func echoAPI() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/companies/"), ".json"))
		echoBody(w, r, id/10, id%10, r.URL.Query().Get("api_key"))
	}))
}

func TestRedactionEveryErrorStatusAndBodyShape(t *testing.T) {
	srv := echoAPI()
	defer srv.Close()
	n := 0
	for _, code := range errorStatuses() {
		for v := 0; v < 4; v++ {
			key := keyN(t, n)
			n++
			logger, logs := debugLogger()
			c, err := NewClient(key, WithBaseURL(srv.URL), WithCompanyID(3), WithRetryPolicy(NoRetries), WithLogger(logger))
			require.NoError(t, err)
			_, err = c.Companies.Get(context.Background(), int64(code*10+v))
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr, "status %d variant %d", code, v)
			require.Equal(t, code, apiErr.StatusCode)
			require.NotEmpty(t, apiErr.Body, "the echoing body is kept, redacted")
			requireErrorFree(t, err, key)
			require.Contains(t, logs.String(), "status="+strconv.Itoa(code))
			requireTextFree(t, "debug log", logs.String(), key)
		}
	}
	require.Equal(t, 4*len(errorStatuses()), n, "keys tried")
	require.Greater(t, n, 130)
}

func TestRedactionRetriesExhaustedAndTheirLogs(t *testing.T) {
	srv := echoAPI()
	defer srv.Close()
	for i, code := range []int{429, 500, 502, 503, 504} {
		for v := 0; v < 4; v++ {
			key := keyN(t, i*4+v)
			logger, logs := debugLogger()
			c, err := NewClient(key, WithBaseURL(srv.URL), WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond}), WithLogger(logger))
			require.NoError(t, err)
			_, err = c.Companies.Get(context.Background(), int64(code*10+v))
			require.ErrorIs(t, err, statusSentinel(code))
			requireErrorFree(t, err, key)
			require.Equal(t, 2, strings.Count(logs.String(), "retreaver retry")/2, "two retries, logged by both handlers")
			requireTextFree(t, "debug log", logs.String(), key)
		}
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRedactionTransportFailures(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hang.Close()
	halfBody := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		io.WriteString(w, `{"company":{"name":"`+r.URL.Query().Get("api_key"))
		panic(http.ErrAbortHandler)
	}))
	defer halfBody.Close()
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the other host was reached: %s", r.URL)
	}))
	defer evil.Close()
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Query().Get("api_key")
		switch r.URL.Path {
		case "/companies/1.json": // the key in the query of another host
			http.Redirect(w, r, evil.URL+"/steal?"+r.URL.RawQuery, http.StatusFound)
		case "/companies/2.json": // the key in a path segment of another host
			http.Redirect(w, r, evil.URL+"/steal/"+url.PathEscape(key)+"/x", http.StatusTemporaryRedirect)
		default: // a Location that does not parse, holding the key
			w.Header().Set("Location", "http://[::1/%zz"+key)
			w.WriteHeader(http.StatusFound)
		}
	}))
	defer redirect.Close()

	cases := []struct {
		name string
		base string
		id   int64
		opts func(key string) []Option
		ctx  func() (context.Context, context.CancelFunc)
	}{
		{name: "closed port", base: closedURL, id: 1},
		{name: "client timeout", base: hang.URL, id: 1, opts: func(string) []Option {
			return []Option{WithHTTPClient(&http.Client{Timeout: 20 * time.Millisecond})}
		}},
		{name: "context deadline", base: hang.URL, id: 1, ctx: func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 20*time.Millisecond)
		}},
		{name: "body cut short", base: halfBody.URL, id: 1},
		{name: "redirect to another host, key in the query", base: redirect.URL, id: 1},
		{name: "redirect to another host, key in the path", base: redirect.URL, id: 2},
		{name: "unparseable Location holding the key", base: redirect.URL, id: 3},
		{name: "transport whose error quotes the URL", base: "https://api.test/", id: 1, opts: func(string) []Option {
			return []Option{WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				return nil, fmt.Errorf("proxy refused %s (key %s)", r.URL, r.URL.Query().Get("api_key"))
			})})}
		}},
		{name: "transport whose error wraps a timeout quoting the URL", base: "https://api.test/", id: 1, opts: func(string) []Option {
			return []Option{WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				return nil, fmt.Errorf("proxy gave up on %s: %w", r.URL, context.DeadlineExceeded)
			})})}
		}},
	}
	for i, tc := range cases {
		for j := 0; j < len(keyAlphabets); j++ {
			key := keyN(t, i*len(keyAlphabets)+j)
			t.Run(fmt.Sprintf("%s/%s", tc.name, keyAlphabets[(i*len(keyAlphabets)+j)%len(keyAlphabets)].name), func(t *testing.T) {
				logger, logs := debugLogger()
				opts := []Option{WithBaseURL(tc.base), WithCompanyID(3), WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond}), WithLogger(logger)}
				if tc.opts != nil {
					opts = append(opts, tc.opts(key)...)
				}
				c, err := NewClient(key, opts...)
				require.NoError(t, err)
				ctx, cancel := context.Background(), context.CancelFunc(func() {})
				if tc.ctx != nil {
					ctx, cancel = tc.ctx()
				}
				defer cancel()
				_, err = c.Companies.Get(ctx, tc.id)
				requireErrorFree(t, err, key)
				require.NotEmpty(t, logs.String())
				requireTextFree(t, "debug log", logs.String(), key)
			})
		}
	}
}

func TestRedactedTransportErrorsKeepTheirKind(t *testing.T) {
	// A transport error that quotes the URL loses its chain (which would give the
	// key away) but keeps what callers and the retry logic ask of it.
	cases := []struct {
		name     string
		wrapped  error
		post     bool
		attempts int
		timeout  bool
	}{
		{"GET, deadline", context.DeadlineExceeded, false, 3, true},
		{"GET, reset", syscall.ECONNRESET, false, 3, false},
		{"POST, refused: nothing was sent", syscall.ECONNREFUSED, true, 3, false},
		{"POST, reset: maybe acted on", syscall.ECONNRESET, true, 1, false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			key := keyN(t, i)
			calls := 0
			c, err := NewClient(key, WithBaseURL("https://api.test/"),
				WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond}),
				WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
					calls++
					return nil, fmt.Errorf("proxy gave up on %s: %w", r.URL, tc.wrapped)
				})}))
			require.NoError(t, err)
			if tc.post {
				_, err = c.Companies.Create(context.Background(), &CompanyParams{Name: Ptr("x")})
			} else {
				_, err = c.Companies.Get(context.Background(), 1)
			}
			requireErrorFree(t, err, key)
			require.Equal(t, tc.attempts, calls, "attempts")
			require.ErrorIs(t, err, tc.wrapped, "the redacted error still matches its cause")
			var ue *url.Error
			require.ErrorAs(t, err, &ue)
			require.Equal(t, tc.timeout, ue.Timeout())
			require.Contains(t, err.Error(), "proxy gave up on https://api.test/companies", "the text is kept, redacted")
			require.Contains(t, err.Error(), "api_key=REDACTED")
		})
	}
}

func TestRedactionDecodeErrors(t *testing.T) {
	// 200 answers that are not the JSON expected and quote the key: an HTML page,
	// and JSON whose timestamp, money and number fields hold it (the decoding
	// error then quotes the value).
	bodies := map[string]func(key string) (ctype, body string){
		"HTML page": func(key string) (string, string) {
			return "text/html", "<html><body>Please log in, " + html.EscapeString(key) + " " + key + "</body></html>"
		},
		"timestamp": func(key string) (string, string) {
			b, _ := json.Marshal(map[string]any{"call": map[string]any{"uuid": "u", "created_at": key}})
			return "application/json", string(b)
		},
		"timestamp, lenient path": func(key string) (string, string) {
			b, _ := json.Marshal(map[string]any{"call": map[string]any{"uuid": "u", "created_at": "2024-11-04 16:52:18 " + key}})
			return "application/json", string(b)
		},
		"money": func(key string) (string, string) {
			b, _ := json.Marshal(map[string]any{"call": map[string]any{"uuid": "u", "revenue": key}})
			return "application/json", string(b)
		},
		"money as a bare token": func(key string) (string, string) {
			return "application/json", `{"call":{"uuid":"u","revenue":` + key + `}}`
		},
		"number": func(key string) (string, string) {
			b, _ := json.Marshal(map[string]any{"call": map[string]any{"uuid": "u", "total_duration": key}})
			return "application/json", string(b)
		},
		"tag map key": func(key string) (string, string) {
			b, _ := json.Marshal(map[string]any{"call": map[string]any{"uuid": "u", "tags": map[string]any{key: 1}}})
			return "application/json", string(b)
		},
		"truncated": func(key string) (string, string) {
			b, _ := json.Marshal(map[string]any{"call": map[string]any{"uuid": key}})
			return "application/json", string(b[:len(b)-2]) + `,"x`
		},
	}
	n := 0
	for name, body := range bodies {
		for j := 0; j < 2*len(keyAlphabets); j++ {
			key := keyN(t, n)
			n++
			t.Run(fmt.Sprintf("%s/%d", name, j), func(t *testing.T) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					ctype, b := body(r.URL.Query().Get("api_key"))
					w.Header().Set("Content-Type", ctype)
					io.WriteString(w, b)
				}))
				defer srv.Close()
				logger, logs := debugLogger()
				c, err := NewClient(key, WithBaseURL(srv.URL), WithRetryPolicy(NoRetries), WithLogger(logger))
				require.NoError(t, err)
				_, err = c.Calls.Get(context.Background(), "u")
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				require.ErrorIs(t, err, ErrUnexpectedResponse)
				requireErrorFree(t, err, key)
				requireTextFree(t, "debug log", logs.String(), key)
			})
		}
	}
}

func TestRedactionPaginationErrors(t *testing.T) {
	// Page 1 is fine and links to page 2 on another host with the key; page 2
	// fails in one of several ways, each quoting the key.
	failures := map[string]func(w http.ResponseWriter, r *http.Request, key string){
		"status 403": func(w http.ResponseWriter, r *http.Request, key string) { echoBody(w, r, 403, 0, key) },
		"status 500 HTML": func(w http.ResponseWriter, r *http.Request, key string) {
			echoBody(w, r, 500, 2, key)
		},
		"not JSON": func(w http.ResponseWriter, r *http.Request, key string) {
			io.WriteString(w, "<html>"+key+"</html>")
		},
		"next does not advance": func(w http.ResponseWriter, r *http.Request, key string) {
			w.Header().Set("Link", `<https://elsewhere.test/companies.json?api_key=`+url.QueryEscape(key)+`&page=1>; rel="next"`)
			io.WriteString(w, `[{"company":{"id":2}}]`)
		},
	}
	n := 0
	for name, fail := range failures {
		for j := 0; j < len(keyAlphabets); j++ {
			key := keyN(t, n)
			n++
			t.Run(fmt.Sprintf("%s/%d", name, j), func(t *testing.T) {
				var hosts []string
				var mu sync.Mutex
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					mu.Lock()
					hosts = append(hosts, r.Host)
					mu.Unlock()
					k := r.URL.Query().Get("api_key")
					if r.URL.Query().Get("page") == "2" {
						fail(w, r, k)
						return
					}
					w.Header().Set("Link", `<https://elsewhere.test/companies.json?api_key=`+url.QueryEscape(k)+`&page=2>; rel="next"`)
					io.WriteString(w, `[{"company":{"id":1}}]`)
				}))
				defer srv.Close()
				logger, logs := debugLogger()
				c, err := NewClient(key, WithBaseURL(srv.URL), WithRetryPolicy(NoRetries), WithLogger(logger))
				require.NoError(t, err)
				var got error
				for _, err := range c.Companies.All(context.Background(), nil) {
					if err != nil {
						got = err
					}
				}
				requireErrorFree(t, got, key)
				requireTextFree(t, "debug log", logs.String(), key)
				u, _ := url.Parse(srv.URL)
				for _, h := range hosts {
					require.Equal(t, u.Host, h, "every page came from the base URL")
				}
			})
		}
	}
}

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

func noOtherHost(t *testing.T) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a request followed a redirect to another host: %s %s", r.Method, r.URL)
	}))
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
	apiKey, rtbKey := keyN(t, 7), keyN(t, 8)
	var seen []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var hdr bytes.Buffer
		_ = r.Header.Write(&hdr)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.String()+"\n"+hdr.String()+"\n"+string(body))
		mu.Unlock()
		io.WriteString(w, `{"uuid":"u-1","status":"reserved"}`)
	}))
	defer srv.Close()
	c, err := NewClient(apiKey, WithCompanyID(9), WithRTBBaseURL(srv.URL), WithRetryPolicy(NoRetries))
	require.NoError(t, err)
	_, err = c.RTB.Reserve(context.Background(), &ReservationParams{Key: rtbKey, PublisherID: "p"})
	require.NoError(t, err)
	_, err = c.RTB.Confirm(context.Background(), rtbKey, "u-1")
	require.NoError(t, err)
	require.Len(t, seen, 2)
	for _, s := range seen {
		requireTextFree(t, "RTB request", s, apiKey)
		require.NotContains(t, s, "company_id")
		require.NotContains(t, strings.SplitN(s, "\n", 2)[0], "key", "the postback key is in the body, never the URL")
	}
}

func TestRedactionFindsEverySpellingInAnErrorBody(t *testing.T) {
	for i := 0; i < 20; i++ {
		key := keyN(t, i)
		for _, spelling := range otherSpellings(key) {
			c, mt := newTestClient(t)
			c, err := NewClient(key, WithHTTPClient(c.cfg.httpClient), WithBaseURL(testBaseURL), WithRetryPolicy(NoRetries))
			require.NoError(t, err)
			stub(t, mt, "GET", "company.json", http.StatusUnauthorized,
				`{"error":"bad key `+strings.ReplaceAll(spelling, `"`, `\"`)+`"}`)
			_, err = c.Companies.Active(context.Background())
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			for _, text := range []string{err.Error(), apiErr.Message, string(apiErr.Body), fmt.Sprintf("%+v", apiErr)} {
				require.NotContains(t, text, spelling, "key %q spelled %q", key, spelling)
				require.NotContains(t, text, key)
			}
			require.Contains(t, string(apiErr.Body), "REDACTED")
		}
	}
}

func TestRedactorCoversEscapedForms(t *testing.T) {
	for i := 0; i < 40; i++ {
		key := keyN(t, i)
		r := newRedactor(key)
		for _, form := range secretForms(key) {
			out := r.String("before " + form + " after")
			require.Equal(t, "before REDACTED after", out, "form %q of %q", form, key)
		}
	}
}

func TestTruncatedErrorBodyKeepsNoPartOfTheKey(t *testing.T) {
	// The key straddles the 64 KiB bound of error bodies: what is kept must not end
	// with its first characters.
	for i := 0; i < 10; i++ {
		key := keyN(t, i)
		cut := 1 + i%(len(key)-1)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			k := r.URL.Query().Get("api_key")
			w.WriteHeader(500)
			io.WriteString(w, strings.Repeat("x", maxErrorBody-cut)+k+strings.Repeat("y", 100))
		}))
		c, err := NewClient(key, WithBaseURL(srv.URL), WithRetryPolicy(NoRetries))
		require.NoError(t, err)
		_, err = c.Companies.Get(context.Background(), 1)
		srv.Close()
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		requireErrorFree(t, err, key)
		require.LessOrEqual(t, len(apiErr.Body), maxErrorBody)
		require.False(t, strings.HasSuffix(string(apiErr.Body), key[:cut]), "the body ends with the first %d bytes of the key", cut)
		require.True(t, strings.HasPrefix(string(apiErr.Body), "xxxx"))
	}
}

func TestNewClientNeverEchoesARefusedKey(t *testing.T) {
	// NewClient's own errors never repeat the key they refuse.
	for i := 0; i < 20; i++ {
		key := keyN(t, i)
		for _, bad := range []string{key + " x", key + "\n", "\t" + key} {
			_, err := NewClient(bad)
			require.ErrorIs(t, err, ErrInvalidArgument)
			requireErrorFree(t, err, key)
		}
	}
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

func TestRedactionNeverFormsTheKeyAgain(t *testing.T) {
	// A key that holds the marker: replacing it must not leave the key behind.
	r := newRedactor("xxxxREDACTEDyyyy")
	out := r.String("a xxxxxxxxREDACTEDyyyyyyyy b")
	require.NotContains(t, out, "xxxxREDACTEDyyyy")
	require.NotContains(t, string(r.Bytes([]byte("xxxxxxxxREDACTEDyyyyyyyy"))), "xxxxREDACTEDyyyy")
	// A key the marker itself holds cannot be redacted by replacing: the text is
	// withheld whole.
	for _, key := range []string{"REDACTED", "DACT"} {
		r := newRedactor(key)
		require.NotContains(t, r.String("the key is "+key), key)
		require.NotContains(t, string(r.Bytes([]byte("the key is "+key))), key)
	}
	require.Equal(t, "plain text", newRedactor("k3y-0123456789").String("plain text"))
}
