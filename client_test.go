package retreaver

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientRejectsBadInput(t *testing.T) {
	cases := map[string]struct {
		key  string
		opts []Option
	}{
		"empty key":             {"", nil},
		"key with space":        {"abc def", nil},
		"key with newline":      {"abc\n", nil},
		"negative company":      {"k", []Option{WithCompanyID(-1)}},
		"base URL no scheme":    {"k", []Option{WithBaseURL("api.retreaver.com")}},
		"base URL ftp":          {"k", []Option{WithBaseURL("ftp://api.retreaver.com/")}},
		"base URL no host":      {"k", []Option{WithBaseURL("https:///x")}},
		"base URL with creds":   {"k", []Option{WithBaseURL("https://u:p@api.test/")}},
		"base URL with query":   {"k", []Option{WithBaseURL("https://api.test/?api_key=x")}},
		"base URL unparseable":  {"k", []Option{WithBaseURL("https://api.test/%zz")}},
		"RTB base URL":          {"k", []Option{WithRTBBaseURL("nope")}},
		"nil HTTP client":       {"k", []Option{WithHTTPClient(nil)}},
		"zero rate":             {"k", []Option{WithRateLimit(0, 1)}},
		"zero burst":            {"k", []Option{WithRateLimit(1, 0)}},
		"zero max bytes":        {"k", []Option{WithMaxResponseBytes(0)}},
		"user agent line break": {"k", []Option{WithUserAgent("x\r\nX-Evil: 1")}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := NewClient(tc.key, tc.opts...)
			require.ErrorIs(t, err, ErrInvalidArgument)
			require.Nil(t, c)
			if tc.key != "" {
				require.NotContains(t, err.Error(), tc.key+"x")
			}
		})
	}
}

func TestNewClientDefaults(t *testing.T) {
	c, err := NewClient("k", nil)
	require.NoError(t, err)
	require.Equal(t, DefaultBaseURL, c.cfg.baseURL.String())
	require.Equal(t, DefaultRTBBaseURL, c.cfg.rtbBaseURL.String())
	require.Equal(t, DefaultRetryPolicy, c.cfg.retry)
	require.Equal(t, DefaultMaxResponseBytes, c.cfg.maxResponseBytes)
	require.Equal(t, int64(0), c.CompanyID())
	require.Positive(t, c.cfg.httpClient.Timeout, "the default HTTP client has an overall timeout")
	tr, ok := c.cfg.httpClient.Transport.(*http.Transport)
	require.True(t, ok)
	require.Positive(t, tr.TLSHandshakeTimeout)
	require.Positive(t, tr.ResponseHeaderTimeout)
	for _, s := range []any{c.Calls, c.CallsV1, c.Affiliates, c.Targets, c.TargetGroups, c.Campaigns, c.Numbers, c.NumberPools,
		c.Companies, c.Contacts, c.ContactNumbers, c.SuppressedNumbers, c.StaticCallerNumbers, c.Reports, c.RTB} {
		require.NotNil(t, s)
	}
}

func TestBaseURLWithPathPrefixAndUserAgent(t *testing.T) {
	mt := httpmock.NewMockTransport()
	rec := &recorder{}
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		rec.record(req)
		return httpmock.NewStringResponse(200, `{"call":{"uuid":"u-1"}}`), nil
	})
	c, err := NewClient(testKey, WithHTTPClient(&http.Client{Transport: mt}), WithBaseURL("https://proxy.test/retreaver/v1"),
		WithCompanyID(42), WithUserAgent("acme-dialer/2.1"))
	require.NoError(t, err)
	call, err := c.Calls.Get(context.Background(), "u-1")
	require.NoError(t, err)
	require.Equal(t, "u-1", call.UUID)
	got := rec.only(t)
	require.Equal(t, "proxy.test", got.Host)
	require.Equal(t, "/retreaver/v1/api/v2/calls/u-1.json", got.Path)
	require.Equal(t, "42", got.Query.Get("company_id"))
	require.Equal(t, testKey, got.Query.Get("api_key"))
	require.Equal(t, "acme-dialer/2.1 retreaver-go/"+Version, got.Header.Get("User-Agent"))
	require.Equal(t, "application/json", got.Header.Get("Accept"))
}

func TestWithServerPointsEveryHostAtOneServer(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c, err := NewClient(testKey, WithHTTPClient(&http.Client{Transport: mt}), WithServer("http://fake.test/"), WithRetryPolicy(NoRetries))
	require.NoError(t, err)
	api := stubAt(t, mt, "GET", "http://fake.test/company.json", 200, `{"company":{"id":1}}`)
	rtb := stubAt(t, mt, "POST", "http://fake.test/rtbs.json", 200, `{"uuid":"u","status":"reserved"}`)
	_, err = c.Companies.Active(context.Background())
	require.NoError(t, err)
	_, err = c.RTB.Reserve(context.Background(), &ReservationParams{Key: "rtb-key", PublisherID: "p"})
	require.NoError(t, err)
	require.Len(t, api.all(), 1)
	require.Len(t, rtb.all(), 1)
	require.Equal(t, "http://fake.test/", c.cfg.callDataBaseURL.String())

	// An option after it still overrides one host.
	c, err = NewClient(testKey, WithServer("http://fake.test/"), WithRTBBaseURL("http://rtb.fake.test/"))
	require.NoError(t, err)
	require.Equal(t, "http://fake.test/", c.cfg.baseURL.String())
	require.Equal(t, "http://rtb.fake.test/", c.cfg.rtbBaseURL.String())
	_, err = NewClient(testKey, WithServer("ftp://fake.test/"))
	require.ErrorIs(t, err, ErrInvalidArgument)
}

func TestWithCompanyScopesACheapCopy(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v2/calls.json", 200, `[]`)
	other := c.WithCompany(77)
	require.Equal(t, int64(77), other.CompanyID())
	require.Equal(t, int64(testCompany), c.CompanyID())
	require.Same(t, c.cfg, other.cfg, "the copy shares transport, policy and limiter")
	require.Same(t, other, other.Calls.client)
	require.Same(t, other, other.RTB.client)

	_, err := other.Calls.List(context.Background(), nil)
	require.NoError(t, err)
	_, err = c.Calls.List(context.Background(), nil)
	require.NoError(t, err)
	reqs := rec.all()
	require.Equal(t, "77", reqs[0].Query.Get("company_id"))
	require.Equal(t, "1", reqs[1].Query.Get("company_id"))

	none := c.WithCompany(0)
	_, err = none.Calls.List(context.Background(), nil)
	require.NoError(t, err)
	require.False(t, rec.all()[2].Query.Has("company_id"), "company 0 sends no company_id")

	allocs := testing.AllocsPerRun(100, func() { _ = c.WithCompany(5) })
	require.LessOrEqual(t, allocs, 1.0)
}

func TestPrintingAClientNeverShowsTheKey(t *testing.T) {
	c, _ := newTestClient(t)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, c)
		require.NotContains(t, out, testKey, verb)
		require.Contains(t, out, "CompanyID: 1", verb)
	}
	holder := struct {
		Value   Client
		Pointer *Client
		Calls   CallsService
	}{*c, c, *c.Calls}
	// Every verb fmt has, with flags: %x and %X would show the key's bytes in
	// hex, %q quoted, %c, %U and %d its runes and bytes.
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%#q", "%x", "%X", "% x", "%d",
		"%o", "%O", "%b", "%c", "%U", "%#U", "%e", "%g", "%t", "%p", "%T", "%10.3v"} {
		for _, v := range []any{c, *c, holder, &holder} {
			out := fmt.Sprintf(verb, v)
			for _, form := range []string{testKey, fmt.Sprintf("%x", testKey), fmt.Sprintf("%X", testKey), fmt.Sprintf("% x", testKey)} {
				require.NotContains(t, out, form, verb)
			}
		}
	}
	// slog, with both handlers, by value and by pointer.
	var logs bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&logs, nil), slog.NewJSONHandler(&logs, nil)} {
		slog.New(h).Info("client", "pointer", c, "value", *c, "holder", holder)
	}
	require.NotContains(t, logs.String(), testKey)
	require.Contains(t, logs.String(), "client")
}

// diffRecorder is a testify TestingT that keeps the failure messages.
type diffRecorder struct{ out strings.Builder }

func (d *diffRecorder) Errorf(format string, args ...any) { fmt.Fprintf(&d.out, format, args...) }

func TestTestifyDiffsOfClientsNeverShowTheKey(t *testing.T) {
	a, _ := newTestClient(t)
	b, err := NewClient("an0ther-5ecret-key-42", WithCompanyID(2))
	require.NoError(t, err)
	var d diffRecorder
	require.False(t, assert.Equal(&d, *a, *b), "two clients differ")
	require.False(t, assert.Equal(&d, a, b))
	require.False(t, assert.Equal(&d, struct{ C *Client }{a}, struct{ C *Client }{b}))
	require.Contains(t, d.out.String(), "Not equal")
	require.NotContains(t, d.out.String(), testKey)
	require.NotContains(t, d.out.String(), "an0ther-5ecret-key-42")
}

func TestCloseIdleConnections(t *testing.T) {
	var closed atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"company":{"id":1}}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			closed.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := NewClient(testKey, WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = c.Companies.Active(context.Background())
	require.NoError(t, err)
	require.Zero(t, closed.Load(), "the connection is kept for reuse")
	c.WithCompany(7).CloseIdleConnections() // a copy shares the pool
	require.Eventually(t, func() bool { return closed.Load() == 1 }, 5*time.Second, 5*time.Millisecond)
	_, err = c.Companies.Active(context.Background())
	require.NoError(t, err, "the client stays usable")
}

func TestResponseBodiesAreBounded(t *testing.T) {
	t.Run("too large", func(t *testing.T) {
		c, mt := newTestClient(t, WithMaxResponseBytes(1024))
		stub(t, mt, "GET", "api/v2/calls.json", 200, "["+strings.Repeat(`{"call":{"uuid":"x"}},`, 200)+`{"call":{}}]`)
		_, err := c.Calls.List(context.Background(), nil)
		require.ErrorIs(t, err, ErrResponseTooLarge)
		requireErrorFree(t, err, testKey)
	})
	t.Run("endless", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte("["))
			chunk := []byte(strings.Repeat(`{"call":{"uuid":"x"}},`, 1000))
			for r.Context().Err() == nil {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}))
		defer srv.Close()
		c, err := NewClient(testKey, WithBaseURL(srv.URL), WithMaxResponseBytes(1<<20), WithRetryPolicy(NoRetries))
		require.NoError(t, err)
		_, err = c.Calls.List(context.Background(), nil)
		require.ErrorIs(t, err, ErrResponseTooLarge)
	})
	t.Run("exactly the limit", func(t *testing.T) {
		body := `{"call":{"uuid":"abc"}}`
		c, mt := newTestClient(t, WithMaxResponseBytes(int64(len(body))))
		stub(t, mt, "GET", "api/v2/calls/abc.json", 200, body)
		call, err := c.Calls.Get(context.Background(), "abc")
		require.NoError(t, err)
		require.Equal(t, "abc", call.UUID)
	})
}

func TestRedirectsToAnotherHostAreRefused(t *testing.T) {
	var leaked []string
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked = append(leaked, r.URL.String())
	}))
	defer evil.Close()
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/companies/1.json":
			http.Redirect(w, r, evil.URL+"/steal?"+r.URL.RawQuery, http.StatusFound)
		case "/companies/2.json":
			http.Redirect(w, r, "/companies/3.json?"+r.URL.RawQuery, http.StatusMovedPermanently)
		case "/companies/3.json":
			fmt.Fprint(w, `{"company":{"id":3}}`)
		}
	}))
	defer origin.Close()
	c, err := NewClient(testKey, WithBaseURL(origin.URL), WithRetryPolicy(NoRetries))
	require.NoError(t, err)

	_, err = c.Companies.Get(context.Background(), 1)
	require.Error(t, err)
	require.Empty(t, leaked, "nothing reached the other host")
	requireErrorFree(t, err, testKey)

	co, err := c.Companies.Get(context.Background(), 2)
	require.NoError(t, err, "a redirect on the same host is followed")
	require.Equal(t, int64(3), co.ID)
}

func TestUserRedirectPolicyStillApplies(t *testing.T) {
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/company.json" {
			http.Redirect(w, r, "/elsewhere.json", http.StatusFound)
			return
		}
		fmt.Fprint(w, `{"company":{"id":3}}`)
	}))
	defer origin.Close()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 5 * time.Second}
	c, err := NewClient(testKey, WithBaseURL(origin.URL), WithHTTPClient(hc), WithRetryPolicy(NoRetries))
	require.NoError(t, err)
	_, err = c.Companies.Active(context.Background())
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, http.StatusFound, apiErr.StatusCode)
	require.ErrorIs(t, hc.CheckRedirect(nil, nil), http.ErrUseLastResponse, "the caller's client is not modified")
}

func TestNilContextIsAnError(t *testing.T) {
	c, mt := newTestClient(t)
	//lint:ignore SA1012 a nil context must be refused, not crash
	_, err := c.Companies.Active(nil) //nolint:staticcheck
	require.ErrorIs(t, err, ErrInvalidArgument)
	noRequests(t, mt)
}

func TestRequestsThatCannotBeEncodedAreRefused(t *testing.T) {
	// Shared plumbing: what the services cannot produce, but a mistake in one
	// could. Each is refused before anything is sent.
	c, mt := newTestClient(t)
	ctx := context.Background()
	_, err := c.cfg.do(ctx, c.newRequest(http.MethodPost, "api/v1/calls.json", nil, map[string]any{"x": make(chan int)}))
	require.ErrorIs(t, err, ErrInvalidArgument, "a body that is not JSON")
	_, err = c.cfg.do(ctx, c.newRequest(http.MethodGet, "%zz.json", nil, nil))
	require.ErrorIs(t, err, ErrInvalidArgument, "a path that does not parse")
	noRequests(t, mt)
}
