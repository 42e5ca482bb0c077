package retreavertest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// api is a minimal JSON client for the fake, used by the tests.
type api struct {
	t   *testing.T
	srv *Server
	// company, when non-zero, is sent as company_id.
	company int64
}

func newAPI(t *testing.T, opts ...Option) *api {
	t.Helper()
	srv := NewServer(opts...)
	t.Cleanup(srv.Close)
	return &api{t: t, srv: srv}
}

// raw sends a request with the key (unless query sets api_key) and returns the
// response with its body read.
func (a *api) raw(method, path string, query url.Values, body any) (*http.Response, []byte) {
	a.t.Helper()
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	if _, ok := q["api_key"]; !ok {
		q.Set("api_key", a.srv.APIKey)
	}
	if a.company != 0 && q.Get("company_id") == "" {
		q.Set("company_id", itoa(a.company))
	}
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		buf, err := json.Marshal(b)
		require.NoError(a.t, err)
		rd, ctype = strings.NewReader(string(buf)), "application/json"
	}
	u := a.srv.URL + path
	if enc := q.Encode(); enc != "" {
		if strings.Contains(u, "?") {
			u += "&" + enc
		} else {
			u += "?" + enc
		}
	}
	req, err := http.NewRequest(method, u, rd)
	require.NoError(a.t, err)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(a.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(a.t, err)
	return resp, data
}

// call sends a request, requires the status and decodes the JSON answer (nil
// for an empty body).
func (a *api) call(method, path string, query url.Values, body any, want int) any {
	a.t.Helper()
	resp, data := a.raw(method, path, query, body)
	require.Equal(a.t, want, resp.StatusCode, "%s %s: %s", method, path, data)
	if len(data) == 0 {
		return nil
	}
	var v any
	require.NoError(a.t, json.Unmarshal(data, &v), "%s", data)
	return v
}

// obj sends a request and returns the object under root (or the whole object).
func (a *api) obj(method, path string, body any, want int, root string) map[string]any {
	a.t.Helper()
	v := a.call(method, path, nil, body, want)
	m, ok := v.(map[string]any)
	require.True(a.t, ok, "not an object: %v", v)
	if root == "" {
		return m
	}
	inner, ok := m[root].(map[string]any)
	require.True(a.t, ok, "no %q in %v", root, m)
	return inner
}

// list GETs a listing and unwraps each item from root.
func (a *api) list(path string, query url.Values, root string) []map[string]any {
	a.t.Helper()
	v := a.call(http.MethodGet, path, query, nil, http.StatusOK)
	items, ok := v.([]any)
	require.True(a.t, ok, "not an array: %v", v)
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		m, ok := it.(map[string]any)
		require.True(a.t, ok)
		inner, ok := m[root].(map[string]any)
		require.True(a.t, ok, "item not wrapped in %q: %v", root, m)
		require.Len(a.t, m, 1)
		out = append(out, inner)
	}
	return out
}

// errorsOf returns the field errors of a 422 answer.
func (a *api) errorsOf(method, path string, body any) map[string]any {
	a.t.Helper()
	v := a.call(method, path, nil, body, http.StatusUnprocessableEntity)
	errs, ok := v.(map[string]any)["errors"].(map[string]any)
	require.True(a.t, ok, "no errors in %v", v)
	return errs
}

func itoa(n int64) string { return strconvFormat(n) }

func num(v any) int64 { return int64(v.(float64)) }

func idPath(prefix string, id any) string { return prefix + "/" + itoa(num(id)) + ".json" }

func strconvFormat(n int64) string { return strconv.FormatInt(n, 10) }

type links struct {
	rels  []string
	byRel map[string]*url.URL
}

// parseLinks reads a Link header: <url>; rel="x", <url>; rel="y".
func parseLinks(t testing.TB, header string) links {
	t.Helper()
	out := links{byRel: map[string]*url.URL{}}
	for _, part := range strings.Split(header, ", <") {
		part = strings.TrimPrefix(part, "<")
		target, rel, ok := strings.Cut(part, `>; rel="`)
		require.True(t, ok, "bad link %q", part)
		u, err := url.Parse(target)
		require.NoError(t, err)
		rel = strings.TrimSuffix(rel, `"`)
		out.rels = append(out.rels, rel)
		out.byRel[rel] = u
	}
	return out
}

// allCalls pages through api/v2/calls.json with the given filters.
func (a *api) allCalls(filters url.Values) []map[string]any {
	a.t.Helper()
	var out []map[string]any
	for p := 1; ; p++ {
		q := url.Values{"per_page": {"100"}, "page": {strconv.Itoa(p)}}
		for k, v := range filters {
			q[k] = v
		}
		page := a.list("/api/v2/calls.json", q, "call")
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
	}
}

type obj = map[string]any
