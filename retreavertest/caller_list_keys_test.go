package retreavertest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// listClient sends caller list requests with a postback key: its UUID in the
// key query parameter and its secret as a Bearer token, and no api_key.
type listClient struct {
	t           *testing.T
	srv         *Server
	key, secret string
}

func newListClient(t *testing.T, srv *Server) *listClient {
	return &listClient{t: t, srv: srv, key: srv.CallerListKey, secret: srv.CallerListSecret}
}

// with returns a client with another key.
func (c *listClient) with(key, secret string) *listClient {
	return &listClient{t: c.t, srv: c.srv, key: key, secret: secret}
}

// raw sends a request to the escaped path (and query) and returns the status,
// the headers and the body.
func (c *listClient) raw(method, path string, query url.Values, body string) (int, http.Header, []byte) {
	c.t.Helper()
	q := url.Values{}
	if c.key != "" {
		q.Set("key", c.key)
	}
	for k, v := range query {
		q[k] = v
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.srv.URL+path+"?"+q.Encode(), rd)
	require.NoError(c.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.secret != "" {
		req.Header.Set("Authorization", "Bearer "+c.secret)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp.StatusCode, resp.Header, data
}

// call sends a request, requires the status and decodes the answer (nil for
// an empty body).
func (c *listClient) call(method, path, body string, want int) any {
	c.t.Helper()
	status, _, data := c.raw(method, path, nil, body)
	require.Equal(c.t, want, status, "%s %s: %s", method, path, data)
	if len(data) == 0 {
		return nil
	}
	var v any
	require.NoError(c.t, json.Unmarshal(data, &v), "%s", data)
	return v
}

// listFixture starts a server with a target and a campaign in the default
// company and another target in a second company, and returns their ids.
func listFixture(t *testing.T) (srv *Server, target, campaign, otherTarget int64) {
	a := newAPI(t)
	target = num(a.obj(http.MethodPost, "/targets.json", obj{"target": obj{"number": "+15555550100"}}, http.StatusCreated, "target")["id"])
	campaign = num(a.obj(http.MethodPost, "/campaigns.json", obj{"campaign": obj{"cid": "LISTS"}}, http.StatusCreated, "campaign")["id"])
	b := &api{t: t, srv: a.srv, company: a.srv.CompanyIDs()[1]}
	otherTarget = num(b.obj(http.MethodPost, "/targets.json", obj{"target": obj{"number": "+15555550101"}}, http.StatusCreated, "target")["id"])
	return a.srv, target, campaign, otherTarget
}

func targetLists(id int64) string   { return "/api/v2/targets/" + itoa(id) + "/caller_lists" }
func campaignLists(id int64) string { return "/api/v2/campaigns/" + itoa(id) + "/caller_lists" }

func TestCallerListAuthNeedsTheKeyAndItsSecretButNoAPIKey(t *testing.T) {
	srv, target, _, _ := listFixture(t)
	c := newListClient(t, srv)
	path := targetLists(target) + ".json"
	body := `{"caller_list":{"name":"suppressed"}}`
	for _, bad := range []*listClient{
		c.with("", srv.CallerListSecret), c.with("nope", srv.CallerListSecret), c.with(srv.CallerListKey, ""),
		c.with(srv.CallerListKey, "wrong"), c.with(srv.CallerListSecret, srv.CallerListKey),
		c.with(srv.APIKey, srv.CallerListSecret),
	} {
		v := bad.call(http.MethodPost, path, body, http.StatusUnauthorized)
		require.NotEmpty(t, v.(map[string]any)["error"])
	}
	// A secret sent otherwise than as a Bearer token is no secret.
	req, err := http.NewRequest(http.MethodGet, srv.URL+targetLists(target)+"/suppressed.json?key="+srv.CallerListKey, nil)
	require.NoError(t, err)
	req.SetBasicAuth(srv.CallerListKey, srv.CallerListSecret)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	// The api_key is neither needed nor enough.
	c.call(http.MethodPost, path, body, http.StatusCreated)
	status, _, _ := c.with("", "").raw(http.MethodGet, targetLists(target)+"/suppressed.json", url.Values{"api_key": {srv.APIKey}}, "")
	require.Equal(t, http.StatusUnauthorized, status)
	require.NotEmpty(t, srv.CallerListKey)
	require.NotEqual(t, srv.CallerListKey, srv.CallerListSecret)
}

// Every action needs its permission and caller_list__show; a key lacking
// either is answered 403 {"error": "Forbidden"}.
func TestCallerListPermissions(t *testing.T) {
	srv, target, _, _ := listFixture(t)
	lists := targetLists(target)
	admin := newListClient(t, srv)
	actions := []struct {
		perm, method, path, body string
		ok                       int
	}{
		{PermCallerListCreate, "POST", ".json", `{"caller_list":{"name":"new"}}`, 201},
		{PermCallerListShow, "GET", "/l.json", "", 200},
		{PermCallerListNumberIndex, "GET", "/l/caller_list_numbers.json", "", 200},
		{PermCallerListNumberCreate, "POST", "/l/caller_list_numbers.json", `{"caller_list_number":{"number":"+15855752501"}}`, 201},
		{PermCallerListNumberShow, "GET", "/l/caller_list_numbers/+15855752500.json", "", 200},
		{PermCallerListCheckCreate, "POST", "/l/caller_list_checks.json", `{"caller_list_check":{"number":"+15855752500"}}`, 200},
		{PermCallerListUploadCreate, "POST", "/l/caller_list_uploads.json", `{"caller_list_upload":{"numbers":"+15855752502"}}`, 200},
		{PermCallerListNumberDelete, "DELETE", "/l/caller_list_numbers/+15855752500.json", "", 200},
		{PermCallerListDelete, "DELETE", "/l.json", "", 200},
	}
	admin.call("POST", lists+".json", `{"caller_list":{"name":"l"}}`, 201)
	admin.call("POST", lists+"/l/caller_list_numbers.json", `{"caller_list_number":{"number":"+15855752500"}}`, 201)
	for _, a := range actions {
		others := slices.DeleteFunc(CallerListPermissions(), func(p string) bool { return p == a.perm })
		v := admin.with(srv.AddCallerListKey(srv.CompanyID, Scope{}, others...)).call(a.method, lists+a.path, a.body, http.StatusForbidden)
		require.Equal(t, map[string]any{"error": "Forbidden"}, v, a.perm)
		if a.perm != PermCallerListShow {
			admin.with(srv.AddCallerListKey(srv.CompanyID, Scope{}, a.perm)).call(a.method, lists+a.path, a.body, http.StatusForbidden)
		}
		admin.with(srv.AddCallerListKey(srv.CompanyID, Scope{}, PermCallerListShow, a.perm)).call(a.method, lists+a.path, a.body, a.ok)
	}
	require.Len(t, CallerListPermissions(), 11)
}

// A key issued on a target or a campaign reaches only that one; a company key
// only its company's. An unknown target or campaign answers 404.
func TestCallerListKeyScopes(t *testing.T) {
	srv, target, campaign, otherTarget := listFixture(t)
	a := &api{t: t, srv: srv}
	second := num(a.obj(http.MethodPost, "/targets.json", obj{"target": obj{"number": "+15555550102"}}, http.StatusCreated, "target")["id"])
	c := newListClient(t, srv)
	all := CallerListPermissions()
	get := func(k *listClient, lists string, want int) {
		t.Helper()
		k.call(http.MethodGet, lists+"/l.json", "", want)
	}
	for _, lists := range []string{targetLists(target), targetLists(second), campaignLists(campaign)} {
		c.call(http.MethodPost, lists+".json", `{"caller_list":{"name":"l"}}`, 201)
	}

	onTarget := c.with(srv.AddCallerListKey(srv.CompanyID, Scope{TargetID: target}, all...))
	get(onTarget, targetLists(target), 200)
	get(onTarget, targetLists(second), 403)
	get(onTarget, campaignLists(campaign), 403)

	onCampaign := c.with(srv.AddCallerListKey(srv.CompanyID, Scope{CampaignID: campaign}, all...))
	get(onCampaign, campaignLists(campaign), 200)
	get(onCampaign, targetLists(target), 403)

	get(c, targetLists(otherTarget), 403)
	otherCompany := c.with(srv.AddCallerListKey(srv.CompanyIDs()[1], Scope{}, all...))
	get(otherCompany, targetLists(target), 403)
	otherCompany.call(http.MethodPost, targetLists(otherTarget)+".json", `{"caller_list":{"name":"l"}}`, 201)

	for _, k := range []*listClient{c, onTarget, onCampaign} {
		get(k, targetLists(424242), 404)
		get(k, campaignLists(424242), 404)
		get(k, campaignLists(target), 404) // a target id is no campaign id
		get(k, "/api/v2/targets/abc/caller_lists", 404)
	}
}

func TestAddCallerListKeyRefusesWhatCannotBe(t *testing.T) {
	srv, target, campaign, otherTarget := listFixture(t)
	for name, call := range map[string]func(){
		"no company":          func() { srv.AddCallerListKey(424242, Scope{}) },
		"target and campaign": func() { srv.AddCallerListKey(srv.CompanyID, Scope{TargetID: target, CampaignID: campaign}) },
		"unknown target":      func() { srv.AddCallerListKey(srv.CompanyID, Scope{TargetID: 424242}) },
		"other company's":     func() { srv.AddCallerListKey(srv.CompanyID, Scope{TargetID: otherTarget}) },
		"unknown campaign":    func() { srv.AddCallerListKey(srv.CompanyID, Scope{CampaignID: target}) },
		"unknown permission":  func() { srv.AddCallerListKey(srv.CompanyID, Scope{}, "caller_list__show", "caller_list__all") },
	} {
		require.Panics(t, call, name)
	}
	k1, s1 := srv.AddCallerListKey(srv.CompanyID, Scope{})
	k2, s2 := srv.AddCallerListKey(srv.CompanyID, Scope{})
	require.NotEqual(t, k1, k2)
	require.NotEqual(t, s1, s2)
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, k1)
}

// Issuing postback keys draws nothing from the generator of the other data:
// two servers seed the same calls whatever keys they issued.
func TestPostbackKeysLeaveSeededDataAlone(t *testing.T) {
	a, b := NewServer(), NewServer()
	defer a.Close()
	defer b.Close()
	a.AddCallerListKey(a.CompanyID, Scope{}, PermCallerListShow)
	a.AddCallDataKey(a.CompanyID)
	a.SeedCalls(5)
	b.SeedCalls(5)
	require.Equal(t, a.st.company(a.CompanyID).calls.ordered[4].uuid, b.st.company(b.CompanyID).calls.ordered[4].uuid)
}
