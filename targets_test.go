package retreaver

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// requireInstant checks that got is the instant want (time zones aside) and keeps
// the offset the API wrote.
func requireInstant(t *testing.T, want string, got time.Time) {
	t.Helper()
	w, err := time.Parse(time.RFC3339Nano, want)
	require.NoError(t, err)
	require.True(t, w.Equal(got), "want %s, got %s", w, got)
	_, wOff := w.Zone()
	_, gOff := got.Zone()
	require.Equal(t, wOff, gOff, "offset of %s", got)
}

// requireJasonCell checks the reference's list and get example (target 6588).
func requireJasonCell(t *testing.T, tg *Target) {
	t.Helper()
	require.NotNil(t, tg)
	require.Equal(t, int64(6588), tg.ID)
	require.Equal(t, "+18668987878", tg.Number)
	require.Equal(t, "", tg.SIPUsername)
	require.Equal(t, "", tg.SIPPassword)
	require.NotNil(t, tg.CIDNumberID)
	require.Equal(t, int64(10), *tg.CIDNumberID)
	require.False(t, tg.ObfuscateCID)
	requireInstant(t, "2014-08-14T20:46:01.158-04:00", tg.CreatedAt)
	requireInstant(t, "2016-06-28T13:02:52.964-04:00", tg.UpdatedAt)
	require.Equal(t, "40a9a73ff97cb35a0a16d1ec89fd9eddcf3727df932cea9f0f7a5a8ba1684fed", tg.ObjectKey)
	require.Equal(t, "", tg.TID)
	require.Equal(t, 1, tg.Priority)
	require.Equal(t, 1, tg.Weight)
	require.Equal(t, 15, tg.TimeoutSeconds)
	require.Equal(t, 0, tg.TimerOffset)
	require.Equal(t, "", tg.SendDigits)
	require.Nil(t, tg.ConcurrencyCap)
	require.Equal(t, 0, tg.CallsInProgress)
	require.False(t, tg.InbandSignals)
	require.Equal(t, "Eastern Time (US & Canada)", tg.TimeZone)
	require.False(t, tg.Paused)
	require.Nil(t, tg.PausedAt)
	require.Equal(t, "Jason Cell", tg.Name)
	require.Nil(t, tg.Caps)
	require.Nil(t, tg.BusinessHours)
	require.Nil(t, tg.TagValues)
	require.Equal(t, []int64{1, 2}, tg.TargetGroupIDs)
	require.Equal(t, []TargetGroup{
		{ID: 1, Name: "West Coast", TargetIDs: []int64{6588}, Behavior: BehaviorDialSeparately},
		{ID: 2, Name: "East Coast", TargetIDs: []int64{6588}, Behavior: BehaviorDialSeparately},
	}, tg.TargetGroups, "groups without members, caps, concurrency cap, priority or weight")
	require.Nil(t, tg.ConversionGroups)
}

// requireCreatedTarget checks the reference's create example (target 22592).
func requireCreatedTarget(t *testing.T, tg *Target) {
	t.Helper()
	require.Equal(t, int64(22592), tg.ID)
	require.Equal(t, "+18668987878", tg.Number)
	require.Nil(t, tg.CIDNumberID)
	require.Equal(t, time.Date(2016, 6, 28, 23, 13, 51, 434e6, time.UTC), tg.CreatedAt)
	require.Equal(t, time.Date(2016, 6, 28, 23, 13, 51, 434e6, time.UTC), tg.UpdatedAt)
	require.Equal(t, "97bbce7555b96322e81155eb4b1ff5aa9a6a1ffc478a7ab21ed2e830483f0b20", tg.ObjectKey)
	require.Equal(t, 30, tg.TimeoutSeconds)
	require.Equal(t, "UTC", tg.TimeZone)
	require.Equal(t, "Retreaver Support", tg.Name)
	require.Equal(t, []Cap{
		{ID: 707900, Filled: 0, Cap: nil, Type: "Daily"},
		{ID: 707898, Filled: 0, Cap: nil, Type: "Hard"},
		{ID: 707899, Filled: 0, Cap: nil, Type: "Hourly"},
		{ID: 707901, Filled: 0, Cap: nil, Type: "Monthly"},
	}, tg.Caps)
	require.Len(t, tg.BusinessHours, 7)
	for i, h := range tg.BusinessHours {
		require.Equal(t, int64(156838+i), h.ID)
		require.Equal(t, int64(22592), h.TargetID)
		require.True(t, h.WorkDay)
		require.Equal(t, 0, h.TimeOpen)
		require.Equal(t, 2400, h.TimeClose)
		require.Equal(t, i, h.DayOfWeek)
		require.False(t, h.Invert)
	}
	require.Equal(t, time.Date(2016, 6, 28, 23, 13, 52, 924e6, time.UTC), tg.BusinessHours[0].CreatedAt)
	require.Equal(t, time.Date(2016, 6, 28, 23, 13, 54, 165e6, time.UTC), tg.BusinessHours[6].UpdatedAt)
	require.NotNil(t, tg.TagValues)
	require.Empty(t, tg.TagValues)
	require.Equal(t, []int64{}, tg.TargetGroupIDs)
	require.Equal(t, []TargetGroup{}, tg.TargetGroups)
}

func TestTargetsList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "targets.json", 200, fixture(t, "targets_list.json"),
		"Link", `<https://retreaver.com/targets.json?api_key=`+testKey+`&company_id=1&page=4>; rel="last", <https://retreaver.com/targets.json?api_key=`+testKey+`&company_id=1&page=2>; rel="next"`)
	page, err := c.Targets.List(context.Background(), nil)
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "targets.json", nil, false)
	assertNoBody(t, got)
	require.Equal(t, 2, page.NextPage)
	require.Equal(t, 4, page.LastPage)
	require.Len(t, page.Items, 1)
	requireJasonCell(t, page.Items[0])
}

func TestTargetsAll(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		switch w.Query.Get("page") {
		case "2":
			resp := httpmock.NewStringResponse(200, fixture(t, "targets_list.json"))
			resp.Header.Set("Link", `<https://retreaver.com/targets.json?page=3>; rel="next"`)
			return resp, nil
		case "3":
			return httpmock.NewStringResponse(200, `[{"target":{"id":7,"number":"sip:a@b.example","tid":"t-7"}}]`), nil
		}
		return httpmock.NewStringResponse(400, `{"error":"bad page"}`), nil
	})
	var ids []int64
	for tg, err := range c.Targets.All(context.Background(), &TargetListOptions{ListOptions{Page: 2}}) {
		require.NoError(t, err)
		ids = append(ids, tg.ID)
		if tg.ID == 7 {
			require.Equal(t, "t-7", tg.TID)
			require.Equal(t, "sip:a@b.example", tg.Number)
		}
	}
	require.Equal(t, []int64{6588, 7}, ids)
	reqs := rec.all()
	require.Len(t, reqs, 2)
	assertWire(t, reqs[0], "GET", "targets.json", url.Values{"page": {"2"}}, false)
	assertWire(t, reqs[1], "GET", "targets.json", url.Values{"page": {"3"}}, false)
}

func TestTargetsGet(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "targets/6588.json", 200, fixture(t, "target_get.json"))
	tg, err := c.Targets.Get(context.Background(), 6588)
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "targets/6588.json", nil, false)
	assertNoBody(t, got)
	requireJasonCell(t, tg)
}

func TestTargetsGetByTIDEscapes(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		return httpmock.NewStringResponse(200, fixture(t, "target_get.json")), nil
	})
	tg, err := c.Targets.GetByTID(context.Background(), "buyer-1")
	require.NoError(t, err)
	requireJasonCell(t, tg)
	_, err = c.Targets.GetByTID(context.Background(), "a/b c#")
	require.NoError(t, err)
	reqs := rec.all()
	require.Len(t, reqs, 2)
	assertWire(t, reqs[0], "GET", "targets/tid/buyer-1.json", nil, false)
	assertNoBody(t, reqs[0])
	assertWire(t, reqs[1], "GET", "targets/tid/a%2Fb%20c%23.json", nil, false)
}

func TestTargetsCreate(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "targets.json", 201, fixture(t, "target_create.json"))
	tg, err := c.Targets.Create(context.Background(), &TargetParams{Number: Ptr("+18668987878"), Name: Ptr("Retreaver Support")})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "POST", "targets.json", nil, false)
	assertJSONBody(t, got, `{"target":{"number":"+18668987878","name":"Retreaver Support"}}`)
	requireCreatedTarget(t, tg)
	require.Equal(t, "", tg.TID)
}

func TestTargetsCreateSendsEveryParameter(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "targets.json", 201, fixture(t, "target_create.json"))
	_, err := c.Targets.Create(context.Background(), &TargetParams{
		Name:           Ptr("Night desk"),
		Number:         Ptr("sip:desk@example.com"),
		SIPUsername:    Ptr("desk"),
		SIPPassword:    Ptr("s3cret"),
		TID:            Ptr("desk-1"),
		Priority:       Ptr(0),
		Weight:         Ptr(0),
		TimeoutSeconds: Ptr(20),
		InbandSignals:  Ptr(false),
		TimerOffset:    Ptr(-5),
		SendDigits:     Ptr("ww1"),
		ConcurrencyCap: Ptr(0),
		Paused:         Ptr(false),
		TimeZone:       Ptr("Eastern Time (US & Canada)"),
		BusinessHours: []BusinessHoursParams{
			{DayOfWeek: Ptr(0), WorkDay: Ptr(false)},
			{DayOfWeek: Ptr(1), TimeOpen: Ptr(900), TimeClose: Ptr(1730), Inverted: Ptr(false)},
			{DayOfWeek: Ptr(6), TimeOpen: Ptr(0), TimeClose: Ptr(2400), Inverted: Ptr(true), WorkDay: Ptr(true)},
		},
		HardCap:    &CapParams{Cap: Ptr(100)},
		HourlyCap:  &CapParams{Cap: Ptr(0)},
		DailyCap:   &CapParams{Cap: Ptr(20)},
		MonthlyCap: &CapParams{Cap: Ptr(300)},
		Tags:       []Tag{{Key: "calling_about", Value: "support"}, {Key: "state", Value: "NY"}},
	})
	require.NoError(t, err)
	assertJSONBody(t, rec.only(t), `{"target":{
		"name":"Night desk","number":"sip:desk@example.com","sip_username":"desk","sip_password":"s3cret",
		"client_tid":"desk-1","priority":0,"weight":0,"timeout_seconds":20,"inband_signals":false,"timer_offset":-5,
		"send_digits":"ww1","concurrency_cap":0,"paused":false,"time_zone":"Eastern Time (US & Canada)",
		"business_hours_attributes":[
			{"day_of_week":0,"work_day":false},
			{"day_of_week":1,"time_open":900,"time_close":1730,"inverted":false},
			{"day_of_week":6,"time_open":0,"time_close":2400,"inverted":true,"work_day":true}
		],
		"hard_cap_attributes":{"cap":100},"hourly_cap_attributes":{"cap":0},
		"daily_cap_attributes":{"cap":20},"monthly_cap_attributes":{"cap":300},
		"tag_list":"<<<calling_about:support>>>,<<<state:NY>>>"
	}}`)
}

func TestTargetsCreateAnswerWithClientTID(t *testing.T) {
	c, mt := newTestClient(t)
	body := strings.Replace(fixture(t, "target_create.json"), `"client_tid": null`, `"client_tid": "desk-1"`, 1)
	require.Contains(t, body, `"client_tid": "desk-1"`)
	stub(t, mt, "POST", "targets.json", 201, body)
	tg, err := c.Targets.Create(context.Background(), &TargetParams{Number: Ptr("+18668987878"), TID: Ptr("desk-1")})
	require.NoError(t, err)
	require.Equal(t, "desk-1", tg.TID)
	requireCreatedTarget(t, tg)
}

func TestTargetDecodeTIDAndLenientTimestamps(t *testing.T) {
	var tg Target
	require.NoError(t, json.Unmarshal([]byte(`{"tid":"a","client_tid":"b"}`), &tg))
	require.Equal(t, "a", tg.TID, "tid wins over client_tid")
	tg = Target{}
	require.NoError(t, json.Unmarshal([]byte(`{"tid":null,"client_tid":"b"}`), &tg))
	require.Equal(t, "b", tg.TID)
	tg = Target{}
	require.NoError(t, json.Unmarshal([]byte(`{"client_tid":null}`), &tg))
	require.Equal(t, "", tg.TID)

	// Timestamps the API writes loosely still decode through the custom
	// UnmarshalJSON.
	got, err := decodeObject[targetElement]([]byte(`{"target":{"id":3,"client_tid":"x","created_at":"2016-06-28 23:13:51","paused_at":""}}`), targetRoot)
	require.NoError(t, err)
	require.Equal(t, int64(3), got.ID)
	require.Equal(t, "x", got.TID)
	require.Equal(t, time.Date(2016, 6, 28, 23, 13, 51, 0, time.UTC), got.CreatedAt)
	require.Nil(t, got.PausedAt)
}

func TestTargetsUpdate(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "targets/22592.json", 200, fixture(t, "target_update.json"))
	tg, err := c.Targets.Update(context.Background(), 22592, &TargetParams{Paused: Ptr(true)})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "targets/22592.json", nil, false)
	assertJSONBody(t, got, `{"target":{"paused":true}}`)
	require.Equal(t, int64(22592), tg.ID)
	require.Equal(t, "+18668987878", tg.Number)
	require.Nil(t, tg.CIDNumberID)
	require.Equal(t, time.Date(2016, 6, 28, 23, 13, 51, 434e6, time.UTC), tg.CreatedAt)
	require.Equal(t, time.Date(2016, 6, 28, 23, 30, 0, 529e6, time.UTC), tg.UpdatedAt)
	require.True(t, tg.Paused)
	require.NotNil(t, tg.PausedAt)
	require.Equal(t, time.Date(2016, 6, 28, 23, 30, 1, 251e6, time.UTC), *tg.PausedAt)
	require.Equal(t, "Retreaver Support", tg.Name)
	require.Equal(t, []int64{}, tg.TargetGroupIDs)
	require.Equal(t, []TargetGroup{}, tg.TargetGroups)
}

func TestTargetsUpdateBusinessHoursAndTags(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "targets/22592.json", 200, fixture(t, "target_update.json"))
	_, err := c.Targets.Update(context.Background(), 22592, &TargetParams{
		BusinessHours: []BusinessHoursParams{{ID: Ptr(int64(156839)), TimeClose: Ptr(1700)}},
		Tags:          []Tag{},
	})
	require.NoError(t, err)
	assertJSONBody(t, rec.only(t), `{"target":{"business_hours_attributes":[{"id":156839,"time_close":1700}],"tag_list":""}}`)
}

func TestTargetsUpdateByTID(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "targets/tid/desk-1.json", 200, fixture(t, "target_update.json"))
	tg, err := c.Targets.UpdateByTID(context.Background(), "desk-1", &TargetParams{Paused: Ptr(true), TimeZone: Ptr("London")})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "targets/tid/desk-1.json", nil, false)
	assertJSONBody(t, got, `{"target":{"paused":true,"time_zone":"London"}}`)
	require.True(t, tg.Paused)
	require.Equal(t, time.Date(2016, 6, 28, 23, 30, 1, 251e6, time.UTC), *tg.PausedAt)
}

// The target's own id is sent as client_tid (never tid) on create, update and
// update by tid, which renames the target.
func TestTargetsSendTIDAsClientTID(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		return httpmock.NewStringResponse(200, fixture(t, "target_update.json")), nil
	})
	ctx := context.Background()
	_, err := c.Targets.Create(ctx, &TargetParams{Number: Ptr("+18668987878"), TID: Ptr("desk-1")})
	require.NoError(t, err)
	_, err = c.Targets.Update(ctx, 22592, &TargetParams{TID: Ptr("desk-2")})
	require.NoError(t, err)
	_, err = c.Targets.UpdateByTID(ctx, "desk-2", &TargetParams{TID: Ptr("desk-3")})
	require.NoError(t, err)
	reqs := rec.all()
	require.Len(t, reqs, 3)
	assertWire(t, reqs[0], "POST", "targets.json", nil, false)
	assertJSONBody(t, reqs[0], `{"target":{"number":"+18668987878","client_tid":"desk-1"}}`)
	assertWire(t, reqs[1], "PUT", "targets/22592.json", nil, false)
	assertJSONBody(t, reqs[1], `{"target":{"client_tid":"desk-2"}}`)
	assertWire(t, reqs[2], "PUT", "targets/tid/desk-2.json", nil, false)
	assertJSONBody(t, reqs[2], `{"target":{"client_tid":"desk-3"}}`)
}

func TestTargetsDelete(t *testing.T) {
	c, mt := newTestClient(t)
	byID := stub(t, mt, "DELETE", "targets/22592.json", 200, ``)
	byTID := stub(t, mt, "DELETE", "targets/tid/desk-1.json", 204, ``)
	require.NoError(t, c.Targets.Delete(context.Background(), 22592))
	assertWire(t, byID.only(t), "DELETE", "targets/22592.json", nil, false)
	assertNoBody(t, byID.only(t))
	require.NoError(t, c.Targets.DeleteByTID(context.Background(), "desk-1"))
	assertWire(t, byTID.only(t), "DELETE", "targets/tid/desk-1.json", nil, false)
	assertNoBody(t, byTID.only(t))
}

func TestTargetsSetTags(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "targets/22592.json", 200, fixture(t, "target_tags.json"))
	tg, err := c.Targets.SetTags(context.Background(), 22592, []Tag{
		{Key: "calling_about", Value: "support"}, {Key: "calling_about", Value: "other"},
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "targets/22592.json", nil, false)
	assertJSONBody(t, got, `{"target":{"tag_list":"<<<calling_about:support>>>,<<<calling_about:other>>>"}}`)
	require.Equal(t, int64(22592), tg.ID)
	require.Equal(t, "+18668987878", tg.Number)
	require.Equal(t, "Retreaver Support", tg.Name)
	require.Equal(t, []TagValue{
		{ID: 67589, Key: "calling_about", Value: "support", Operator: "=="},
		{ID: 67591, Key: "calling_about", Value: "other", Operator: "=="},
	}, tg.TagValues)
}

func TestTargetsSetTagsNilOrEmptyClears(t *testing.T) {
	for name, tags := range map[string][]Tag{"nil": nil, "empty": {}} {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			rec := stub(t, mt, "PUT", "targets/22592.json", 200, `{"target":{"id":22592,"tag_values":[]}}`)
			tg, err := c.Targets.SetTags(context.Background(), 22592, tags)
			require.NoError(t, err)
			assertJSONBody(t, rec.only(t), `{"target":{"tag_list":""}}`)
			require.Empty(t, tg.TagValues)
		})
	}
}

func TestTargetsSetCap(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "targets/22592.json", 200, fixture(t, "target_caps.json"))
	tg, err := c.Targets.SetCap(context.Background(), 22592, CapHard, 100)
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "targets/22592.json", nil, false)
	assertJSONBody(t, got, `{"target":{"hard_cap_attributes":{"cap":100}}}`)
	require.Equal(t, int64(22592), tg.ID)
	require.Equal(t, "Retreaver Support", tg.Name)
	require.Equal(t, []Cap{
		{ID: 707900, Filled: 0, Cap: nil, Type: "Daily"},
		{ID: 707898, Filled: 0, Cap: Ptr(100), Type: "Hard"},
		{ID: 707899, Filled: 0, Cap: nil, Type: "Hourly"},
		{ID: 707901, Filled: 0, Cap: nil, Type: "Monthly"},
	}, tg.Caps)
}

func TestTargetsSetCapEveryType(t *testing.T) {
	for ct, key := range map[CapType]string{
		CapHard: "hard_cap_attributes", CapHourly: "hourly_cap_attributes",
		CapDaily: "daily_cap_attributes", CapMonthly: "monthly_cap_attributes",
	} {
		t.Run(string(ct), func(t *testing.T) {
			c, mt := newTestClient(t)
			rec := stub(t, mt, "PUT", "targets/9.json", 200, fixture(t, "target_caps.json"))
			_, err := c.Targets.SetCap(context.Background(), 9, ct, 0)
			require.NoError(t, err)
			assertJSONBody(t, rec.only(t), `{"target":{"`+key+`":{"cap":0}}}`)
		})
	}
}

func TestTargetsResetCap(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "targets/22592/reset_cap.json", 200, ``)
	require.NoError(t, c.Targets.ResetCap(context.Background(), 22592))
	got := rec.only(t)
	assertWire(t, got, "POST", "targets/22592/reset_cap.json", nil, false)
	assertNoBody(t, got)
}

func TestTargetsResetCapReportsNotFound(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "POST", "targets/5/reset_cap.json", 404, `{"error":"Not found"}`)
	require.ErrorIs(t, c.Targets.ResetCap(context.Background(), 5), ErrNotFound)
}

func TestTargetsRejectBadInputBeforeSending(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()
	num := Ptr("+18668987878")
	create := func(p TargetParams) func() error {
		return func() error {
			if p.Number == nil {
				p.Number = num
			}
			_, err := c.Targets.Create(ctx, &p)
			return err
		}
	}
	hours := func(h BusinessHoursParams) func() error {
		return create(TargetParams{BusinessHours: []BusinessHoursParams{{DayOfWeek: Ptr(1)}, h}})
	}
	tooMany := make([]Tag, MaxTags+1)
	for i := range tooMany {
		tooMany[i] = Tag{Key: "k", Value: "v"}
	}
	cases := map[string]func() error{
		"create nil":             func() error { _, err := c.Targets.Create(ctx, nil); return err },
		"create without number":  func() error { _, err := c.Targets.Create(ctx, &TargetParams{Name: Ptr("x")}); return err },
		"create empty number":    create(TargetParams{Number: Ptr(" ")}),
		"negative weight":        create(TargetParams{Weight: Ptr(-1)}),
		"zero timeout":           create(TargetParams{TimeoutSeconds: Ptr(0)}),
		"negative concurrency":   create(TargetParams{ConcurrencyCap: Ptr(-1)}),
		"iana time zone":         create(TargetParams{TimeZone: Ptr("America/New_York")}),
		"unknown time zone":      create(TargetParams{TimeZone: Ptr("Eastern")}),
		"empty time zone":        create(TargetParams{TimeZone: Ptr("")}),
		"hours without day":      hours(BusinessHoursParams{TimeOpen: Ptr(900)}),
		"hours day 7":            hours(BusinessHoursParams{DayOfWeek: Ptr(7)}),
		"hours day -1":           hours(BusinessHoursParams{DayOfWeek: Ptr(-1)}),
		"hours open 960":         hours(BusinessHoursParams{DayOfWeek: Ptr(2), TimeOpen: Ptr(960)}),
		"hours close 2401":       hours(BusinessHoursParams{DayOfWeek: Ptr(2), TimeClose: Ptr(2401)}),
		"hours close 2430":       hours(BusinessHoursParams{DayOfWeek: Ptr(2), TimeClose: Ptr(2430)}),
		"hours open negative":    hours(BusinessHoursParams{DayOfWeek: Ptr(2), TimeOpen: Ptr(-100)}),
		"hours zero id":          hours(BusinessHoursParams{ID: Ptr(int64(0)), TimeClose: Ptr(1700)}),
		"hours id with bad day":  hours(BusinessHoursParams{ID: Ptr(int64(4)), DayOfWeek: Ptr(9)}),
		"hard cap without cap":   create(TargetParams{HardCap: &CapParams{}}),
		"monthly cap negative":   create(TargetParams{MonthlyCap: &CapParams{Cap: Ptr(-1)}}),
		"tag with empty key":     create(TargetParams{Tags: []Tag{{Key: "", Value: "v"}}}),
		"tag breaking encoding":  create(TargetParams{Tags: []Tag{{Key: "k", Value: "a>>>b"}}}),
		"too many tags":          create(TargetParams{Tags: tooMany}),
		"get zero id":            func() error { _, err := c.Targets.Get(ctx, 0); return err },
		"get empty tid":          func() error { _, err := c.Targets.GetByTID(ctx, ""); return err },
		"update negative id":     func() error { _, err := c.Targets.Update(ctx, -1, &TargetParams{}); return err },
		"update nil params":      func() error { _, err := c.Targets.Update(ctx, 1, nil); return err },
		"update empty number":    func() error { _, err := c.Targets.Update(ctx, 1, &TargetParams{Number: Ptr("")}); return err },
		"update bad time zone":   func() error { _, err := c.Targets.Update(ctx, 1, &TargetParams{TimeZone: Ptr("utc")}); return err },
		"update by blank tid":    func() error { _, err := c.Targets.UpdateByTID(ctx, "  ", &TargetParams{}); return err },
		"update by tid nil":      func() error { _, err := c.Targets.UpdateByTID(ctx, "t", nil); return err },
		"delete zero id":         func() error { return c.Targets.Delete(ctx, 0) },
		"delete empty tid":       func() error { return c.Targets.DeleteByTID(ctx, "") },
		"set tags zero id":       func() error { _, err := c.Targets.SetTags(ctx, 0, nil); return err },
		"set tags bad key":       func() error { _, err := c.Targets.SetTags(ctx, 1, []Tag{{Key: "a:b", Value: "c"}}); return err },
		"set tags too many":      func() error { _, err := c.Targets.SetTags(ctx, 1, tooMany); return err },
		"set cap unknown type":   func() error { _, err := c.Targets.SetCap(ctx, 1, CapType("Weekly"), 5); return err },
		"set cap empty type":     func() error { _, err := c.Targets.SetCap(ctx, 1, "", 5); return err },
		"set cap lowercase type": func() error { _, err := c.Targets.SetCap(ctx, 1, "hard", 5); return err },
		"set cap negative":       func() error { _, err := c.Targets.SetCap(ctx, 1, CapHard, -1); return err },
		"set cap zero id":        func() error { _, err := c.Targets.SetCap(ctx, 0, CapHard, 1); return err },
		"reset cap zero id":      func() error { return c.Targets.ResetCap(ctx, 0) },
		"list negative page":     func() error { _, err := c.Targets.List(ctx, &TargetListOptions{ListOptions{Page: -2}}); return err },
		"all negative page": func() error {
			for _, err := range c.Targets.All(ctx, &TargetListOptions{ListOptions{Page: -2}}) {
				return err
			}
			return nil
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			require.ErrorIs(t, call(), ErrInvalidArgument)
		})
	}
	noRequests(t, mt)
}

func TestTargetParamsMarshalLeavesUnsetFieldsOut(t *testing.T) {
	b, err := json.Marshal(TargetParams{})
	require.NoError(t, err)
	require.JSONEq(t, `{}`, string(b))
	b, err = json.Marshal(&TargetParams{Tags: []Tag{}})
	require.NoError(t, err)
	require.JSONEq(t, `{"tag_list":""}`, string(b))
	_, err = json.Marshal(TargetParams{Tags: []Tag{{Key: ""}}})
	require.ErrorIs(t, err, ErrInvalidArgument)
}
