package retreaver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

const (
	clKeyUUID = "5f0b6b1e-3c2d-4e5f-8a9b-0c1d2e3f4a5b"
	clSecret  = "cl-s3cret-0123456789abcdef"
)

// newCallerListTestClient returns a caller list client whose requests go to an
// httpmock transport on the test API host, with retries off unless opts turn
// them on.
func newCallerListTestClient(t *testing.T, opts ...Option) (*CallerListClient, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	base := []Option{
		WithHTTPClient(&http.Client{Transport: mt}),
		WithBaseURL(testBaseURL),
		WithCompanyID(testCompany), // has no effect: no company_id is sent
		WithRetryPolicy(NoRetries),
	}
	c, err := NewCallerListClient(clKeyUUID, clSecret, append(base, opts...)...)
	require.NoError(t, err)
	return c, mt
}

// answerAll answers every request with status, body and header pairs, and
// records it.
func answerAll(mt *httpmock.MockTransport, status int, body string, headerPairs ...string) *recorder {
	return recordAll(mt, func(wireRequest) (*http.Response, error) {
		return newJSONResponse(status, body, headerPairs...), nil
	})
}

// assertCallerListWire checks a caller list request: the API host, method,
// escaped path, a query of exactly want plus key (no api_key, no company_id),
// the Bearer secret and the usual headers.
func assertCallerListWire(t *testing.T, got wireRequest, method, path string, want url.Values) {
	t.Helper()
	require.Equal(t, "api.test", got.Host, "host")
	require.Equal(t, method, got.Method, "method")
	require.Equal(t, path, got.Path, "path")
	q := url.Values{"key": {clKeyUUID}}
	for k, v := range want {
		q[k] = v
	}
	require.Equal(t, q, got.Query, "query")
	require.NotContains(t, got.RawURL, "api_key")
	require.NotContains(t, got.RawURL, "company_id")
	require.NotContains(t, got.RawURL, clSecret)
	require.Equal(t, "Bearer "+clSecret, got.Header.Get("Authorization"), "Authorization header")
	require.Equal(t, "application/json", got.Header.Get("Accept"), "Accept header")
	require.Contains(t, got.Header.Get("User-Agent"), "retreaver-go/"+Version)
}

// callerListCall is one method of CallerLists, with what it sends for the
// list "suppressed" and the number +15855752500.
type callerListCall struct {
	name   string
	method string
	path   string // under api/v2/{owner}s/{id}/caller_lists
	query  url.Values
	body   string // "" for none
	answer string // fixture
	perm   string // the permission a 403 names
}

func callerListCalls() []callerListCall {
	return []callerListCall{
		{"Create", "POST", ".json", nil, `{"caller_list":{"name":"suppressed"}}`, "caller_list_get.json", "caller_list__create"},
		{"Get", "GET", "/suppressed.json", nil, "", "caller_list_get.json", "caller_list__show"},
		{"Delete", "DELETE", "/suppressed.json", nil, "", "", "caller_list__delete"},
		{"Numbers", "GET", "/suppressed/caller_list_numbers.json", url.Values{"page": {"2"}, "per_page": {"100"}}, "", "caller_list_numbers.json", "caller_list_number__index"},
		{"AllNumbers", "GET", "/suppressed/caller_list_numbers.json", url.Values{"page": {"1"}, "per_page": {"100"}}, "", "caller_list_numbers.json", "caller_list_number__index"},
		{"AddNumber", "POST", "/suppressed/caller_list_numbers.json", nil, `{"caller_list_number":{"number":"+15855752500"}}`, "caller_list_number_documented.json", "caller_list_number__create"},
		{"RemoveNumber", "DELETE", "/suppressed/caller_list_numbers/+15855752500.json", nil, "", "", "caller_list_number__delete"},
		{"Contains", "GET", "/suppressed/caller_list_numbers/+15855752500.json", nil, "", "caller_list_number_documented.json", "caller_list_number__show"},
		{"Check", "POST", "/suppressed/caller_list_checks.json", nil, `{"caller_list_check":{"number":"+15855752500"}}`, "caller_list_check_repaired.json", "caller_list_check__create"},
		{"Upload", "POST", "/suppressed/caller_list_uploads.json", nil,
			`{"caller_list_upload":{"numbers":"+15855752500\n15855752501","action":"create","clear_before_upload":false}}`, "caller_list_upload.json", "caller_list_upload__create"},
	}
}

// call calls the method on the list "suppressed".
func (tc callerListCall) call(ctx context.Context, l *CallerLists) error {
	return callerListCallOn(ctx, l, tc.name, "suppressed")
}

func TestCallerListsWireForTargetsAndCampaigns(t *testing.T) {
	owners := []struct {
		prefix string
		lists  func(c *CallerListClient) *CallerLists
	}{
		{"/api/v2/targets/43103/caller_lists", func(c *CallerListClient) *CallerLists { return c.Target(43103) }},
		{"/api/v2/campaigns/2201/caller_lists", func(c *CallerListClient) *CallerLists { return c.Campaign(2201) }},
	}
	for _, o := range owners {
		for _, tc := range callerListCalls() {
			t.Run(o.prefix+"/"+tc.name, func(t *testing.T) {
				c, mt := newCallerListTestClient(t)
				body := ""
				if tc.answer != "" {
					body = fixture(t, tc.answer)
				}
				rec := answerAll(mt, 200, body)
				require.NoError(t, tc.call(context.Background(), o.lists(c)))
				w := rec.only(t)
				assertCallerListWire(t, w, tc.method, o.prefix+tc.path, tc.query)
				if tc.body == "" {
					assertNoBody(t, w)
				} else {
					assertJSONBody(t, w, tc.body)
				}
			})
		}
	}
}

func TestCallerListsEscapeNamesAndNumbers(t *testing.T) {
	c, mt := newCallerListTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		answer := "caller_list_number_documented.json"
		if !strings.Contains(w.Path, "/caller_list_numbers") {
			answer = "caller_list_get.json"
		}
		return httpmock.NewStringResponse(200, fixture(t, answer)), nil
	})
	lists := c.Target(7)
	ctx := context.Background()
	name, number := "book of business/VIP?#%", "+1 (585) 575-2500"
	const escName, escNumber = "book%20of%20business%2FVIP%3F%23%25", "+1%20%28585%29%20575-2500"

	_, err := lists.Get(ctx, name)
	require.NoError(t, err)
	ok, err := lists.Contains(ctx, name, number)
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, lists.RemoveNumber(ctx, name, number))
	_, err = lists.AddNumber(ctx, name, number)
	require.NoError(t, err)

	reqs := rec.all()
	require.Len(t, reqs, 4)
	assertCallerListWire(t, reqs[0], "GET", "/api/v2/targets/7/caller_lists/"+escName+".json", nil)
	assertCallerListWire(t, reqs[1], "GET", "/api/v2/targets/7/caller_lists/"+escName+"/caller_list_numbers/"+escNumber+".json", nil)
	assertCallerListWire(t, reqs[2], "DELETE", "/api/v2/targets/7/caller_lists/"+escName+"/caller_list_numbers/"+escNumber+".json", nil)
	assertCallerListWire(t, reqs[3], "POST", "/api/v2/targets/7/caller_lists/"+escName+"/caller_list_numbers.json", nil)
	assertJSONBody(t, reqs[3], `{"caller_list_number":{"number":"+1 (585) 575-2500"}}`)
}

func TestCallerListDecodesTheReferenceExamples(t *testing.T) {
	c, mt := newCallerListTestClient(t)
	ctx := context.Background()

	stub(t, mt, "GET", "api/v2/targets/43103/caller_lists/suppressed.json", 200, fixture(t, "caller_list_get.json"))
	got, err := c.Target(43103).Get(ctx, "suppressed")
	require.NoError(t, err)
	require.Equal(t, &CallerList{Name: "suppressed", CallerListableType: "Target", CallerListableID: 43103}, got)

	stub(t, mt, "POST", "api/v2/campaigns/2201/caller_lists.json", 201, fixture(t, "caller_list_create_documented.json"))
	got, err = c.Campaign(2201).Create(ctx, "book of business")
	require.NoError(t, err)
	require.Equal(t, &CallerList{Name: "book of business", CallerListableType: "Campaign", CallerListableID: 2201}, got)

	stub(t, mt, "POST", "api/v2/targets/43103/caller_lists/suppressed/caller_list_numbers.json", 201, fixture(t, "caller_list_number_documented.json"))
	num, err := c.Target(43103).AddNumber(ctx, "suppressed", "+15855752500")
	require.NoError(t, err)
	require.Equal(t, &CallerListNumber{Number: "+15855752500", CreatedAt: time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)}, num)

	stub(t, mt, "POST", "api/v2/targets/43103/caller_lists/suppressed/caller_list_uploads.json", 200, fixture(t, "caller_list_upload.json"))
	st, err := c.Target(43103).Upload(ctx, "suppressed", &CallerListUpload{Numbers: []string{"+15855752500", "15855752501"}})
	require.NoError(t, err)
	require.Equal(t, "Processing", st.Status)
	require.True(t, st.CreatedAt.Equal(time.Date(2025, 4, 30, 10, 29, 40, 100e6, time.UTC)), "created_at %v", st.CreatedAt)
	require.Empty(t, st.ErrorMessages)
	require.NotNil(t, st.ErrorMessages, "[] decodes to an empty list")
	require.False(t, st.ClearBeforeUpload)
	require.Equal(t, CallerListUploadCreate, st.Action)
	require.True(t, strings.HasPrefix(st.CSVFileURL, "https://retreaver.com/rails/active_storage/blobs/redirect/"))
	require.True(t, strings.HasSuffix(st.CSVFileURL, "/numbers_fb99fc78?disposition=attachment"))
}

func TestCallerListNumbersPageReadsTheHeaders(t *testing.T) {
	c, mt := newCallerListTestClient(t)
	link := `<https://api.retreaver.com/api/v2/targets/43103/caller_lists/suppressed/caller_list_numbers.json?key=x&page=2>; rel="next", ` +
		`<https://api.retreaver.com/api/v2/targets/43103/caller_lists/suppressed/caller_list_numbers.json?key=x&page=5>; rel="last"`
	rec := stub(t, mt, "GET", "api/v2/targets/43103/caller_lists/suppressed/caller_list_numbers.json", 200, fixture(t, "caller_list_numbers.json"),
		"Total", "2", "Per-Page", "100", "Link", link)
	p, err := c.Target(43103).Numbers(context.Background(), "suppressed", nil)
	require.NoError(t, err)
	assertCallerListWire(t, rec.only(t), "GET", "/api/v2/targets/43103/caller_lists/suppressed/caller_list_numbers.json", nil)
	require.Equal(t, 2, p.Total)
	require.Equal(t, 100, p.PerPage)
	require.Equal(t, 2, p.NextPage)
	require.Equal(t, 5, p.LastPage)
	require.True(t, p.HasNext())
	require.Equal(t, []*CallerListNumber{
		{Number: "+15855752500", CreatedAt: time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)},
		{Number: "+15855752501", CreatedAt: time.Date(2026, 6, 10, 12, 0, 1, 0, time.UTC)},
	}, p.Items)
}

func TestCallerListAllNumbersFollowsLinkWithTheKeyOnlyToTheBaseURL(t *testing.T) {
	c, mt := newCallerListTestClient(t)
	page := func(n int) string {
		return `[{"caller_list_number":{"number":"+1585575250` + string(rune('0'+n)) + `","created_at":"2026-06-10T12:00:00Z"}}]`
	}
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		resp := httpmock.NewStringResponse(200, page(map[string]int{"1": 1, "2": 2, "3": 3}[w.Query.Get("page")]))
		resp.Header.Set("Total", "3")
		resp.Header.Set("Per-Page", "1")
		switch w.Query.Get("page") {
		case "1":
			resp.Header.Set("Link", `<https://evil.example/x.json?key=stolen&page=2>; rel="next"`)
		case "2":
			resp.Header.Set("Link", `<https://evil.example/x.json?page=3>; rel="next", <https://evil.example/x.json?page=3>; rel="last"`)
		}
		return resp, nil
	})
	var got []string
	for n, err := range c.Campaign(9).AllNumbers(context.Background(), "vip") {
		require.NoError(t, err)
		got = append(got, n.Number)
	}
	require.Equal(t, []string{"+15855752501", "+15855752502", "+15855752503"}, got)
	reqs := rec.all()
	require.Len(t, reqs, 3)
	for i, w := range reqs {
		want := url.Values{"per_page": {"100"}, "page": {string(rune('1' + i))}}
		assertCallerListWire(t, w, "GET", "/api/v2/campaigns/9/caller_lists/vip/caller_list_numbers.json", want)
	}
}

func TestCallerListContainsMaps404ToFalse(t *testing.T) {
	c, mt := newCallerListTestClient(t)
	path := "api/v2/targets/43103/caller_lists/suppressed/caller_list_numbers/+15855752500.json"
	for _, tc := range []struct {
		status int
		body   string
		want   bool
	}{
		{200, fixture(t, "caller_list_number_documented.json"), true},
		{404, `{"error":"Not Found"}`, false},
		{404, ``, false},
	} {
		rec := stub(t, mt, "GET", path, tc.status, tc.body)
		ok, err := c.Target(43103).Contains(context.Background(), "suppressed", "+15855752500")
		require.NoError(t, err, "status %d", tc.status)
		require.Equal(t, tc.want, ok, "status %d", tc.status)
		assertCallerListWire(t, rec.only(t), "GET", "/"+path, nil)
	}

	stub(t, mt, "GET", path, 500, `{"error":"boom"}`)
	ok, err := c.Target(43103).Contains(context.Background(), "suppressed", "+15855752500")
	require.ErrorIs(t, err, ErrServer)
	require.False(t, ok)

	for _, body := range []string{`<html><body>Sign in</body></html>`, `{}`, `{"error":"Not found"}`, `[]`, `{"caller_list_number":null}`} {
		stub(t, mt, "GET", path, 200, body)
		ok, err = c.Target(43103).Contains(context.Background(), "suppressed", "+15855752500")
		require.ErrorIs(t, err, ErrUnexpectedResponse, "%s is no answer", body)
		require.False(t, ok)
	}
}

func TestCallerListCheckReadsPresentAndNotPresent(t *testing.T) {
	c, mt := newCallerListTestClient(t)
	path := "api/v2/targets/43103/caller_lists/suppressed/caller_list_checks.json"
	for _, tc := range []struct {
		fixture string
		want    bool
	}{
		{"caller_list_check_repaired.json", true},
		{"caller_list_check_not_present_documented.json", false},
	} {
		stub(t, mt, "POST", path, 200, fixture(t, tc.fixture))
		ok, err := c.Target(43103).Check(context.Background(), "suppressed", "+15855752500")
		require.NoError(t, err, tc.fixture)
		require.Equal(t, tc.want, ok, tc.fixture)
	}
	for _, body := range []string{
		fixture(t, "caller_list_check.json"), // verbatim: a trailing comma
		`{"caller_list_check":{"status":"maybe"}}`,
		`{"caller_list_check":{}}`,
		`{"status":"present"}`,
		``,
	} {
		stub(t, mt, "POST", path, 200, body)
		ok, err := c.Target(43103).Check(context.Background(), "suppressed", "+15855752500")
		require.ErrorIs(t, err, ErrUnexpectedResponse, "body %q", body)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		require.False(t, ok)
	}
	stub(t, mt, "POST", path, 404, `{"error":"Not Found"}`)
	_, err := c.Target(43103).Check(context.Background(), "suppressed", "+15855752500")
	require.ErrorIs(t, err, ErrNotFound, "a missing list is an error, not false")
}

func TestCallerListForbiddenNamesThePermission(t *testing.T) {
	for _, owner := range []string{"target", "campaign"} {
		for _, tc := range callerListCalls() {
			c, mt := newCallerListTestClient(t)
			answerAll(mt, 403, `{"error":"Forbidden"}`)
			lists := c.Target(43103)
			if owner == "campaign" {
				lists = c.Campaign(43103)
			}
			err := tc.call(context.Background(), lists)
			require.ErrorIs(t, err, ErrForbidden, tc.name)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr, tc.name)
			require.Contains(t, apiErr.Hint, tc.perm, tc.name)
			require.Contains(t, apiErr.Hint, "caller_list__show", tc.name)
			require.Contains(t, apiErr.Hint, "single "+owner, tc.name)
			require.Contains(t, err.Error(), tc.perm, "Error() prints the hint")
			require.Contains(t, err.Error(), "Forbidden")
		}
	}
	// Other statuses carry no hint.
	c, mt := newCallerListTestClient(t)
	answerAll(mt, 401, `{"error":"Unauthorized"}`)
	_, err := c.Target(1).Get(context.Background(), "x")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Empty(t, apiErr.Hint)
}

func TestCallerListValidationSendsNothing(t *testing.T) {
	for _, tc := range []struct{ key, secret string }{
		{"", clSecret}, {clKeyUUID, ""}, {" ", clSecret}, {clKeyUUID, "  "},
		{clKeyUUID + " x", clSecret}, {clKeyUUID, "a\nb"}, {"\t" + clKeyUUID, clSecret},
	} {
		_, err := NewCallerListClient(tc.key, tc.secret)
		require.ErrorIs(t, err, ErrInvalidArgument, "%q %q", tc.key, tc.secret)
	}
	_, err := NewCallerListClient(clKeyUUID, clSecret, WithBaseURL("ftp://x"))
	require.ErrorIs(t, err, ErrInvalidArgument)

	c, mt := newCallerListTestClient(t)
	rec := recordAll(mt, nil)
	ctx := context.Background()
	good := c.Target(1)
	var nilLists *CallerLists
	calls := map[string]func() error{}
	for i, bad := range []*CallerLists{c.Target(0), c.Campaign(-3), nilLists, {}} {
		for _, tc := range callerListCalls() {
			calls[tc.name+" on lists "+string(rune('0'+i))] = func() error { return tc.call(ctx, bad) }
		}
	}
	for _, name := range []string{"", " ", "\t", ".", "..", " .. "} {
		calls["Create "+name] = func() error { _, err := good.Create(ctx, name); return err }
		calls["Get "+name] = func() error { _, err := good.Get(ctx, name); return err }
		calls["Delete "+name] = func() error { return good.Delete(ctx, name) }
		calls["Numbers "+name] = func() error { _, err := good.Numbers(ctx, name, nil); return err }
		calls["AllNumbers "+name] = func() error {
			for _, err := range good.AllNumbers(ctx, name) {
				return err
			}
			return nil
		}
		calls["AddNumber name "+name] = func() error { _, err := good.AddNumber(ctx, name, "+15855752500"); return err }
		calls["AddNumber number "+name] = func() error { _, err := good.AddNumber(ctx, "l", name); return err }
		calls["RemoveNumber "+name] = func() error { return good.RemoveNumber(ctx, "l", name) }
		calls["Contains "+name] = func() error { _, err := good.Contains(ctx, "l", name); return err }
		calls["Check "+name] = func() error { _, err := good.Check(ctx, "l", name); return err }
		calls["Upload "+name] = func() error {
			_, err := good.Upload(ctx, name, &CallerListUpload{Numbers: []string{"+15855752500"}})
			return err
		}
	}
	for i, opts := range []*CallerListNumberOptions{{PerPage: 101}, {PerPage: -1}, {ListOptions: ListOptions{Page: -1}}} {
		calls["Numbers options "+string(rune('0'+i))] = func() error { _, err := good.Numbers(ctx, "l", opts); return err }
	}
	for i, up := range []*CallerListUpload{nil, {}, {Numbers: []string{}}, {Numbers: []string{""}},
		{Numbers: []string{"+15855752500", " "}}, {Numbers: []string{"+15855752500\n+15855752501"}},
		{Numbers: []string{"+15855752500\r"}}, {Numbers: []string{"+15855752500"}, Action: "replace"},
		{Numbers: []string{"+15855752500"}, Action: "Create"}} {
		calls["Upload "+string(rune('a'+i))] = func() error { _, err := good.Upload(ctx, "l", up); return err }
	}
	calls["nil context"] = func() error {
		//lint:ignore SA1012 a nil context is refused, not sent
		_, err := good.Get(nil, "l")
		return err
	}
	for name, call := range calls {
		require.ErrorIs(t, call(), ErrInvalidArgument, name)
	}
	require.Empty(t, rec.all(), "requests sent")
	noRequests(t, mt)
}

func TestCallerListUploadBody(t *testing.T) {
	c, mt := newCallerListTestClient(t)
	rec := answerAll(mt, 200, fixture(t, "caller_list_upload.json"))
	_, err := c.Campaign(5).Upload(context.Background(), "vip", &CallerListUpload{
		Numbers: []string{"+15855752500"}, Action: CallerListUploadDelete, ClearBeforeUpload: true,
	})
	require.NoError(t, err)
	w := rec.only(t)
	assertCallerListWire(t, w, "POST", "/api/v2/campaigns/5/caller_lists/vip/caller_list_uploads.json", nil)
	assertJSONBody(t, w, `{"caller_list_upload":{"numbers":"+15855752500","action":"delete","clear_before_upload":true}}`)
}

func TestCallerListPOSTsAreNotRetriedOnServerErrors(t *testing.T) {
	c, mt := newCallerListTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond}))
	rec := answerAll(mt, 503, `{"error":"down"}`)
	_, err := c.Target(1).Create(context.Background(), "l")
	require.ErrorIs(t, err, ErrServer)
	require.Len(t, rec.all(), 1, "a POST is sent once on a 503")

	c, mt = newCallerListTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond}))
	rec = answerAll(mt, 503, `{"error":"down"}`)
	_, err = c.Target(1).Get(context.Background(), "l")
	require.ErrorIs(t, err, ErrServer)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	require.Equal(t, 3, apiErr.Attempts)
	require.Len(t, rec.all(), 3, "a GET is retried")
}

// callerListEcho answers caller list requests by echoing the key's UUID and
// secret; the list name picks how (see rtbEcho). It fails the test if a
// request carries an api_key or a company_id.
func callerListEcho(t *testing.T, evilURL string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("api_key") || r.URL.Query().Has("company_id") {
			t.Errorf("caller list request carries an api_key or company_id: %s", r.URL)
		}
		echo := r.URL.Query().Get("key") + " " + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		var mode string
		if _, rest, ok := strings.Cut(r.URL.Path, "/caller_lists/"); ok {
			mode, _, _ = strings.Cut(strings.TrimSuffix(rest, ".json"), "/")
		} else { // Create: the name is in the body
			var body struct {
				CallerList struct{ Name string } `json:"caller_list"`
			}
			_ = json.NewDecoder(r.Body).Decode(&body)
			mode = body.CallerList.Name
		}
		switch mode {
		case "html":
			echoBody(w, r, 200, 2, echo)
		case "json-status":
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"caller_list_check": map[string]any{"status": echo},
				"caller_list": map[string]any{"name": echo, "caller_listable_id": echo}})
		case "redirect":
			http.Redirect(w, r, evilURL+"/x.json?stolen="+url.QueryEscape(echo), http.StatusFound)
		default:
			code, _ := strconv.Atoi(mode)
			echoBody(w, r, code/10, code%10, echo)
		}
	}
}

func TestRedactionCallerLists(t *testing.T) {
	evil := noOtherHost(t)
	defer evil.Close()
	srv := httptest.NewServer(callerListEcho(t, evil.URL))
	defer srv.Close()
	modes := []string{"html", "json-status", "redirect"}
	for _, code := range []int{400, 401, 403, 404, 422, 429, 500, 503} {
		for v := 0; v < 4; v++ {
			modes = append(modes, strconv.Itoa(code*10+v))
		}
	}
	errs := 0
	for i, mode := range modes {
		keyUUID, secret := keyN(t, 2*i), keyN(t, 2*i+1)
		logger, logs := debugLogger()
		c, err := NewCallerListClient(keyUUID, secret, WithBaseURL(srv.URL), WithLogger(logger),
			WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond}))
		require.NoError(t, err)
		for _, tc := range callerListCalls() {
			if err := callerListCallOn(context.Background(), c.Target(int64(i+1)), tc.name, mode); err != nil {
				errs++
				requireErrorFree(t, err, keyUUID, secret)
			}
		}
		require.NotEmpty(t, logs.String())
		requireTextFree(t, "debug log", logs.String(), keyUUID, secret)
	}
	require.Greater(t, errs, 8*len(modes), "nearly every call fails")
}

// callerListCallOn calls the method name on the list list.
func callerListCallOn(ctx context.Context, l *CallerLists, name, list string) error {
	const n = "+15855752500"
	var err error
	switch name {
	case "Create":
		_, err = l.Create(ctx, list)
	case "Get":
		_, err = l.Get(ctx, list)
	case "Delete":
		err = l.Delete(ctx, list)
	case "Numbers":
		_, err = l.Numbers(ctx, list, &CallerListNumberOptions{ListOptions: ListOptions{Page: 2}, PerPage: 100})
	case "AllNumbers":
		for _, err = range l.AllNumbers(ctx, list) {
			if err != nil {
				break
			}
		}
	case "AddNumber":
		_, err = l.AddNumber(ctx, list, n)
	case "RemoveNumber":
		err = l.RemoveNumber(ctx, list, n)
	case "Contains":
		_, err = l.Contains(ctx, list, n)
	case "Check":
		_, err = l.Check(ctx, list, n)
	case "Upload":
		_, err = l.Upload(ctx, list, &CallerListUpload{Numbers: []string{n, "15855752501"}})
	default:
		panic("no method " + name)
	}
	return err
}

func TestPrintingACallerListClientShowsNoCredential(t *testing.T) {
	for i := 0; i < 10; i++ {
		keyUUID, secret := keyN(t, 2*i), keyN(t, 2*i+1)
		c, err := NewCallerListClient(keyUUID, secret)
		require.NoError(t, err)
		lists := c.Campaign(12)
		holder := struct {
			C *CallerListClient
			L *CallerLists
			V CallerListClient
			W CallerLists
		}{c, lists, *c, *lists}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			for _, v := range []any{c, lists, *c, *lists, holder} {
				requireTextFree(t, "printed with "+verb, fmt.Sprintf(verb, v), keyUUID, secret)
			}
		}
		require.Equal(t, "retreaver.CallerListClient{BaseURL: https://api.retreaver.com/}", fmt.Sprint(c))
		require.Equal(t, "retreaver.CallerLists{campaign 12}", fmt.Sprintf("%#v", lists))
	}
}
