package retreaver

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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
