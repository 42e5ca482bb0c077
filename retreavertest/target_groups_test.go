package retreavertest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

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
	// Targets list their groups, in lists and gets.
	brief := obj{"id": g["id"], "name": "Sales", "target_ids": ids[1:], "concurrency_cap": nil, "calls_in_progress": 0.0,
		"behavior": 1.0, "priority": nil, "weight": nil}
	for i, tg := range a.list("/targets.json", nil, "target") {
		want, wantIDs := []any{brief}, []any{g["id"]}
		if i == 0 {
			want, wantIDs = []any{}, []any{}
		}
		require.Equal(t, wantIDs, tg["target_group_ids"], i)
		require.Equal(t, want, tg["target_groups"], i)
	}
	other := a.obj(http.MethodPost, "/target_groups.json", obj{"target_group": obj{"name": "Overflow", "target_ids": ids[2:]}}, http.StatusCreated, "target_group")
	got := a.obj(http.MethodGet, idPath("/targets", ids[2]), nil, http.StatusOK, "target")
	require.Equal(t, []any{g["id"], other["id"]}, got["target_group_ids"])
	require.Equal(t, "Overflow", got["target_groups"].([]any)[1].(obj)["name"])
	a.call(http.MethodDelete, idPath("/target_groups", other["id"]), nil, nil, http.StatusNoContent)
	got = a.obj(http.MethodGet, idPath("/targets", ids[2]), nil, http.StatusOK, "target")
	require.Equal(t, []any{g["id"]}, got["target_group_ids"])
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
	require.Equal(t, []any{}, a.obj(http.MethodGet, idPath("/targets", ids[1]), nil, http.StatusOK, "target")["target_groups"])
	a.call(http.MethodGet, path, nil, nil, http.StatusNotFound)
}
