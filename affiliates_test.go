package retreaver

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// requireNathanDrew checks the reference's affiliate example (affiliate_update.json).
func requireNathanDrew(t *testing.T, a *Affiliate) {
	t.Helper()
	require.NotNil(t, a)
	require.Equal(t, "002", a.AFID)
	require.Equal(t, "Nathan", a.FirstName)
	require.Equal(t, "Drew", a.LastName)
	require.Equal(t, "", a.CompanyName, "null company_name")
	require.Equal(t, time.Date(2012, 5, 3, 20, 20, 3, 0, time.UTC), a.UpdatedAt)
	require.Equal(t, time.Date(2012, 5, 3, 14, 29, 37, 0, time.UTC), a.CreatedAt)
	require.Zero(t, a.ID, "the example has no id")
}

func TestAffiliatesList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v1/affiliates.json", 200, fixture(t, "affiliates_list_documented.json"),
		"Link", `<https://api.retreaver.com/api/v1/affiliates.json?api_key=`+testKey+`&company_id=1&page=3>; rel="next", <https://api.retreaver.com/api/v1/affiliates.json?api_key=`+testKey+`&company_id=1&page=1>; rel="prev"`)

	page, err := c.Affiliates.List(context.Background(), &AffiliateListOptions{ListOptions{Page: 2}})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "api/v1/affiliates.json", url.Values{"page": {"2"}}, false)
	assertNoBody(t, got)
	require.Equal(t, 3, page.NextPage)
	require.Equal(t, 1, page.PrevPage)
	require.Len(t, page.Items, 1)
	a := page.Items[0]
	require.Equal(t, "0002", a.AFID)
	require.Equal(t, "Nancy", a.FirstName)
	require.Equal(t, "Drew", a.LastName)
	require.Equal(t, "Acme", a.CompanyName)
	require.Equal(t, time.Date(2012, 5, 3, 15, 56, 1, 0, time.UTC), a.UpdatedAt)
	require.Equal(t, time.Date(2012, 5, 3, 15, 56, 1, 0, time.UTC), a.CreatedAt)
}

func TestAffiliatesListWithoutOptions(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v1/affiliates.json", 200, `[]`)
	page, err := c.Affiliates.List(context.Background(), nil)
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", "api/v1/affiliates.json", nil, false)
	require.Empty(t, page.Items)
	require.False(t, page.HasNext())
}

func TestAffiliatesAllFollowsNext(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		if w.Path != "/api/v1/affiliates.json" {
			return httpmock.NewStringResponse(404, `{"error":"not found"}`), nil
		}
		switch w.Query.Get("page") {
		case "1":
			resp := httpmock.NewStringResponse(200, fixture(t, "affiliates_list_documented.json"))
			resp.Header.Set("Link", `<https://api.retreaver.com/api/v1/affiliates.json?api_key=x&page=2>; rel="next"`)
			return resp, nil
		case "2":
			return httpmock.NewStringResponse(200, `[{"affiliate":{"id":7,"afid":"0003","first_name":"Joe"}}]`), nil
		}
		return httpmock.NewStringResponse(400, `{"error":"bad page"}`), nil
	})

	var afids []string
	for a, err := range c.Affiliates.All(context.Background(), nil) {
		require.NoError(t, err)
		afids = append(afids, a.AFID)
	}
	require.Equal(t, []string{"0002", "0003"}, afids)
	reqs := rec.all()
	require.Len(t, reqs, 2)
	assertWire(t, reqs[0], "GET", "api/v1/affiliates.json", url.Values{"page": {"1"}}, false)
	assertWire(t, reqs[1], "GET", "api/v1/affiliates.json", url.Values{"page": {"2"}}, false)
}

func TestAffiliatesGet(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "api/v1/affiliates/77.json", 200, fixture(t, "affiliate_update.json"))
	a, err := c.Affiliates.Get(context.Background(), 77)
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "api/v1/affiliates/77.json", nil, false)
	assertNoBody(t, got)
	requireNathanDrew(t, a)
}

func TestAffiliatesDecodeID(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "GET", "api/v1/affiliates/77.json", 200, `{"affiliate":{"id":77,"afid":"0002","first_name":"Nancy","last_name":null,"company_name":"Acme","created_at":"2012-05-03T15:56:01Z","updated_at":"2012-05-03T15:56:01Z"}}`)
	a, err := c.Affiliates.Get(context.Background(), 77)
	require.NoError(t, err)
	require.Equal(t, int64(77), a.ID)
	require.Equal(t, "0002", a.AFID)
	require.Equal(t, "", a.LastName)
	require.Equal(t, "Acme", a.CompanyName)
}

func TestAffiliatesGetByAFIDEscapes(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		return httpmock.NewStringResponse(200, fixture(t, "affiliate_update.json")), nil
	})
	a, err := c.Affiliates.GetByAFID(context.Background(), "002")
	require.NoError(t, err)
	requireNathanDrew(t, a)
	_, err = c.Affiliates.GetByAFID(context.Background(), "a/b c+d?")
	require.NoError(t, err)

	reqs := rec.all()
	require.Len(t, reqs, 2)
	assertWire(t, reqs[0], "GET", "api/v1/affiliates/afid/002.json", nil, false)
	assertNoBody(t, reqs[0])
	assertWire(t, reqs[1], "GET", "api/v1/affiliates/afid/a%2Fb%20c+d%3F.json", nil, false)
}

func TestAffiliatesCreate(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "api/v1/affiliates.json", 201, fixture(t, "affiliate_update.json"))
	a, err := c.Affiliates.Create(context.Background(), &AffiliateParams{
		FirstName: Ptr("Nancy"), LastName: Ptr("Drew"), AFID: Ptr("0002"),
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "POST", "api/v1/affiliates.json", nil, false)
	assertJSONBody(t, got, `{"affiliate":{"first_name":"Nancy","last_name":"Drew","afid":"0002"}}`)
	requireNathanDrew(t, a)
}

func TestAffiliatesCreateSendsEveryField(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "api/v1/affiliates.json", 201, fixture(t, "affiliate_update.json"))
	_, err := c.Affiliates.Create(context.Background(), &AffiliateParams{
		AFID: Ptr("0002"), FirstName: Ptr(""), LastName: Ptr("Drew"), CompanyName: Ptr("Acme"),
	})
	require.NoError(t, err)
	assertJSONBody(t, rec.only(t), `{"affiliate":{"afid":"0002","first_name":"","last_name":"Drew","company_name":"Acme"}}`)
}

func TestAffiliatesUpdate(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "api/v1/affiliates/77.json", 200, fixture(t, "affiliate_update.json"))
	a, err := c.Affiliates.Update(context.Background(), 77, &AffiliateParams{FirstName: Ptr("Nathan")})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "api/v1/affiliates/77.json", nil, false)
	assertJSONBody(t, got, `{"affiliate":{"first_name":"Nathan"}}`)
	requireNathanDrew(t, a)
}

func TestAffiliatesUpdateByAFID(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "api/v1/affiliates/afid/002.json", 200, fixture(t, "affiliate_update.json"))
	a, err := c.Affiliates.UpdateByAFID(context.Background(), "002", &AffiliateParams{FirstName: Ptr("Nathan")})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "api/v1/affiliates/afid/002.json", nil, false)
	assertJSONBody(t, got, `{"affiliate":{"first_name":"Nathan"}}`)
	requireNathanDrew(t, a)
}

func TestAffiliatesDelete(t *testing.T) {
	c, mt := newTestClient(t)
	byID := stub(t, mt, "DELETE", "api/v1/affiliates/77.json", 204, ``)
	byAFID := stub(t, mt, "DELETE", "api/v1/affiliates/afid/0002.json", 200, ``)

	require.NoError(t, c.Affiliates.Delete(context.Background(), 77))
	assertWire(t, byID.only(t), "DELETE", "api/v1/affiliates/77.json", nil, false)
	assertNoBody(t, byID.only(t))

	require.NoError(t, c.Affiliates.DeleteByAFID(context.Background(), "0002"))
	assertWire(t, byAFID.only(t), "DELETE", "api/v1/affiliates/afid/0002.json", nil, false)
	assertNoBody(t, byAFID.only(t))
}

func TestAffiliatesDeleteReportsAPIError(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "DELETE", "api/v1/affiliates/afid/0002.json", 422, `{"errors":{"base":["Cannot delete an affiliate with numbers"]}}`)
	err := c.Affiliates.DeleteByAFID(context.Background(), "0002")
	require.ErrorIs(t, err, ErrUnprocessable)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	require.Contains(t, apiErr.Message, "Cannot delete an affiliate with numbers")
}

func TestAffiliatesRejectBadInputBeforeSending(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()
	ok := &AffiliateParams{FirstName: Ptr("Nathan")}
	cases := map[string]func() error{
		"create nil": func() error { _, err := c.Affiliates.Create(ctx, nil); return err },
		"create without afid": func() error {
			_, err := c.Affiliates.Create(ctx, &AffiliateParams{FirstName: Ptr("Nancy")})
			return err
		},
		"create empty afid":    func() error { _, err := c.Affiliates.Create(ctx, &AffiliateParams{AFID: Ptr("")}); return err },
		"create blank afid":    func() error { _, err := c.Affiliates.Create(ctx, &AffiliateParams{AFID: Ptr("  ")}); return err },
		"get zero id":          func() error { _, err := c.Affiliates.Get(ctx, 0); return err },
		"get negative id":      func() error { _, err := c.Affiliates.Get(ctx, -3); return err },
		"get empty afid":       func() error { _, err := c.Affiliates.GetByAFID(ctx, ""); return err },
		"update zero id":       func() error { _, err := c.Affiliates.Update(ctx, 0, ok); return err },
		"update nil params":    func() error { _, err := c.Affiliates.Update(ctx, 1, nil); return err },
		"update to empty afid": func() error { _, err := c.Affiliates.Update(ctx, 1, &AffiliateParams{AFID: Ptr("")}); return err },
		"update by blank afid": func() error { _, err := c.Affiliates.UpdateByAFID(ctx, " ", ok); return err },
		"update by afid nil":   func() error { _, err := c.Affiliates.UpdateByAFID(ctx, "0002", nil); return err },
		"delete zero id":       func() error { return c.Affiliates.Delete(ctx, 0) },
		"delete empty afid":    func() error { return c.Affiliates.DeleteByAFID(ctx, "") },
		"list negative page": func() error {
			_, err := c.Affiliates.List(ctx, &AffiliateListOptions{ListOptions{Page: -1}})
			return err
		},
		"all negative page": func() error {
			for _, err := range c.Affiliates.All(ctx, &AffiliateListOptions{ListOptions{Page: -1}}) {
				return err
			}
			return nil
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			err := call()
			require.ErrorIs(t, err, ErrInvalidArgument)
		})
	}
	noRequests(t, mt)
}
