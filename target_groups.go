package retreaver

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"strconv"
	"strings"
)

// TargetGroupBehavior is how a target group dials its targets.
type TargetGroupBehavior int

// The two behaviors of a target group.
const (
	// BehaviorDialSeparately dials the group's targets one after the other, by
	// priority and weight. The API's default.
	BehaviorDialSeparately TargetGroupBehavior = 1
	// BehaviorSimuldial rings every target of the group at once; the first to
	// answer takes the call. A simuldial group needs a priority and a weight.
	BehaviorSimuldial TargetGroupBehavior = 2
)

// String returns "dial separately", "simuldial", or the number for other values.
func (b TargetGroupBehavior) String() string {
	switch b {
	case BehaviorDialSeparately:
		return "dial separately"
	case BehaviorSimuldial:
		return "simuldial"
	}
	return "TargetGroupBehavior(" + strconv.Itoa(int(b)) + ")"
}

func (b TargetGroupBehavior) valid() bool {
	return b == BehaviorDialSeparately || b == BehaviorSimuldial
}

// TargetGroup bundles targets for routing: a buyer group in the Performance
// Marketing Edition, a handler group in the Enterprise Edition.
type TargetGroup struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// TargetIDs are the ids of the group's targets.
	TargetIDs []int64 `json:"target_ids"`
	// Targets summarizes the group's targets.
	Targets []TargetGroupMember `json:"targets"`
	// ConcurrencyCap limits the calls the group takes at once; nil: no limit.
	ConcurrencyCap  *int `json:"concurrency_cap"`
	CallsInProgress int  `json:"calls_in_progress"`
	// Behavior is BehaviorDialSeparately or BehaviorSimuldial.
	Behavior TargetGroupBehavior `json:"behavior"`
	// Priority and Weight place the group among other targets when it
	// simuldials; nil when unset.
	Priority *int `json:"priority"`
	Weight   *int `json:"weight"`
	// Caps are the group's hard, hourly, daily and monthly caps.
	Caps []Cap `json:"caps"`
}

// TargetGroupMember is a target as a target group lists it.
type TargetGroupMember struct {
	ID       int64  `json:"id"`
	Number   string `json:"number"`
	Name     string `json:"name"`
	Priority int    `json:"priority"`
	Weight   int    `json:"weight"`
}

// UnmarshalJSON decodes a member, bare as the API sends it ({"id": 1, ...}) or
// wrapped in "target" like the targets endpoints' objects.
func (m *TargetGroupMember) UnmarshalJSON(b []byte) error {
	var v targetGroupMemberJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*m = v.value()
	return nil
}

// targetGroupMemberJSON is a member as the API sends it, bare or wrapped.
type targetGroupMemberJSON struct {
	targetGroupMemberFields
	Wrapped *targetGroupMemberFields `json:"target"`
}

// targetGroupMemberFields are the fields of TargetGroupMember, without its
// UnmarshalJSON.
type targetGroupMemberFields TargetGroupMember

func (v targetGroupMemberJSON) value() TargetGroupMember {
	if v.Wrapped != nil {
		return TargetGroupMember(*v.Wrapped)
	}
	return TargetGroupMember(v.targetGroupMemberFields)
}

// TargetGroupParams are the fields of a target group to create or update. Only
// the fields set are sent: build them with [Ptr].
type TargetGroupParams struct {
	// Name is required on Create.
	Name *string `json:"name,omitempty"`
	// TargetIDs replaces the group's targets: nil leaves them alone, an empty
	// non-nil slice removes them all (sent as []). To add or remove single
	// targets use TargetGroupsService.AddTargets and RemoveTargets.
	TargetIDs []int64 `json:"-"`
	// ConcurrencyCap limits the calls the group takes at once.
	ConcurrencyCap *int `json:"concurrency_cap,omitempty"`
	// Behavior is BehaviorDialSeparately (the default) or BehaviorSimuldial;
	// other values are rejected with ErrInvalidArgument.
	Behavior *TargetGroupBehavior `json:"behavior,omitempty"`
	// Priority and Weight are needed when Behavior is BehaviorSimuldial: Create
	// rejects a simuldial group without them.
	Priority *int `json:"priority,omitempty"`
	Weight   *int `json:"weight,omitempty"`
	// HardCap, HourlyCap, DailyCap and MonthlyCap set the group's caps, sent as
	// hard_cap_attributes and so on.
	HardCap    *CapParams `json:"hard_cap_attributes,omitempty"`
	HourlyCap  *CapParams `json:"hourly_cap_attributes,omitempty"`
	DailyCap   *CapParams `json:"daily_cap_attributes,omitempty"`
	MonthlyCap *CapParams `json:"monthly_cap_attributes,omitempty"`
}

// MarshalJSON encodes the params, sending TargetIDs when it is non-nil (an
// empty list as []).
func (p TargetGroupParams) MarshalJSON() ([]byte, error) {
	type plain TargetGroupParams
	v := struct {
		plain
		TargetIDs *[]int64 `json:"target_ids,omitempty"`
	}{plain: plain(p)}
	if p.TargetIDs != nil {
		v.TargetIDs = &p.TargetIDs
	}
	return json.Marshal(v)
}

func (p *TargetGroupParams) validate(create bool) error {
	if p == nil {
		return invalidArg("target group params are nil")
	}
	if create && p.Name == nil {
		return invalidArg("target group name is required")
	}
	if p.Name != nil && strings.TrimSpace(*p.Name) == "" {
		return invalidArg("target group name must not be empty")
	}
	if err := checkTargetIDs("target_ids", p.TargetIDs); err != nil {
		return err
	}
	if p.ConcurrencyCap != nil && *p.ConcurrencyCap < 0 {
		return invalidArg("target group concurrency_cap must not be negative, got %d", *p.ConcurrencyCap)
	}
	if p.Behavior != nil && !p.Behavior.valid() {
		return invalidArg("target group behavior must be 1 (BehaviorDialSeparately) or 2 (BehaviorSimuldial), got %d", int(*p.Behavior))
	}
	if create && p.Behavior != nil && *p.Behavior == BehaviorSimuldial && (p.Priority == nil || p.Weight == nil) {
		return invalidArg("a simuldial target group needs a priority and a weight")
	}
	if p.Weight != nil && *p.Weight < 0 {
		return invalidArg("target group weight must not be negative, got %d", *p.Weight)
	}
	return validateCaps(p.HardCap, p.HourlyCap, p.DailyCap, p.MonthlyCap)
}

// checkTargetIDs rejects ids that are not positive.
func checkTargetIDs(field string, ids []int64) error {
	for i, id := range ids {
		if id <= 0 {
			return invalidArg("%s[%d] must be a positive target id, got %d", field, i, id)
		}
	}
	return nil
}

// TargetGroupListOptions pages through the target groups.
type TargetGroupListOptions struct {
	ListOptions
}

// TargetGroupsService manages target groups (buyer groups), which bundle targets for routing.
type TargetGroupsService service

const (
	targetGroupRoot  = "target_group"
	targetGroupsPath = "target_groups"
)

// targetGroupElement is a TargetGroup as the API wraps it (see element).
type targetGroupElement struct {
	V *targetGroupJSON `json:"target_group"`
}

func (e targetGroupElement) object() *TargetGroup {
	if e.V == nil {
		return nil
	}
	g := (*TargetGroup)(&e.V.targetGroupFields)
	g.Targets = unwrapEach(e.V.Targets)
	return g
}

// targetGroupJSON is a target group as the API sends it. Answers and pages
// decode into it directly (targetGroupElement), its members in the same pass.
type targetGroupJSON struct {
	targetGroupFields
	Targets []targetGroupMemberJSON `json:"targets"`
}

// targetGroupFields are the fields of TargetGroup.
type targetGroupFields TargetGroup

func (s *TargetGroupsService) lister() lister[targetGroupElement, TargetGroup] {
	return lister[targetGroupElement, TargetGroup]{c: s.client, path: targetGroupsPath + ".json", root: targetGroupRoot}
}

// List returns one page (25 groups) of the company's target groups.
func (s *TargetGroupsService) List(ctx context.Context, opts *TargetGroupListOptions) (*Page[TargetGroup], error) {
	return s.lister().list(ctx, opts)
}

// All iterates over every target group of the company, page after page from
// opts.Page.
func (s *TargetGroupsService) All(ctx context.Context, opts *TargetGroupListOptions) iter.Seq2[*TargetGroup, error] {
	return s.lister().iterate(ctx, opts)
}

// Get returns the target group with this id.
func (s *TargetGroupsService) Get(ctx context.Context, id int64) (*TargetGroup, error) {
	if err := requireIntID("target group id", id); err != nil {
		return nil, err
	}
	return get[targetGroupElement](ctx, s.client, pathJoin(targetGroupsPath, idSeg(id)), targetGroupRoot)
}

// Create creates a target group. p.Name is required; a group with Behavior
// BehaviorSimuldial also needs Priority and Weight.
func (s *TargetGroupsService) Create(ctx context.Context, p *TargetGroupParams) (*TargetGroup, error) {
	if err := p.validate(true); err != nil {
		return nil, err
	}
	return send[targetGroupElement](ctx, s.client, http.MethodPost, targetGroupsPath+".json", targetGroupRoot, p)
}

// Update changes the fields set in p on the target group with this id.
func (s *TargetGroupsService) Update(ctx context.Context, id int64, p *TargetGroupParams) (*TargetGroup, error) {
	if err := requireIntID("target group id", id); err != nil {
		return nil, err
	}
	if err := p.validate(false); err != nil {
		return nil, err
	}
	return s.put(ctx, id, p)
}

// Delete deletes the target group with this id. Its targets are not deleted.
func (s *TargetGroupsService) Delete(ctx context.Context, id int64) error {
	if err := requireIntID("target group id", id); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(targetGroupsPath, idSeg(id)))
}

// ReplaceTargets makes targetIDs the group's whole list of targets (sent as
// target_ids). nil or an empty slice removes every target from the group.
func (s *TargetGroupsService) ReplaceTargets(ctx context.Context, id int64, targetIDs []int64) (*TargetGroup, error) {
	if err := requireIntID("target group id", id); err != nil {
		return nil, err
	}
	if err := checkTargetIDs("target_ids", targetIDs); err != nil {
		return nil, err
	}
	if targetIDs == nil {
		targetIDs = []int64{}
	}
	return s.put(ctx, id, map[string][]int64{"target_ids": targetIDs})
}

// AddTargets adds targets to the group (sent as add_targets_by_id), keeping
// those it has. targetIDs must not be empty.
func (s *TargetGroupsService) AddTargets(ctx context.Context, id int64, targetIDs []int64) (*TargetGroup, error) {
	return s.changeTargets(ctx, id, "add_targets_by_id", targetIDs)
}

// RemoveTargets removes targets from the group (sent as remove_targets_by_id);
// the targets themselves are not deleted. targetIDs must not be empty.
func (s *TargetGroupsService) RemoveTargets(ctx context.Context, id int64, targetIDs []int64) (*TargetGroup, error) {
	return s.changeTargets(ctx, id, "remove_targets_by_id", targetIDs)
}

func (s *TargetGroupsService) changeTargets(ctx context.Context, id int64, field string, targetIDs []int64) (*TargetGroup, error) {
	if err := requireIntID("target group id", id); err != nil {
		return nil, err
	}
	if len(targetIDs) == 0 {
		return nil, invalidArg("%s: no target ids given", field)
	}
	if err := checkTargetIDs(field, targetIDs); err != nil {
		return nil, err
	}
	return s.put(ctx, id, map[string][]int64{field: targetIDs})
}

// SetCap sets one of the group's caps to limit calls:
// {"target_group":{"hard_cap_attributes":{"cap":100}}} for CapHard. An unknown
// CapType or a negative limit is rejected with ErrInvalidArgument before any
// request.
func (s *TargetGroupsService) SetCap(ctx context.Context, id int64, capType CapType, limit int) (*TargetGroup, error) {
	if err := requireIntID("target group id", id); err != nil {
		return nil, err
	}
	body, err := capBody(capType, limit)
	if err != nil {
		return nil, err
	}
	return s.put(ctx, id, body)
}

// put sends params as the target group id's new settings.
func (s *TargetGroupsService) put(ctx context.Context, id int64, params any) (*TargetGroup, error) {
	return send[targetGroupElement](ctx, s.client, http.MethodPut, pathJoin(targetGroupsPath, idSeg(id)), targetGroupRoot, params)
}

// ResetCap resets the hard caps of every target in the group to 0, clearing the
// calls counted toward them.
func (s *TargetGroupsService) ResetCap(ctx context.Context, id int64) error {
	if err := requireIntID("target group id", id); err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodPost, pathJoin(targetGroupsPath, idSeg(id), "reset_cap"))
}
