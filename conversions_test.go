package retreaver

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// The request bodies of the reference's "Adding a Conversion to a Target",
// "Updating a Conversion on a Target" and "Deleting a Conversion from a Target",
// copied from its HTTP Request sections.
const (
	refAddConversionBody    = `{"target":{"conversion_groups_attributes":[{"name":"50$ after 90s","conversion_type":"timer","conversions_attributes":[{"seconds":90,"revenue":50.0}]}]}}`
	refUpdateConversionBody = `{"target":{"conversion_groups_attributes":[{"id":256490,"name":"75$ after 90s","conversions_attributes":[{"id":263254,"revenue":75.0}]}]}}`
	refDeleteConversionBody = `{"target":{"conversion_groups_attributes":[{"id":256490,"_destroy":true}]}}`
)

// requireConversionTarget checks the target fields common to the three
// conversion examples.
func requireConversionTarget(t *testing.T, tg *Target) {
	t.Helper()
	require.NotNil(t, tg)
	require.Equal(t, int64(22592), tg.ID)
	require.Equal(t, "+18668987878", tg.Number)
	require.Equal(t, "Retreaver Support", tg.Name)
}

// referenceConversionGroup is the conversion group of the add and update examples, with
// the group's name and the conversion's revenue as given.
func referenceConversionGroup(name, revenue string) ConversionGroup {
	return ConversionGroup{
		ID:             256490,
		Name:           name,
		DedupeSeconds:  0,
		EvalOrder:      0,
		Postback:       false,
		ConversionType: ConversionTypeTimer,
		PostbackUUID:   "", // null
		TagValues:      []TagValue{},
		Conversions: []Conversion{{
			ID:              263254,
			Type:            "", // null
			Seconds:         90,
			Revenue:         MustMoney(revenue),
			Payout:          MustMoney("0.0"),
			PayoutModifier:  nil,
			PostbackTimeout: 600,
			MatchTrigger:    nil,
		}},
	}
}

func TestConversionGroupAdd(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "targets/22592.json", 200, fixture(t, "target_conversion_add.json"))
	tg, err := c.Targets.Update(context.Background(), 22592, &TargetParams{
		ConversionGroups: []ConversionGroupParams{{
			Name:           Ptr("50$ after 90s"),
			ConversionType: Ptr(ConversionTypeTimer),
			Conversions:    []ConversionParams{{Seconds: Ptr(90), Revenue: Ptr(MustMoney("50.0"))}},
		}},
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "targets/22592.json", nil, false)
	assertJSONBody(t, got, refAddConversionBody)
	require.Equal(t, refAddConversionBody, string(got.Body), "the reference's body, byte for byte (revenue as 50.0)")

	requireConversionTarget(t, tg)
	require.Equal(t, []ConversionGroup{referenceConversionGroup("50$ after 90s", "50.0")}, tg.ConversionGroups)
	conv := tg.ConversionGroups[0].Conversions[0]
	require.Equal(t, "50.0", conv.Revenue.String())
	require.Equal(t, "0.0", conv.Payout.String())
	require.False(t, conv.Payout.IsZero(), "0.0 is an amount, not an absent one")
	require.Nil(t, tg.TargetGroupIDs, "the example sends no target_group_ids")
}

func TestConversionGroupUpdate(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "targets/22592.json", 200, fixture(t, "target_conversion_update.json"))
	tg, err := c.Targets.Update(context.Background(), 22592, &TargetParams{
		ConversionGroups: []ConversionGroupParams{{
			ID:          Ptr(int64(256490)),
			Name:        Ptr("75$ after 90s"),
			Conversions: []ConversionParams{{ID: Ptr(int64(263254)), Revenue: Ptr(MustMoney("75.0"))}},
		}},
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "targets/22592.json", nil, false)
	assertJSONBody(t, got, refUpdateConversionBody)
	require.Equal(t, refUpdateConversionBody, string(got.Body))

	requireConversionTarget(t, tg)
	require.Equal(t, []ConversionGroup{referenceConversionGroup("75$ after 90s", "75.0")}, tg.ConversionGroups)
	require.Equal(t, "75.0", tg.ConversionGroups[0].Conversions[0].Revenue.String())
}

func TestConversionGroupDelete(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "targets/22592.json", 200, fixture(t, "target_conversion_delete.json"))
	tg, err := c.Targets.Update(context.Background(), 22592, &TargetParams{
		ConversionGroups: []ConversionGroupParams{{ID: Ptr(int64(256490)), Destroy: true}},
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "targets/22592.json", nil, false)
	assertJSONBody(t, got, refDeleteConversionBody)
	require.Equal(t, refDeleteConversionBody, string(got.Body))

	requireConversionTarget(t, tg)
	require.NotNil(t, tg.ConversionGroups)
	require.Empty(t, tg.ConversionGroups)
}

func TestConversionGroupsByTIDAndOnCreate(t *testing.T) {
	c, mt := newTestClient(t)
	byTID := stub(t, mt, "PUT", "targets/tid/desk-1.json", 200, fixture(t, "target_conversion_delete.json"))
	create := stub(t, mt, "POST", "targets.json", 201, fixture(t, "target_create.json"))
	_, err := c.Targets.UpdateByTID(context.Background(), "desk-1", &TargetParams{
		ConversionGroups: []ConversionGroupParams{{ID: Ptr(int64(256490)), Destroy: true}},
	})
	require.NoError(t, err)
	assertWire(t, byTID.only(t), "PUT", "targets/tid/desk-1.json", nil, false)
	assertJSONBody(t, byTID.only(t), refDeleteConversionBody)

	_, err = c.Targets.Create(context.Background(), &TargetParams{
		Number: Ptr("+18668987878"),
		ConversionGroups: []ConversionGroupParams{{
			ConversionType: Ptr(ConversionTypeTimer),
			DedupeSeconds:  Ptr(-1),
			Conversions:    []ConversionParams{{}},
		}},
	})
	require.NoError(t, err)
	assertJSONBody(t, create.only(t), `{"target":{"number":"+18668987878","conversion_groups_attributes":[
		{"conversion_type":"timer","dedupe_seconds":-1,"conversions_attributes":[{}]}]}}`)
}

func TestConversionGroupDedupeSecondsSendsEveryDocumentedValue(t *testing.T) {
	require.Len(t, DedupeSecondsValues, 24, "the reference lists 24 values")
	for _, v := range DedupeSecondsValues {
		c, mt := newTestClient(t)
		rec := stub(t, mt, "PUT", "targets/22592.json", 200, fixture(t, "target_conversion_update.json"))
		_, err := c.Targets.Update(context.Background(), 22592, &TargetParams{
			ConversionGroups: []ConversionGroupParams{{ID: Ptr(int64(256490)), DedupeSeconds: Ptr(v)}},
		})
		require.NoError(t, err, "dedupe_seconds %d", v)
		assertJSONBody(t, rec.only(t), `{"target":{"conversion_groups_attributes":[{"id":256490,"dedupe_seconds":`+strconv.Itoa(v)+`}]}}`)
	}
}

func TestConversionGroupsRejectBadInputBeforeSending(t *testing.T) {
	timer := Ptr(ConversionTypeTimer)
	one := []ConversionParams{{Seconds: Ptr(90)}}
	groups := map[string]ConversionGroupParams{
		"new group without conversion type": {Conversions: one},
		"new group without conversions":     {ConversionType: timer},
		"new group with empty conversions":  {ConversionType: timer, Conversions: []ConversionParams{}},
		"type postback":                     {ConversionType: Ptr("postback"), Conversions: one},
		"type Timer":                        {ConversionType: Ptr("Timer"), Conversions: one},
		"empty type":                        {ConversionType: Ptr(""), Conversions: one},
		"type on an existing group":         {ID: Ptr(int64(7)), ConversionType: Ptr("tag")},
		"dedupe 60":                         {ConversionType: timer, Conversions: one, DedupeSeconds: Ptr(60)},
		"dedupe 1800":                       {ConversionType: timer, Conversions: one, DedupeSeconds: Ptr(1800)},
		"dedupe 86401":                      {ConversionType: timer, Conversions: one, DedupeSeconds: Ptr(86401)},
		"dedupe -2":                         {ID: Ptr(int64(7)), DedupeSeconds: Ptr(-2)},
		"dedupe 1800 on an existing group":  {ID: Ptr(int64(7)), DedupeSeconds: Ptr(1800)},
		"destroy without id":                {Destroy: true},
		"destroy without id but a type":     {Destroy: true, ConversionType: timer, Conversions: one},
		"group id 0":                        {ID: Ptr(int64(0)), Name: Ptr("x")},
		"group id -1":                       {ID: Ptr(int64(-1)), Name: Ptr("x")},
		"destroy group id 0":                {ID: Ptr(int64(0)), Destroy: true},
		"destroy with a name":               {ID: Ptr(int64(7)), Destroy: true, Name: Ptr("x")},
		"destroy with a type":               {ID: Ptr(int64(7)), Destroy: true, ConversionType: timer},
		"destroy with dedupe 60":            {ID: Ptr(int64(7)), Destroy: true, DedupeSeconds: Ptr(60)},
		"destroy with conversions":          {ID: Ptr(int64(7)), Destroy: true, Conversions: []ConversionParams{{ID: Ptr(int64(-1))}}},
		"conversion id in a new group":      {ConversionType: timer, Conversions: []ConversionParams{{ID: Ptr(int64(263254)), Revenue: Ptr(MustMoney("75.0"))}}},
		"conversion id 0":                   {ID: Ptr(int64(7)), Conversions: []ConversionParams{{ID: Ptr(int64(0))}}},
		"conversion id -1":                  {ID: Ptr(int64(7)), Conversions: []ConversionParams{{ID: Ptr(int64(-1))}}},
		"negative seconds":                  {ConversionType: timer, Conversions: []ConversionParams{{Seconds: Ptr(-1)}}},
		"empty revenue":                     {ConversionType: timer, Conversions: []ConversionParams{{Revenue: &Money{}}}},
		"blank name":                        {ID: Ptr(int64(7)), Name: Ptr(" ")},
	}
	ctx := context.Background()
	for name, g := range groups {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			p := &TargetParams{ConversionGroups: []ConversionGroupParams{g}}
			_, err := c.Targets.Update(ctx, 22592, p)
			require.ErrorIs(t, err, ErrInvalidArgument)
			_, err = c.Targets.UpdateByTID(ctx, "desk-1", p)
			require.ErrorIs(t, err, ErrInvalidArgument)
			_, err = c.Targets.Create(ctx, &TargetParams{Number: Ptr("+18668987878"), ConversionGroups: p.ConversionGroups})
			require.ErrorIs(t, err, ErrInvalidArgument)
			// A bad group after a good one is caught as well.
			ok := ConversionGroupParams{ID: Ptr(int64(3)), Name: Ptr("fine")}
			_, err = c.Targets.Update(ctx, 22592, &TargetParams{ConversionGroups: []ConversionGroupParams{ok, g}})
			require.ErrorIs(t, err, ErrInvalidArgument)
			noRequests(t, mt)
		})
	}
}
