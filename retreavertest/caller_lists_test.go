package retreavertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A list lives on a target or a campaign, independently of a list of the same
// name elsewhere.
func TestCallerListLifecycle(t *testing.T) {
	srv, target, campaign, _ := listFixture(t)
	c := newListClient(t, srv)
	for _, o := range []struct {
		lists, kind string
		id          int64
	}{{targetLists(target), "Target", target}, {campaignLists(campaign), "Campaign", campaign}} {
		want := map[string]any{"caller_list": map[string]any{"name": "suppressed", "caller_listable_type": o.kind,
			"caller_listable_id": float64(o.id)}}
		require.Equal(t, want, c.call("POST", o.lists+".json", `{"caller_list":{"name":"suppressed"}}`, 201))
		require.Equal(t, want, c.call("GET", o.lists+"/suppressed.json", "", 200))

		errs := c.call("POST", o.lists+".json", `{"caller_list":{"name":"suppressed"}}`, 422)
		require.Equal(t, map[string]any{"errors": map[string]any{"name": []any{"has already been taken"}}}, errs)
		for _, body := range []string{`{"caller_list":{"name":" "}}`, `{"caller_list":{}}`, `{}`} {
			errs = c.call("POST", o.lists+".json", body, 422)
			require.Equal(t, map[string]any{"errors": map[string]any{"name": []any{"can't be blank"}}}, errs, body)
		}
		c.call("GET", o.lists+"/missing.json", "", 404)
	}
	// Deleting the target's list leaves the campaign's.
	status, _, data := c.raw("DELETE", targetLists(target)+"/suppressed.json", nil, "")
	require.Equal(t, 200, status)
	require.Empty(t, data)
	c.call("GET", targetLists(target)+"/suppressed.json", "", 404)
	c.call("DELETE", targetLists(target)+"/suppressed.json", "", 404)
	c.call("GET", campaignLists(campaign)+"/suppressed.json", "", 200)

	status, header, _ := c.raw("PUT", campaignLists(campaign)+"/suppressed.json", nil, `{}`)
	require.Equal(t, http.StatusMethodNotAllowed, status)
	require.Equal(t, "DELETE, GET", header.Get("Allow"))
}

func TestCallerListNumbers(t *testing.T) {
	srv, target, _, _ := listFixture(t)
	c := newListClient(t, srv)
	lists := targetLists(target)
	c.call("POST", lists+".json", `{"caller_list":{"name":"vip"}}`, 201)
	numbers := lists + "/vip/caller_list_numbers"

	before := time.Now().UTC().Add(-time.Second)
	v := c.call("POST", numbers+".json", `{"caller_list_number":{"number":"5855752500"}}`, 201).(map[string]any)
	n := v["caller_list_number"].(map[string]any)
	require.Len(t, n, 2)
	require.Equal(t, "+15855752500", n["number"], "a number without its country code takes +1")
	at, err := time.Parse(time.RFC3339Nano, n["created_at"].(string))
	require.NoError(t, err)
	require.True(t, at.After(before))
	require.True(t, strings.HasSuffix(n["created_at"].(string), "Z"))

	require.Equal(t, v, c.call("GET", numbers+"/+15855752500.json", "", 200))
	require.Equal(t, v, c.call("GET", numbers+"/15855752500.json", "", 200), "the path's number is read like the body's")
	for body, field := range map[string]string{
		`{"caller_list_number":{"number":"+15855752500"}}`:      "has already been taken",
		`{"caller_list_number":{"number":"1-585-575-2500"}}`:    "has already been taken",
		`{"caller_list_number":{"number":"555-0100"}}`:          "is invalid",
		`{"caller_list_number":{"number":"not a number"}}`:      "is invalid",
		`{"caller_list_number":{"number":""}}`:                  "can't be blank",
		`{"caller_list_number":{}}`:                             "can't be blank",
		`{"caller_list_number":{"number":"+4420123456789012"}}`: "is invalid",
	} {
		errs := c.call("POST", numbers+".json", body, 422)
		require.Equal(t, map[string]any{"errors": map[string]any{"number": []any{field}}}, errs, body)
	}

	check := func(number, want string) {
		t.Helper()
		got := c.call("POST", lists+"/vip/caller_list_checks.json", `{"caller_list_check":{"number":"`+number+`"}}`, 200)
		require.Equal(t, map[string]any{"caller_list_check": map[string]any{"status": want}}, got, number)
	}
	check("+15855752500", "present")
	check("(585) 575-2500", "present")
	check("+15855752501", "not-present")
	check("", "not-present")
	c.call("GET", numbers+"/+15855752501.json", "", 404)
	c.call("POST", lists+"/missing/caller_list_checks.json", `{"caller_list_check":{"number":"+15855752500"}}`, 404)
	c.call("GET", lists+"/missing/caller_list_numbers/+15855752500.json", "", 404)

	status, _, data := c.raw("DELETE", numbers+"/+15855752500.json", nil, "")
	require.Equal(t, 200, status)
	require.Empty(t, data)
	c.call("DELETE", numbers+"/+15855752500.json", "", 404)
	c.call("GET", numbers+"/+15855752500.json", "", 404)
	check("+15855752500", "not-present")
}

// Names and numbers are escaped path segments: %2F stays in one segment, a
// literal "+" stays "+".
func TestCallerListEscapedPaths(t *testing.T) {
	srv, target, _, _ := listFixture(t)
	c := newListClient(t, srv)
	lists := targetLists(target)
	name := "book of business/VIP?#%+"
	esc := url.PathEscape(name)
	require.Equal(t, "book%20of%20business%2FVIP%3F%23%25+", esc)
	c.call("POST", lists+".json", `{"caller_list":{"name":"`+name+`"}}`, 201)
	got := c.call("GET", lists+"/"+esc+".json", "", 200).(map[string]any)["caller_list"].(map[string]any)
	require.Equal(t, name, got["name"])
	// An unescaped slash makes another path, which no route serves (and an
	// unknown path asks for the api_key).
	v := c.call("GET", lists+"/book%20of%20business/VIP%3F%23%25+.json", "", 401)
	require.Equal(t, "Invalid or missing api_key", v.(map[string]any)["error"])

	c.call("POST", lists+"/"+esc+"/caller_list_numbers.json", `{"caller_list_number":{"number":"+1 (585) 575-2500"}}`, 201)
	for _, p := range []string{"+15855752500", "%2B15855752500", "+1%20%28585%29%20575-2500"} {
		c.call("GET", lists+"/"+esc+"/caller_list_numbers/"+p+".json", "", 200)
	}
	// A "+" in a path is no space (a number would read the same either way;
	// a name does not).
	c.call("POST", lists+".json", `{"caller_list":{"name":"a+b"}}`, 201)
	c.call("GET", lists+"/a+b.json", "", 200)
	c.call("GET", lists+"/a%2Bb.json", "", 200)
	c.call("GET", lists+"/a%20b.json", "", 404)
}

// Numbers are listed newest first, 25 a page by default and at most 100, with
// the Total, Per-Page and Link headers.
func TestCallerListNumbersPaging(t *testing.T) {
	srv, _, campaign, _ := listFixture(t)
	c := newListClient(t, srv)
	lists := campaignLists(campaign)
	c.call("POST", lists+".json", `{"caller_list":{"name":"big"}}`, 201)
	var numbers []string
	for i := range 230 {
		numbers = append(numbers, fmt.Sprintf("+1585575%04d", i))
	}
	// Half one by one, half in an upload: the upload's are the newest.
	for _, n := range numbers[:115] {
		c.call("POST", lists+"/big/caller_list_numbers.json", `{"caller_list_number":{"number":"`+n+`"}}`, 201)
	}
	c.call("POST", lists+"/big/caller_list_uploads.json",
		`{"caller_list_upload":{"numbers":"`+strings.Join(numbers[115:], `\n`)+`"}}`, 200)

	page := func(query url.Values) ([]string, []time.Time, http.Header) {
		t.Helper()
		status, header, data := c.raw("GET", lists+"/big/caller_list_numbers.json", query, "")
		require.Equal(t, 200, status, "%s", data)
		var items []map[string]map[string]string
		require.NoError(t, json.Unmarshal(data, &items))
		var got []string
		var ats []time.Time
		for _, it := range items {
			require.Len(t, it, 1)
			n := it["caller_list_number"]
			got = append(got, n["number"])
			at, err := time.Parse(time.RFC3339Nano, n["created_at"])
			require.NoError(t, err)
			ats = append(ats, at)
		}
		return got, ats, header
	}
	got, _, header := page(nil)
	require.Len(t, got, 25)
	require.Equal(t, numbers[229], got[0], "newest first")
	require.Equal(t, "230", header.Get("Total"))
	require.Equal(t, "25", header.Get("Per-Page"))
	l := parseLinks(t, header.Get("Link"))
	require.Equal(t, []string{"first", "next", "last"}, l.rels)
	require.Equal(t, "10", l.byRel["last"].Query().Get("page"))
	require.Equal(t, srv.CallerListKey, l.byRel["next"].Query().Get("key"))

	var all []string
	var times []time.Time
	for p := 1; ; p++ {
		got, ats, header := page(url.Values{"per_page": {"500"}, "page": {strconv.Itoa(p)}})
		require.Equal(t, "100", header.Get("Per-Page"), "per_page is at most 100")
		if len(got) == 0 {
			require.Equal(t, 4, p)
			break
		}
		all, times = append(all, got...), append(times, ats...)
	}
	require.Len(t, all, 230)
	for i, n := range all {
		require.Equal(t, numbers[229-i], n)
		if i > 0 {
			require.False(t, times[i].After(times[i-1]), "created_at never increases")
		}
	}
}

func TestCallerListUploads(t *testing.T) {
	srv, target, _, _ := listFixture(t)
	c := newListClient(t, srv)
	lists := targetLists(target)
	c.call("POST", lists+".json", `{"caller_list":{"name":"up"}}`, 201)
	upload := func(body string, want int) map[string]any {
		t.Helper()
		v := c.call("POST", lists+"/up/caller_list_uploads.json", body, want).(map[string]any)
		if want != 200 {
			return v
		}
		return v["caller_list_upload"].(map[string]any)
	}
	contents := func() []string {
		t.Helper()
		var out []string
		status, _, data := c.raw("GET", lists+"/up/caller_list_numbers.json", url.Values{"per_page": {"100"}}, "")
		require.Equal(t, 200, status)
		var items []map[string]map[string]string
		require.NoError(t, json.Unmarshal(data, &items))
		for _, it := range items {
			out = append(out, it["caller_list_number"]["number"])
		}
		return out
	}

	before := time.Now().UTC().Add(-time.Second)
	st := upload(`{"caller_list_upload":{"numbers":"+15855752500\n15855752501\r\n\n  5855752502 \nnonsense\n+15855752500"}}`, 200)
	require.Equal(t, "Processing", st["status"])
	require.Equal(t, []any{}, st["error_messages"])
	require.Equal(t, false, st["clear_before_upload"])
	require.Equal(t, "create", st["action"])
	require.Regexp(t, `^`+srv.URL+`/rails/active_storage/blobs/redirect/[0-9a-f]+/numbers_[0-9a-f]{8}\?disposition=attachment$`, st["csv_file_url"])
	at, err := time.Parse(time.RFC3339Nano, st["created_at"].(string))
	require.NoError(t, err)
	require.True(t, at.After(before))
	require.Equal(t, []string{"+15855752502", "+15855752501", "+15855752500"}, contents(), "processed at once, newest first")

	st = upload(`{"caller_list_upload":{"numbers":"+15855752501\n+15855759999","action":"delete"}}`, 200)
	require.Equal(t, "delete", st["action"])
	require.Equal(t, []string{"+15855752502", "+15855752500"}, contents())

	st = upload(`{"caller_list_upload":{"numbers":"+15855752600","action":"create","clear_before_upload":true}}`, 200)
	require.Equal(t, true, st["clear_before_upload"])
	require.Equal(t, []string{"+15855752600"}, contents())
	upload(`{"caller_list_upload":{"numbers":"+15855752600","action":"delete","clear_before_upload":"true"}}`, 200)
	require.Empty(t, contents())

	require.Equal(t, map[string]any{"errors": map[string]any{"action": []any{"is not included in the list"}}},
		upload(`{"caller_list_upload":{"numbers":"+15855752500","action":"replace"}}`, 422))
	require.Equal(t, map[string]any{"errors": map[string]any{"numbers": []any{"can't be blank"}}},
		upload(`{"caller_list_upload":{"numbers":"  "}}`, 422))
	require.Empty(t, contents(), "a refused upload changes nothing")
	c.call("POST", lists+"/missing/caller_list_uploads.json", `{"caller_list_upload":{"numbers":"+15855752500"}}`, 404)
}
