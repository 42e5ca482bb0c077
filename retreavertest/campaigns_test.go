package retreavertest

import (
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCampaignLifecycle(t *testing.T) {
	a := newAPI(t)
	def := a.obj(http.MethodPost, "/campaigns.json", obj{"campaign": obj{"name": "Defaults"}}, http.StatusCreated, "campaign")
	require.Regexp(t, `^[0-9a-f]{8}$`, def["cid"])
	require.Equal(t, true, def["record_calls"])
	require.Equal(t, float64(3600), def["record_seconds"])
	require.Equal(t, float64(0), def["dedupe_seconds"])
	require.Equal(t, false, def["affiliate_can_pull_number"])
	require.Equal(t, "Female", def["greeting"].(obj)["voice_gender"], "the documented default")
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
