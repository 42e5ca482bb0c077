package retreaver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// maxDecodeMultiple is the promise of the README: decoding an answer, reading
// its body included, allocates at most this many times the body's size.
const maxDecodeMultiple = 32

// hostileBody fills about size bytes with prefix, elements and suffix. Each
// element is elem with "#" replaced by its index and "@" by an unknown key
// (which decoding skips without allocating) padded so that the element takes
// exactly width bytes, its comma included: the densest shape the size checks
// let through, or a denser one.
func hostileBody(size int, prefix, elem string, width int, suffix string) []byte {
	var b strings.Builder
	b.WriteString(prefix)
	for i := 0; b.Len() < size-len(suffix)-width; i++ {
		e := strings.ReplaceAll(elem, "#", fmt.Sprint(i))
		if at := strings.IndexByte(e, '@'); at >= 0 {
			pad := `"z":"`
			rest := e[at+1:]
			tail := `"`
			if !strings.HasPrefix(rest, "}") {
				tail = `",`
			}
			fill := width - 1 - (len(e) - 1) - len(pad) - len(tail)
			e = e[:at] + pad + strings.Repeat("p", max(fill, 0)) + tail + rest
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(e)
	}
	b.WriteString(suffix)
	return []byte(b.String())
}

func TestDecodingAllocatesAtMostAFewTimesTheBody(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates for itself; .ci/run runs this test without it")
	}
	const size = 1 << 20
	ctx := context.Background()
	list := func(kind string) func(c *Client) error {
		return map[string]func(c *Client) error{
			"calls":         func(c *Client) error { _, err := c.Calls.List(ctx, nil); return err },
			"targets":       func(c *Client) error { _, err := c.Targets.List(ctx, nil); return err },
			"campaigns":     func(c *Client) error { _, err := c.Campaigns.List(ctx, nil); return err },
			"target groups": func(c *Client) error { _, err := c.TargetGroups.List(ctx, nil); return err },
			"contacts":      func(c *Client) error { _, err := c.Contacts.List(ctx, nil); return err },
			"report":        func(c *Client) error { _, err := c.Reports.Get(ctx, validReportOptions()); return err },
			"rtb inbounds":  func(c *Client) error { _, err := c.RTBInbounds.List(ctx, nil); return err },
			"rtb filters": func(c *Client) error {
				_, _, err := c.RTBInbounds.ListWithFilters(ctx, nil)
				return err
			},
			"pbm tables": func(c *Client) error { _, err := c.PBMTables.List(ctx, 1); return err },
			"caller list numbers": func(c *Client) error {
				lists, err := NewCallerListClient("5f2b9c1e-7a4d-4e3f-8b0a-9c2d4e6f8a1b", "s3cret",
					WithHTTPClient(c.cfg.httpClient), WithBaseURL(testBaseURL), WithRetryPolicy(NoRetries))
				if err != nil {
					return err
				}
				_, err = lists.Target(1).Numbers(ctx, "list", nil)
				return err
			},
		}[kind]
	}
	for _, tc := range []struct {
		name, kind           string
		prefix, elem, suffix string
		width                int
		rejected             bool // the size checks refuse it before decoding
	}{
		// Reported: a page of empty objects, of empty calls, and a body just under the bound.
		{name: "empty objects", kind: "calls", prefix: "[", elem: "{}", width: 3, suffix: "]", rejected: true},
		{name: "empty calls", kind: "calls", prefix: "[", elem: `{"call":{}}`, width: 12, suffix: "]", rejected: true},
		{name: "more calls than a page", kind: "calls", prefix: "[", elem: `{"call":{"uuid":"#"}}`, width: 64, suffix: "]", rejected: true},
		{name: "a page of small calls", kind: "calls", prefix: "[", elem: `{"call":{@"uuid":"#"}}`, width: size / 1000, suffix: "]"},
		// Nested lists of objects at the densest shape allowed, and denser.
		{name: "fired pixels", kind: "calls", prefix: `[{"call":{"fired_pixels":[`, elem: `{@}`, width: bytesPerObject, suffix: "]}}]"},
		{name: "wrapped fired pixels", kind: "calls", prefix: `[{"call":{"fired_pixels":[`, elem: `{"fired_pixel":{@"status":"#"}}`, width: 2 * bytesPerObject, suffix: "]}}]"},
		{name: "dense fired pixels", kind: "calls", prefix: `[{"call":{"fired_pixels":[`, elem: `{}`, width: 8, suffix: "]}}]", rejected: true},
		{name: "business hours", kind: "targets", prefix: `[{"target":{"business_hours":[`, elem: `{@}`, width: bytesPerObject, suffix: "]}}]"},
		{name: "caps", kind: "targets", prefix: `[{"target":{"caps":[`, elem: `{@}`, width: bytesPerObject, suffix: "]}}]"},
		{name: "tag values", kind: "targets", prefix: `[{"target":{"tag_values":[`, elem: `{@}`, width: bytesPerObject, suffix: "]}}]"},
		{name: "target groups of a target", kind: "targets", prefix: `[{"target":{"target_groups":[`, elem: `{@}`, width: bytesPerObject, suffix: "]}}]"},
		{name: "conversion groups", kind: "targets", prefix: `[{"target":{"conversion_groups":[`, elem: `{@}`, width: bytesPerObject, suffix: "]}}]"},
		{name: "timers", kind: "campaigns", prefix: `[{"campaign":{"timers":[`, elem: `{@}`, width: bytesPerObject, suffix: "]}}]"},
		{name: "menu options", kind: "campaigns", prefix: `[{"campaign":{"menu_options":[`, elem: `{@}`, width: bytesPerObject, suffix: "]}}]"},
		{name: "group members", kind: "target groups", prefix: `[{"target_group":{"targets":[`, elem: `{@}`, width: bytesPerObject, suffix: "]}}]"},
		{name: "contact numbers", kind: "contacts", prefix: `[{"contact":{"contact_numbers":[`, elem: `{@}`, width: bytesPerObject, suffix: "]}}]"},
		{name: "report rows", kind: "report", prefix: `{"count":1,"count_total":1,"data":[`, elem: `{@}`, width: bytesPerObject, suffix: "]}"},
		// Times that parse only leniently, which decode twice.
		{name: "a page of calls with lenient times", kind: "calls", prefix: "[", elem: `{"call":{@"uuid":"#","created_at":"2024-11-04 16:52:18"}}`, width: size / 1000, suffix: "]"},
		{name: "fired pixels with lenient times", kind: "calls", prefix: `[{"call":{"fired_pixels":[`, elem: `{@"created_at":"2024-11-04 16:52:18"}`, width: 2 * bytesPerObject, suffix: "]}}]"},
		{name: "dense lenient times", kind: "calls", prefix: `[{"call":{"fired_pixels":[`, elem: `{"created_at":"2024-11-04 16:52:18"}`, width: 38, suffix: "]}}]"},
		{name: "dense lenient times in group members", kind: "target groups", prefix: `[{"target_group":{"targets":[`, elem: `{"created_at":"2024-11-04 16:52:18"}`, width: 38, suffix: "]}}]"},
		{name: "dense lenient times in contact numbers", kind: "contacts", prefix: `[{"contact":{"contact_numbers":[`, elem: `{"created_at":"2024-11-04 16:52:18"}`, width: 38, suffix: "]}}]"},
		{name: "dense lenient times, no zone", kind: "calls", prefix: `[{"call":{"fired_pixels":[`, elem: `{"created_at":"2024-11-04T16:52:18"}`, width: 38, suffix: "]}}]"},
		// Lists of scalars and maps at the densest shape allowed, and denser.
		{name: "keys pressed", kind: "calls", prefix: `[{"call":{"keys_pressed":[`, elem: `"ab"`, width: bytesPerElement, suffix: "]}}]"},
		{name: "tiny keys pressed", kind: "calls", prefix: `[{"call":{"keys_pressed":[`, elem: `""`, width: 3, suffix: "]}}]", rejected: true},
		{name: "nulls", kind: "calls", prefix: `[{"call":{"downstream_call_uuids":[`, elem: `null`, width: bytesPerElement, suffix: "]}}]"},
		{name: "group ids", kind: "targets", prefix: `[{"target":{"target_group_ids":[`, elem: `1234`, width: bytesPerElement, suffix: "]}}]"},
		{name: "tags", kind: "calls", prefix: `[{"call":{"tags":{`, elem: `"#":""`, width: 8, suffix: "}}}]"},
		// The other shapes: RTB inbounds (rows under a root key, and the filters
		// object), PBM tables (a bare list), caller list numbers.
		{name: "more rtb inbounds than a page", kind: "rtb inbounds", prefix: `{"rtb_inbounds":[`, elem: `{@}`, width: bytesPerObject, suffix: "]}", rejected: true},
		{name: "rtb inbounds filters", kind: "rtb filters", prefix: `{"rtb_inbounds":[],"filters":{"campaigns":[`, elem: `1234`, width: bytesPerElement, suffix: "]}}"},
		{name: "rtb inbounds filters, unread", kind: "rtb inbounds", prefix: `{"rtb_inbounds":[],"filters":{"campaigns":[`, elem: `1234`, width: bytesPerElement, suffix: "]}}"},
		{name: "pbm tables", kind: "pbm tables", prefix: `[`, elem: `{@}`, width: bytesPerObject, suffix: "]"},
		{name: "caller list numbers", kind: "caller list numbers", prefix: `[`, elem: `{"caller_list_number":{@"number":"#"}}`, width: 64, suffix: "]", rejected: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := hostileBody(size, tc.prefix, tc.elem, tc.width, tc.suffix)
			require.True(t, json.Valid(body))
			mt := httpmock.NewMockTransport()
			mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
				resp := httpmock.NewBytesResponse(http.StatusOK, body)
				resp.Request = req
				return resp, nil
			})
			c, err := NewClient(testKey, WithHTTPClient(&http.Client{Transport: mt}), WithBaseURL(testBaseURL), WithRetryPolicy(NoRetries))
			require.NoError(t, err)
			var callErr error
			n := allocated(func() { callErr = list(tc.kind)(c) })
			multiple := float64(n) / float64(len(body))
			t.Logf("%d bytes: %.1f times the body allocated (%v)", len(body), multiple, callErr)
			require.LessOrEqual(t, multiple, float64(maxDecodeMultiple))
			if tc.rejected {
				require.ErrorIs(t, callErr, ErrUnexpectedResponse)
				require.Less(t, multiple, 4.0, "refused before decoding")
			}
		})
	}
}

func TestWrongShapesAreErrorsNotZeroValues(t *testing.T) {
	ctx := context.Background()
	for name, body := range map[string]string{
		"an error object":              `{"error":"Not found"}`,
		"an empty object":              `{}`,
		"a null root":                  `{"target":null}`,
		"validation errors":            `{"errors":{"number":["can't be blank"]}}`,
		"another root key":             `{"campaign":{"id":1}}`,
		"a bare target":                `{"id":7,"number":"+15555550100"}`,
		"a list where one is expected": `[{"target":{"id":7}}]`,
		"null":                         `null`,
		"a string":                     `"ok"`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			stub(t, mt, "GET", "targets/7.json", 200, body)
			got, err := c.Targets.Get(ctx, 7)
			require.Nil(t, got)
			require.ErrorIs(t, err, ErrUnexpectedResponse)
		})
	}
	for name, body := range map[string]string{
		"an element without its root key": `[{"target":{"id":1}},{"id":2}]`,
		"a null element":                  `[{"target":{"id":1}},null]`,
		"an element with a null root":     `[{"target":null}]`,
		"an object":                       `{"targets":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			stub(t, mt, "GET", "targets.json", 200, body)
			page, err := c.Targets.List(ctx, nil)
			require.Nil(t, page)
			require.ErrorIs(t, err, ErrUnexpectedResponse)
		})
	}
}

func TestLenientTimesChangeOnlyTimeFields(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "GET", "api/v2/calls/u.json", 200, `{"call":{"uuid":"u",
		"created_at":"2024-11-04 16:52:18","start_time":"2024-11-04 16:52:19 UTC","end_time":"",
		"updated_at":"2024-11-04T16:52:20+0000","forwarded_time":null,
		"visitor_url":"2024-11-04 16:52:18","caller_city":"2024-11-04 16:52:18",
		"tags":{"appointment":"2024-11-04 16:52:18","x_date":"","created_at":"2024-11-04 16:52:18"},
		"fired_pixels":[{"fired_pixel":{"url":"u","created_at":"2024-11-04 16:52:21","fired_at":""}}],
		"call_flow_events":[{"b": 1.50, "a": "x&y <z>", "at": "2024-11-04 16:52:18"}]}}`)
	call, err := c.Calls.Get(context.Background(), "u")
	require.NoError(t, err)
	utc := func(s int) time.Time { return time.Date(2024, 11, 4, 16, 52, s, 0, time.UTC) }
	require.Equal(t, utc(18), call.CreatedAt)
	require.Equal(t, utc(19), *call.StartTime)
	require.Nil(t, call.EndTime, `"" is no time`)
	require.Equal(t, utc(20), call.UpdatedAt.UTC())
	require.Equal(t, utc(21), call.FiredPixels[0].CreatedAt)
	require.Nil(t, call.FiredPixels[0].FiredAt)
	// No other field's text changes, however much it looks like a time.
	require.Equal(t, "2024-11-04 16:52:18", call.VisitorURL)
	require.Equal(t, "2024-11-04 16:52:18", call.CallerCity)
	require.Equal(t, map[string]string{"appointment": "2024-11-04 16:52:18", "x_date": "", "created_at": "2024-11-04 16:52:18"}, call.Tags)
	require.Equal(t, `[{"b": 1.50, "a": "x&y <z>", "at": "2024-11-04 16:52:18"}]`, string(call.CallFlowEvents), "raw JSON kept byte for byte")
}

func TestATimeThatIsNoTimeIsAnError(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "GET", "api/v2/calls/u.json", 200, `{"call":{"uuid":"u","created_at":"yesterday"}}`)
	_, err := c.Calls.Get(context.Background(), "u")
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	require.ErrorContains(t, err, "yesterday")
}
