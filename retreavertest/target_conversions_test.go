package retreavertest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// The reference's three examples, in order: add a group, change it, remove it.
func TestTargetConversionGroups(t *testing.T) {
	a := newAPI(t)
	created := a.obj(http.MethodPost, "/targets.json", obj{"target": obj{"number": "+18668987878", "name": "Retreaver Support"}}, http.StatusCreated, "target")
	require.NotContains(t, created, "conversion_groups")
	path := idPath("/targets", created["id"])
	require.Equal(t, []any{}, a.obj(http.MethodGet, path, nil, http.StatusOK, "target")["conversion_groups"])

	added := a.obj(http.MethodPut, path, obj{"target": obj{"conversion_groups_attributes": []obj{{"name": "50$ after 90s",
		"conversion_type": "timer", "conversions_attributes": []obj{{"seconds": 90, "revenue": 50.0}}}}}}, http.StatusOK, "target")
	groups := added["conversion_groups"].([]any)
	require.Len(t, groups, 1)
	g := groups[0].(obj)
	conv := g["conversions"].([]any)[0].(obj)
	require.Equal(t, obj{"id": g["id"], "name": "50$ after 90s", "dedupe_seconds": 0.0, "eval_order": 0.0, "postback": false,
		"conversion_type": "timer", "postback_uuid": nil, "tag_values": []any{},
		"conversions": []any{obj{"id": conv["id"], "type": nil, "seconds": 90.0, "revenue": 50.0, "payout": 0.0,
			"payout_modifier": nil, "postback_timeout": 600.0, "match_trigger": nil}}}, g)
	require.NotEqual(t, g["id"], conv["id"])
	require.Equal(t, groups, a.obj(http.MethodGet, path, nil, http.StatusOK, "target")["conversion_groups"])
	require.NotContains(t, a.list("/targets.json", nil, "target")[0], "conversion_groups")

	// Only the fields given change.
	changed := a.obj(http.MethodPut, path, obj{"target": obj{"conversion_groups_attributes": []obj{{"id": g["id"], "name": "75$ after 90s",
		"conversions_attributes": []obj{{"id": conv["id"], "revenue": 75.0}}}}}}, http.StatusOK, "target")
	g2 := changed["conversion_groups"].([]any)[0].(obj)
	require.Equal(t, "75$ after 90s", g2["name"])
	c2 := g2["conversions"].([]any)[0].(obj)
	require.Equal(t, 75.0, c2["revenue"])
	require.Equal(t, 90.0, c2["seconds"])
	require.Equal(t, conv["id"], c2["id"])

	// Without the conversion's id, a conversion is added; without the
	// group's, a group (with the defaults).
	more := a.obj(http.MethodPut, path, obj{"target": obj{"conversion_groups_attributes": []obj{
		{"id": g["id"], "conversions_attributes": []obj{{"seconds": 120}}},
		{"conversion_type": "timer", "dedupe_seconds": 86400, "conversions_attributes": []obj{{}}},
	}}}, http.StatusOK, "target")
	groups = more["conversion_groups"].([]any)
	require.Len(t, groups, 2)
	require.Len(t, groups[0].(obj)["conversions"], 2)
	added2 := groups[0].(obj)["conversions"].([]any)[1].(obj)
	require.Equal(t, 120.0, added2["seconds"])
	require.Equal(t, 0.0, added2["revenue"])
	fresh := groups[1].(obj)
	require.Equal(t, "Default Conversion Settings", fresh["name"])
	require.Equal(t, 86400.0, fresh["dedupe_seconds"])
	require.Equal(t, 1.0, fresh["eval_order"])
	require.Equal(t, 90.0, fresh["conversions"].([]any)[0].(obj)["seconds"])

	// Errors change nothing.
	before := a.obj(http.MethodGet, path, nil, http.StatusOK, "target")
	for body, field := range map[string]string{
		`[{"name":"x","conversions_attributes":[{"seconds":90}]}]`:                            "conversion_groups.conversion_type",
		`[{"conversion_type":"postback","conversions_attributes":[{}]}]`:                      "conversion_groups.conversion_type",
		`[{"conversion_type":"timer"}]`:                                                       "conversion_groups.conversions",
		`[{"conversion_type":"timer","dedupe_seconds":60,"conversions_attributes":[{}]}]`:     "conversion_groups.dedupe_seconds",
		`[{"id":1,"name":"x"}]`:                                                               "conversion_groups.id",
		`[{"id":1,"_destroy":true}]`:                                                          "conversion_groups.id",
		`[{"id":` + itoa(num(g["id"])) + `,"conversions_attributes":[{"id":1,"revenue":5}]}]`: "conversion_groups.conversions.id",
		`[{"id":` + itoa(num(g["id"])) + `,"conversions_attributes":[{"revenue":"1.234"}]}]`:  "conversion_groups.conversions.revenue",
	} {
		errs := a.errorsOf(http.MethodPut, path, `{"target":{"name":"never","conversion_groups_attributes":`+body+`}}`)
		require.Contains(t, errs, field, body)
	}
	require.Equal(t, before, a.obj(http.MethodGet, path, nil, http.StatusOK, "target"))

	// _destroy with the id removes the whole group.
	gone := a.obj(http.MethodPut, path, obj{"target": obj{"conversion_groups_attributes": []obj{{"id": g["id"], "_destroy": true}}}}, http.StatusOK, "target")
	require.Len(t, gone["conversion_groups"], 1)
	require.Equal(t, fresh["id"], gone["conversion_groups"].([]any)[0].(obj)["id"])
	gone = a.obj(http.MethodPut, path, obj{"target": obj{"conversion_groups_attributes": []obj{{"id": fresh["id"], "_destroy": "1"}}}}, http.StatusOK, "target")
	require.Equal(t, []any{}, gone["conversion_groups"])
}
