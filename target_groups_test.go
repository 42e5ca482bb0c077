package retreaver

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// referenceMembers are the targets the reference's target group examples list.
var referenceMembers = map[int64]TargetGroupMember{
	1: {ID: 1, Number: "+18668987878", Name: "Jason Cell", Priority: 1, Weight: 1},
	2: {ID: 2, Number: "+18005551234", Name: "Office Line", Priority: 1, Weight: 1},
	3: {ID: 3, Number: "+18005555678", Name: "Support Line", Priority: 1, Weight: 1},
	4: {ID: 4, Number: "+18005557777", Name: "Backup Line", Priority: 1, Weight: 1},
	5: {ID: 5, Number: "+18005559999", Name: "New Target A", Priority: 1, Weight: 1},
	6: {ID: 6, Number: "+18005558888", Name: "New Target B", Priority: 1, Weight: 1},
}

// referenceTargetGroup is target group 1 as the reference's examples show it: dial
// separately, no priority or weight, no calls in progress, the caps 652978 to
// 652981 unfilled and unlimited but the hard cap hardCap.
func referenceTargetGroup(name string, concurrencyCap, hardCap *int, memberIDs ...int64) TargetGroup {
	members := make([]TargetGroupMember, len(memberIDs))
	for i, id := range memberIDs {
		members[i] = referenceMembers[id]
	}
	return TargetGroup{
		ID:              1,
		Name:            name,
		TargetIDs:       memberIDs,
		Targets:         members,
		ConcurrencyCap:  concurrencyCap,
		CallsInProgress: 0,
		Behavior:        BehaviorDialSeparately,
		Priority:        nil,
		Weight:          nil,
		Caps: []Cap{
			{ID: 652980, Filled: 0, Cap: nil, Type: "Daily"},
			{ID: 652978, Filled: 0, Cap: hardCap, Type: "Hard"},
			{ID: 652979, Filled: 0, Cap: nil, Type: "Hourly"},
			{ID: 652981, Filled: 0, Cap: nil, Type: "Monthly"},
		},
	}
}

func TestTargetGroupsList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "target_groups.json", 200, fixture(t, "target_groups_list.json"))
	page, err := c.TargetGroups.List(context.Background(), &TargetGroupListOptions{ListOptions{Page: 1}})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "target_groups.json", url.Values{"page": {"1"}}, false)
	assertNoBody(t, got)
	require.False(t, page.HasNext())
	require.Len(t, page.Items, 1)
	require.Equal(t, referenceTargetGroup("test", nil, nil, 1, 2, 3), *page.Items[0])
}

// target_groups_list_documented.json holds what no reference example shows: a
// simuldial group with its priority, weight, calls in progress and filled caps,
// and a group with no targets.
func TestTargetGroupsListOddShapes(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "GET", "target_groups.json", 200, fixture(t, "target_groups_list_documented.json"))
	page, err := c.TargetGroups.List(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	require.Equal(t, TargetGroup{
		ID:        1639,
		Name:      "Retreaver Team",
		TargetIDs: []int64{6588, 22592},
		Targets: []TargetGroupMember{
			{ID: 6588, Number: "+18668987878", Name: "Jason Cell", Priority: 1, Weight: 1},
			{ID: 22592, Number: "+12263399112", Name: "Retreaver Support", Priority: 2, Weight: 3},
		},
		ConcurrencyCap:  Ptr(5),
		CallsInProgress: 1,
		Behavior:        BehaviorSimuldial,
		Priority:        Ptr(1),
		Weight:          Ptr(10),
		Caps: []Cap{
			{ID: 808000, Filled: 0, Cap: nil, Type: "Daily"},
			{ID: 807998, Filled: 12, Cap: Ptr(100), Type: "Hard"},
			{ID: 807999, Filled: 0, Cap: nil, Type: "Hourly"},
			{ID: 808001, Filled: 3, Cap: Ptr(250), Type: "Monthly"},
		},
	}, *page.Items[0])

	g := page.Items[1]
	require.Equal(t, int64(1702), g.ID)
	require.Equal(t, "Overflow", g.Name)
	require.Equal(t, []int64{}, g.TargetIDs)
	require.Equal(t, []TargetGroupMember{}, g.Targets)
	require.Nil(t, g.ConcurrencyCap)
	require.Equal(t, 0, g.CallsInProgress)
	require.Equal(t, BehaviorDialSeparately, g.Behavior)
	require.Nil(t, g.Priority)
	require.Nil(t, g.Weight)
	require.Len(t, g.Caps, 4)
	require.Equal(t, Cap{ID: 808998, Type: "Hard"}, g.Caps[1])
}

func TestTargetGroupsAll(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		switch w.Query.Get("page") {
		case "1":
			resp := httpmock.NewStringResponse(200, fixture(t, "target_groups_list.json"))
			resp.Header.Set("Link", `<https://api.retreaver.com/target_groups.json?page=2>; rel="next"`)
			return resp, nil
		case "2":
			return httpmock.NewStringResponse(200, `[{"target_group":{"id":1800,"name":"Late"}}]`), nil
		}
		return httpmock.NewStringResponse(400, `{"error":"bad page"}`), nil
	})
	var names []string
	for g, err := range c.TargetGroups.All(context.Background(), nil) {
		require.NoError(t, err)
		names = append(names, g.Name)
	}
	require.Equal(t, []string{"test", "Late"}, names)
	reqs := rec.all()
	require.Len(t, reqs, 2)
	assertWire(t, reqs[0], "GET", "target_groups.json", url.Values{"page": {"1"}}, false)
	assertWire(t, reqs[1], "GET", "target_groups.json", url.Values{"page": {"2"}}, false)
}

func TestTargetGroupsGet(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "target_groups/1.json", 200, fixture(t, "target_group_get.json"))
	g, err := c.TargetGroups.Get(context.Background(), 1)
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "target_groups/1.json", nil, false)
	assertNoBody(t, got)
	require.Equal(t, referenceTargetGroup("test", nil, nil, 1, 2, 3), *g)
}

func TestTargetGroupMemberAcceptsWrappedTargets(t *testing.T) {
	var g TargetGroup
	require.NoError(t, json.Unmarshal([]byte(`{"targets":[{"target":{"id":4,"number":"+1","name":"A","priority":2,"weight":5}},{"id":5,"name":"B"},null]}`), &g))
	require.Equal(t, []TargetGroupMember{
		{ID: 4, Number: "+1", Name: "A", Priority: 2, Weight: 5},
		{ID: 5, Name: "B"},
		{},
	}, g.Targets)
}

func TestTargetGroupsCreate(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "target_groups.json", 201, fixture(t, "target_group_create.json"))
	g, err := c.TargetGroups.Create(context.Background(), &TargetGroupParams{
		TargetIDs: []int64{1, 2, 3}, Name: Ptr("test"), ConcurrencyCap: Ptr(5),
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "POST", "target_groups.json", nil, false)
	assertJSONBody(t, got, `{"target_group":{"target_ids": [1, 2, 3], "name":"test", "concurrency_cap": 5}}`)
	require.Equal(t, referenceTargetGroup("test", Ptr(5), nil, 1, 2, 3), *g)
}

func TestTargetGroupsCreateSendsEveryField(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "target_groups.json", 201, fixture(t, "target_group_create.json"))
	_, err := c.TargetGroups.Create(context.Background(), &TargetGroupParams{
		Name:           Ptr("Retreaver Team"),
		TargetIDs:      []int64{6588, 22592},
		ConcurrencyCap: Ptr(5),
		Behavior:       Ptr(BehaviorSimuldial),
		Priority:       Ptr(1),
		Weight:         Ptr(10),
		HardCap:        &CapParams{Cap: Ptr(100)},
		HourlyCap:      &CapParams{Cap: Ptr(0)},
		DailyCap:       &CapParams{Cap: Ptr(40)},
		MonthlyCap:     &CapParams{Cap: Ptr(250)},
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "POST", "target_groups.json", nil, false)
	assertJSONBody(t, got, `{"target_group":{
		"name":"Retreaver Team","target_ids":[6588,22592],"concurrency_cap":5,"behavior":2,"priority":1,"weight":10,
		"hard_cap_attributes":{"cap":100},"hourly_cap_attributes":{"cap":0},
		"daily_cap_attributes":{"cap":40},"monthly_cap_attributes":{"cap":250}}}`)
}

func TestTargetGroupsCreateMinimal(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "target_groups.json", 201, fixture(t, "target_group_create.json"))
	_, err := c.TargetGroups.Create(context.Background(), &TargetGroupParams{Name: Ptr("Overflow")})
	require.NoError(t, err)
	assertJSONBody(t, rec.only(t), `{"target_group":{"name":"Overflow"}}`)
}

func TestTargetGroupsUpdate(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "target_groups/1.json", 200, fixture(t, "target_group_update.json"))
	g, err := c.TargetGroups.Update(context.Background(), 1, &TargetGroupParams{Name: Ptr("hello")})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "target_groups/1.json", nil, false)
	assertJSONBody(t, got, `{"target_group":{"name":"hello"}}`)
	require.Equal(t, referenceTargetGroup("hello", Ptr(5), nil, 1, 2, 3), *g)
}

func TestTargetGroupsUpdateToSimuldial(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "target_groups/1639.json", 200, fixture(t, "target_group_update.json"))
	// Switching to simuldial on Update does not require priority and weight:
	// the group may already have them.
	_, err := c.TargetGroups.Update(context.Background(), 1639, &TargetGroupParams{
		Behavior: Ptr(BehaviorSimuldial), TargetIDs: []int64{}, ConcurrencyCap: Ptr(0),
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "target_groups/1639.json", nil, false)
	assertJSONBody(t, got, `{"target_group":{"behavior":2,"target_ids":[],"concurrency_cap":0}}`)
}

func TestTargetGroupParamsTargetIDs(t *testing.T) {
	b, err := json.Marshal(TargetGroupParams{Name: Ptr("x")})
	require.NoError(t, err)
	require.JSONEq(t, `{"name":"x"}`, string(b), "nil target ids are not sent")
	b, err = json.Marshal(&TargetGroupParams{TargetIDs: []int64{}})
	require.NoError(t, err)
	require.JSONEq(t, `{"target_ids":[]}`, string(b), "empty target ids empty the group")
}

func TestTargetGroupsDelete(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "DELETE", "target_groups/1.json", 204, ``)
	require.NoError(t, c.TargetGroups.Delete(context.Background(), 1))
	assertWire(t, rec.only(t), "DELETE", "target_groups/1.json", nil, false)
	assertNoBody(t, rec.only(t))
}

func TestTargetGroupsMembership(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name    string
		call    func(c *Client) (*TargetGroup, error)
		body    string // the reference's request body where it has one
		fixture string
		members []int64
	}{
		{"replace", func(c *Client) (*TargetGroup, error) {
			return c.TargetGroups.ReplaceTargets(ctx, 1, []int64{5, 6})
		}, `{"target_group":{"target_ids":[5,6]}}`, "target_group_replace_targets.json", []int64{5, 6}},
		{"add", func(c *Client) (*TargetGroup, error) {
			return c.TargetGroups.AddTargets(ctx, 1, []int64{4})
		}, `{"target_group":{"add_targets_by_id":[4]}}`, "target_group_add_targets.json", []int64{1, 2, 3, 4}},
		{"remove", func(c *Client) (*TargetGroup, error) {
			return c.TargetGroups.RemoveTargets(ctx, 1, []int64{1})
		}, `{"target_group":{"remove_targets_by_id":[1]}}`, "target_group_remove_targets.json", []int64{2, 3}},
		{"replace with empty", func(c *Client) (*TargetGroup, error) {
			return c.TargetGroups.ReplaceTargets(ctx, 1, []int64{})
		}, `{"target_group":{"target_ids":[]}}`, "target_group_replace_targets.json", []int64{5, 6}},
		{"replace with nil", func(c *Client) (*TargetGroup, error) {
			return c.TargetGroups.ReplaceTargets(ctx, 1, nil)
		}, `{"target_group":{"target_ids":[]}}`, "target_group_replace_targets.json", []int64{5, 6}},
		{"remove two", func(c *Client) (*TargetGroup, error) {
			return c.TargetGroups.RemoveTargets(ctx, 1, []int64{1, 2})
		}, `{"target_group":{"remove_targets_by_id":[1,2]}}`, "target_group_remove_targets.json", []int64{2, 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newTestClient(t)
			rec := stub(t, mt, "PUT", "target_groups/1.json", 200, fixture(t, tc.fixture))
			g, err := tc.call(c)
			require.NoError(t, err)
			got := rec.only(t)
			assertWire(t, got, "PUT", "target_groups/1.json", nil, false)
			assertJSONBody(t, got, tc.body)
			require.Equal(t, referenceTargetGroup("hello", Ptr(5), nil, tc.members...), *g)
		})
	}
}

func TestTargetGroupsSetCap(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "target_groups/1.json", 200, fixture(t, "target_group_caps.json"))
	g, err := c.TargetGroups.SetCap(context.Background(), 1, CapHard, 100)
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "target_groups/1.json", nil, false)
	assertJSONBody(t, got, `{"target_group":{"hard_cap_attributes":{"cap":100}}}`)
	require.Equal(t, referenceTargetGroup("test", nil, Ptr(100), 1, 2, 3), *g)
}

func TestTargetGroupsSetCapEveryType(t *testing.T) {
	for ct, key := range map[CapType]string{
		CapHard: "hard_cap_attributes", CapHourly: "hourly_cap_attributes",
		CapDaily: "daily_cap_attributes", CapMonthly: "monthly_cap_attributes",
	} {
		t.Run(string(ct), func(t *testing.T) {
			c, mt := newTestClient(t)
			rec := stub(t, mt, "PUT", "target_groups/1639.json", 200, fixture(t, "target_group_caps.json"))
			_, err := c.TargetGroups.SetCap(context.Background(), 1639, ct, 0)
			require.NoError(t, err)
			got := rec.only(t)
			assertWire(t, got, "PUT", "target_groups/1639.json", nil, false)
			assertJSONBody(t, got, `{"target_group":{"`+key+`":{"cap":0}}}`)
		})
	}
}

func TestTargetGroupsResetCap(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "target_groups/1639/reset_cap.json", 200, ``)
	require.NoError(t, c.TargetGroups.ResetCap(context.Background(), 1639))
	got := rec.only(t)
	assertWire(t, got, "POST", "target_groups/1639/reset_cap.json", nil, false)
	assertNoBody(t, got)
}

func TestTargetGroupBehaviorString(t *testing.T) {
	require.Equal(t, "dial separately", BehaviorDialSeparately.String())
	require.Equal(t, "simuldial", BehaviorSimuldial.String())
	require.Equal(t, "TargetGroupBehavior(3)", TargetGroupBehavior(3).String())
}

func TestTargetGroupsRejectBadInputBeforeSending(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()
	create := func(p TargetGroupParams) func() error {
		return func() error { _, err := c.TargetGroups.Create(ctx, &p); return err }
	}
	name := Ptr("G")
	cases := map[string]func() error{
		"create nil":                  func() error { _, err := c.TargetGroups.Create(ctx, nil); return err },
		"create without name":         create(TargetGroupParams{TargetIDs: []int64{1}}),
		"create blank name":           create(TargetGroupParams{Name: Ptr(" ")}),
		"create behavior 0":           create(TargetGroupParams{Name: name, Behavior: Ptr(TargetGroupBehavior(0))}),
		"create behavior 3":           create(TargetGroupParams{Name: name, Behavior: Ptr(TargetGroupBehavior(3))}),
		"simuldial without priority":  create(TargetGroupParams{Name: name, Behavior: Ptr(BehaviorSimuldial), Weight: Ptr(1)}),
		"simuldial without weight":    create(TargetGroupParams{Name: name, Behavior: Ptr(BehaviorSimuldial), Priority: Ptr(1)}),
		"create zero target id":       create(TargetGroupParams{Name: name, TargetIDs: []int64{3, 0}}),
		"create negative concurrency": create(TargetGroupParams{Name: name, ConcurrencyCap: Ptr(-1)}),
		"create negative weight":      create(TargetGroupParams{Name: name, Weight: Ptr(-1)}),
		"create hard cap without cap": create(TargetGroupParams{Name: name, HardCap: &CapParams{}}),
		"create negative daily cap":   create(TargetGroupParams{Name: name, DailyCap: &CapParams{Cap: Ptr(-5)}}),
		"get zero id":                 func() error { _, err := c.TargetGroups.Get(ctx, 0); return err },
		"update zero id":              func() error { _, err := c.TargetGroups.Update(ctx, 0, &TargetGroupParams{Name: name}); return err },
		"update nil params":           func() error { _, err := c.TargetGroups.Update(ctx, 1, nil); return err },
		"update empty name":           func() error { _, err := c.TargetGroups.Update(ctx, 1, &TargetGroupParams{Name: Ptr("")}); return err },
		"update behavior 7": func() error {
			_, err := c.TargetGroups.Update(ctx, 1, &TargetGroupParams{Behavior: Ptr(TargetGroupBehavior(7))})
			return err
		},
		"update negative target id": func() error {
			_, err := c.TargetGroups.Update(ctx, 1, &TargetGroupParams{TargetIDs: []int64{-1}})
			return err
		},
		"delete zero id":        func() error { return c.TargetGroups.Delete(ctx, 0) },
		"replace zero group":    func() error { _, err := c.TargetGroups.ReplaceTargets(ctx, 0, []int64{1}); return err },
		"replace zero target":   func() error { _, err := c.TargetGroups.ReplaceTargets(ctx, 1, []int64{0}); return err },
		"add nothing":           func() error { _, err := c.TargetGroups.AddTargets(ctx, 1, nil); return err },
		"add empty":             func() error { _, err := c.TargetGroups.AddTargets(ctx, 1, []int64{}); return err },
		"add negative target":   func() error { _, err := c.TargetGroups.AddTargets(ctx, 1, []int64{2, -3}); return err },
		"add zero group":        func() error { _, err := c.TargetGroups.AddTargets(ctx, 0, []int64{2}); return err },
		"remove nothing":        func() error { _, err := c.TargetGroups.RemoveTargets(ctx, 1, []int64{}); return err },
		"remove zero target":    func() error { _, err := c.TargetGroups.RemoveTargets(ctx, 1, []int64{0}); return err },
		"remove negative group": func() error { _, err := c.TargetGroups.RemoveTargets(ctx, -1, []int64{1}); return err },
		"set cap unknown type":  func() error { _, err := c.TargetGroups.SetCap(ctx, 1, CapType("Yearly"), 1); return err },
		"set cap negative":      func() error { _, err := c.TargetGroups.SetCap(ctx, 1, CapDaily, -1); return err },
		"set cap zero id":       func() error { _, err := c.TargetGroups.SetCap(ctx, 0, CapDaily, 1); return err },
		"reset cap zero id":     func() error { return c.TargetGroups.ResetCap(ctx, 0) },
		"list negative page": func() error {
			_, err := c.TargetGroups.List(ctx, &TargetGroupListOptions{ListOptions{Page: -1}})
			return err
		},
		"all negative page": func() error {
			for _, err := range c.TargetGroups.All(ctx, &TargetGroupListOptions{ListOptions{Page: -1}}) {
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
