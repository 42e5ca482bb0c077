package retreaver_test

import (
	"testing"

	"github.com/retreaver-go/retreaver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The campaign lifecycle against the fake.

func TestE2ECampaignLifecycle(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)

	c, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{
		CID:           retreaver.Ptr("camp-e2e"),
		Name:          retreaver.Ptr("Auto Insurance"),
		DedupeSeconds: retreaver.Ptr(3600),
		RecordCalls:   retreaver.Ptr(false),
		Message:       retreaver.Ptr("Thanks for calling"),
		VoiceGender:   retreaver.Ptr(retreaver.VoiceGenderFemale),
		Timers: []retreaver.TimerParams{
			{Seconds: retreaver.Ptr(0), URL: retreaver.Ptr("https://track.example.com/click")},
			{Seconds: retreaver.Ptr(90), URL: retreaver.Ptr("https://track.example.com/sale")},
		},
		MenuOptions: []retreaver.MenuOptionParams{{Option: retreaver.Ptr("1"), TargetNumber: retreaver.Ptr("+15555550101")}},
	})
	require.NoError(t, err)
	require.Positive(t, c.ID)
	assert.Equal(t, "camp-e2e", c.CID)
	assert.Equal(t, "Auto Insurance", c.Name)
	assert.Equal(t, 3600, c.DedupeSeconds)
	assert.False(t, c.RecordCalls)
	assert.Equal(t, "Thanks for calling", c.Greeting.Message)
	assert.Equal(t, retreaver.VoiceGenderFemale, c.Greeting.VoiceGender)
	require.Len(t, c.Timers, 2)
	assert.Equal(t, 0, c.Timers[0].Seconds)
	assert.Equal(t, "https://track.example.com/click", c.Timers[0].URL)
	assert.Equal(t, 90, c.Timers[1].Seconds)
	assert.Positive(t, c.Timers[1].ID)
	require.Len(t, c.MenuOptions, 1)
	assert.Equal(t, "1", c.MenuOptions[0].Option)
	assert.Equal(t, "+15555550101", c.MenuOptions[0].TargetNumber)

	got, err := client.Campaigns.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c, got)
	got, err = client.Campaigns.GetByCID(ctx, "camp-e2e")
	require.NoError(t, err)
	assert.Equal(t, c.ID, got.ID)

	// Without a cid the API picks one.
	auto, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{Name: retreaver.Ptr("Picked cid")})
	require.NoError(t, err)
	assert.Len(t, auto.CID, 8)
	assert.True(t, auto.RecordCalls, "default record_calls")
	page, err := client.Campaigns.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	all := e2eCollect(t, client.Campaigns.All(ctx, nil))
	assert.NotNil(t, e2eFind(all, func(x *retreaver.Campaign) bool { return x.CID == auto.CID }))
	assert.NotNil(t, e2eFind(all, func(x *retreaver.Campaign) bool { return x.CID == "camp-e2e" }))

	// A partial update keeps the greeting, the timers and the menu.
	up, err := client.Campaigns.Update(ctx, c.ID, &retreaver.CampaignParams{Name: retreaver.Ptr("Auto Insurance US")})
	require.NoError(t, err)
	assert.Equal(t, "Auto Insurance US", up.Name)
	assert.Equal(t, 3600, up.DedupeSeconds)
	assert.False(t, up.RecordCalls)
	assert.Equal(t, "Thanks for calling", up.Greeting.Message)
	assert.Equal(t, c.Timers, up.Timers)
	assert.Equal(t, c.MenuOptions, up.MenuOptions)

	// A timer changed by id keeps its url; a 0 is sent, not omitted.
	up, err = client.Campaigns.Update(ctx, c.ID, &retreaver.CampaignParams{
		Timers:        []retreaver.TimerParams{{ID: retreaver.Ptr(c.Timers[1].ID), Seconds: retreaver.Ptr(120)}},
		DedupeSeconds: retreaver.Ptr(0),
	})
	require.NoError(t, err)
	require.Len(t, up.Timers, 2)
	assert.Equal(t, 120, up.Timers[1].Seconds)
	assert.Equal(t, "https://track.example.com/sale", up.Timers[1].URL)
	assert.Equal(t, 0, up.DedupeSeconds)

	// An audio greeting.
	audio := []byte("ID3\x03\x00fake mp3 frames")
	p := &retreaver.CampaignParams{}
	p.SetGreetingAudio("welcome.mp3", audio)
	up, err = client.Campaigns.Update(ctx, c.ID, p)
	require.NoError(t, err)
	assert.Equal(t, "welcome.mp3", up.Greeting.AudioFileName)
	require.NotNil(t, up.Greeting.AudioFileSize)
	assert.Equal(t, int64(len(audio)), *up.Greeting.AudioFileSize)
	assert.NotNil(t, up.Greeting.AudioFileUpdatedAt)
	assert.Equal(t, "Thanks for calling", up.Greeting.Message)

	// destroy_nested drops the timers and menu options before adding new ones.
	up, err = client.Campaigns.Update(ctx, c.ID, &retreaver.CampaignParams{
		DestroyNested: retreaver.Ptr(true),
		Timers:        []retreaver.TimerParams{{Seconds: retreaver.Ptr(30), URL: retreaver.Ptr("https://track.example.com/new")}},
	})
	require.NoError(t, err)
	require.Len(t, up.Timers, 1)
	assert.Equal(t, 30, up.Timers[0].Seconds)
	assert.Equal(t, "https://track.example.com/new", up.Timers[0].URL)
	assert.Empty(t, up.MenuOptions)
	got, err = client.Campaigns.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Len(t, got.Timers, 1)
	assert.Empty(t, got.MenuOptions)

	// Renaming the cid by cid; the RTB key of the campaign follows it.
	key := srv.RTBKeyFor(srv.CompanyID, "camp-e2e")
	require.NotEmpty(t, key)
	up, err = client.Campaigns.UpdateByCID(ctx, "camp-e2e", &retreaver.CampaignParams{CID: retreaver.Ptr("camp-e2e-2")})
	require.NoError(t, err)
	assert.Equal(t, "camp-e2e-2", up.CID)
	assert.Equal(t, "Auto Insurance US", up.Name)
	_, err = client.Campaigns.GetByCID(ctx, "camp-e2e")
	e2eRequireGone(t, err)
	assert.Equal(t, key, srv.RTBKeyFor(srv.CompanyID, "camp-e2e-2"))

	require.NoError(t, client.Campaigns.Delete(ctx, c.ID))
	_, err = client.Campaigns.Get(ctx, c.ID)
	e2eRequireGone(t, err)
	_, err = client.Campaigns.GetByCID(ctx, "camp-e2e-2")
	e2eRequireGone(t, err)
	require.NoError(t, client.Campaigns.DeleteByCID(ctx, auto.CID))
	_, err = client.Campaigns.Get(ctx, auto.ID)
	e2eRequireGone(t, err)
	assert.Empty(t, e2eCollect(t, client.Campaigns.All(ctx, nil)))
}
