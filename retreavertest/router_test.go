package retreavertest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A customer id holding a slash is sent escaped ("a%2Fb") and stays one path
// segment, as in Rails routes; an unescaped slash is another path.
func TestEscapedSlashInPathIDs(t *testing.T) {
	a := newAPI(t)
	aff := a.obj(http.MethodPost, "/api/v1/affiliates.json", obj{"affiliate": obj{"afid": "pub/7", "first_name": "Sam"}}, http.StatusCreated, "affiliate")
	got := a.obj(http.MethodGet, "/api/v1/affiliates/afid/pub%2F7.json", nil, http.StatusOK, "affiliate")
	require.Equal(t, aff, got)
	a.call(http.MethodGet, "/api/v1/affiliates/afid/pub/7.json", nil, nil, http.StatusNotFound)

	a.call(http.MethodPost, "/targets.json", nil, obj{"target": obj{"number": "+15555550100", "client_tid": "east/1"}}, http.StatusCreated)
	upd := a.obj(http.MethodPut, "/targets/tid/east%2F1.json", obj{"target": obj{"name": "East"}}, http.StatusOK, "target")
	require.Equal(t, "East", upd["name"])
	require.Equal(t, "east/1", upd["tid"])

	a.call(http.MethodPost, "/campaigns.json", nil, obj{"campaign": obj{"cid": "a b/c%d"}}, http.StatusCreated)
	got = a.obj(http.MethodGet, "/campaigns/cid/a%20b%2Fc%25d.json", nil, http.StatusOK, "campaign")
	require.Equal(t, "a b/c%d", got["cid"])
	resp, _ := a.raw(http.MethodDelete, "/campaigns/cid/a%20b%2Fc%25d.json", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	a.call(http.MethodGet, "/campaigns/cid/a%20b%2Fc%25d.json", nil, nil, http.StatusNotFound)
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

// Every route of the table has its own pattern and at least one handler.
func TestRouteTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range routes().routes {
		p := strings.Join(r.segs, "/")
		require.False(t, seen[p], "%s is in the table twice", p)
		seen[p] = true
		require.NotEmpty(t, r.methods, p)
		for m, h := range r.methods {
			require.NotNil(t, h, "%s %s", m, p)
		}
	}
}

// Calls and affiliates are served under api/v1 only: the live API removed the
// unversioned routes, which answer 404 whatever the method.
func TestUnversionedCallAndAffiliateRoutesAreGone(t *testing.T) {
	a := newAPI(t, WithDemoData())
	uuid := a.list("/api/v1/calls.json", nil, "call")[0]["uuid"].(string)
	aff := a.list("/api/v1/affiliates.json", nil, "affiliate")[0]
	afid := aff["afid"].(string)
	for _, p := range []string{"/calls.json", "/calls/" + uuid + ".json", "/affiliates.json",
		idPath("/affiliates", aff["id"]), "/affiliates/afid/" + afid + ".json"} {
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
			v := a.call(m, p, nil, nil, http.StatusNotFound)
			require.Equal(t, "Not found", v.(map[string]any)["error"], "%s %s", m, p)
		}
	}
	a.obj(http.MethodGet, "/api/v1/calls/"+uuid+".json", nil, http.StatusOK, "call")
	a.obj(http.MethodGet, "/api/v1/affiliates/afid/"+afid+".json", nil, http.StatusOK, "affiliate")
}
