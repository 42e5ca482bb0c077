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
	for _, p := range []string{"/affiliates.json", "/targets.json", "/target_groups.json", "/campaigns.json", "/numbers.json",
		"/number_pools.json", "/contacts.json", "/suppressed_numbers.json", "/static_caller_numbers.json", "/calls.json", "/api/v2/calls.json"} {
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
	require.Len(t, a.list("/calls.json", nil, "call"), 5)
	resp, _ := a.raw(http.MethodGet, "/calls.json", url.Values{"api_key": {DefaultAPIKey}}, nil)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestAuth(t *testing.T) {
	a := newAPI(t)
	for _, key := range []string{"", "wrong"} {
		v := a.call(http.MethodGet, "/targets.json", url.Values{"api_key": {key}}, nil, http.StatusUnauthorized)
		require.NotEmpty(t, v.(map[string]any)["error"])
		a.call(http.MethodGet, "/company.json", url.Values{"api_key": {key}}, nil, http.StatusUnauthorized)
		a.call(http.MethodGet, "/no/such/path.json", url.Values{"api_key": {key}}, nil, http.StatusUnauthorized)
	}
	forbidden := itoa(a.srv.ForbiddenCompanyID())
	for _, cid := range []string{forbidden, "424242", "abc"} {
		v := a.call(http.MethodGet, "/targets.json", url.Values{"company_id": {cid}}, nil, http.StatusForbidden)
		require.NotEmpty(t, v.(map[string]any)["error"])
	}
	a.call(http.MethodGet, "/company.json", url.Values{"company_id": {forbidden}}, nil, http.StatusForbidden)
	a.call(http.MethodGet, "/companies/"+forbidden+".json", nil, nil, http.StatusForbidden)
	a.call(http.MethodGet, "/companies/424242.json", nil, nil, http.StatusNotFound)

	// No company_id: the default ("active") company.
	co := a.obj(http.MethodGet, "/company.json", nil, http.StatusOK, "company")
	require.Equal(t, float64(a.srv.CompanyID), co["id"])
	second := a.srv.CompanyIDs()[1]
	co = a.obj(http.MethodGet, "/companies/"+itoa(second)+".json", nil, http.StatusOK, "company")
	require.Equal(t, float64(second), co["id"])
	co = a.call(http.MethodGet, "/company.json", url.Values{"company_id": {itoa(second)}}, nil, http.StatusOK).(map[string]any)["company"].(map[string]any)
	require.Equal(t, float64(second), co["id"])
	for _, field := range []string{"name", "created_at", "updated_at", "embedded_key", "per_number", "use_global_suppression_list", "balance", "owner_user_name"} {
		require.Contains(t, co, field)
	}
	require.Equal(t, "100.0", co["balance"])
}

func TestRoutingErrors(t *testing.T) {
	a := newAPI(t)
	v := a.call(http.MethodGet, "/targets/999999.json", nil, nil, http.StatusNotFound)
	require.Equal(t, map[string]any{"error": "Not found"}, v)
	a.call(http.MethodGet, "/targets/abc.json", nil, nil, http.StatusNotFound)
	a.call(http.MethodGet, "/nothing.json", nil, nil, http.StatusNotFound)
	a.call(http.MethodGet, "/targets", nil, nil, http.StatusNotFound)
	a.call(http.MethodGet, "/targets.xml", nil, nil, http.StatusNotAcceptable)

	resp, _ := a.raw(http.MethodDelete, "/targets.json", nil, nil)
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	require.Equal(t, "GET, POST", resp.Header.Get("Allow"))
	a.call(http.MethodGet, "/static_caller_numbers/1.json", nil, nil, http.StatusMethodNotAllowed)
	a.call(http.MethodGet, "/rtbs.json", nil, nil, http.StatusMethodNotAllowed)
	a.call(http.MethodPost, "/targets.json", nil, "{not json", http.StatusBadRequest)
}

func TestRequestLog(t *testing.T) {
	a := newAPI(t)
	a.call(http.MethodPost, "/affiliates.json", nil, map[string]any{"affiliate": map[string]any{"afid": "9"}}, http.StatusCreated)
	a.call(http.MethodGet, "/affiliates.json", url.Values{"page": {"2"}}, nil, http.StatusOK)
	reqs := a.srv.Requests()
	require.Len(t, reqs, 2)
	require.Equal(t, http.MethodPost, reqs[0].Method)
	require.Equal(t, "/affiliates.json", reqs[0].Path)
	require.JSONEq(t, `{"affiliate":{"afid":"9"}}`, string(reqs[0].Body))
	require.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))
	require.Equal(t, "2", reqs[1].Query.Get("page"))
	require.Equal(t, a.srv.APIKey, reqs[1].Query.Get("api_key"))

	reqs[0].Body[0] = 'X' // copies: the log is not affected
	require.Equal(t, byte('{'), a.srv.Requests()[0].Body[0])
	a.srv.ResetRequests()
	require.Empty(t, a.srv.Requests())
}
