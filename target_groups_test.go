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

// requireRetreaverTeam checks target_group_documented.json (group 1639).
func requireRetreaverTeam(t *testing.T, g *TargetGroup) {
	t.Helper()
	require.NotNil(t, g)
	require.Equal(t, int64(1639), g.ID)
	require.Equal(t, "Retreaver Team", g.Name)
	require.Equal(t, []int64{6588, 22592}, g.TargetIDs)
	require.Equal(t, []TargetGroupMember{
		{ID: 6588, Number: "+18668987878", Name: "Jason Cell", Priority: 1, Weight: 1},
		{ID: 22592, Number: "+12263399112", Name: "Retreaver Support", Priority: 2, Weight: 3},
	}, g.Targets)
	require.Equal(t, Ptr(5), g.ConcurrencyCap)
	require.Equal(t, 1, g.CallsInProgress)
	require.Equal(t, BehaviorSimuldial, g.Behavior)
	require.Equal(t, Ptr(1), g.Priority)
	require.Equal(t, Ptr(10), g.Weight)
	require.Equal(t, []Cap{
		{ID: 808000, Filled: 0, Cap: nil, Type: "Daily"},
		{ID: 807998, Filled: 12, Cap: Ptr(100), Type: "Hard"},
		{ID: 807999, Filled: 0, Cap: nil, Type: "Hourly"},
		{ID: 808001, Filled: 3, Cap: Ptr(250), Type: "Monthly"},
	}, g.Caps)
}

func TestTargetGroupsList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "target_groups.json", 200, fixture(t, "target_groups_list_documented.json"))
	page, err := c.TargetGroups.List(context.Background(), &TargetGroupListOptions{ListOptions{Page: 1}})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "target_groups.json", url.Values{"page": {"1"}}, false)
	assertNoBody(t, got)
	require.False(t, page.HasNext())
	require.Len(t, page.Items, 2)
	requireRetreaverTeam(t, page.Items[0])

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
			resp := httpmock.NewStringResponse(200, fixture(t, "target_groups_list_documented.json"))
			resp.Header.Set("Link", `<https://retreaver.com/target_groups.json?page=2>; rel="next"`)
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
	require.Equal(t, []string{"Retreaver Team", "Overflow", "Late"}, names)
	reqs := rec.all()
	require.Len(t, reqs, 2)
	assertWire(t, reqs[0], "GET", "target_groups.json", url.Values{"page": {"1"}}, false)
	assertWire(t, reqs[1], "GET", "target_groups.json", url.Values{"page": {"2"}}, false)
}

func TestTargetGroupsGet(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "target_groups/1639.json", 200, fixture(t, "target_group_documented.json"))
	g, err := c.TargetGroups.Get(context.Background(), 1639)
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "target_groups/1639.json", nil, false)
	assertNoBody(t, got)
	requireRetreaverTeam(t, g)
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
	rec := stub(t, mt, "POST", "target_groups.json", 201, fixture(t, "target_group_documented.json"))
	g, err := c.TargetGroups.Create(context.Background(), &TargetGroupParams{
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
	requireRetreaverTeam(t, g)
}

func TestTargetGroupsCreateMinimal(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "target_groups.json", 201, fixture(t, "target_group_documented.json"))
	_, err := c.TargetGroups.Create(context.Background(), &TargetGroupParams{Name: Ptr("Overflow")})
	require.NoError(t, err)
	assertJSONBody(t, rec.only(t), `{"target_group":{"name":"Overflow"}}`)
}

func TestTargetGroupsUpdate(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "target_groups/1639.json", 200, fixture(t, "target_group_documented.json"))
	// Switching to simuldial on Update does not require priority and weight:
	// the group may already have them.
	g, err := c.TargetGroups.Update(context.Background(), 1639, &TargetGroupParams{
		Behavior: Ptr(BehaviorSimuldial), TargetIDs: []int64{}, ConcurrencyCap: Ptr(0),
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "target_groups/1639.json", nil, false)
	assertJSONBody(t, got, `{"target_group":{"behavior":2,"target_ids":[],"concurrency_cap":0}}`)
	requireRetreaverTeam(t, g)
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
	rec := stub(t, mt, "DELETE", "target_groups/1639.json", 204, ``)
	require.NoError(t, c.TargetGroups.Delete(context.Background(), 1639))
	assertWire(t, rec.only(t), "DELETE", "target_groups/1639.json", nil, false)
	assertNoBody(t, rec.only(t))
}

func TestTargetGroupsMembership(t *testing.T) {
	cases := []struct {
		name string
		call func(c *Client) (*TargetGroup, error)
		body string
	}{
		{"replace", func(c *Client) (*TargetGroup, error) {
			return c.TargetGroups.ReplaceTargets(context.Background(), 1639, []int64{5, 6})
		}, `{"target_group":{"target_ids":[5,6]}}`},
		{"replace with empty", func(c *Client) (*TargetGroup, error) {
			return c.TargetGroups.ReplaceTargets(context.Background(), 1639, []int64{})
		}, `{"target_group":{"target_ids":[]}}`},
		{"replace with nil", func(c *Client) (*TargetGroup, error) {
			return c.TargetGroups.ReplaceTargets(context.Background(), 1639, nil)
		}, `{"target_group":{"target_ids":[]}}`},
		{"add", func(c *Client) (*TargetGroup, error) {
			return c.TargetGroups.AddTargets(context.Background(), 1639, []int64{4})
		}, `{"target_group":{"add_targets_by_id":[4]}}`},
		{"remove", func(c *Client) (*TargetGroup, error) {
			return c.TargetGroups.RemoveTargets(context.Background(), 1639, []int64{1, 2})
		}, `{"target_group":{"remove_targets_by_id":[1,2]}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newTestClient(t)
			rec := stub(t, mt, "PUT", "target_groups/1639.json", 200, fixture(t, "target_group_documented.json"))
			g, err := tc.call(c)
			require.NoError(t, err)
			got := rec.only(t)
			assertWire(t, got, "PUT", "target_groups/1639.json", nil, false)
			assertJSONBody(t, got, tc.body)
			requireRetreaverTeam(t, g)
		})
	}
}

func TestTargetGroupsSetCap(t *testing.T) {
	for ct, key := range map[CapType]string{
		CapHard: "hard_cap_attributes", CapHourly: "hourly_cap_attributes",
		CapDaily: "daily_cap_attributes", CapMonthly: "monthly_cap_attributes",
	} {
		t.Run(string(ct), func(t *testing.T) {
			c, mt := newTestClient(t)
			rec := stub(t, mt, "PUT", "target_groups/1639.json", 200, fixture(t, "target_group_documented.json"))
			g, err := c.TargetGroups.SetCap(context.Background(), 1639, ct, 100)
			require.NoError(t, err)
			got := rec.only(t)
			assertWire(t, got, "PUT", "target_groups/1639.json", nil, false)
			assertJSONBody(t, got, `{"target_group":{"`+key+`":{"cap":100}}}`)
			requireRetreaverTeam(t, g)
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
