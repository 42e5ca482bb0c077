package retreaver

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

const (
	exportsCreatePath = "api/v5/exports/rtb_inbounds.json"
	exportGetPath     = "api/v5/exports/rtb_inbounds/501.json"
)

func TestExportsCreateRTBInboundsSendsTheReferenceBodyAndDecodes(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", exportsCreatePath, 200, fixture(t, "export_create.json"))
	e, err := c.Exports.CreateRTBInbounds(context.Background(), &RTBInboundListOptions{CampaignIDs: []int64{123}, CreatedAt: "last_7d"})
	require.NoError(t, err)
	w := rec.only(t)
	assertWire(t, w, "POST", exportsCreatePath, nil, false)
	assertJSONBody(t, w, fixture(t, "export_create_request.json"))
	require.Equal(t, int64(501), e.ID)
	require.Nil(t, e.Count)
	require.Zero(t, e.Progress)
	require.Zero(t, e.Percentage)
	require.Equal(t, "csv", e.Format)
	require.Equal(t, "", e.FileURL)
	require.True(t, e.InProgress)
	require.False(t, e.Done())
	require.Empty(t, e.Errors)
	require.NoError(t, e.Err())
}

func TestExportsCreateRTBInboundsSendsEveryFilterAsJSON(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", exportsCreatePath, 200, fixture(t, "export_create.json"))
	est := time.FixedZone("EST", -5*3600)
	_, err := c.Exports.CreateRTBInbounds(context.Background(), &RTBInboundListOptions{
		ListOptions:    ListOptions{Page: 4}, // ignored
		CampaignIDs:    []int64{1, 2},
		AffiliateIDs:   []int64{3},
		TargetIDs:      []int64{4},
		PostbackKeyIDs: []int64{5},
		Statuses:       []string{"claimed", "no-target"},
		Duplicate:      Ptr(true),
		CallerState:    "TX",
		CallerCountry:  "US",
		Revenue:        &Range{Min: 20, Max: 30},
		Payout:         &Range{Min: 0, Max: 12.5},
		CreatedAtStart: time.Date(2026, 9, 8, 19, 0, 0, 0, est),
		CreatedAtEnd:   time.Date(2026, 9, 15, 19, 0, 0, 0, est),
		WithFilters:    true, // ignored
	})
	require.NoError(t, err)
	assertJSONBody(t, rec.only(t), `{"export": {"format": "csv", "params": {
		"campaign_id": [1, 2], "affiliate_id": [3], "target_id": [4], "postback_key_id": [5],
		"status": ["claimed", "no-target"], "duplicate": true, "caller_state": "TX", "caller_country": "US",
		"revenue": [20, 30], "payout": [0, 12.5],
		"created_at_start": "2026-09-09T00:00:00Z", "created_at_end": "2026-09-16T00:00:00Z"}}}`)
}

func TestExportsCreateRTBInboundsWithOnlyAStartEndsNow(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", exportsCreatePath, 200, fixture(t, "export_create.json"))
	before := time.Now().UTC().Truncate(time.Second)
	_, err := c.Exports.CreateRTBInbounds(context.Background(), &RTBInboundListOptions{CreatedAtStart: time.Now().Add(-24 * time.Hour)})
	require.NoError(t, err)
	var body struct {
		Export struct {
			Params map[string]string `json:"params"`
		} `json:"export"`
	}
	require.NoError(t, json.Unmarshal(rec.only(t).Body, &body))
	end, err := time.Parse(time.RFC3339, body.Export.Params["created_at_end"])
	require.NoError(t, err)
	require.False(t, end.Before(before))
	require.False(t, end.After(time.Now()))
}

func TestExportsCreateRTBInboundsChecksItsOptionsFirst(t *testing.T) {
	cases := invalidRTBInboundOptions()
	cases["nil options"] = nil
	cases["no window"] = &RTBInboundListOptions{CampaignIDs: []int64{1}}
	cases["only an end"] = &RTBInboundListOptions{CreatedAtEnd: time.Now()}
	cases["start more than 2 months ago, no end"] = &RTBInboundListOptions{CreatedAtStart: time.Now().AddDate(0, -3, 0)}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			_, err := c.Exports.CreateRTBInbounds(context.Background(), opts)
			require.ErrorIs(t, err, ErrInvalidArgument)
			require.ErrorIs(t, onlyError(t, c.Exports.RTBInbounds(context.Background(), opts, nil)), ErrInvalidArgument)
			noRequests(t, mt)
		})
	}
}

func TestExportsCreateRTBInboundsReportsAnExportThatFailedAtOnce(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "POST", exportsCreatePath, 200, `{"id": 502, "in_progress": false, "errors": {"params": ["created_at is invalid"]}}`)
	e, err := c.Exports.CreateRTBInbounds(context.Background(), &RTBInboundListOptions{CreatedAt: "last_7d"})
	require.ErrorIs(t, err, ErrExportFailed)
	var ee *ExportError
	require.ErrorAs(t, err, &ee)
	require.Equal(t, int64(502), ee.ID)
	require.Contains(t, err.Error(), "created_at is invalid")
	require.NotNil(t, e)
	require.Equal(t, int64(502), e.ID)
}

func TestExportsGetRTBInboundsDecodesBothReferenceStates(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", exportGetPath, 200, fixture(t, "export_in_progress.json"))
	e, err := c.Exports.GetRTBInbounds(context.Background(), 501)
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", exportGetPath, nil, false)
	assertNoBody(t, rec.only(t))
	require.True(t, e.InProgress)
	require.Nil(t, e.Count)

	stub(t, mt, "GET", exportGetPath, 200, fixture(t, "export_finished.json"))
	e, err = c.Exports.GetRTBInbounds(context.Background(), 501)
	require.NoError(t, err)
	require.Equal(t, &Export{ID: 501, Count: Ptr(168), Progress: 168, Percentage: 100, InProgress: false, Format: "csv",
		FileURL: "/v2/reports/rtb_inbounds/501/download", Errors: map[string]any{}, kind: exportKindRTBInbounds}, e)
	require.True(t, e.Done())
}

func TestExportDecodingToleratesErrorShapes(t *testing.T) {
	cases := map[string]map[string]any{
		`{"id": 1, "errors": ["bad filter"]}`:           {"base": []any{"bad filter"}},
		`{"id": 1, "errors": "bad filter"}`:             {"base": "bad filter"},
		`{"id": 1, "errors": null}`:                     nil,
		`{"id": 1, "errors": []}`:                       nil,
		`{"id": 1, "errors": ""}`:                       nil,
		`{"id": 1}`:                                     nil,
		`{"id": 1, "errors": {"campaign_id": "x"}}`:     {"campaign_id": "x"},
		`{"id": 1, "export_count": "12", "errors": {}}`: {},
	}
	for body, want := range cases {
		var e Export
		require.NoError(t, json.Unmarshal([]byte(body), &e), body)
		require.Equal(t, want, e.Errors, body)
	}
}

func TestExportsGetChecksItsAnswerAndID(t *testing.T) {
	c, mt := newTestClient(t)
	_, err := c.Exports.GetRTBInbounds(context.Background(), 0)
	require.ErrorIs(t, err, ErrInvalidArgument)
	noRequests(t, mt)
	for _, body := range []string{`{}`, `null`, `{"export": {"id": 501}}`, `[]`} {
		stub(t, mt, "GET", exportGetPath, 200, body)
		_, err := c.Exports.GetRTBInbounds(context.Background(), 501)
		require.ErrorIs(t, err, ErrUnexpectedResponse, body)
	}
}

// exportStates answers GET of export 501 with each body in turn, then the
// last one forever, and counts the polls.
func exportStates(mt *httpmock.MockTransport, bodies ...string) *atomic.Int32 {
	var n atomic.Int32
	mt.RegisterResponder("GET", testBaseURL+exportGetPath, func(req *http.Request) (*http.Response, error) {
		i := int(n.Add(1)) - 1
		resp := httpmock.NewStringResponse(200, bodies[min(i, len(bodies)-1)])
		resp.Request = req
		return resp, nil
	})
	return &n
}

func TestExportsWaitPollsUntilDone(t *testing.T) {
	c, mt := newTestClient(t, WithExportPolling(time.Millisecond, 4*time.Millisecond))
	polls := exportStates(mt, fixture(t, "export_in_progress.json"), fixture(t, "export_in_progress.json"), fixture(t, "export_finished.json"))
	e, err := c.Exports.Wait(context.Background(), &Export{ID: 501, InProgress: true})
	require.NoError(t, err)
	require.Equal(t, int32(3), polls.Load())
	require.Equal(t, "/v2/reports/rtb_inbounds/501/download", e.FileURL)
	require.Equal(t, Ptr(168), e.Count)
}

func TestExportsWaitReturnsADoneExportWithoutARequest(t *testing.T) {
	c, mt := newTestClient(t)
	done := &Export{ID: 501, FileURL: "/v2/reports/rtb_inbounds/501/download"}
	e, err := c.Exports.Wait(context.Background(), done)
	require.NoError(t, err)
	require.Same(t, done, e)
	noRequests(t, mt)
}

func TestExportsWaitOnAnExportMadeByHandAsksAtOnce(t *testing.T) {
	c, mt := newTestClient(t, WithExportPolling(time.Hour, time.Hour))
	polls := exportStates(mt, fixture(t, "export_finished.json"))
	e, err := c.Exports.Wait(context.Background(), &Export{ID: 501})
	require.NoError(t, err)
	require.Equal(t, int32(1), polls.Load())
	require.True(t, e.Done())
}

func TestExportsWaitEndsAtOnceWhenTheContextEnds(t *testing.T) {
	c, mt := newTestClient(t, WithExportPolling(time.Hour, time.Hour))
	exportStates(mt, fixture(t, "export_in_progress.json"))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Exports.Wait(ctx, &Export{ID: 501, InProgress: true})
	require.ErrorIs(t, err, context.Canceled)
	require.Less(t, time.Since(start), 2*time.Second)
	noRequests(t, mt)
}

func TestExportsWaitReportsAFailedExport(t *testing.T) {
	c, mt := newTestClient(t, WithExportPolling(time.Millisecond, time.Millisecond))
	exportStates(mt, fixture(t, "export_in_progress.json"), `{"id": 501, "in_progress": false, "errors": {"params": {"status": ["is not included in the list"]}}}`)
	e, err := c.Exports.Wait(context.Background(), &Export{ID: 501, InProgress: true})
	require.ErrorIs(t, err, ErrExportFailed)
	require.Contains(t, err.Error(), "export 501 failed: params status is not included in the list")
	require.NotNil(t, e)

	c, mt = newTestClient(t, WithExportPolling(time.Millisecond, time.Millisecond))
	exportStates(mt, `{"id": 501, "in_progress": false, "errors": {}}`)
	_, err = c.Exports.Wait(context.Background(), &Export{ID: 501, InProgress: true})
	require.ErrorIs(t, err, ErrExportFailed)
	require.Contains(t, err.Error(), "no file_upload_url")
}

func TestExportErrorsNeverQuoteTheKey(t *testing.T) {
	c, mt := newTestClient(t, WithExportPolling(time.Millisecond, time.Millisecond))
	exportStates(mt, `{"id": 501, "in_progress": false, "errors": {"params": ["api_key `+testKey+` is not allowed here"]}}`)
	_, err := c.Exports.Wait(context.Background(), &Export{ID: 501, InProgress: true})
	require.ErrorIs(t, err, ErrExportFailed)
	require.NotContains(t, err.Error(), testKey)
}

func TestExportsWaitChecksItsInput(t *testing.T) {
	c, mt := newTestClient(t)
	_, err := c.Exports.Wait(context.Background(), nil)
	require.ErrorIs(t, err, ErrInvalidArgument)
	_, err = c.Exports.Wait(context.Background(), &Export{InProgress: true})
	require.ErrorIs(t, err, ErrInvalidArgument)
	//lint:ignore SA1012 a nil context must be refused, not crash
	_, err = c.Exports.Wait(nil, &Export{ID: 1, InProgress: true}) //nolint:staticcheck
	require.ErrorIs(t, err, ErrInvalidArgument)
	noRequests(t, mt)
}

func TestWithExportPollingChecksItsDurations(t *testing.T) {
	for _, d := range [][2]time.Duration{{0, time.Second}, {-1, time.Second}, {2 * time.Second, time.Second}} {
		_, err := NewClient(testKey, WithExportPolling(d[0], d[1]))
		require.ErrorIs(t, err, ErrInvalidArgument)
	}
	first, longest := exportConfig{}.polling()
	require.Equal(t, 2*time.Second, first)
	require.Equal(t, 30*time.Second, longest)
}

func TestExportPollingGrowsByHalfUpToTheLongest(t *testing.T) {
	var got []time.Duration
	for d := DefaultExportPollFirst; len(got) < 10; d = nextPollDelay(d, DefaultExportPollMax) {
		got = append(got, d)
	}
	s := time.Second
	require.Equal(t, []time.Duration{2 * s, 3 * s, 4500 * time.Millisecond, 6750 * time.Millisecond,
		10125 * time.Millisecond, 15187500 * time.Microsecond, 22781250 * time.Microsecond, 30 * s, 30 * s, 30 * s}, got)
}

func TestExportsWaitWaitsLongerEachPoll(t *testing.T) {
	const first = 20 * time.Millisecond
	c, mt := newTestClient(t, WithExportPolling(first, time.Second))
	var polls []time.Time
	mt.RegisterResponder("GET", testBaseURL+exportGetPath, func(req *http.Request) (*http.Response, error) {
		polls = append(polls, time.Now())
		if len(polls) < 5 {
			return newJSONResponse(200, `{"id": 501, "in_progress": true}`), nil
		}
		return newJSONResponse(200, `{"id": 501, "in_progress": false, "file_upload_url": "/f.csv.gz"}`), nil
	})
	start := time.Now()
	_, err := c.Exports.Wait(context.Background(), &Export{ID: 501, InProgress: true})
	require.NoError(t, err)
	require.Len(t, polls, 5)
	// Each wait is at least its schedule, less the jitter (a tenth); a sleep is
	// never shorter than asked, however loaded the machine.
	want := first
	for i, at := range polls {
		require.GreaterOrEqual(t, at.Sub(start), want-want/10, "wait before poll %d", i+1)
		start, want = at, nextPollDelay(want, time.Second)
	}
}

func TestExportPollingJitterStaysNearTheWait(t *testing.T) {
	for i := 0; i < 1000; i++ {
		d := jitter(2 * time.Second)
		require.GreaterOrEqual(t, d, 1800*time.Millisecond)
		require.LessOrEqual(t, d, 2200*time.Millisecond)
	}
}

func TestExportErrorIsOneLine(t *testing.T) {
	err := error(&ExportError{ID: 7, Errors: map[string]any{"b": "two", "a": []any{"one"}}})
	require.Equal(t, "retreaver: export 7 failed: a one; b two", err.Error())
	require.True(t, errors.Is(err, ErrExportFailed))
}

func TestExportCountsWrittenAsFloatsDecode(t *testing.T) {
	var e Export
	require.NoError(t, json.Unmarshal([]byte(`{"id":501,"export_count":168.0,"export_progress":"168","export_percentage":"100.0","in_progress":false,"export_count_extra":1}`), &e))
	require.Equal(t, Ptr(168), e.Count)
	require.Equal(t, 168, e.Progress)
	require.Equal(t, 100.0, e.Percentage)
	e = Export{}
	require.NoError(t, json.Unmarshal([]byte(`{"id":501,"export_count":null}`), &e))
	require.Nil(t, e.Count)
}
