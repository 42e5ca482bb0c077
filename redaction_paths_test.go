package retreaver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Redaction as a property of every error path: for many random keys (keyN), no
// error, no part of an error's chain and no debug log line carries the api_key,
// in any of the forms a server may echo it in (secretForms), whatever the
// status, the body, the transport failure or the decoding error.

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

func TestNoErrorOrLogLineContainsTheKey(t *testing.T) {
	const key = "sup3r/secret+key=42&x"
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()

	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := 401
		switch r.URL.Path {
		case "/companies/404.json":
			status = 404
		case "/companies/500.json":
			status = 500
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<html><body>Internal error for <a href=%q>%s</a> key=%s</body></html>", r.URL.String(), r.URL.RawQuery, r.URL.Query().Get("api_key"))
			return
		case "/companies/200.json":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<html>login %s</html>", r.URL.Query().Get("api_key"))
			return
		}
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error":"bad key %s in %s"}`, r.URL.Query().Get("api_key"), r.URL.String())
	}))
	defer echo.Close()

	cases := []struct {
		name string
		base string
		id   int64
		opts []Option
	}{
		{"401 echoing the key", echo.URL, 401, nil},
		{"404 echoing the key", echo.URL, 404, nil},
		{"500 HTML page with the key", echo.URL, 500, nil},
		{"200 HTML page with the key", echo.URL, 200, nil},
		{"closed port", closedURL, 1, nil},
		{"timeout", slow.URL, 1, []Option{WithHTTPClient(&http.Client{Timeout: 50 * time.Millisecond})}},
		{"retries exhausted", echo.URL, 500, []Option{WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond})}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			opts := append([]Option{WithBaseURL(tc.base), WithCompanyID(3), WithRetryPolicy(NoRetries), WithLogger(logger)}, tc.opts...)
			c, err := NewClient(key, opts...)
			require.NoError(t, err)
			_, err = c.Companies.Get(context.Background(), tc.id)
			requireErrorFree(t, err, key)
			require.NotEmpty(t, logs.String())
			requireTextFree(t, "debug log", logs.String(), key)
		})
	}
}
