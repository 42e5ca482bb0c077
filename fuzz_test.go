package retreaver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jarcoal/httpmock"
)

// Fuzz targets for everything a server controls: error bodies, and any bytes
// where a model is expected, decoded directly and through the client. Their seed
// corpora are in testdata/fuzz/<FuzzName>/; run one longer by hand with
//
//	go test -run '^$' -fuzz '^FuzzDecodeModels$' -fuzztime 10m .

func FuzzErrorMessage(f *testing.F) {
	for _, s := range []string{
		`{"error": "Company not found"}`,
		`{"errors": {"number": ["can't be blank", "is invalid"], "afid": ["is taken"]}}`,
		`{"errors": ["Name can't be blank"]}`,
		`["first", "second"]`,
		`{"message": 42}`,
		`<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>`,
		`{"error": "` + strings.Repeat("é", 300) + `"}`,
		`{"errors": [[[[[[[[[["deep"]]]]]]]]]]}`,
		"<p>caf\xc3\xa9 <b>tr\xc3",
		`{"error": null, "errors": {}, "message": [null, 1.5e300, true]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		msg := errorMessage(body)
		if len(msg) > maxMessageLen {
			t.Fatalf("message of %d bytes: %.80q", len(msg), msg)
		}
		if utf8.Valid(body) && !utf8.ValidString(msg) {
			t.Fatalf("valid UTF-8 in, invalid out: %q from %q", msg, body)
		}
		if strings.TrimSpace(string(body)) == "" && msg != "" {
			t.Fatalf("message %q from a blank body", msg)
		}
	})
}

// modelCheck decodes data as one model in every way the client may.
type modelCheck struct {
	name  string
	check func(t *testing.T, data []byte)
}

// checkOf checks a model that the API wraps in root, as its element E.
func checkOf[E element[T], T any](root string) modelCheck {
	return modelCheck{name: reflect.TypeFor[T]().Name(), check: func(t *testing.T, data []byte) {
		checkModel[E](t, root, data)
	}}
}

// checkBareOf checks a model that the API never wraps: nested models, and
// answers sent bare.
func checkBareOf[T any]() modelCheck {
	return modelCheck{name: reflect.TypeFor[T]().Name(), check: func(t *testing.T, data []byte) {
		if v, err := decodeBare[T](data); err == nil && v == nil {
			t.Fatalf("%T: decodeBare gave nil and no error", v)
		}
	}}
}

// allModels lists every model, with the root key it is wrapped in when the API
// wraps it.
var allModels = []modelCheck{
	checkOf[callElement](callRoot),
	checkBareOf[FiredPixel](),
	checkOf[affiliateElement](affiliateRoot),
	checkOf[targetElement](targetRoot),
	checkBareOf[BusinessHours](),
	checkBareOf[Cap](),
	checkBareOf[TagValue](),
	checkOf[targetGroupElement](targetGroupRoot),
	checkBareOf[TargetGroupMember](),
	checkOf[campaignElement](campaignRoot),
	checkBareOf[Greeting](),
	checkBareOf[Timer](),
	checkBareOf[MenuOption](),
	checkOf[numberElement](numberRoot),
	checkOf[numberPoolElement](numberPoolRoot),
	checkBareOf[GoogleAnalyticsPath](),
	checkOf[companyElement](companyRoot),
	checkOf[contactElement](contactRoot),
	checkOf[contactNumberElement](contactNumberRoot),
	checkOf[suppressedNumberElement](suppressedNumberRoot),
	checkOf[staticCallerNumberElement](staticCallerNumberRoot),
	checkBareOf[ReportRow](),
	checkBareOf[Reservation](),
	checkOf[callerListElement]("caller_list"),
	checkOf[callerListNumberElement]("caller_list_number"),
	checkOf[callerListUploadElement]("caller_list_upload"),
	checkBareOf[CallDataResult](),
	checkBareOf[RTBInbound](),
	checkBareOf[RTBInboundFilters](),
	checkBareOf[Export](),
	checkBareOf[PBMTable](),
}

// checkModel decodes data with decodeObject and decodeList under root: never a
// panic, never a nil result without an error. When data is a bare object that
// decodes, the documented shapes (wrapped in root, and a list of that) must
// decode to the same value.
func checkModel[E element[T], T any](t *testing.T, root string, data []byte) {
	one, err := decodeObject[E](data, root)
	if err == nil && one == nil {
		t.Fatalf("%T: decodeObject gave nil and no error", one)
	}
	list, err := decodeList[E](data, root)
	if err == nil {
		for i, v := range list {
			if v == nil {
				t.Fatalf("%T: decodeList item %d is nil", v, i)
			}
		}
	}
	bare, err := decodeBare[T](data)
	if err != nil || !bareObject(data, root) {
		return
	}
	wrapped := append(append([]byte(`{"`+root+`":`), data...), '}')
	got, err := decodeObject[E](wrapped, root)
	if err != nil {
		t.Fatalf("%T: %s decodes bare but not as %s: %v", bare, data, wrapped, err)
	}
	if !reflect.DeepEqual(bare, got) {
		t.Fatalf("%T: %s decodes to\n%#v\nbut %s to\n%#v", bare, data, bare, wrapped, got)
	}
	items, err := decodeList[E](append(append([]byte("["), wrapped...), ']'), root)
	if err != nil || len(items) != 1 || !reflect.DeepEqual(bare, items[0]) {
		t.Fatalf("%T: %s decodes bare but not in a list: %v", bare, data, err)
	}
}

// bareObject reports whether data is a JSON object with no key that the root
// could match (encoding/json matches keys regardless of case).
func bareObject(data []byte, root string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil || m == nil {
		return false
	}
	for k := range m {
		if strings.EqualFold(k, root) {
			return false
		}
	}
	return true
}

func FuzzDecodeModels(f *testing.F) {
	for _, s := range []string{
		`{"call":{"uuid":"u","revenue":"0.08","payout":5.0,"created_at":"2024-11-04 16:52:18","tags":{"a":"b"}}}`,
		`[{"target":{"id":1,"client_tid":"t-1","business_hours":[{"id":2}]}}]`,
		`{"id":3,"name":"bare","created_at":"2024-11-04T16:52:18.034Z"}`,
		`[{"id":1},{"id":2}]`,
		`{"campaign":{"timers":[{"timer":{"seconds":30}}],"menu_options":[{"id":1}]}}`,
		`{"suppressed_number":{"number":"+15551234567","cid":12}}`,
		`{"uuid":"r","status":"reserved","retreaver_seconds":"30","retreaver_payout":"1.50"}`,
		`{"count":"2.0","count_total":2,"data":[{"id":12,"calls":"3.0"}]}`,
		`[{"caller_list_number":{"number":"+15855752500","created_at":"2026-06-10T12:00:00.000Z"}}]`,
		`{"caller_list_upload":{"status":"Processing","created_at":"2025-04-30T13:29:40.100+03:00","error_messages":[]}}`,
		`{"tag_values":{"age":39,"x":null},"caller_number":"+15855752500","status":"call not found, tags stored"}`,
		`null`, `[]`, `[null]`, `{}`, `{"call":null}`, `{"call":[]}`, `<html>login</html>`,
		`{"created_at":""}`, `{"start_time":"2024-11-04 16:52:18 +0000"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range allModels {
			m.check(t, data)
		}
		if rep, err := decodeBare[Report](data); err == nil && rep == nil {
			t.Fatal("decodeBare[Report] gave nil and no error")
		}
		if res, err := decodeBare[Reservation](data); err == nil && res == nil {
			t.Fatal("decodeBare[Reservation] gave nil and no error")
		}
	})
}

// fuzzClient returns a client whose every request is answered with status, the
// content type and body.
func fuzzClient(t *testing.T, status int, ctype string, body []byte) *Client {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", ctype)
		resp.Request = req
		return resp, nil
	})
	c, err := NewClient(testKey, WithHTTPClient(&http.Client{Transport: mt}), WithBaseURL(testBaseURL),
		WithRTBBaseURL(testRTBURL), WithCompanyID(testCompany), WithRetryPolicy(NoRetries))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// publicCalls are calls of the public API that decode a model from the answer.
var publicCalls = map[string]func(ctx context.Context, c *Client) error{
	"Calls.Get": func(ctx context.Context, c *Client) error { _, err := c.Calls.Get(ctx, "u"); return err },
	"Calls.List": func(ctx context.Context, c *Client) error {
		_, err := c.Calls.List(ctx, nil)
		return err
	},
	"Targets.Get": func(ctx context.Context, c *Client) error { _, err := c.Targets.Get(ctx, 1); return err },
	"Campaigns.List": func(ctx context.Context, c *Client) error {
		_, err := c.Campaigns.List(ctx, nil)
		return err
	},
	"Companies.Active": func(ctx context.Context, c *Client) error { _, err := c.Companies.Active(ctx); return err },
	"SuppressedNumbers.Exists": func(ctx context.Context, c *Client) error {
		_, err := c.SuppressedNumbers.Exists(ctx)
		return err
	},
	"RTB.Reserve": func(ctx context.Context, c *Client) error {
		_, err := c.RTB.Reserve(ctx, &ReservationParams{Key: "rtb-" + testKey, PublisherID: "p"})
		return err
	},
	"RTBInbounds.List": func(ctx context.Context, c *Client) error {
		_, err := c.RTBInbounds.List(ctx, nil)
		return err
	},
	"Exports.GetRTBInbounds": func(ctx context.Context, c *Client) error {
		_, err := c.Exports.GetRTBInbounds(ctx, 501)
		return err
	},
	"PBMTables.List": func(ctx context.Context, c *Client) error {
		_, err := c.PBMTables.List(ctx, 16728)
		return err
	},
	"PBMTables.Get": func(ctx context.Context, c *Client) error {
		_, err := c.PBMTables.Get(ctx, 16728, 9001)
		return err
	},
	"Reports.Get": func(ctx context.Context, c *Client) error {
		_, err := c.Reports.Get(ctx, &ReportOptions{Domain: "calls", Facet: "publisher",
			CreatedAtStart: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), CreatedAtEnd: time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)})
		return err
	},
}

func FuzzClientDecode(f *testing.F) {
	for _, s := range []struct {
		status uint16
		html   bool
		body   string
	}{
		{200, false, `{"call":{"uuid":"u"}}`},
		{200, false, `[{"call":{"uuid":"u"}}]`},
		{200, true, `<html><body>Please log in KEY</body></html>`},
		{200, false, `{"call":{"uuid":"u","created_at":"KEY"}}`},
		{200, false, `{"uuid":"u","retreaver_payout":"KEY"}`},
		{200, false, `{"count":1,"data":[{"id":"KEY"}]`},
		{201, false, `{"suppressed_numbers_exist":"KEY"}`},
		{204, false, ``},
		{401, false, `{"error":"bad key KEY"}`},
		{422, false, `{"errors":{"name":["KEY can't be blank"]}}`},
		{500, true, `<h1>Internal error</h1><p>KEY</p>`},
		{302, false, `moved`},
	} {
		f.Add(s.status, s.html, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status uint16, isHTML bool, body []byte) {
		code := 200 + int(status)%400 // 200 to 599
		ctype := "application/json; charset=utf-8"
		if isHTML {
			ctype = "text/html; charset=utf-8"
		}
		// KEY in the body stands for the credentials: the server echoes them.
		body = bytes.ReplaceAll(body, []byte("KEY"), []byte(testKey+" rtb-"+testKey))
		c := fuzzClient(t, code, ctype, body)
		for name, call := range publicCalls {
			err := call(context.Background(), c)
			if err == nil {
				if code < 200 || code > 299 {
					t.Fatalf("%s: status %d gave no error", name, code)
				}
				continue
			}
			requireErrorFree(t, err, testKey, "rtb-"+testKey)
			var apiErr *APIError
			var de *DecodeError
			switch {
			case code >= 300:
				if !errors.As(err, &apiErr) || apiErr.StatusCode != code {
					t.Fatalf("%s: status %d gave %T %v, not an APIError", name, code, err, err)
				}
				if len(apiErr.Body) > maxErrorBody || len(apiErr.Message) > maxMessageLen {
					t.Fatalf("%s: unbounded APIError: body %d, message %d bytes", name, len(apiErr.Body), len(apiErr.Message))
				}
			default:
				if !errors.As(err, &de) || !errors.Is(err, ErrUnexpectedResponse) {
					t.Fatalf("%s: 2xx answer gave %T %v, not a DecodeError", name, err, err)
				}
				if de.StatusCode != code || len(de.Snippet) > 200+len("…") {
					t.Fatalf("%s: DecodeError %+v", name, de)
				}
			}
		}
	})
}

// renderings returns every text requireErrorFree looks at.
func renderings(err error) string {
	var b strings.Builder
	for _, e := range errorTree(err) {
		for _, verb := range []string{"%v", "%+v", "%#v", "%q"} {
			b.WriteString(fmt.Sprintf(verb, e))
			b.WriteByte('\n')
		}
		switch v := e.(type) {
		case *APIError:
			b.WriteString(v.URL + "\n" + v.Message + "\n" + string(v.Body) + "\n")
		case *DecodeError:
			b.WriteString(v.URL + "\n" + v.Snippet + "\n" + v.ContentType + "\n")
		case *url.Error:
			b.WriteString(v.URL + "\n")
		}
	}
	return b.String()
}

func FuzzRedaction(f *testing.F) {
	f.Add("sup3r/secret+key=42&x", `{"error":"bad key KEY"}`, uint16(201), uint8(0))
	f.Add("a+b/c=d%e&f?g#h;i<j>k\"l'm", `<html><body>KEY</body></html>`, uint16(300), uint8(3))
	f.Add("0123456789abcdef0123", `{"call":{"created_at":"KEY"}}`, uint16(0), uint8(5))
	f.Add("é漢字ßΩ€+/=%&ключ", `{"errors":{"key":["KEY"]}}`, uint16(222), uint8(0x86))
	f.Add("rtb-postback-0123456789", `{"uuid":"u","retreaver_payout":"KEY"}`, uint16(0), uint8(0x81))
	f.Add("xxxxREDACTEDyyyy", `{"error":"xxxxKEYyyyy"}`, uint16(300), uint8(0))
	f.Fuzz(func(t *testing.T, key, body string, status uint16, form uint8) {
		if len(key) < 12 || !utf8.ValidString(key) || checkSecret("key", key) != nil {
			return
		}
		code := 200 + int(status)%400
		rtb := form&0x80 != 0
		forms := secretForms(key)
		echo := forms[int(form&0x7f)%len(forms)]
		run := func(secret, echoed string) error {
			c := fuzzClient(t, code, "text/html", []byte(strings.ReplaceAll(body, "KEY", echoed)))
			if rtb {
				_, err := c.RTB.Reserve(context.Background(), &ReservationParams{Key: secret, PublisherID: "p"})
				return err
			}
			c2, err := NewClient(secret, WithHTTPClient(c.cfg.httpClient), WithBaseURL(testBaseURL), WithRetryPolicy(NoRetries))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c2.Companies.Get(context.Background(), 1)
			return err
		}
		// A key that shows in the errors of another key (such as "retreaver: GET")
		// cannot be told apart from the SDK's own text.
		neutral := "n3utral-Key-7777777"
		if base := run(neutral, ""); base != nil {
			text := renderings(base)
			for _, f := range forms {
				if strings.Contains(text, f) {
					return
				}
			}
		}
		err := run(key, echo)
		if err == nil {
			return
		}
		requireErrorFree(t, err, key)
	})
}
