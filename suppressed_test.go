package retreaver

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var suppressedAt = time.Date(2024, 9, 30, 21, 9, 54, 769e6, time.UTC)

func TestSuppressedNumbersExists(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "suppressed_numbers/check.json", 200, fixture(t, "suppressed_check.json"))
	ok, err := c.SuppressedNumbers.Exists(context.Background())
	require.NoError(t, err)
	require.True(t, ok)
	got := rec.only(t)
	assertWire(t, got, "GET", "suppressed_numbers/check.json", nil, false)
	assertNoBody(t, got)
}

func TestSuppressedNumbersExistsFalseAndMalformed(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()

	stub(t, mt, "GET", "suppressed_numbers/check.json", 200, `{"suppressed_numbers_exist": false}`)
	ok, err := c.SuppressedNumbers.Exists(ctx)
	require.NoError(t, err)
	require.False(t, ok)

	for _, body := range []string{`{}`, `<html>login</html>`, `{"suppressed_numbers_exist": "yes"}`} {
		stub(t, mt, "GET", "suppressed_numbers/check.json", 200, body)
		ok, err := c.SuppressedNumbers.Exists(ctx)
		require.False(t, ok)
		var de *DecodeError
		require.ErrorAs(t, err, &de, body)
		require.ErrorIs(t, err, ErrUnexpectedResponse)
	}
}

func TestSuppressedNumbersListVerbatimFixtureIsInvalidJSON(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "suppressed_numbers.json", 200, fixture(t, "suppressed_list.json"))
	page, err := c.SuppressedNumbers.List(context.Background(), nil)
	require.Nil(t, page)
	var de *DecodeError
	require.True(t, errors.As(err, &de), "want a *DecodeError, got %v", err)
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	var syn *json.SyntaxError
	require.ErrorAs(t, err, &syn, "the trailing comma of the reference")
	assertWire(t, rec.only(t), "GET", "suppressed_numbers.json", nil, false)
}

func TestSuppressedNumbersList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "suppressed_numbers.json", 200, fixture(t, "suppressed_list_repaired.json"))
	page, err := c.SuppressedNumbers.List(context.Background(), &SuppressedNumberListOptions{ListOptions{Page: 1}})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "suppressed_numbers.json", url.Values{"page": {"1"}}, false)
	assertNoBody(t, got)
	require.Equal(t, []*SuppressedNumber{
		{ID: 18996945, Number: "+13213749611", CreatedAt: suppressedAt, CanResubscribe: true, CompanyID: 1, CID: "159"},
		{ID: 18996946, Number: "+13216065590", CreatedAt: suppressedAt, CanResubscribe: true, CompanyID: 1, CID: "111"},
		{ID: 18996947, Number: "+13216437667", CreatedAt: suppressedAt, CanResubscribe: true, CompanyID: 1, CID: ""},
	}, page.Items)
}

func TestSuppressedNumbersAll(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "suppressed_numbers.json", 200, fixture(t, "suppressed_list_repaired.json"))
	var numbers []string
	for n, err := range c.SuppressedNumbers.All(context.Background(), nil) {
		require.NoError(t, err)
		numbers = append(numbers, n.Number)
	}
	require.Equal(t, []string{"+13213749611", "+13216065590", "+13216437667"}, numbers)
	assertWire(t, rec.only(t), "GET", "suppressed_numbers.json", url.Values{"page": {"1"}}, false)
}

func TestSuppressedNumbersGet(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "suppressed_numbers/+13216065590.json", 200, fixture(t, "suppressed_get.json"))
	n, err := c.SuppressedNumbers.Get(context.Background(), "+13216065590")
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "/suppressed_numbers/+13216065590.json", nil, false)
	assertNoBody(t, got)
	require.Equal(t, &SuppressedNumber{ID: 18996946, Number: "+13216065590", CreatedAt: suppressedAt,
		CanResubscribe: true, CompanyID: 1, CID: "111"}, n)
}

func TestSuppressedNumbersGetNotFound(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "GET", "suppressed_numbers/+13216065591.json", 404, `{"error":"Not found"}`)
	_, err := c.SuppressedNumbers.Get(context.Background(), "+13216065591")
	require.ErrorIs(t, err, ErrNotFound)
}

func TestSuppressedNumbersCreate(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "suppressed_numbers/+13216065590.json", 200, fixture(t, "suppressed_create.json"))
	n, err := c.SuppressedNumbers.Create(context.Background(), "+13216065590", &SuppressedNumberParams{CanResubscribe: Ptr(false)})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "POST", "/suppressed_numbers/+13216065590.json", nil, false)
	assertJSONBody(t, got, `{"suppressed_number": {"can_resubscribe": false}}`)
	at := time.Date(2024, 10, 11, 8, 50, 59, 981e6, time.UTC)
	// The answer is not wrapped; affiliate_id and campaign_id are null.
	require.Equal(t, &SuppressedNumber{ID: 18996958, CompanyID: 1, Number: "+13216065590",
		CreatedAt: at, UpdatedAt: at, CanResubscribe: false}, n)
}

func TestSuppressedNumbersCreateWithoutParamsSendsNoBody(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "suppressed_numbers/+13216065590.json", 201,
		`{"id":7,"company_id":1,"affiliate_id":12,"campaign_id":34,"number":"+13216065590","created_at":"2024-10-11T08:50:59.981Z","updated_at":"2024-10-11T08:50:59.981Z","can_resubscribe":true}`)
	n, err := c.SuppressedNumbers.Create(context.Background(), "+13216065590", nil)
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "POST", "/suppressed_numbers/+13216065590.json", nil, false)
	assertNoBody(t, got)
	require.Empty(t, got.Header.Get("Content-Type"))
	require.True(t, n.CanResubscribe)
	require.Equal(t, int64(12), *n.AffiliateID)
	require.Equal(t, int64(34), *n.CampaignID)
}

func TestSuppressedNumbersUpdateSendsAWrappedBody(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "suppressed_numbers/+13216065590.json", 200, fixture(t, "suppressed_update_documented.json"))
	n, err := c.SuppressedNumbers.Update(context.Background(), "+13216065590",
		&SuppressedNumberParams{CanResubscribe: Ptr(false), CampaignID: Ptr("116dc0f6")})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "/suppressed_numbers/+13216065590.json", nil, false)
	assertJSONBody(t, got, `{"suppressed_number":{"can_resubscribe":false,"campaign_id":"116dc0f6"}}`)
	require.Equal(t, &SuppressedNumber{ID: 18996946, Number: "+13216065590", CreatedAt: suppressedAt,
		UpdatedAt: time.Date(2024, 10, 11, 9, 12, 3, 118e6, time.UTC), CanResubscribe: false, CompanyID: 1,
		CID: "116dc0f6"}, n)
}

func TestSuppressedNumbersDelete(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "DELETE", "suppressed_numbers/+13216065590.json", 204, "")
	require.NoError(t, c.SuppressedNumbers.Delete(context.Background(), "+13216065590"))
	got := rec.only(t)
	assertWire(t, got, "DELETE", "/suppressed_numbers/+13216065590.json", nil, false)
	assertNoBody(t, got)
}

func TestSuppressedNumberCIDDecoding(t *testing.T) {
	cases := map[string]string{
		`{"cid": 159}`:         "159",
		`{"cid": "0044"}`:      "0044",
		`{"cid": null}`:        "",
		`{}`:                   "",
		`{"cid": 12345678901}`: "12345678901",
	}
	for in, want := range cases {
		var n SuppressedNumber
		require.NoError(t, json.Unmarshal([]byte(in), &n), in)
		require.Equal(t, want, n.CID, in)
	}
	for _, in := range []string{`{"cid": true}`, `{"cid": {}}`, `{"cid": []}`, `{"id": "x", "cid": 1}`} {
		var n SuppressedNumber
		require.Error(t, json.Unmarshal([]byte(in), &n), in)
	}
	// Round trip: the model encodes cid as the string the contract pins.
	b, err := json.Marshal(SuppressedNumber{CID: "111"})
	require.NoError(t, err)
	require.Contains(t, string(b), `"cid":"111"`)
}

func TestStaticCallerNumbersList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "static_caller_numbers.json", 200, fixture(t, "static_caller_numbers_list.json"))
	page, err := c.StaticCallerNumbers.List(context.Background(), nil)
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "static_caller_numbers.json", nil, false)
	assertNoBody(t, got)
	require.Len(t, page.Items, 1)
	n := page.Items[0]
	require.Equal(t, int64(1234), n.ID)
	require.Equal(t, "+18668987878", n.Number)
	require.True(t, time.Date(2013, 10, 2, 18, 36, 14, 166e6, time.UTC).Equal(n.CreatedAt))
	_, offset := n.CreatedAt.Zone()
	require.Equal(t, -4*3600, offset, "the answer's offset is kept")
}

func TestStaticCallerNumbersAll(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "static_caller_numbers.json", 200, fixture(t, "static_caller_numbers_list.json"))
	var ids []int64
	for n, err := range c.StaticCallerNumbers.All(context.Background(), &StaticCallerNumberListOptions{ListOptions{Page: 2}}) {
		require.NoError(t, err)
		ids = append(ids, n.ID)
	}
	require.Equal(t, []int64{1234}, ids)
	assertWire(t, rec.only(t), "GET", "static_caller_numbers.json", url.Values{"page": {"2"}}, false)
}

func TestStaticCallerNumbersCreate(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "static_caller_numbers.json", 201, fixture(t, "static_caller_number_create_documented.json"))
	n, err := c.StaticCallerNumbers.Create(context.Background(), "+18668987878")
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "POST", "static_caller_numbers.json", nil, false)
	assertJSONBody(t, got, `{"static_caller_number": {"number": "+18668987878"}}`)
	require.Equal(t, int64(1235), n.ID)
	require.Equal(t, "+18668987878", n.Number)
	require.True(t, time.Date(2013, 10, 2, 18, 36, 14, 166e6, time.UTC).Equal(n.CreatedAt))
}

func TestStaticCallerNumbersDelete(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "DELETE", "static_caller_numbers/1234.json", 200, "")
	require.NoError(t, c.StaticCallerNumbers.Delete(context.Background(), 1234))
	assertWire(t, rec.only(t), "DELETE", "static_caller_numbers/1234.json", nil, false)
	assertNoBody(t, rec.only(t))
}

func TestSuppressedAndStaticRejectBadInputBeforeSending(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()
	good := "+13216065590"
	cases := map[string]func() error{
		"get empty":         func() error { _, err := c.SuppressedNumbers.Get(ctx, ""); return err },
		"get check":         func() error { _, err := c.SuppressedNumbers.Get(ctx, "check"); return err },
		"get no plus":       func() error { _, err := c.SuppressedNumbers.Get(ctx, "13216065590"); return err },
		"get formatted":     func() error { _, err := c.SuppressedNumbers.Get(ctx, "+1 321 606 5590"); return err },
		"get too long":      func() error { _, err := c.SuppressedNumbers.Get(ctx, "+1234567890123456"); return err },
		"get too short":     func() error { _, err := c.SuppressedNumbers.Get(ctx, "+123456"); return err },
		"create bad number": func() error { _, err := c.SuppressedNumbers.Create(ctx, "+1321606559x", nil); return err },
		"create empty cid": func() error {
			_, err := c.SuppressedNumbers.Create(ctx, good, &SuppressedNumberParams{CampaignID: Ptr("")})
			return err
		},
		"update nil params": func() error { _, err := c.SuppressedNumbers.Update(ctx, good, nil); return err },
		"update bad number": func() error { _, err := c.SuppressedNumbers.Update(ctx, "+", &SuppressedNumberParams{}); return err },
		"update empty cid": func() error {
			_, err := c.SuppressedNumbers.Update(ctx, good, &SuppressedNumberParams{CampaignID: Ptr("")})
			return err
		},
		"delete path escape": func() error { return c.SuppressedNumbers.Delete(ctx, "+1321/../x") },
		"list negative page": func() error {
			_, err := c.SuppressedNumbers.List(ctx, &SuppressedNumberListOptions{ListOptions{Page: -1}})
			return err
		},
		"static create empty": func() error { _, err := c.StaticCallerNumbers.Create(ctx, ""); return err },
		"static create no +":  func() error { _, err := c.StaticCallerNumbers.Create(ctx, "18668987878"); return err },
		"static create sip":   func() error { _, err := c.StaticCallerNumbers.Create(ctx, "sip:a@b.c"); return err },
		"static delete zero":  func() error { return c.StaticCallerNumbers.Delete(ctx, 0) },
		"static negative page": func() error {
			_, err := c.StaticCallerNumbers.List(ctx, &StaticCallerNumberListOptions{ListOptions{Page: -3}})
			return err
		},
		"suppressed all bad page": func() error {
			for _, err := range c.SuppressedNumbers.All(ctx, &SuppressedNumberListOptions{ListOptions{Page: -1}}) {
				return err
			}
			return nil
		},
		"static all bad page": func() error {
			for _, err := range c.StaticCallerNumbers.All(ctx, &StaticCallerNumberListOptions{ListOptions{Page: -1}}) {
				return err
			}
			return nil
		},
	}
	for name, fn := range cases {
		t.Run(name, func(t *testing.T) {
			require.ErrorIs(t, fn(), ErrInvalidArgument)
		})
	}
	noRequests(t, mt)
}
