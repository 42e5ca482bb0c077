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

// assertCampaignGetFixture checks the values of campaign_get.json.
func assertCampaignGetFixture(t *testing.T, c *Campaign, cid string) {
	t.Helper()
	require.Equal(t, cid, c.CID)
	require.Zero(t, c.ID, "the reference's examples carry no id")
	require.Equal(t, "SuperFuntime", c.Name)
	require.Equal(t, time.Date(2012, 7, 15, 3, 40, 24, 0, time.UTC), c.UpdatedAt)
	require.Equal(t, time.Date(2012, 4, 16, 13, 50, 21, 0, time.UTC), c.CreatedAt)
	require.True(t, c.RecordCalls)
	require.Equal(t, 3600, c.RecordSeconds)
	require.Equal(t, 86400, c.DedupeSeconds)
	require.False(t, c.AffiliateCanPullNumber)
	require.Equal(t, "5e2ba674a8a1fb34dddcf850139ffdd9", c.ShowKey)
	require.Equal(t, Greeting{Message: "Hi There! Press one to continue.", VoiceGender: "Female"}, c.Greeting)
	require.Equal(t, []Timer{
		{ID: 195, Seconds: 0, URL: "http://www.thertrack.com/click.track?CID=[campaign_id]&AFID=[affiliate_id]&SID=[sub_id]"},
		{ID: 199, Seconds: 90, URL: "http://www.thertrack.com/pixel.track?CID=[campaign_id]&AFID=[affiliate_id]&SID=[sub_id]&MerchantReferenceID=[caller_id]-[called_number]-[call_duration]"},
	}, c.Timers)
	require.Equal(t, []MenuOption{{ID: 61, Option: "1", TargetNumber: "+18987748833"}}, c.MenuOptions)
}

func TestCampaignsList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "campaigns.json", 200, fixture(t, "campaigns_list.json"),
		"Link", `<https://retreaver.com/campaigns.json?page=3>; rel="last", <https://retreaver.com/campaigns.json?page=3>; rel="next"`)

	page, err := c.Campaigns.List(context.Background(), &CampaignListOptions{ListOptions{Page: 2}})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "campaigns.json", url.Values{"page": {"2"}}, false)
	assertNoBody(t, got)
	require.Equal(t, 3, page.NextPage)
	require.Equal(t, 3, page.LastPage)
	require.Len(t, page.Items, 1)
	assertCampaignGetFixture(t, page.Items[0], "111")
}

func TestCampaignsAll(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "campaigns.json", 200, fixture(t, "campaigns_list.json"))
	var got []*Campaign
	for camp, err := range c.Campaigns.All(context.Background(), nil) {
		require.NoError(t, err)
		got = append(got, camp)
	}
	require.Len(t, got, 1)
	require.Equal(t, "111", got[0].CID)
	assertWire(t, rec.only(t), "GET", "campaigns.json", url.Values{"page": {"1"}}, false)
}

func TestCampaignsGet(t *testing.T) {
	c, mt := newTestClient(t)
	byID := stub(t, mt, "GET", "campaigns/9872.json", 200, fixture(t, "campaign_get.json"))
	byCID := stub(t, mt, "GET", "campaigns/cid/0044.json", 200, fixture(t, "campaign_get.json"))
	ctx := context.Background()

	camp, err := c.Campaigns.Get(ctx, 9872)
	require.NoError(t, err)
	assertWire(t, byID.only(t), "GET", "campaigns/9872.json", nil, false)
	assertNoBody(t, byID.only(t))
	assertCampaignGetFixture(t, camp, "0044")

	camp, err = c.Campaigns.GetByCID(ctx, "0044")
	require.NoError(t, err)
	assertWire(t, byCID.only(t), "GET", "campaigns/cid/0044.json", nil, false)
	assertCampaignGetFixture(t, camp, "0044")
}

func TestCampaignsGetByCIDEscapesThePath(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, nil)
	_, err := c.Campaigns.GetByCID(context.Background(), "a/b c?")
	require.Error(t, err)
	require.Equal(t, "/campaigns/cid/a%2Fb%20c%3F.json", rec.only(t).Path)
}

func TestCampaignsCreateSendsTheReferenceBody(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "campaigns.json", 200, fixture(t, "campaign_create.json"))

	camp, err := c.Campaigns.Create(context.Background(), &CampaignParams{
		CID:         Ptr("0044"),
		Name:        Ptr("MyCampaign"),
		Message:     Ptr("Thanks for calling, please press one to continue."),
		VoiceGender: Ptr(VoiceGenderMale),
		Timers: []TimerParams{
			{Seconds: Ptr(0), URL: Ptr("http://callpixels.com/click.html")},
			{Seconds: Ptr(90), URL: Ptr("http://callpixels.com/sale.html")},
		},
		MenuOptions: []MenuOptionParams{{Option: Ptr("1"), TargetNumber: Ptr("+16474570424")}},
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "POST", "campaigns.json", nil, false)
	// The reference's "HTTP Request" body for Create a Campaign, verbatim.
	assertJSONBody(t, got, `{"campaign":{"cid":"0044","name":"MyCampaign","message":"Thanks for calling, please press one to continue.","voice_gender":"Male","timers_attributes":[{"seconds":0,"url":"http://callpixels.com/click.html"},{"seconds":90,"url":"http://callpixels.com/sale.html"}],"menu_options_attributes":[{"option":"1","target_number":"+16474570424"}]}}`)

	require.Equal(t, "0044", camp.CID)
	require.Equal(t, "MyCampaign", camp.Name)
	require.Equal(t, time.Date(2012, 7, 15, 3, 34, 0, 0, time.UTC), camp.CreatedAt)
	require.Equal(t, time.Date(2012, 7, 15, 3, 34, 0, 0, time.UTC), camp.UpdatedAt)
	require.True(t, camp.RecordCalls)
	require.Equal(t, 3600, camp.RecordSeconds)
	require.Equal(t, 0, camp.DedupeSeconds)
	require.False(t, camp.AffiliateCanPullNumber)
	require.Equal(t, "5e2ba674a8a1fb34dddcf850139ffdd9", camp.ShowKey)
	require.Equal(t, Greeting{Message: "Thanks for calling, please press one to continue.", VoiceGender: "Male"}, camp.Greeting)
	require.Equal(t, []Timer{
		{ID: 217, Seconds: 0, URL: "http://callpixels.com/click.html"},
		{ID: 218, Seconds: 90, URL: "http://callpixels.com/sale.html"},
	}, camp.Timers)
	require.Equal(t, []MenuOption{{ID: 77, Option: "1", TargetNumber: "+16474570424"}}, camp.MenuOptions)
}

func TestCampaignsUpdate(t *testing.T) {
	c, mt := newTestClient(t)
	byID := stub(t, mt, "PUT", "campaigns/9872.json", 200, fixture(t, "campaign_update.json"))
	byCID := stub(t, mt, "PUT", "campaigns/cid/0044.json", 200, fixture(t, "campaign_update.json"))
	ctx := context.Background()

	camp, err := c.Campaigns.UpdateByCID(ctx, "0044", &CampaignParams{Name: Ptr("My Other Campaign")})
	require.NoError(t, err)
	got := byCID.only(t)
	assertWire(t, got, "PUT", "campaigns/cid/0044.json", nil, false)
	assertJSONBody(t, got, `{"campaign":{"name":"My Other Campaign"}}`)
	require.Equal(t, "My Other Campaign", camp.Name)
	require.Equal(t, "0044", camp.CID)
	require.Equal(t, 0, camp.DedupeSeconds)
	require.Equal(t, VoiceGenderMale, camp.Greeting.VoiceGender)
	require.Equal(t, int64(218), camp.Timers[1].ID)
	require.Equal(t, "+16474570424", camp.MenuOptions[0].TargetNumber)

	// Zero values are sent when set; nested items keep their ids.
	camp, err = c.Campaigns.Update(ctx, 9872, &CampaignParams{
		RecordCalls:            Ptr(false),
		AffiliateCanPullNumber: Ptr(true),
		DedupeSeconds:          Ptr(0),
		Repeat:                 Ptr(0),
		DestroyNested:          Ptr(true),
		VoiceGender:            Ptr(VoiceGenderFemale),
		Timers:                 []TimerParams{{ID: Ptr[int64](217), Seconds: Ptr(-5)}, {Seconds: Ptr(-10), URL: Ptr("https://x.test/?a=1&b=2")}},
		MenuOptions:            []MenuOptionParams{{ID: Ptr[int64](77), TargetCID: Ptr("0045")}, {Option: Ptr("#"), TargetNumber: Ptr("+15555550100")}},
	})
	require.NoError(t, err)
	got = byID.only(t)
	assertWire(t, got, "PUT", "campaigns/9872.json", nil, false)
	assertJSONBody(t, got, `{"campaign":{"record_calls":false,"affiliate_can_pull_number":true,"dedupe_seconds":0,"repeat":0,"destroy_nested":true,"voice_gender":"Female",
		"timers_attributes":[{"id":217,"seconds":-5},{"seconds":-10,"url":"https://x.test/?a=1&b=2"}],
		"menu_options_attributes":[{"id":77,"target_cid":"0045"},{"option":"#","target_number":"+15555550100"}]}}`)
	require.Equal(t, "My Other Campaign", camp.Name)
}

func TestCampaignsSetGreetingAudio(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "campaigns/cid/0044.json", 200, fixture(t, "campaign_update.json"))
	p := &CampaignParams{}
	p.SetGreetingAudio("/home/me/audio/memo.flac", []byte{0xff, 0xfe, 'f', 'L', 'a', 'C'})
	require.Equal(t, "memo.flac", *p.MessageFileB64Filename)
	_, err := c.Campaigns.UpdateByCID(context.Background(), "0044", p)
	require.NoError(t, err)
	assertJSONBody(t, rec.only(t), `{"campaign":{"message_file_b64_data":"//5mTGFD","message_file_b64_filename":"memo.flac"}}`)

	p.SetGreetingAudio(`C:\audio\greeting.wav`, []byte("RIFF"))
	require.Equal(t, "greeting.wav", *p.MessageFileB64Filename)
	require.Equal(t, "UklGRg==", *p.MessageFileB64Data)
}

func TestCampaignsDelete(t *testing.T) {
	c, mt := newTestClient(t)
	byID := stub(t, mt, "DELETE", "campaigns/9872.json", 200, "")
	byCID := stub(t, mt, "DELETE", "campaigns/cid/0044.json", 204, "")
	ctx := context.Background()

	require.NoError(t, c.Campaigns.Delete(ctx, 9872))
	assertWire(t, byID.only(t), "DELETE", "campaigns/9872.json", nil, false)
	assertNoBody(t, byID.only(t))

	require.NoError(t, c.Campaigns.DeleteByCID(ctx, "0044"))
	assertWire(t, byCID.only(t), "DELETE", "campaigns/cid/0044.json", nil, false)
	assertNoBody(t, byCID.only(t))
}

func TestCampaignsDeleteReportsAPIError(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "DELETE", "campaigns/cid/0044.json", 422, `{"errors":{"base":["Cannot delete a campaign with numbers"]}}`)
	err := c.Campaigns.DeleteByCID(context.Background(), "0044")
	require.ErrorIs(t, err, ErrUnprocessable)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	require.Contains(t, apiErr.Message, "Cannot delete a campaign with numbers")
}

func TestTimerAndMenuOptionDecodeWrappedAndBare(t *testing.T) {
	var timers []Timer
	require.NoError(t, json.Unmarshal([]byte(`[{"timer":{"id":1,"seconds":-3,"url":"u1","inherited":true}},{"id":2,"seconds":5,"url":"u2"}]`), &timers))
	require.Equal(t, []Timer{{ID: 1, Seconds: -3, URL: "u1", Inherited: true}, {ID: 2, Seconds: 5, URL: "u2"}}, timers)

	var opts []MenuOption
	require.NoError(t, json.Unmarshal([]byte(`[{"menu_option":{"id":71,"option":"2","target_cid":"399944","target_number":null,"inherited":true}},{"id":72,"option":"#","target_cid":null,"target_number":"+1"}]`), &opts))
	require.Equal(t, []MenuOption{{ID: 71, Option: "2", TargetCID: "399944", Inherited: true}, {ID: 72, Option: "#", TargetNumber: "+1"}}, opts)

	var bad Timer
	require.Error(t, json.Unmarshal([]byte(`{"timer":{"seconds":"ten"}}`), &bad))
}

func TestCampaignsRejectBadInputBeforeSending(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()
	emptyAudio := &CampaignParams{}
	emptyAudio.SetGreetingAudio("memo.flac", nil)
	noName := &CampaignParams{}
	noName.SetGreetingAudio("dir/", []byte("x"))
	cases := map[string]func() error{
		"nil create params":  func() error { _, err := c.Campaigns.Create(ctx, nil); return err },
		"nil update params":  func() error { _, err := c.Campaigns.Update(ctx, 1, nil); return err },
		"zero id get":        func() error { _, err := c.Campaigns.Get(ctx, 0); return err },
		"negative id update": func() error { _, err := c.Campaigns.Update(ctx, -1, &CampaignParams{}); return err },
		"zero id delete":     func() error { return c.Campaigns.Delete(ctx, 0) },
		"empty cid get":      func() error { _, err := c.Campaigns.GetByCID(ctx, ""); return err },
		"blank cid update":   func() error { _, err := c.Campaigns.UpdateByCID(ctx, " ", &CampaignParams{}); return err },
		"empty cid delete":   func() error { return c.Campaigns.DeleteByCID(ctx, "") },
		"nil params by cid":  func() error { _, err := c.Campaigns.UpdateByCID(ctx, "0044", nil); return err },
		"empty cid param":    func() error { _, err := c.Campaigns.Create(ctx, &CampaignParams{CID: Ptr("")}); return err },
		"bad voice gender": func() error {
			_, err := c.Campaigns.Create(ctx, &CampaignParams{VoiceGender: Ptr[VoiceGender]("male")})
			return err
		},
		"negative dedupe":  func() error { _, err := c.Campaigns.Create(ctx, &CampaignParams{DedupeSeconds: Ptr(-1)}); return err },
		"negative repeat":  func() error { _, err := c.Campaigns.Create(ctx, &CampaignParams{Repeat: Ptr(-1)}); return err },
		"empty audio":      func() error { _, err := c.Campaigns.Create(ctx, emptyAudio); return err },
		"empty audio name": func() error { _, err := c.Campaigns.Update(ctx, 1, noName); return err },
		"audio without name": func() error {
			_, err := c.Campaigns.Create(ctx, &CampaignParams{MessageFileB64Data: Ptr("AAAA")})
			return err
		},
		"new timer no url": func() error {
			_, err := c.Campaigns.Create(ctx, &CampaignParams{Timers: []TimerParams{{Seconds: Ptr(0)}}})
			return err
		},
		"new timer no secs": func() error {
			_, err := c.Campaigns.Create(ctx, &CampaignParams{Timers: []TimerParams{{URL: Ptr("u")}}})
			return err
		},
		"timer empty url": func() error {
			_, err := c.Campaigns.Create(ctx, &CampaignParams{Timers: []TimerParams{{ID: Ptr[int64](1), URL: Ptr("")}}})
			return err
		},
		"timer zero id": func() error {
			_, err := c.Campaigns.Create(ctx, &CampaignParams{Timers: []TimerParams{{ID: Ptr[int64](0)}}})
			return err
		},
		"new option missing": func() error {
			_, err := c.Campaigns.Create(ctx, &CampaignParams{MenuOptions: []MenuOptionParams{{TargetNumber: Ptr("+1")}}})
			return err
		},
		"option out of range": func() error {
			_, err := c.Campaigns.Create(ctx, &CampaignParams{MenuOptions: []MenuOptionParams{{Option: Ptr("10")}}})
			return err
		},
		"option letter": func() error {
			_, err := c.Campaigns.Create(ctx, &CampaignParams{MenuOptions: []MenuOptionParams{{Option: Ptr("a")}}})
			return err
		},
		"option negative id": func() error {
			_, err := c.Campaigns.Create(ctx, &CampaignParams{MenuOptions: []MenuOptionParams{{ID: Ptr[int64](-2)}}})
			return err
		},
		"list negative page": func() error { _, err := c.Campaigns.List(ctx, &CampaignListOptions{ListOptions{Page: -1}}); return err },
		"all negative page": func() error {
			for _, err := range c.Campaigns.All(ctx, &CampaignListOptions{ListOptions{Page: -1}}) {
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
