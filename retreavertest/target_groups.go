package retreavertest

import (
	"net/http"
	"slices"
)

type targetGroup struct {
	id               int64
	name             string
	targetIDs        []int64
	concurrencyCap   *int
	callsInProgress  int
	behavior         int
	priority, weight *int
	caps             []*capEntry
}

func (g *targetGroup) getID() int64 { return g.id }

type groupMemberView struct {
	ID       int64   `json:"id"`
	Number   string  `json:"number"`
	Name     *string `json:"name"`
	Priority int     `json:"priority"`
	Weight   int     `json:"weight"`
}

type targetGroupView struct {
	ID              int64             `json:"id"`
	Name            string            `json:"name"`
	TargetIDs       []int64           `json:"target_ids"`
	Targets         []groupMemberView `json:"targets"`
	ConcurrencyCap  *int              `json:"concurrency_cap"`
	CallsInProgress int               `json:"calls_in_progress"`
	Behavior        int               `json:"behavior"`
	Priority        *int              `json:"priority"`
	Weight          *int              `json:"weight"`
	Caps            []capView         `json:"caps"`
}

// targetGroupBrief is a group as its targets list it (target_groups): no
// caps, no members.
type targetGroupBrief struct {
	ID              int64   `json:"id"`
	Name            string  `json:"name"`
	TargetIDs       []int64 `json:"target_ids"`
	ConcurrencyCap  *int    `json:"concurrency_cap"`
	CallsInProgress int     `json:"calls_in_progress"`
	Behavior        int     `json:"behavior"`
	Priority        *int    `json:"priority"`
	Weight          *int    `json:"weight"`
}

func briefTargetGroup(g *targetGroup) targetGroupBrief {
	return targetGroupBrief{ID: g.id, Name: g.name, TargetIDs: slices.Clone(g.targetIDs), ConcurrencyCap: g.concurrencyCap,
		CallsInProgress: g.callsInProgress, Behavior: g.behavior, Priority: g.priority, Weight: g.weight}
}

func targetGroupResource() *resource[*targetGroup] {
	return &resource[*targetGroup]{
		root: "target_group",
		coll: func(rc *reqCtx) *collection[*targetGroup] { return &rc.co.groups },
		render: func(rc *reqCtx, g *targetGroup) any {
			members := []groupMemberView{}
			for _, id := range g.targetIDs {
				if t, ok := rc.co.targets.get(id); ok {
					members = append(members, groupMemberView{ID: t.id, Number: t.number, Name: t.name, Priority: t.priority, Weight: t.weight})
				}
			}
			return targetGroupView{ID: g.id, Name: g.name, TargetIDs: append([]int64{}, g.targetIDs...), Targets: members,
				ConcurrencyCap: g.concurrencyCap, CallsInProgress: g.callsInProgress, Behavior: g.behavior,
				Priority: g.priority, Weight: g.weight, Caps: renderCaps(g.caps)}
		},
		create: func(rc *reqCtx, a *attrs) (*targetGroup, error) {
			g := &targetGroup{behavior: 1, caps: rc.st.newCaps(), targetIDs: []int64{}}
			if err := applyTargetGroup(rc, g, a, true); err != nil {
				return nil, err
			}
			g.id = rc.st.nextID("target_group")
			return g, nil
		},
		update:       func(rc *reqCtx, g *targetGroup, a *attrs) error { return applyTargetGroup(rc, g, a, false) },
		deleteStatus: http.StatusNoContent,
	}
}

// applyTargetGroup handles name, target_ids (replace), add_targets_by_id,
// remove_targets_by_id, concurrency_cap, behavior, priority, weight and caps.
func applyTargetGroup(rc *reqCtx, g *targetGroup, a *attrs, creating bool) error {
	next := *g
	next.caps = cloneCaps(g.caps)
	next.targetIDs = slices.Clone(g.targetIDs)
	a.str("name", &next.name)
	if next.name == "" && (creating || a.has("name")) {
		a.fail("name", "can't be blank")
	}
	a.intP("concurrency_cap", &next.concurrencyCap)
	a.int("behavior", &next.behavior)
	a.intP("priority", &next.priority)
	a.intP("weight", &next.weight)
	if next.behavior != 1 && next.behavior != 2 {
		a.fail("behavior", "is not included in the list")
	}
	if next.behavior == 2 {
		if next.priority == nil {
			a.fail("priority", "can't be blank")
		}
		if next.weight == nil {
			a.fail("weight", "can't be blank")
		}
	}
	known := func(k string, ids []int64) bool {
		for _, id := range ids {
			if _, ok := rc.co.targets.get(id); !ok {
				a.fail(k, "is invalid")
				return false
			}
		}
		return true
	}
	if ids, ok := a.int64s("target_ids"); ok && known("target_ids", ids) {
		next.targetIDs = dedupeIDs(ids)
	}
	if ids, ok := a.int64s("add_targets_by_id"); ok && known("add_targets_by_id", ids) {
		next.targetIDs = dedupeIDs(append(next.targetIDs, ids...))
	}
	if ids, ok := a.int64s("remove_targets_by_id"); ok {
		next.targetIDs = slices.DeleteFunc(next.targetIDs, func(id int64) bool { return slices.Contains(ids, id) })
	}
	applyCaps(next.caps, a)
	if err := a.err(); err != nil {
		return err
	}
	*g = next
	return nil
}

func dedupeIDs(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// resetTargetGroupCap serves POST target_groups/{id}/reset_cap.json: the hard
// cap's count of the group and of each of its targets goes back to 0. It
// answers 200 with an empty body.
func resetTargetGroupCap(rc *reqCtx) (int, any, error) {
	g, err := lookupID(rc, &rc.co.groups)
	if err != nil {
		return 0, nil, err
	}
	resetHardCap(g.caps)
	for _, tid := range g.targetIDs {
		if t, ok := rc.co.targets.get(tid); ok {
			resetHardCap(t.caps)
		}
	}
	return http.StatusOK, nil, nil
}
