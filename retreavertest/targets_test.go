package retreavertest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTargetLifecycle(t *testing.T) {
	a := newAPI(t)
	require.Equal(t, obj{"number": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/targets.json", obj{"target": obj{"name": "X"}}))

	created := a.obj(http.MethodPost, "/targets.json", obj{"target": obj{"number": "+18668987878", "name": "Retreaver Support", "client_tid": "T-1"}}, http.StatusCreated, "target")
	require.Equal(t, "T-1", created["client_tid"])
	require.NotContains(t, created, "tid", "the create answer names it client_tid only")
	require.Equal(t, []any{}, created["target_group_ids"])
	require.Equal(t, []any{}, created["target_groups"])
	got := a.obj(http.MethodGet, idPath("/targets", created["id"]), nil, http.StatusOK, "target")
	require.Equal(t, "T-1", got["tid"])
	require.NotContains(t, got, "client_tid")
	require.Equal(t, "T-1", a.list("/targets.json", nil, "target")[0]["tid"])
	require.Equal(t, obj{"tid": []any{"has already been taken"}},
		a.errorsOf(http.MethodPost, "/targets.json", obj{"target": obj{"number": "+18668987878", "client_tid": "T-1"}}))
	// The old parameter name is ignored.
	old := a.obj(http.MethodPost, "/targets.json", obj{"target": obj{"number": "+18668987879", "tid": "T-2"}}, http.StatusCreated, "target")
	require.Nil(t, old["client_tid"])
	a.call(http.MethodGet, "/targets/tid/T-2.json", nil, nil, http.StatusNotFound)
	a.call(http.MethodDelete, idPath("/targets", old["id"]), nil, nil, http.StatusNoContent)
	require.Equal(t, float64(1), created["priority"])
	require.Equal(t, float64(1), created["weight"])
	require.Equal(t, float64(30), created["timeout_seconds"])
	require.Equal(t, "UTC", created["time_zone"])
	require.Len(t, created["object_key"], 64)
	require.Equal(t, []any{}, created["tag_values"])
	caps := created["caps"].([]any)
	require.Len(t, caps, 4)
	for i, typ := range []string{"Daily", "Hard", "Hourly", "Monthly"} {
		c := caps[i].(obj)
		require.Equal(t, typ, c["type"])
		require.Nil(t, c["cap"])
		require.Equal(t, float64(0), c["filled"])
	}
	hours := created["business_hours"].([]any)
	require.Len(t, hours, 7)
	for day, h := range hours {
		h := h.(obj)
		require.Equal(t, float64(day), h["day_of_week"])
		require.Equal(t, float64(0), h["time_open"])
		require.Equal(t, float64(2400), h["time_close"])
		require.Equal(t, true, h["work_day"])
		require.Equal(t, created["id"], h["target_id"])
	}
	path := idPath("/targets", created["id"])

	// Tags: set, find the same ids again, clear.
	tagged := a.obj(http.MethodPut, path, obj{"target": obj{"tag_list": "<<<calling_about:support>>>,<<<calling_about:other>>>"}}, http.StatusOK, "target")
	tags := tagged["tag_values"].([]any)
	require.Len(t, tags, 2)
	first := tags[0].(obj)
	require.Equal(t, obj{"key": "calling_about", "value": "support", "operator": "==", "id": first["id"]}, first)
	again := a.obj(http.MethodPut, path, obj{"target": obj{"tag_list": "<<<calling_about:support>>>"}}, http.StatusOK, "target")
	require.Equal(t, first["id"], again["tag_values"].([]any)[0].(obj)["id"])
	require.Contains(t, a.errorsOf(http.MethodPut, path, obj{"target": obj{"tag_list": "calling_about:support"}}), "tag_list")
	cleared := a.obj(http.MethodPut, path, obj{"target": obj{"tag_list": ""}}, http.StatusOK, "target")
	require.Equal(t, []any{}, cleared["tag_values"])

	// Caps, pause, business hours by id, time zone.
	hard := a.obj(http.MethodPut, path, obj{"target": obj{"hard_cap_attributes": obj{"cap": 100}, "paused": true}}, http.StatusOK, "target")
	require.Equal(t, float64(100), hard["caps"].([]any)[1].(obj)["cap"])
	require.Equal(t, true, hard["paused"])
	require.NotNil(t, hard["paused_at"])
	monday := hours[1].(obj)
	bh := a.obj(http.MethodPut, path, obj{"target": obj{"business_hours_attributes": []obj{{"id": monday["id"], "time_open": 900, "time_close": 1700, "inverted": true}}}}, http.StatusOK, "target")
	mon := bh["business_hours"].([]any)[1].(obj)
	require.Equal(t, float64(900), mon["time_open"])
	require.Equal(t, true, mon["invert"])
	a.call(http.MethodPut, path, nil, obj{"target": obj{"business_hours_attributes": []obj{{"id": 1, "time_open": 900}}}}, http.StatusNotFound)
	require.Contains(t, a.errorsOf(http.MethodPut, path, obj{"target": obj{"time_zone": "Mars"}}), "time_zone")
	tz := a.obj(http.MethodPut, path, obj{"target": obj{"time_zone": "Eastern Time (US & Canada)", "paused": false}}, http.StatusOK, "target")
	require.Equal(t, "Eastern Time (US & Canada)", tz["time_zone"])
	require.Nil(t, tz["paused_at"])
	require.NotContains(t, tz, "client_tid")

	byTID := a.obj(http.MethodGet, "/targets/tid/T-1.json", nil, http.StatusOK, "target")
	require.Equal(t, created["id"], byTID["id"])
	a.call(http.MethodPost, "/targets/tid/T-1/reset_cap.json", nil, nil, http.StatusNotFound)
	resp, body := a.raw(http.MethodPost, "/targets/"+itoa(num(created["id"]))+"/reset_cap.json", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, body)
	a.call(http.MethodPost, "/targets/1/reset_cap.json", nil, nil, http.StatusNotFound)

	resp, _ = a.raw(http.MethodDelete, "/targets/tid/T-1.json", nil, nil)
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	a.call(http.MethodGet, path, nil, nil, http.StatusNotFound)
}

func TestTargetCreateWithNestedAttributes(t *testing.T) {
	a := newAPI(t)
	c := a.obj(http.MethodPost, "/targets.json", obj{"target": obj{"number": "+18668987878",
		"business_hours_attributes": []obj{{"day_of_week": 0, "work_day": false}},
		"daily_cap_attributes":      obj{"cap": 10}, "tag_list": "<<<state:NC>>>"}}, http.StatusCreated, "target")
	hours := c["business_hours"].([]any)
	require.Len(t, hours, 7)
	require.Equal(t, false, hours[0].(obj)["work_day"])
	require.Equal(t, float64(10), c["caps"].([]any)[0].(obj)["cap"])
	require.Equal(t, "NC", c["tag_values"].([]any)[0].(obj)["value"])
	require.Contains(t, a.errorsOf(http.MethodPost, "/targets.json", obj{"target": obj{"number": "+1", "hard_cap_attributes": obj{}}}), "hard_cap.cap")
}
