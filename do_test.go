package retreaver

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

func TestDoSendsAnyRequestWithEveryGuarantee(t *testing.T) {
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	attempt := 0
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		attempt++
		if attempt == 1 {
			return newJSONResponse(http.StatusServiceUnavailable, `{"error":"maintenance"}`), nil
		}
		resp := newJSONResponse(http.StatusOK, `{"widget":{"id":9,"name":"new"}}`)
		resp.Header.Set("X-Request-Id", "r-1")
		return resp, nil
	})
	var out struct {
		Widget struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"widget"`
	}
	resp, err := c.Do(context.Background(), "put", "/api/v9/widgets/9.json", url.Values{"dry_run": {"true"}},
		map[string]any{"widget": map[string]string{"name": "new"}}, &out)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, 2, resp.Attempts, "retried like any PUT")
	require.Equal(t, "r-1", resp.Header.Get("X-Request-Id"))
	require.Equal(t, int64(9), out.Widget.ID, "the answer as sent, not unwrapped")
	reqs := rec.all()
	require.Len(t, reqs, 2)
	assertWire(t, reqs[1], "PUT", "api/v9/widgets/9.json", url.Values{"dry_run": {"true"}}, false)
	assertJSONBody(t, reqs[1], `{"widget":{"name":"new"}}`)
}

func TestDoReturnsTypedErrorsAndTheResponse(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "POST", "api/v9/widgets.json", http.StatusUnprocessableEntity, `{"errors":{"name":["is taken"]}}`, "X-Request-Id", "r-2")
	resp, err := c.Do(context.Background(), http.MethodPost, "api/v9/widgets.json", nil, map[string]string{"name": "x"}, nil)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.ErrorIs(t, err, ErrUnprocessable)
	require.Equal(t, map[string][]string{"name": {"is taken"}}, apiErr.Fields)
	require.NotContains(t, err.Error(), testKey)
	require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	require.Equal(t, "r-2", resp.Header.Get("X-Request-Id"))

	stub(t, mt, "GET", "api/v9/widgets.json", http.StatusOK, `<html>login</html>`)
	var out any
	_, err = c.Do(context.Background(), http.MethodGet, "api/v9/widgets.json", nil, nil, &out)
	require.ErrorIs(t, err, ErrUnexpectedResponse)
}

func TestDoRefusesWhatItCannotSendSafely(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"no method":     func() error { _, err := c.Do(ctx, "", "a.json", nil, nil, nil); return err },
		"odd method":    func() error { _, err := c.Do(ctx, "GET /x", "a.json", nil, nil, nil); return err },
		"absolute URL":  func() error { _, err := c.Do(ctx, "GET", "https://evil.example/a.json", nil, nil, nil); return err },
		"host":          func() error { _, err := c.Do(ctx, "GET", "//evil.example/a.json", nil, nil, nil); return err },
		"query in path": func() error { _, err := c.Do(ctx, "GET", "a.json?api_key=x", nil, nil, nil); return err },
		"dot segment":   func() error { _, err := c.Do(ctx, "GET", "api/../a.json", nil, nil, nil); return err },
		"empty path":    func() error { _, err := c.Do(ctx, "GET", "", nil, nil, nil); return err },
		"api_key given": func() error { _, err := c.Do(ctx, "GET", "a.json", url.Values{"api_key": {"x"}}, nil, nil); return err },
		"company given": func() error {
			_, err := c.Do(ctx, "GET", "a.json", url.Values{"company_id": {"2"}}, nil, nil)
			return err
		},
		"body not JSON": func() error { _, err := c.Do(ctx, "POST", "a.json", nil, make(chan int), nil); return err },
	} {
		require.ErrorIs(t, call(), ErrInvalidArgument, name)
	}
	noRequests(t, mt)
}

func TestForbiddenSaysWhichCompanyTheKeyCannotReach(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "GET", "targets/1.json", http.StatusForbidden, `{"error":"Forbidden"}`)
	_, err := c.WithCompany(77).Targets.Get(context.Background(), 1)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	require.ErrorIs(t, err, ErrForbidden)
	require.Contains(t, apiErr.Hint, "company 77")
	require.Contains(t, err.Error(), "no access to company 77")
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

func TestDoRedactsTheHeadersItReturnsAndBoundsDecoding(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "GET", "api/v2/calls.json", http.StatusOK, `[]`,
		"Link", `<https://api.retreaver.com/api/v2/calls.json?api_key=`+testKey+`&page=2>; rel="next"`)
	var out []any
	resp, err := c.Do(context.Background(), http.MethodGet, "api/v2/calls.json", nil, nil, &out)
	require.NoError(t, err)
	require.NotContains(t, resp.Header.Get("Link"), testKey)
	require.Contains(t, resp.Header.Get("Link"), "api_key=REDACTED")

	stub(t, mt, "GET", "api/v2/targets.json", http.StatusOK, "["+strings.Repeat("{},", 5000)+"{}]")
	_, err = c.Do(context.Background(), http.MethodGet, "api/v2/targets.json", nil, nil, &out)
	require.ErrorIs(t, err, ErrUnexpectedResponse, "more elements than a page: refused before decoding")
}
