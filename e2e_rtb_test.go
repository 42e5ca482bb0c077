package retreaver_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Real-time bidding against the fake's RTB routes.

func TestE2ERTBReserveConfirmAndPingShield(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)

	res, err := client.RTB.Reserve(ctx, &retreaver.ReservationParams{
		Key: srv.RTBKey, PublisherID: "pub-7", CallerNumber: "+13015550100",
		Tags: map[string]string{"caller_zip": "28379", "age": "67", "utm source": "tv & radio"},
	})
	require.NoError(t, err)
	assert.Equal(t, retreaver.ReservationReserved, res.Status)
	assert.False(t, res.NoTarget())
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, res.UUID)
	assert.Regexp(t, `^\+1\d{10}$`, res.InboundNumber)
	assert.True(t, strings.HasPrefix(res.SIPAddress, "sip:"), res.SIPAddress)
	assert.False(t, res.PingShield)
	assert.WithinDuration(t, time.Now().Add(5*time.Minute), res.ExpiresAt, time.Minute)

	// What the server recorded is what was sent, tags included.
	stored := srv.RTBReservations()
	require.Len(t, stored, 1)
	assert.Equal(t, res.UUID, stored[0].UUID)
	assert.Equal(t, "pub-7", stored[0].PublisherID)
	assert.Equal(t, "+13015550100", stored[0].CallerNumber)
	assert.Equal(t, srv.CompanyID, stored[0].CompanyID)
	assert.Equal(t, map[string]string{"caller_zip": "28379", "age": "67", "utm source": "tv & radio"}, stored[0].Tags)
	assert.Equal(t, stored[0].Payout, res.Payout.Float64())
	assert.Equal(t, stored[0].Seconds, res.Seconds)
	assert.Positive(t, res.Seconds)
	assert.Equal(t, stored[0].InboundNumber, res.InboundNumber)

	// The same caller again while the first is live: the first, ping shielded.
	again, err := client.RTB.Reserve(ctx, &retreaver.ReservationParams{Key: srv.RTBKey, PublisherID: "pub-7", CallerNumber: "+13015550100"})
	require.NoError(t, err)
	assert.Equal(t, res.UUID, again.UUID)
	assert.True(t, again.PingShield)
	assert.Len(t, srv.RTBReservations(), 1, "a ping-shielded repeat is no new reservation")

	conf, err := client.RTB.Confirm(ctx, srv.RTBKey, res.UUID)
	require.NoError(t, err)
	assert.Equal(t, retreaver.ReservationConfirmed, conf.Status)
	assert.Equal(t, res.UUID, conf.UUID)
	assert.Equal(t, string(retreaver.ReservationConfirmed), srv.RTBReservations()[0].Status)

	// Another caller, with its inbound number.
	other, err := client.RTB.Reserve(ctx, &retreaver.ReservationParams{Key: srv.RTBKey, PublisherID: "pub-7",
		CallerNumber: "+13015550199", InboundNumber: "+18005550123"})
	require.NoError(t, err)
	assert.NotEqual(t, res.UUID, other.UUID)
	assert.Equal(t, "+18005550123", other.InboundNumber)
	assert.Len(t, srv.RTBReservations(), 2)

	_, err = client.RTB.Confirm(ctx, srv.RTBKey, "00000000-0000-4000-8000-000000000000")
	e2eRequireGone(t, err)

	// None of these requests carried the API key or a company.
	for _, r := range srv.Requests() {
		assert.True(t, strings.HasPrefix(r.Path, "/rtbs"), r.Path)
		assert.False(t, r.Query.Has("api_key"), "%s %s", r.Method, r.Path)
		assert.False(t, r.Query.Has("company_id"), "%s %s", r.Method, r.Path)
		assert.NotContains(t, string(r.Body), srv.APIKey)
	}
	assert.Equal(t, 3, e2eCount(srv, http.MethodPost, "/rtbs.json"))
}

func TestE2ERTBNoTargetExpiryAndBadKeys(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)

	// No target is an answer, not an error, and cannot be confirmed.
	srv.SetRTBNoTarget(true)
	res, err := client.RTB.Reserve(ctx, &retreaver.ReservationParams{Key: srv.RTBKey, PublisherID: "pub-1", CallerNumber: "+13015550111"})
	require.NoError(t, err)
	assert.Equal(t, retreaver.ReservationNoTarget, res.Status)
	assert.True(t, res.NoTarget())
	assert.NotEmpty(t, res.UUID)
	assert.Empty(t, res.InboundNumber)
	assert.True(t, res.ExpiresAt.IsZero())
	_, err = client.RTB.Confirm(ctx, srv.RTBKey, res.UUID)
	e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	srv.SetRTBNoTarget(false)

	// A suppressed caller gets no target either.
	_, err = client.SuppressedNumbers.Create(ctx, "+13015550122", nil)
	require.NoError(t, err)
	res, err = client.RTB.Reserve(ctx, &retreaver.ReservationParams{Key: srv.RTBKey, PublisherID: "pub-1", CallerNumber: "+13015550122"})
	require.NoError(t, err)
	assert.True(t, res.NoTarget())

	// An expired reservation answers 410 to a confirmation.
	srv.SetRTBReservationTTL(-time.Second)
	res, err = client.RTB.Reserve(ctx, &retreaver.ReservationParams{Key: srv.RTBKey, PublisherID: "pub-1", CallerNumber: "+13015550133"})
	require.NoError(t, err)
	assert.Equal(t, retreaver.ReservationReserved, res.Status)
	_, err = client.RTB.Confirm(ctx, srv.RTBKey, res.UUID)
	e2eRequireStatus(t, err, http.StatusGone, retreaver.ErrGone)

	// A bad key: the host answers a login page with 200; the SDK says so
	// without quoting the key.
	const badKey = "feedfacefeedfacefeedfacefeedface"
	_, err = client.RTB.Reserve(ctx, &retreaver.ReservationParams{Key: badKey, PublisherID: "pub-1", CallerNumber: "+13015550144"})
	require.Error(t, err)
	require.ErrorIs(t, err, retreaver.ErrUnexpectedResponse)
	var decErr *retreaver.DecodeError
	require.ErrorAs(t, err, &decErr)
	assert.Equal(t, http.StatusOK, decErr.StatusCode)
	assert.Contains(t, decErr.ContentType, "text/html")
	assert.NotContains(t, err.Error(), badKey)
	assert.NotContains(t, decErr.Snippet, badKey)
	_, err = client.RTB.Confirm(ctx, badKey, res.UUID)
	require.ErrorIs(t, err, retreaver.ErrUnexpectedResponse)
	assert.NotContains(t, err.Error(), badKey)

	// A campaign's own key: its reservations belong to the campaign's company.
	camp, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr("rtb-camp")})
	require.NoError(t, err)
	campKey := srv.RTBKeyFor(srv.CompanyID, camp.CID)
	require.NotEmpty(t, campKey)
	srv.SetRTBReservationTTL(time.Minute)
	res, err = client.RTB.Reserve(ctx, &retreaver.ReservationParams{Key: campKey, PublisherID: "pub-2", CallerNumber: "+13015550155"})
	require.NoError(t, err)
	assert.Equal(t, retreaver.ReservationReserved, res.Status)
	// Once the campaign is gone, so is its key.
	require.NoError(t, client.Campaigns.Delete(ctx, camp.ID))
	_, err = client.RTB.Reserve(ctx, &retreaver.ReservationParams{Key: campKey, PublisherID: "pub-2", CallerNumber: "+13015550166"})
	require.ErrorIs(t, err, retreaver.ErrUnexpectedResponse)
}

// A publisher with only a postback key uses NewRTBClient: no API key at all.
func TestE2ENewRTBClientSendsNoAPIKey(t *testing.T) {
	t.Parallel()
	srv, _ := e2eSetup(t)
	ctx := e2eCtx(t)

	rtb, err := retreaver.NewRTBClient(retreaver.WithRTBBaseURL(srv.URL), retreaver.WithRetryPolicy(e2eRetries))
	require.NoError(t, err)
	res, err := rtb.Reserve(ctx, &retreaver.ReservationParams{Key: srv.RTBKey, PublisherID: "pub-9", CallerNumber: "+13015550177",
		Tags: map[string]string{"state": "CA"}})
	require.NoError(t, err)
	assert.Equal(t, retreaver.ReservationReserved, res.Status)
	conf, err := rtb.Confirm(ctx, srv.RTBKey, res.UUID)
	require.NoError(t, err)
	assert.Equal(t, retreaver.ReservationConfirmed, conf.Status)

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, http.MethodPost, reqs[0].Method)
	assert.Equal(t, "/rtbs.json", reqs[0].Path)
	assert.Equal(t, http.MethodPut, reqs[1].Method)
	assert.Equal(t, "/rtbs/"+res.UUID+".json", reqs[1].Path)
	for _, r := range reqs {
		assert.Empty(t, r.Query, "no api_key, no company_id: %v", r.Query)
		assert.Contains(t, r.Header.Get("User-Agent"), retreaver.Version)
	}
	stored := srv.RTBReservations()
	require.Len(t, stored, 1)
	assert.Equal(t, map[string]string{"state": "CA"}, stored[0].Tags)
	assert.Equal(t, "pub-9", stored[0].PublisherID)
}
