package retreavertest

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

type obj = map[string]any

func TestAffiliateLifecycle(t *testing.T) {
	a := newAPI(t)
	created := a.obj(http.MethodPost, "/affiliates.json", obj{"affiliate": obj{"first_name": "Nancy", "last_name": "Drew", "afid": "0002"}}, http.StatusCreated, "affiliate")
	require.Equal(t, "0002", created["afid"])
	require.Equal(t, "Nancy", created["first_name"])
	require.Nil(t, created["company_name"])
	require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`, created["created_at"])

	got := a.obj(http.MethodGet, idPath("/affiliates", created["id"]), nil, http.StatusOK, "affiliate")
	require.Equal(t, created, got)
	upd := a.obj(http.MethodPut, "/affiliates/afid/0002.json", obj{"affiliate": obj{"first_name": "Nathan"}}, http.StatusOK, "affiliate")
	require.Equal(t, "Nathan", upd["first_name"])
	require.Equal(t, "Drew", upd["last_name"])

	require.Equal(t, obj{"afid": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/affiliates.json", obj{"affiliate": obj{"first_name": "X"}}))
	require.Contains(t, a.errorsOf(http.MethodPost, "/affiliates.json", obj{"affiliate": obj{"afid": "0002"}}), "afid")

	// The same afid can exist in another company, independently.
	b := &api{t: t, srv: a.srv, company: a.srv.CompanyIDs()[1]}
	require.Empty(t, b.list("/affiliates.json", nil, "affiliate"))
	b.call(http.MethodPost, "/affiliates.json", nil, obj{"affiliate": obj{"afid": "0002"}}, http.StatusCreated)
	b.call(http.MethodGet, idPath("/affiliates", created["id"]), nil, nil, http.StatusNotFound)

	resp, body := a.raw(http.MethodDelete, "/affiliates/afid/0002.json", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, body)
	a.call(http.MethodGet, "/affiliates/afid/0002.json", nil, nil, http.StatusNotFound)
	require.Len(t, b.list("/affiliates.json", nil, "affiliate"), 1)
}

func TestUnwrappedAndFormBodies(t *testing.T) {
	a := newAPI(t)
	c := a.obj(http.MethodPost, "/affiliates.json", obj{"afid": "U1", "first_name": "Un"}, http.StatusCreated, "affiliate")
	require.Equal(t, "U1", c["afid"])
	c = a.obj(http.MethodPost, "/affiliates.json", url.Values{"affiliate[afid]": {"F1"}, "affiliate[last_name]": {"Form"}}, http.StatusCreated, "affiliate")
	require.Equal(t, "Form", c["last_name"])
	p := a.obj(http.MethodPost, "/campaigns.json", obj{"campaign": obj{"cid": "C1"}}, http.StatusCreated, "campaign")
	require.Equal(t, "C1", p["cid"])
	pool := a.obj(http.MethodPost, "/number_pools.json", obj{"number_pool": obj{"cid": "C1"}}, http.StatusCreated, "number_pool")
	pool = a.obj(http.MethodPut, idPath("/number_pools", pool["id"]), obj{"number_pool": obj{"max_pool_size": "1000"}}, http.StatusOK, "number_pool")
	require.Equal(t, float64(1000), pool["max_pool_size"])
	require.Contains(t, a.errorsOf(http.MethodPut, idPath("/number_pools", pool["id"]), obj{"number_pool": obj{"max_pool_size": "lots"}}), "max_pool_size")
}

func TestTargetLifecycle(t *testing.T) {
	a := newAPI(t)
	require.Equal(t, obj{"number": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/targets.json", obj{"target": obj{"name": "X"}}))

	created := a.obj(http.MethodPost, "/targets.json", obj{"target": obj{"number": "+18668987878", "name": "Retreaver Support", "client_tid": "T-1"}}, http.StatusCreated, "target")
	require.Equal(t, "T-1", created["tid"])
	require.Equal(t, "T-1", created["client_tid"])
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

func TestTargetGroupLifecycle(t *testing.T) {
	a := newAPI(t)
	var ids []any
	for _, n := range []string{"+18005550001", "+18005550002", "+18005550003"} {
		ids = append(ids, a.obj(http.MethodPost, "/targets.json", obj{"target": obj{"number": n, "name": n}}, http.StatusCreated, "target")["id"])
	}
	require.Equal(t, obj{"name": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/target_groups.json", obj{"target_group": obj{"target_ids": ids}}))
	require.Contains(t, a.errorsOf(http.MethodPost, "/target_groups.json", obj{"target_group": obj{"name": "G", "target_ids": []int{1}}}), "target_ids")
	require.Contains(t, a.errorsOf(http.MethodPost, "/target_groups.json", obj{"target_group": obj{"name": "G", "behavior": 2}}), "priority")

	g := a.obj(http.MethodPost, "/target_groups.json", obj{"target_group": obj{"name": "Sales", "target_ids": ids[:2]}}, http.StatusCreated, "target_group")
	require.Equal(t, ids[:2], g["target_ids"])
	require.Equal(t, float64(1), g["behavior"])
	require.Nil(t, g["priority"])
	require.Len(t, g["caps"], 4)
	member := g["targets"].([]any)[0].(obj)
	require.Equal(t, obj{"id": ids[0], "number": "+18005550001", "name": "+18005550001", "priority": float64(1), "weight": float64(1)}, member)
	path := idPath("/target_groups", g["id"])

	g = a.obj(http.MethodPut, path, obj{"target_group": obj{"add_targets_by_id": []any{ids[2]}}}, http.StatusOK, "target_group")
	require.Equal(t, ids, g["target_ids"])
	g = a.obj(http.MethodPut, path, obj{"target_group": obj{"remove_targets_by_id": []any{ids[0]}}}, http.StatusOK, "target_group")
	require.Equal(t, ids[1:], g["target_ids"])
	g = a.obj(http.MethodPut, path, obj{"target_group": obj{"target_ids": []any{ids[0]}, "hourly_cap_attributes": obj{"cap": 3},
		"behavior": 2, "priority": 1, "weight": 5}}, http.StatusOK, "target_group")
	require.Equal(t, []any{ids[0]}, g["target_ids"])
	require.Equal(t, float64(3), g["caps"].([]any)[2].(obj)["cap"])
	require.Equal(t, float64(2), g["behavior"])
	require.Len(t, a.list("/target_groups.json", nil, "target_group"), 1)

	resp, body := a.raw(http.MethodPost, "/target_groups/"+itoa(num(g["id"]))+"/reset_cap.json", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, body)

	// Deleting a member target removes it from the group.
	a.call(http.MethodDelete, idPath("/targets", ids[0]), nil, nil, http.StatusNoContent)
	require.Equal(t, []any{}, a.obj(http.MethodGet, path, nil, http.StatusOK, "target_group")["target_ids"])
	a.call(http.MethodDelete, path, nil, nil, http.StatusNoContent)
	a.call(http.MethodGet, path, nil, nil, http.StatusNotFound)
}

func TestCampaignLifecycle(t *testing.T) {
	a := newAPI(t)
	def := a.obj(http.MethodPost, "/campaigns.json", obj{"campaign": obj{"name": "Defaults"}}, http.StatusCreated, "campaign")
	require.Regexp(t, `^[0-9a-f]{8}$`, def["cid"])
	require.Equal(t, true, def["record_calls"])
	require.Equal(t, float64(3600), def["record_seconds"])
	require.Equal(t, float64(0), def["dedupe_seconds"])
	require.Equal(t, false, def["affiliate_can_pull_number"])
	require.Equal(t, "Male", def["greeting"].(obj)["voice_gender"])
	require.Equal(t, []any{}, def["timers"])
	require.Len(t, def["show_key"], 32)

	c := a.obj(http.MethodPost, "/campaigns.json", obj{"campaign": obj{
		"cid": "000333", "name": "MyCampaign", "message": "Thanks for calling, please press one to continue.", "voice_gender": "Female",
		"timers_attributes":       []obj{{"seconds": 0, "url": "http://callpixels.com/click.html"}, {"seconds": 90, "url": "http://callpixels.com/sale.html"}},
		"menu_options_attributes": []obj{{"option": "1", "target_number": "+16474570424"}},
	}}, http.StatusCreated, "campaign")
	require.Equal(t, obj{"message": "Thanks for calling, please press one to continue.", "voice_gender": "Female"}, c["greeting"])
	timers := c["timers"].([]any)
	require.Len(t, timers, 2)
	t2 := timers[1].(obj)["timer"].(obj)
	require.Equal(t, float64(90), t2["seconds"])
	require.Equal(t, "http://callpixels.com/sale.html", t2["url"])
	menu := c["menu_options"].([]any)[0].(obj)["menu_option"].(obj)
	require.Equal(t, "1", menu["option"])
	require.Nil(t, menu["target_cid"])

	byCID := "/campaigns/cid/000333.json"
	// Update a timer by id, add a menu option (singular spelling), audio greeting.
	audio := base64.StdEncoding.EncodeToString([]byte("fLaC-fake-audio"))
	u := a.obj(http.MethodPut, byCID, obj{"campaign": obj{"name": "Other",
		"timers_attributes":      []obj{{"id": t2["id"], "seconds": 120}},
		"menu_option_attributes": []obj{{"option": "2", "target_cid": "000333"}},
		"message_file_b64_data":  audio, "message_file_b64_filename": "memo.flac"}}, http.StatusOK, "campaign")
	require.Equal(t, "Other", u["name"])
	require.Equal(t, float64(120), u["timers"].([]any)[1].(obj)["timer"].(obj)["seconds"])
	require.Len(t, u["menu_options"], 2)
	gr := u["greeting"].(obj)
	require.Equal(t, "memo.flac", gr["audio_file_name"])
	require.Equal(t, float64(len("fLaC-fake-audio")), gr["audio_file_size"])

	require.Contains(t, a.errorsOf(http.MethodPut, byCID, obj{"campaign": obj{"timers_attributes": []obj{{"seconds": 5}}}}), "timers.url")
	require.Contains(t, a.errorsOf(http.MethodPut, byCID, obj{"campaign": obj{"menu_options_attributes": []obj{{"option": "x"}}}}), "menu_options.option")
	require.Contains(t, a.errorsOf(http.MethodPut, byCID, obj{"campaign": obj{"voice_gender": "Robot"}}), "voice_gender")
	require.Contains(t, a.errorsOf(http.MethodPut, byCID, obj{"campaign": obj{"cid": def["cid"]}}), "cid")

	// destroy_nested drops the existing timers and menu options.
	d := a.obj(http.MethodPut, byCID, obj{"campaign": obj{"destroy_nested": true, "timers_attributes": []obj{{"seconds": 30, "url": "http://x"}}}}, http.StatusOK, "campaign")
	require.Len(t, d["timers"], 1)
	require.Empty(t, d["menu_options"])

	// A campaign with numbers cannot be deleted.
	n := a.obj(http.MethodPost, "/numbers.json", obj{"number": obj{"cid": "000333", "afid": "0002"}}, http.StatusCreated, "number")
	a.call(http.MethodDelete, byCID, nil, nil, http.StatusUnprocessableEntity)
	a.call(http.MethodDelete, idPath("/numbers", n["id"]), nil, nil, http.StatusOK)
	resp, body := a.raw(http.MethodDelete, byCID, nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, body)
	a.call(http.MethodGet, byCID, nil, nil, http.StatusNotFound)
	require.Len(t, a.list("/campaigns.json", nil, "campaign"), 1)
}

func TestNumberLifecycle(t *testing.T) {
	a := newAPI(t)
	require.Equal(t, obj{"cid": []any{"can't be blank"}, "afid": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/numbers.json", obj{"number": obj{}}))
	require.Equal(t, obj{"cid": []any{"does not exist"}}, a.errorsOf(http.MethodPost, "/numbers.json", obj{"number": obj{"cid": "nope", "afid": "1"}}))
	a.call(http.MethodPost, "/campaigns.json", nil, obj{"campaign": obj{"cid": "0001", "message": "Hi", "timers_attributes": []obj{{"seconds": 0, "url": "http://c"}}}}, http.StatusCreated)
	a.call(http.MethodPost, "/campaigns.json", nil, obj{"campaign": obj{"cid": "0002"}}, http.StatusCreated)
	require.Contains(t, a.errorsOf(http.MethodPost, "/numbers.json", obj{"number": obj{"cid": "0001", "afid": "1", "type": "Premium"}}), "type")

	n := a.obj(http.MethodPost, "/numbers.json", obj{"number": obj{"type": "Toll-free", "desired_text": "TEST", "afid": "0002", "cid": "0001", "sid": "superaffiliate"}}, http.StatusCreated, "number")
	require.Regexp(t, `^\+18(00|33|44|55|66|77|88)\d{7}$`, n["number"])
	require.Equal(t, true, n["toll_free"])
	require.Equal(t, true, n["uses_campaign_settings"])
	require.Equal(t, obj{"message": "Hi", "voice_gender": "Male", "inherited": true}, n["greeting"])
	// Writes wrap timers, reads list them bare (as the reference shows).
	wt := n["timers"].([]any)[0].(obj)["timer"].(obj)
	require.Equal(t, true, wt["inherited"])
	got := a.obj(http.MethodGet, idPath("/numbers", n["id"]), nil, http.StatusOK, "number")
	require.Equal(t, wt, got["timers"].([]any)[0].(obj))
	// The unknown afid created an affiliate.
	a.obj(http.MethodGet, "/affiliates/afid/0002.json", nil, http.StatusOK, "affiliate")

	local := a.obj(http.MethodPost, "/numbers.json", obj{"number": obj{"type": "Local", "afid": "0005", "cid": "0002", "timers_attributes": []obj{{"seconds": 10, "url": "http://own"}}}}, http.StatusCreated, "number")
	require.Equal(t, false, local["toll_free"])
	require.Equal(t, false, local["uses_campaign_settings"])
	require.Equal(t, false, local["timers"].([]any)[0].(obj)["timer"].(obj)["inherited"])

	require.Len(t, a.list("/numbers.json", url.Values{"cid": {"0001"}}, "number"), 1)
	require.Len(t, a.list("/numbers.json", url.Values{"afid": {"0005"}}, "number"), 1)
	require.Len(t, a.list("/numbers.json", url.Values{"sid": {"superaffiliate"}}, "number"), 1)
	require.Len(t, a.list("/numbers.json", url.Values{"sid": {"none"}}, "number"), 0)

	u := a.obj(http.MethodPut, idPath("/numbers", n["id"]), obj{"number": obj{"afid": "0005"}}, http.StatusOK, "number")
	require.Equal(t, "0005", u["afid"])
	require.Equal(t, n["number"], u["number"])
	// Renaming an affiliate's afid carries its numbers along.
	a.call(http.MethodPut, "/affiliates/afid/0005.json", nil, obj{"affiliate": obj{"afid": "0006"}}, http.StatusOK)
	require.Len(t, a.list("/numbers.json", url.Values{"afid": {"0006"}}, "number"), 2)
	a.call(http.MethodPut, "/affiliates/afid/0006.json", nil, obj{"affiliate": obj{"afid": "0005"}}, http.StatusOK)
	// An affiliate with numbers cannot be deleted.
	a.call(http.MethodDelete, "/affiliates/afid/0005.json", nil, nil, http.StatusUnprocessableEntity)
	resp, body := a.raw(http.MethodDelete, idPath("/numbers", n["id"]), nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, body)
}

func TestNumberPoolLifecycle(t *testing.T) {
	a := newAPI(t)
	require.Equal(t, obj{"cid": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/number_pools.json", obj{"number_pool": obj{}}))
	a.call(http.MethodPost, "/campaigns.json", nil, obj{"campaign": obj{"cid": "111"}}, http.StatusCreated)
	a.call(http.MethodPost, "/affiliates.json", nil, obj{"affiliate": obj{"afid": "0001"}}, http.StatusCreated)
	p := a.obj(http.MethodPost, "/number_pools.json", obj{"number_pool": obj{"cid": "111", "max_pool_size": 100, "hide_embedded_access": true, "google_analytics": true}}, http.StatusCreated, "number_pool")
	require.Equal(t, "Toll-free", p["type"])
	require.Equal(t, "US", p["country"])
	require.Equal(t, float64(0), p["buffer_seconds"])
	require.Equal(t, float64(1), p["reserve_size"])
	require.Equal(t, float64(0), p["numbers_count"])
	require.Nil(t, p["afid"])
	require.Len(t, p["google_analytics_paths"], 2)
	q := a.obj(http.MethodPost, "/number_pools.json", obj{"number_pool": obj{"cid": "111", "afid": "0001", "type": "Local", "country": "CA"}}, http.StatusCreated, "number_pool")
	require.NotContains(t, q, "google_analytics_paths")
	require.Contains(t, a.errorsOf(http.MethodPost, "/number_pools.json", obj{"number_pool": obj{"cid": "111", "afid": "0001", "google_analytics": true}}), "google_analytics")
	require.Contains(t, a.errorsOf(http.MethodPost, "/number_pools.json", obj{"number_pool": obj{"cid": "111", "afid": "nobody"}}), "afid")
	require.Len(t, a.list("/number_pools.json", url.Values{"afid": {"0001"}}, "number_pool"), 1)
	require.Len(t, a.list("/number_pools.json", url.Values{"cid": {"111"}}, "number_pool"), 2)
	resp, _ := a.raw(http.MethodDelete, idPath("/number_pools", q["id"]), nil, nil)
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	require.Len(t, a.list("/number_pools.json", nil, "number_pool"), 1)
}

func TestCompanyLifecycle(t *testing.T) {
	a := newAPI(t)
	require.Equal(t, obj{"name": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/companies.json", obj{"company": obj{}}))
	before := len(a.srv.CompanyIDs())
	c := a.obj(http.MethodPost, "/companies.json", obj{"company": obj{"name": "CallPixels.com"}}, http.StatusCreated, "company")
	require.Equal(t, "1.0", c["per_number"])
	require.Equal(t, true, c["use_global_suppression_list"])
	require.Len(t, a.srv.CompanyIDs(), before+1)
	path := idPath("/companies", c["id"])
	u := a.obj(http.MethodPut, path, obj{"company": obj{"name": "Retreaver"}}, http.StatusOK, "company")
	require.Equal(t, "Retreaver", u["name"])

	// The new company is reachable and empty.
	b := &api{t: t, srv: a.srv, company: num(c["id"])}
	require.Empty(t, b.list("/targets.json", nil, "target"))

	resp, _ := a.raw(http.MethodDelete, path, nil, nil)
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	a.call(http.MethodGet, path, nil, nil, http.StatusNotFound)
	require.Len(t, a.srv.CompanyIDs(), before)
}

func TestContactLifecycle(t *testing.T) {
	a := newAPI(t)
	require.Equal(t, obj{"contact_numbers": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/contacts.json", obj{"contact": obj{"tag_list": "<<<name:X>>>"}}))
	c := a.obj(http.MethodPost, "/contacts.json", obj{"contact": obj{"tag_list": "<<<name:Retreaver Support>>>",
		"contact_numbers_attributes": []obj{{"number": "8668987878", "description": "Landline"}}}}, http.StatusCreated, "contact")
	nums := c["contact_numbers"].([]any)
	require.Equal(t, "+18668987878", nums[0].(obj)["number"])
	require.Equal(t, "Landline", nums[0].(obj)["description"])
	tag := c["tag_values"].([]any)[0].(obj)
	require.Equal(t, "Retreaver Support", tag["value"])
	require.Contains(t, a.errorsOf(http.MethodPost, "/contacts.json", obj{"contact": obj{"contact_numbers_attributes": []obj{{"number": "+18668987878"}}}}), "contact_numbers.number")

	path := idPath("/contacts", c["id"])
	c = a.obj(http.MethodPut, path, obj{"contact": obj{"contact_numbers_attributes": []obj{{"id": nums[0].(obj)["id"], "number": "+18001234567"}, {"number": "+18005550000", "description": "Mobile"}}}}, http.StatusOK, "contact")
	require.Len(t, c["contact_numbers"], 2)
	require.Equal(t, "+18001234567", c["contact_numbers"].([]any)[0].(obj)["number"])

	byNum := "/contact_numbers/+18001234567/contact.json"
	require.Equal(t, c, a.obj(http.MethodGet, byNum, nil, http.StatusOK, "contact"))
	require.Equal(t, c, a.obj(http.MethodGet, "/contact_numbers/%2B18001234567/contact.json", nil, http.StatusOK, "contact"))
	upd := a.obj(http.MethodPut, byNum, obj{"contact": obj{"tag_list": "<<<name:Invalid Number>>>"}}, http.StatusOK, "contact")
	require.NotEqual(t, tag["id"], upd["tag_values"].([]any)[0].(obj)["id"])

	cn := a.obj(http.MethodPut, "/contact_numbers/+18001234567.json", obj{"contact_number": obj{"number": "+18005551234"}}, http.StatusOK, "contact_number")
	require.Equal(t, obj{"number": "+18005551234", "description": "Landline", "id": nums[0].(obj)["id"]}, cn)
	a.call(http.MethodGet, byNum, nil, nil, http.StatusNotFound)

	a.call(http.MethodDelete, "/contact_numbers/+18005550000.json", nil, nil, http.StatusOK)
	// The last number of a contact cannot go.
	a.errorsOf(http.MethodDelete, "/contact_numbers/+18005551234.json", nil)
	a.call(http.MethodDelete, "/contact_numbers/+19999999999.json", nil, nil, http.StatusNotFound)

	resp, body := a.raw(http.MethodDelete, "/contact_numbers/+18005551234/contact.json", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, body)
	require.Empty(t, a.list("/contacts.json", nil, "contact"))
}

func TestSuppressedNumbers(t *testing.T) {
	a := newAPI(t)
	check := func() any {
		return a.obj(http.MethodGet, "/suppressed_numbers/check.json", nil, http.StatusOK, "")["suppressed_numbers_exist"]
	}
	require.Equal(t, false, check())
	camp := a.obj(http.MethodPost, "/campaigns.json", obj{"campaign": obj{"cid": "116dc0f6"}}, http.StatusCreated, "campaign")

	// Create: no body needed; the answer is not wrapped.
	c := a.obj(http.MethodPost, "/suppressed_numbers/+13216065590.json", nil, http.StatusCreated, "")
	require.Equal(t, "+13216065590", c["number"])
	require.Equal(t, true, c["can_resubscribe"])
	require.Equal(t, float64(a.srv.CompanyID), c["company_id"])
	require.Contains(t, c, "affiliate_id")
	require.Nil(t, c["campaign_id"])
	require.Contains(t, c, "updated_at")
	require.Equal(t, true, check())
	a.errorsOf(http.MethodPost, "/suppressed_numbers/+13216065590.json", nil)
	c2 := a.obj(http.MethodPost, "/suppressed_numbers/+13216437667.json", obj{"suppressed_number": obj{"can_resubscribe": false}}, http.StatusCreated, "")
	require.Equal(t, false, c2["can_resubscribe"])

	got := a.obj(http.MethodGet, "/suppressed_numbers/+13216065590.json", nil, http.StatusOK, "suppressed_number")
	require.NotContains(t, got, "cid")
	// Update (unwrapped body, as the reference shows): cid appears, as a number.
	got = a.obj(http.MethodPut, "/suppressed_numbers/+13216065590.json", obj{"can_resubscribe": false, "campaign_id": "116dc0f6"}, http.StatusOK, "suppressed_number")
	require.Equal(t, camp["id"], got["cid"])
	require.Equal(t, false, got["can_resubscribe"])
	require.Contains(t, a.errorsOf(http.MethodPut, "/suppressed_numbers/+13216065590.json", obj{"campaign_id": "nope"}), "campaign_id")

	list := a.list("/suppressed_numbers.json", nil, "suppressed_number")
	require.Len(t, list, 2)
	require.Equal(t, camp["id"], list[0]["cid"])
	require.NotContains(t, list[1], "cid")

	resp, _ := a.raw(http.MethodDelete, "/suppressed_numbers/+13216065590.json", nil, nil)
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	a.call(http.MethodGet, "/suppressed_numbers/+13216065590.json", nil, nil, http.StatusNotFound)
}

func TestStaticCallerNumbers(t *testing.T) {
	a := newAPI(t)
	require.Equal(t, obj{"number": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/static_caller_numbers.json", obj{"static_caller_number": obj{}}))
	c := a.obj(http.MethodPost, "/static_caller_numbers.json", obj{"static_caller_number": obj{"number": "+18668987878"}}, http.StatusCreated, "static_caller_number")
	require.Equal(t, "+18668987878", c["number"])
	require.Contains(t, c, "created_at")
	a.errorsOf(http.MethodPost, "/static_caller_numbers.json", obj{"static_caller_number": obj{"number": "+18668987878"}})
	require.Len(t, a.list("/static_caller_numbers.json", nil, "static_caller_number"), 1)
	a.call(http.MethodPut, idPath("/static_caller_numbers", c["id"]), nil, obj{}, http.StatusMethodNotAllowed)
	resp, _ := a.raw(http.MethodDelete, idPath("/static_caller_numbers", c["id"]), nil, nil)
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	a.call(http.MethodDelete, idPath("/static_caller_numbers", c["id"]), nil, nil, http.StatusNotFound)
}

func TestListPagination(t *testing.T) {
	a := newAPI(t)
	for i := 0; i < 30; i++ {
		a.call(http.MethodPost, "/affiliates.json", nil, obj{"affiliate": obj{"afid": "A" + itoa(int64(i))}}, http.StatusCreated)
	}
	resp, _ := a.raw(http.MethodGet, "/affiliates.json", url.Values{"company_id": {itoa(a.srv.CompanyID)}}, nil)
	links := parseLinks(t, resp.Header.Get("Link"))
	require.Equal(t, []string{"first", "next", "last"}, links.rels)
	next := links.byRel["next"]
	require.Equal(t, a.srv.URL+"/affiliates.json", next.Scheme+"://"+next.Host+next.Path)
	require.Equal(t, a.srv.APIKey, next.Query().Get("api_key"))
	require.Equal(t, itoa(a.srv.CompanyID), next.Query().Get("company_id"))
	require.Equal(t, "2", next.Query().Get("page"))
	require.Equal(t, "2", links.byRel["last"].Query().Get("page"))
	require.Len(t, a.list("/affiliates.json", nil, "affiliate"), DefaultPageSize)
	page2 := a.list("/affiliates.json", url.Values{"page": {"2"}}, "affiliate")
	require.Len(t, page2, 5)
	require.Equal(t, "A29", page2[4]["afid"])
	require.Empty(t, a.list("/affiliates.json", url.Values{"page": {"9"}}, "affiliate"))
}
