package retreaver

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// assertNumberGetFixture checks the values of number_get.json (and of the one
// number of numbers_list.json), whose timers arrive bare.
func assertNumberGetFixture(t *testing.T, n *Number) {
	t.Helper()
	require.Equal(t, int64(5), n.ID)
	require.Equal(t, "+16479311232", n.Number)
	require.False(t, n.TollFree)
	require.Equal(t, time.Date(2012, 5, 3, 13, 53, 23, 0, time.UTC), n.UpdatedAt)
	require.Equal(t, time.Date(2012, 4, 18, 6, 5, 5, 0, time.UTC), n.CreatedAt)
	require.Equal(t, "superaffiliate", n.SID)
	require.Equal(t, "0001", n.AFID)
	require.Equal(t, "111", n.CID)
	require.True(t, n.UsesCampaignSettings)
	require.Equal(t, Greeting{Message: "Hi There! Press one to continue.", VoiceGender: "Female", Inherited: true}, n.Greeting)
	require.Equal(t, []Timer{
		{ID: 113, Seconds: 0, URL: "http://www.thertrack.com/click.track?CID=[campaign_id]&AFID=[affiliate_id]&SID=[sub_id]", Inherited: true},
		{ID: 114, Seconds: 5, URL: "http://www.thertrack.com/pixel.track?CID=[campaign_id]&AFID=[affiliate_id]&SID=[sub_id]&MerchantReferenceID=[caller_id]-[called_number]-[call_duration]", Inherited: true},
	}, n.Timers)
	require.Equal(t, []MenuOption{{ID: 44, Option: "1", TargetNumber: "+18667878878", Inherited: true}}, n.MenuOptions)
}

// assertNumberCreatedFixture checks number_create.json / number_update.json,
// whose greeting is an audio file and whose timers arrive wrapped.
func assertNumberCreatedFixture(t *testing.T, n *Number, number, afid string) {
	t.Helper()
	require.Equal(t, int64(79), n.ID)
	require.Equal(t, number, n.Number)
	require.True(t, n.TollFree)
	require.Equal(t, time.Date(2012, 7, 15, 3, 15, 42, 0, time.UTC), n.CreatedAt)
	require.Equal(t, time.Date(2012, 7, 15, 3, 15, 42, 0, time.UTC), n.UpdatedAt)
	require.Equal(t, "superaffiliate", n.SID)
	require.Equal(t, afid, n.AFID)
	require.Equal(t, "0001", n.CID)
	require.True(t, n.UsesCampaignSettings)
	audioAt := time.Date(2012, 7, 15, 1, 30, 34, 0, time.UTC)
	require.Equal(t, Greeting{
		AudioFileName:        "greeting.flac",
		AudioFileContentType: "application/octet-stream",
		AudioFileSize:        Ptr[int64](4990865),
		AudioFileUpdatedAt:   &audioAt,
		Inherited:            true,
	}, n.Greeting)
	require.Equal(t, []Timer{
		{ID: 201, Seconds: 0, URL: "http://callpixels.com.go2cloud.org/aff_c?offer_id=[campaign_id]&aff_id=[affiliate_id]&aff_sub=[sub_id]", Inherited: true},
		{ID: 202, Seconds: 90, URL: "http://callpixels.com.go2cloud.org/[has_offers_code]?adv_sub=[call_log_id]-[caller_id]-[called_number]-[call_duration]-[call_recording_url]", Inherited: true},
	}, n.Timers)
	require.Equal(t, []MenuOption{
		{ID: 66, Option: "1", TargetNumber: "+18884899999", Inherited: true},
		{ID: 71, Option: "2", TargetCID: "399944", Inherited: true},
	}, n.MenuOptions)
}

func TestNumbersList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "numbers.json", 200, fixture(t, "numbers_list.json"))

	page, err := c.Numbers.List(context.Background(), &NumberListOptions{ClientCID: "111", ClientAFID: "0001", SubID: "superaffiliate"})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "numbers.json", url.Values{"client_cid": {"111"}, "client_afid": {"0001"}, "sub_id": {"superaffiliate"}}, false)
	assertNoBody(t, got)
	require.Len(t, page.Items, 1)
	require.False(t, page.HasNext())
	assertNumberGetFixture(t, page.Items[0])
}

// The number filters are client_cid, client_afid and sub_id; the names cid, afid
// and sid of an older reference never filtered, and are never sent. Number
// pools keep cid and afid.
func TestNumberFiltersUseTheDocumentedNames(t *testing.T) {
	cases := []struct {
		opts *NumberListOptions
		want url.Values
	}{
		{&NumberListOptions{ClientCID: "07c5f595"}, url.Values{"client_cid": {"07c5f595"}}},
		{&NumberListOptions{ClientAFID: "b687ad95"}, url.Values{"client_afid": {"b687ad95"}}},
		{&NumberListOptions{SubID: "s-1"}, url.Values{"sub_id": {"s-1"}}},
		{&NumberListOptions{}, nil},
	}
	for _, tc := range cases {
		c, mt := newTestClient(t)
		rec := stub(t, mt, "GET", "numbers.json", 200, `[]`)
		_, err := c.Numbers.List(context.Background(), tc.opts)
		require.NoError(t, err)
		got := rec.only(t)
		assertWire(t, got, "GET", "numbers.json", tc.want, false)
		for _, old := range []string{"cid", "afid", "sid"} {
			require.NotContains(t, got.Query, old)
		}
	}

	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "number_pools.json", 200, `[]`)
	_, err := c.NumberPools.List(context.Background(), &NumberPoolListOptions{CID: "111", AFID: "0001"})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "number_pools.json", url.Values{"cid": {"111"}, "afid": {"0001"}}, false)
	require.NotContains(t, got.Query, "client_cid")
	require.NotContains(t, got.Query, "client_afid")
}

func TestNumbersAllStartsAtThePageAsked(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "numbers.json", 200, fixture(t, "numbers_list.json"))
	n := 0
	for num, err := range c.Numbers.All(context.Background(), &NumberListOptions{ListOptions: ListOptions{Page: 4}, ClientCID: "111"}) {
		require.NoError(t, err)
		require.Equal(t, "+16479311232", num.Number)
		n++
	}
	require.Equal(t, 1, n)
	assertWire(t, rec.only(t), "GET", "numbers.json", url.Values{"client_cid": {"111"}, "page": {"4"}}, false)
}

func TestNumbersGet(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "numbers/5.json", 200, fixture(t, "number_get.json"))
	n, err := c.Numbers.Get(context.Background(), 5)
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", "numbers/5.json", nil, false)
	assertNoBody(t, rec.only(t))
	assertNumberGetFixture(t, n)
}

func TestNumbersCreateSendsTheReferenceBody(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "numbers.json", 200, fixture(t, "number_create.json"))
	n, err := c.Numbers.Create(context.Background(), &NumberParams{
		Type:        Ptr(NumberTypeTollFree),
		DesiredText: Ptr("TEST"),
		AFID:        Ptr("0002"),
		CID:         Ptr("0001"),
		SID:         Ptr("superaffiliate"),
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "POST", "numbers.json", nil, false)
	assertJSONBody(t, got, `{"number":{"type":"Toll-free","desired_text":"TEST","afid":"0002","cid":"0001","sid":"superaffiliate"}}`)
	assertNumberCreatedFixture(t, n, "+18008378206", "0002")
}

func TestNumbersCreateLocalWithOverrides(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "numbers.json", 201, fixture(t, "number_create.json"))
	p := &NumberParams{
		Type:          Ptr(NumberTypeLocal),
		Country:       Ptr("GB"),
		AFID:          Ptr("0002"),
		CID:           Ptr("0001"),
		DestroyNested: Ptr(false),
		Message:       Ptr("Hello"),
		VoiceGender:   Ptr(VoiceGenderFemale),
		Repeat:        Ptr(2),
		Timers:        []TimerParams{{Seconds: Ptr(30), URL: Ptr("https://x.test/sale")}},
		MenuOptions:   []MenuOptionParams{{Option: Ptr("*"), TargetCID: Ptr("0001")}},
	}
	p.SetGreetingAudio("hi.mp3", []byte("ID3"))
	_, err := c.Numbers.Create(context.Background(), p)
	require.NoError(t, err)
	assertJSONBody(t, rec.only(t), `{"number":{"type":"Local","country":"GB","afid":"0002","cid":"0001","destroy_nested":false,
		"message":"Hello","voice_gender":"Female","repeat":2,"message_file_b64_data":"SUQz","message_file_b64_filename":"hi.mp3",
		"timers_attributes":[{"seconds":30,"url":"https://x.test/sale"}],"menu_options_attributes":[{"option":"*","target_cid":"0001"}]}}`)
}

func TestNumbersUpdate(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "numbers/79.json", 200, fixture(t, "number_update.json"))
	n, err := c.Numbers.Update(context.Background(), 79, &NumberParams{AFID: Ptr("0005")})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "numbers/79.json", nil, false)
	assertJSONBody(t, got, `{"number":{"afid":"0005"}}`)
	assertNumberCreatedFixture(t, n, "+15558237206", "0005")
}

func TestNumbersDelete(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "DELETE", "numbers/79.json", 200, "")
	require.NoError(t, c.Numbers.Delete(context.Background(), 79))
	assertWire(t, rec.only(t), "DELETE", "numbers/79.json", nil, false)
	assertNoBody(t, rec.only(t))
}

func TestNumbersRejectBadInputBeforeSending(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()
	valid := func() *NumberParams { return &NumberParams{AFID: Ptr("0002"), CID: Ptr("0001")} }
	with := func(f func(p *NumberParams)) *NumberParams { p := valid(); f(p); return p }
	badAudio := valid()
	badAudio.SetGreetingAudio("", []byte("x"))
	cases := map[string]func() error{
		"nil create params": func() error { _, err := c.Numbers.Create(ctx, nil); return err },
		"nil update params": func() error { _, err := c.Numbers.Update(ctx, 79, nil); return err },
		"no afid":           func() error { _, err := c.Numbers.Create(ctx, &NumberParams{CID: Ptr("0001")}); return err },
		"no cid":            func() error { _, err := c.Numbers.Create(ctx, &NumberParams{AFID: Ptr("0002")}); return err },
		"empty cid": func() error {
			_, err := c.Numbers.Create(ctx, with(func(p *NumberParams) { p.CID = Ptr("") }))
			return err
		},
		"empty afid update": func() error { _, err := c.Numbers.Update(ctx, 79, &NumberParams{AFID: Ptr(" ")}); return err },
		"bad type": func() error {
			_, err := c.Numbers.Create(ctx, with(func(p *NumberParams) { p.Type = Ptr[NumberType]("toll-free") }))
			return err
		},
		"country toll-free": func() error {
			_, err := c.Numbers.Create(ctx, with(func(p *NumberParams) { p.Country = Ptr("CA") }))
			return err
		},
		"country not listed": func() error {
			_, err := c.Numbers.Create(ctx, with(func(p *NumberParams) { p.Type, p.Country = Ptr(NumberTypeLocal), Ptr("DE") }))
			return err
		},
		"country lowercase": func() error {
			_, err := c.Numbers.Create(ctx, with(func(p *NumberParams) { p.Type, p.Country = Ptr(NumberTypeLocal), Ptr("us") }))
			return err
		},
		"bad voice": func() error {
			_, err := c.Numbers.Update(ctx, 79, &NumberParams{VoiceGender: Ptr[VoiceGender]("Robot")})
			return err
		},
		"audio no name": func() error { _, err := c.Numbers.Create(ctx, badAudio); return err },
		"new timer no url": func() error {
			_, err := c.Numbers.Update(ctx, 79, &NumberParams{Timers: []TimerParams{{Seconds: Ptr(1)}}})
			return err
		},
		"bad menu option": func() error {
			_, err := c.Numbers.Update(ctx, 79, &NumberParams{MenuOptions: []MenuOptionParams{{Option: Ptr("")}}})
			return err
		},
		"zero id get":        func() error { _, err := c.Numbers.Get(ctx, 0); return err },
		"zero id update":     func() error { _, err := c.Numbers.Update(ctx, 0, valid()); return err },
		"negative id delete": func() error { return c.Numbers.Delete(ctx, -79) },
		"negative page": func() error {
			_, err := c.Numbers.List(ctx, &NumberListOptions{ListOptions: ListOptions{Page: -1}})
			return err
		},
		"all negative page": func() error {
			for _, err := range c.Numbers.All(ctx, &NumberListOptions{ListOptions: ListOptions{Page: -2}}) {
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
