package retreavertest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNewServerBasics(t *testing.T) {
	a := newAPI(t)
	s := a.srv
	require.True(t, strings.HasPrefix(s.URL, "http://127.0.0.1:"))
	require.False(t, strings.HasSuffix(s.URL, "/"))
	require.Equal(t, DefaultAPIKey, s.APIKey)
	require.NotEmpty(t, s.RTBKey)
	ids := s.CompanyIDs()
	require.GreaterOrEqual(t, len(ids), 3)
	require.Equal(t, s.CompanyID, ids[0])
	require.NotContains(t, ids, s.ForbiddenCompanyID())

	// A plain server holds only the companies.
	for _, p := range []string{"/api/v1/affiliates.json", "/targets.json", "/target_groups.json", "/campaigns.json", "/numbers.json",
		"/number_pools.json", "/contacts.json", "/suppressed_numbers.json", "/static_caller_numbers.json", "/api/v1/calls.json", "/api/v2/calls.json"} {
		require.Empty(t, a.call(http.MethodGet, p, nil, nil, http.StatusOK), p)
	}
	require.Zero(t, s.CallCount(s.CompanyID))
	companies := a.list("/companies.json", nil, "company")
	require.Len(t, companies, len(ids))
}

func TestWithAPIKeyAndPageSize(t *testing.T) {
	a := newAPI(t, WithAPIKey("woofwoofwoof"), WithPageSize(5))
	require.Equal(t, "woofwoofwoof", a.srv.APIKey)
	a.srv.SeedCalls(12)
	require.Len(t, a.list("/api/v1/calls.json", nil, "call"), 5)
	resp, _ := a.raw(http.MethodGet, "/api/v1/calls.json", url.Values{"api_key": {DefaultAPIKey}}, nil)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestRequestLog(t *testing.T) {
	a := newAPI(t)
	a.call(http.MethodPost, "/api/v1/affiliates.json", nil, map[string]any{"affiliate": map[string]any{"afid": "9"}}, http.StatusCreated)
	a.call(http.MethodGet, "/api/v1/affiliates.json", url.Values{"page": {"2"}}, nil, http.StatusOK)
	reqs := a.srv.Requests()
	require.Len(t, reqs, 2)
	require.Equal(t, http.MethodPost, reqs[0].Method)
	require.Equal(t, "/api/v1/affiliates.json", reqs[0].Path)
	require.JSONEq(t, `{"affiliate":{"afid":"9"}}`, string(reqs[0].Body))
	require.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))
	require.Equal(t, "2", reqs[1].Query.Get("page"))
	require.Equal(t, a.srv.APIKey, reqs[1].Query.Get("api_key"))

	reqs[0].Body[0] = 'X' // copies: the log is not affected
	require.Equal(t, byte('{'), a.srv.Requests()[0].Body[0])
	a.srv.ResetRequests()
	require.Empty(t, a.srv.Requests())
}
