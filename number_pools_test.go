package retreaver

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// assertNumberPoolGetFixture checks number_pool_get.json and the pool of
// number_pools_list.json.
func assertNumberPoolGetFixture(t *testing.T, p *NumberPool) {
	t.Helper()
	at := time.Date(2013, 4, 25, 16, 16, 51, 0, time.UTC)
	require.Equal(t, &NumberPool{
		ID:                 1,
		NumbersCount:       0,
		Type:               NumberTypeTollFree,
		Country:            "CA",
		MaxPoolSize:        10,
		BufferSeconds:      0,
		UpdatedAt:          at,
		CreatedAt:          at,
		GoogleAnalytics:    false,
		HideEmbeddedAccess: false,
		AFID:               "0001",
		CID:                "111",
		ReserveSize:        1,
	}, p)
}

// wantCreatedPool is number_pool_create.json; number_pool_update.json differs
// in MaxPoolSize and UpdatedAt.
func wantCreatedPool() *NumberPool {
	return &NumberPool{
		ID:                 49,
		NumbersCount:       0,
		Country:            "US",
		MaxPoolSize:        100,
		BufferSeconds:      0,
		UpdatedAt:          time.Date(2013, 4, 25, 16, 53, 52, 0, time.UTC),
		CreatedAt:          time.Date(2013, 4, 25, 16, 53, 52, 0, time.UTC),
		HideEmbeddedAccess: true,
		GoogleAnalytics:    true,
		AFID:               "",
		CID:                "111",
		Type:               "Toll-free",
		ReserveSize:        1,
		GoogleAnalyticsPaths: []GoogleAnalyticsPath{
			{Name: "Network timer (always)", Path: "/callpixels/8ddc04aa-0020-45eb-89df-ed45b8ed43a7"},
			{Name: "Network timer (connect)", Path: "/callpixels/18135f62-00ff-4818-941d-d88b6a93f27d"},
		},
	}
}

func TestNumberPoolsList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "number_pools.json", 200, fixture(t, "number_pools_list.json"))
	page, err := c.NumberPools.List(context.Background(), &NumberPoolListOptions{CID: "111", AFID: "0001"})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "number_pools.json", url.Values{"cid": {"111"}, "afid": {"0001"}}, false)
	assertNoBody(t, got)
	require.Len(t, page.Items, 1)
	assertNumberPoolGetFixture(t, page.Items[0])
}

func TestNumberPoolsAll(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "number_pools.json", 200, fixture(t, "number_pools_list.json"))
	var ids []int64
	for p, err := range c.NumberPools.All(context.Background(), nil) {
		require.NoError(t, err)
		ids = append(ids, p.ID)
	}
	require.Equal(t, []int64{1}, ids)
	assertWire(t, rec.only(t), "GET", "number_pools.json", url.Values{"page": {"1"}}, false)
}

func TestNumberPoolsGet(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "number_pools/1.json", 200, fixture(t, "number_pool_get.json"))
	p, err := c.NumberPools.Get(context.Background(), 1)
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", "number_pools/1.json", nil, false)
	assertNoBody(t, rec.only(t))
	assertNumberPoolGetFixture(t, p)
}

func TestNumberPoolsCreateSendsTheReferenceBody(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "number_pools.json", 200, fixture(t, "number_pool_create.json"))
	p, err := c.NumberPools.Create(context.Background(), &NumberPoolParams{
		CID:                Ptr("111"),
		MaxPoolSize:        Ptr(100),
		HideEmbeddedAccess: Ptr(true),
		GoogleAnalytics:    Ptr(true),
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "POST", "number_pools.json", nil, false)
	assertJSONBody(t, got, `{"number_pool":{"cid":"111","max_pool_size":100,"hide_embedded_access":true,"google_analytics":true}}`)
	require.Equal(t, wantCreatedPool(), p)
}

func TestNumberPoolsCreateEveryField(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "number_pools.json", 200, fixture(t, "number_pool_create.json"))
	_, err := c.NumberPools.Create(context.Background(), &NumberPoolParams{
		CID: Ptr("111"), Type: Ptr(NumberTypeLocal), Country: Ptr("SE"), AFID: Ptr("0001"),
		MaxPoolSize: Ptr(1), BufferSeconds: Ptr(0), HideEmbeddedAccess: Ptr(false),
		GoogleAnalytics: Ptr(false), ReserveSize: Ptr(0),
	})
	require.NoError(t, err)
	assertJSONBody(t, rec.only(t), `{"number_pool":{"cid":"111","type":"Local","country":"SE","afid":"0001","max_pool_size":1,
		"buffer_seconds":0,"hide_embedded_access":false,"google_analytics":false,"reserve_size":0}}`)
}

func TestNumberPoolsUpdateSendsAnInteger(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "number_pools/49.json", 200, fixture(t, "number_pool_update.json"))
	p, err := c.NumberPools.Update(context.Background(), 49, &NumberPoolParams{MaxPoolSize: Ptr(1000)})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "number_pools/49.json", nil, false)
	// The reference sends "1000" (a string); an integer is what the field is.
	assertJSONBody(t, got, `{"number_pool":{"max_pool_size":1000}}`)
	want := wantCreatedPool()
	want.MaxPoolSize = 1000
	want.UpdatedAt = time.Date(2013, 4, 25, 18, 53, 52, 0, time.UTC)
	require.Equal(t, want, p)
}

func TestNumberPoolsDelete(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "DELETE", "number_pools/49.json", 204, "")
	require.NoError(t, c.NumberPools.Delete(context.Background(), 49))
	assertWire(t, rec.only(t), "DELETE", "number_pools/49.json", nil, false)
	assertNoBody(t, rec.only(t))
}

func TestNumberPoolsRejectBadInputBeforeSending(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()
	create := func(p *NumberPoolParams) func() error {
		return func() error { _, err := c.NumberPools.Create(ctx, p); return err }
	}
	cases := map[string]func() error{
		"nil create params":   create(nil),
		"no cid":              create(&NumberPoolParams{MaxPoolSize: Ptr(10)}),
		"empty cid":           create(&NumberPoolParams{CID: Ptr("")}),
		"bad type":            create(&NumberPoolParams{CID: Ptr("111"), Type: Ptr[NumberType]("Mobile")}),
		"bad country":         create(&NumberPoolParams{CID: Ptr("111"), Country: Ptr("USA")}),
		"zero max pool size":  create(&NumberPoolParams{CID: Ptr("111"), MaxPoolSize: Ptr(0)}),
		"negative buffer":     create(&NumberPoolParams{CID: Ptr("111"), BufferSeconds: Ptr(-1)}),
		"negative reserve":    create(&NumberPoolParams{CID: Ptr("111"), ReserveSize: Ptr(-1)}),
		"analytics with afid": create(&NumberPoolParams{CID: Ptr("111"), AFID: Ptr("0001"), GoogleAnalytics: Ptr(true)}),
		"nil update params":   func() error { _, err := c.NumberPools.Update(ctx, 49, nil); return err },
		"update analytics+afid": func() error {
			_, err := c.NumberPools.Update(ctx, 49, &NumberPoolParams{AFID: Ptr("0001"), GoogleAnalytics: Ptr(true)})
			return err
		},
		"update empty cid":   func() error { _, err := c.NumberPools.Update(ctx, 49, &NumberPoolParams{CID: Ptr(" ")}); return err },
		"zero id get":        func() error { _, err := c.NumberPools.Get(ctx, 0); return err },
		"zero id update":     func() error { _, err := c.NumberPools.Update(ctx, 0, &NumberPoolParams{}); return err },
		"negative id delete": func() error { return c.NumberPools.Delete(ctx, -1) },
		"negative page": func() error {
			_, err := c.NumberPools.List(ctx, &NumberPoolListOptions{ListOptions: ListOptions{Page: -1}})
			return err
		},
		"all negative page": func() error {
			for _, err := range c.NumberPools.All(ctx, &NumberPoolListOptions{ListOptions: ListOptions{Page: -1}}) {
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
