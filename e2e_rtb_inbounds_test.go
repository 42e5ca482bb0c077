package retreaver_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RTB inbounds and their exports against the fake: the rows come from
// reservations made through the SDK's RTB service.

// e2eInboundPings reserves through client.RTB on the demo's campaigns 1001
// and 1002: two confirmed, one live, one no-target, one ping-shielded
// repeat, one lapsed; and adds one row 10 days old. It returns the
// reservations by name.
func e2eInboundPings(t *testing.T, ctx context.Context, srv *retreavertest.Server, client *retreaver.Client) map[string]*retreaver.Reservation {
	t.Helper()
	key1, key2 := srv.RTBKeyFor(srv.CompanyID, "1001"), srv.RTBKeyFor(srv.CompanyID, "1002")
	reserve := func(key, caller, state string) *retreaver.Reservation {
		res, err := client.RTB.Reserve(ctx, &retreaver.ReservationParams{Key: key, PublisherID: "0001", CallerNumber: caller,
			Tags: map[string]string{"caller_state": state}})
		require.NoError(t, err)
		return res
	}
	confirm := func(key string, res *retreaver.Reservation) {
		conf, err := client.RTB.Confirm(ctx, key, res.UUID)
		require.NoError(t, err)
		require.Equal(t, retreaver.ReservationConfirmed, conf.Status)
	}
	out := map[string]*retreaver.Reservation{}
	out["claimed1"] = reserve(key1, "+13015550101", "TX")
	confirm(key1, out["claimed1"])
	out["claimed2"] = reserve(key2, "+13015550102", "CA")
	confirm(key2, out["claimed2"])
	out["live"] = reserve(key1, "+13015550103", "TX")
	srv.SetRTBNoTarget(true)
	out["noTarget"] = reserve(key1, "+13015550104", "NY")
	require.True(t, out["noTarget"].NoTarget())
	srv.SetRTBNoTarget(false)
	out["repeat"] = reserve(key1, "+13015550101", "TX")
	require.True(t, out["repeat"].PingShield)
	require.Equal(t, out["claimed1"].UUID, out["repeat"].UUID)
	srv.SetRTBReservationTTL(-time.Second)
	out["expired"] = reserve(key2, "+13015550105", "CA")
	srv.SetRTBReservationTTL(retreavertest.DefaultRTBReservationTTL)
	_, err := srv.AddRTBInbound(srv.CompanyID, retreavertest.RTBInbound{Revenue: "30", CreatedAt: time.Now().AddDate(0, 0, -10)})
	require.NoError(t, err)
	return out
}

func TestE2ERTBInboundsListTheReservations(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t, retreavertest.WithDemoData())
	ctx := e2eCtx(t)
	pings := e2eInboundPings(t, ctx, srv, client)
	camp1, err := client.Campaigns.GetByCID(ctx, "1001")
	require.NoError(t, err)
	aff, err := client.Affiliates.GetByAFID(ctx, "0001")
	require.NoError(t, err)

	rows := e2eCollect(t, client.RTBInbounds.All(ctx, nil))
	require.Len(t, rows, 7, "every ping, the shielded repeat included, and the added row")
	byUUID := map[string]*retreaver.RTBInbound{}
	for _, r := range rows {
		byUUID[r.UUID] = r
	}
	for i := 1; i < len(rows); i++ {
		assert.False(t, rows[i].CreatedAt.After(rows[i-1].CreatedAt), "newest first")
	}

	// A claimed row joins the call log by CallUUID.
	c := byUUID[pings["claimed1"].UUID]
	require.NotNil(t, c)
	assert.Equal(t, retreaver.RTBInboundClaimed, c.Status)
	require.NotEmpty(t, c.CallUUID)
	assert.NotEqual(t, c.UUID, c.CallUUID)
	assert.Equal(t, camp1.ID, c.CampaignID)
	assert.Equal(t, aff.ID, c.AffiliateID)
	assert.NotZero(t, c.TargetID)
	assert.NotZero(t, c.PostbackKeyID)
	assert.Equal(t, pings["claimed1"].Payout.String(), c.Payout.String())
	assert.Equal(t, "TX", c.CallerState)
	require.NotNil(t, c.ConfirmedAt)
	require.NotNil(t, c.EndedAt)
	assert.Empty(t, c.DuplicateOriginalUUID)
	call, err := client.Calls.Get(ctx, c.CallUUID)
	require.NoError(t, err)
	assert.Equal(t, "+13015550101", call.Caller)
	assert.Equal(t, "1001", call.CID)
	assert.Equal(t, "0001", call.AFID)
	assert.Zero(t, call.Revenue.Cmp(c.Revenue))

	// The shielded repeat: a rejected duplicate of the first.
	var dup *retreaver.RTBInbound
	for _, r := range rows {
		if r.DuplicateOrder > 0 {
			dup = r
		}
	}
	require.NotNil(t, dup)
	assert.Equal(t, retreaver.RTBInboundRejected, dup.Status)
	assert.Equal(t, pings["claimed1"].UUID, dup.DuplicateOriginalUUID)
	assert.Empty(t, dup.CallUUID, "the all-zero UUID reads as none")

	assert.Equal(t, retreaver.RTBInboundNoTarget, byUUID[pings["noTarget"].UUID].Status)
	assert.Empty(t, byUUID[pings["noTarget"].UUID].CallUUID)
	assert.Equal(t, retreaver.RTBInboundExpired, byUUID[pings["expired"].UUID].Status)
	assert.Equal(t, "reserved", byUUID[pings["live"].UUID].Status)

	// Filters.
	uuidsOf := func(opts *retreaver.RTBInboundListOptions) []string {
		var out []string
		for _, r := range e2eCollect(t, client.RTBInbounds.All(ctx, opts)) {
			out = append(out, r.UUID)
		}
		return out
	}
	assert.ElementsMatch(t, []string{pings["claimed1"].UUID, pings["live"].UUID, pings["noTarget"].UUID, dup.UUID},
		uuidsOf(&retreaver.RTBInboundListOptions{CampaignIDs: []int64{camp1.ID}}))
	assert.ElementsMatch(t, []string{pings["claimed1"].UUID, pings["claimed2"].UUID},
		uuidsOf(&retreaver.RTBInboundListOptions{Statuses: []string{retreaver.RTBInboundClaimed}}))
	assert.ElementsMatch(t, []string{pings["noTarget"].UUID, pings["expired"].UUID},
		uuidsOf(&retreaver.RTBInboundListOptions{Statuses: []string{retreaver.RTBInboundNoTarget, retreaver.RTBInboundExpired},
			CreatedAt: "last_7d"}))
	rev := c.Revenue.Float64()
	inRange := uuidsOf(&retreaver.RTBInboundListOptions{Revenue: &retreaver.Range{Min: rev, Max: rev}})
	assert.Contains(t, inRange, pings["claimed1"].UUID)
	assert.NotContains(t, inRange, dup.UUID, "a rejected ping earns nothing")
	assert.Len(t, uuidsOf(&retreaver.RTBInboundListOptions{CreatedAt: "last_7d"}), 6, "not the row of 10 days ago")
	assert.Len(t, uuidsOf(&retreaver.RTBInboundListOptions{CreatedAtStart: time.Now().AddDate(0, 0, -11)}), 7)
	assert.Equal(t, []string{dup.UUID}, uuidsOf(&retreaver.RTBInboundListOptions{Duplicate: retreaver.Ptr(true)}))
	assert.ElementsMatch(t, []string{pings["claimed1"].UUID, pings["live"].UUID},
		uuidsOf(&retreaver.RTBInboundListOptions{CallerState: "TX", Duplicate: retreaver.Ptr(false)}))

	page, filters, err := client.RTBInbounds.ListWithFilters(ctx, &retreaver.RTBInboundListOptions{CampaignIDs: []int64{camp1.ID}})
	require.NoError(t, err)
	assert.Len(t, page.Items, 4)
	// The fake's filters object (the reference prints none): lists of {"id", "name"}, and the statuses.
	var campaigns []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	require.NoError(t, json.Unmarshal(filters["campaigns"], &campaigns))
	assert.Len(t, campaigns, 3)
	for _, key := range []string{"publishers", "targets", "postback_keys"} {
		assert.NotEmpty(t, filters[key], key)
	}
	var statuses []string
	require.NoError(t, json.Unmarshal(filters["statuses"], &statuses))
	assert.Len(t, statuses, 4)
}

// e2eExportOptions is the window the export tests use.
var e2eExportOptions = &retreaver.RTBInboundListOptions{CreatedAt: "last_7d"}

func TestE2ERTBInboundsExportMatchesTheListing(t *testing.T) {
	t.Parallel()
	srv, _ := e2eSetup(t, retreavertest.WithDemoData())
	client := e2eClient(t, srv, e2eRetries, retreaver.WithExportPolling(time.Millisecond, 5*time.Millisecond))
	ctx := e2eCtx(t)
	e2eInboundPings(t, ctx, srv, client)
	srv.SetExportRun(retreavertest.ExportRun{Polls: 2})
	listed := e2eCollect(t, client.RTBInbounds.All(ctx, e2eExportOptions))
	require.Len(t, listed, 6)

	// Step by step: create, wait, download through the redirect, read.
	e, err := client.Exports.CreateRTBInbounds(ctx, e2eExportOptions)
	require.NoError(t, err)
	assert.True(t, e.InProgress)
	assert.Nil(t, e.Count)
	done, err := client.Exports.Wait(ctx, e)
	require.NoError(t, err)
	assert.False(t, done.InProgress)
	require.NotNil(t, done.Count)
	assert.Equal(t, len(listed), *done.Count)
	assert.Equal(t, 100.0, done.Percentage)
	assert.Equal(t, "/v2/reports/rtb_inbounds/"+itoa64(e.ID)+"/download", done.FileURL)
	assert.Equal(t, 3, e2eCount(srv, http.MethodGet, "/api/v5/exports/rtb_inbounds/"+itoa64(e.ID)+".json"), "two polls in progress, then done")

	file, err := client.Exports.Download(ctx, done)
	require.NoError(t, err)
	reader, err := retreaver.NewRTBInboundReader(file)
	require.NoError(t, err)
	assert.Contains(t, reader.Header(), "Call UUID")
	var exported []*retreaver.RTBInbound
	for {
		row, err := reader.Read()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		exported = append(exported, row)
	}
	require.NoError(t, file.Close())
	e2eSameInbounds(t, listed, exported)

	// The typed rows in one call, with the polls reported.
	var polled []bool
	typed := e2eCollect(t, client.Exports.RTBInbounds(ctx, e2eExportOptions, func(e *retreaver.Export) {
		polled = append(polled, e.InProgress)
	}))
	e2eSameInbounds(t, listed, typed)
	assert.Equal(t, []bool{true, true, true, false}, polled, "as created, two polls in progress, done")

	// The API host saw the key; the file's host never did.
	downloads := 0
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/v2/reports/rtb_inbounds/") {
			downloads++
			assert.Equal(t, srv.APIKey, r.Query.Get("api_key"))
		}
	}
	assert.Equal(t, 2, downloads)
	files := srv.ExportFileRequests()
	require.Len(t, files, 2)
	for _, r := range files {
		assert.False(t, r.Query.Has("api_key"), r.Path)
		assert.False(t, r.Query.Has("company_id"), r.Path)
		assert.NotEmpty(t, r.Query.Get("signature"))
		assert.NotContains(t, r.Query.Encode(), srv.APIKey)
		for name, values := range r.Header {
			for _, v := range values {
				assert.NotContains(t, v, srv.APIKey, name)
			}
		}
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func TestE2ERTBInboundExportOfBadParamsFails(t *testing.T) {
	t.Parallel()
	srv, _ := e2eSetup(t)
	client := e2eClient(t, srv, e2eRetries, retreaver.WithExportPolling(time.Millisecond, time.Millisecond))
	ctx := e2eCtx(t)
	// The SDK checks windows itself; a relative token it cannot know is the
	// API's to refuse.
	e, err := client.Exports.CreateRTBInbounds(ctx, &retreaver.RTBInboundListOptions{CreatedAt: "last_fortnight"})
	require.ErrorIs(t, err, retreaver.ErrExportFailed)
	var exportErr *retreaver.ExportError
	require.ErrorAs(t, err, &exportErr)
	assert.Contains(t, exportErr.Errors, "created_at")
	assert.False(t, e.InProgress)
	_, err = client.Exports.Wait(ctx, e)
	require.ErrorIs(t, err, retreaver.ErrExportFailed)
	_, err = client.Exports.Download(ctx, e)
	require.ErrorIs(t, err, retreaver.ErrInvalidArgument)

	_, err = client.Exports.GetRTBInbounds(ctx, 999999)
	e2eRequireGone(t, err)
}

// The log's pages hold 100 rows, whatever the client asks; All follows them.
func TestE2ERTBInboundsPageThrough100AtATime(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	start := time.Now().Add(-time.Hour)
	for i := 0; i < 230; i++ {
		_, err := srv.AddRTBInbound(srv.CompanyID, retreavertest.RTBInbound{CreatedAt: start.Add(time.Duration(i) * time.Second), Revenue: "5"})
		require.NoError(t, err)
	}
	opts := &retreaver.RTBInboundListOptions{Revenue: &retreaver.Range{Min: 1, Max: 10}, CreatedAt: "last_1d"}
	rows := e2eCollect(t, client.RTBInbounds.All(ctx, opts))
	require.Len(t, rows, 230)
	seen := map[string]bool{}
	for _, r := range rows {
		assert.False(t, seen[r.UUID], "each row once")
		seen[r.UUID] = true
	}
	assert.Equal(t, 3, e2eCount(srv, http.MethodGet, "/api/v5/rtb_inbounds.json"))

	opts.Page = 3
	page, err := client.RTBInbounds.List(ctx, opts)
	require.NoError(t, err)
	assert.Len(t, page.Items, 30)
	assert.Equal(t, 3, page.LastPage)
	assert.False(t, page.HasNext())
}
