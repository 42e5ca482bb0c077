package retreavertest

import (
	"slices"
)

// conversionGroup is a target's conversion settings: when a call to the
// target converts, and what it earns.
type conversionGroup struct {
	id             int64
	name           string
	dedupeSeconds  int
	evalOrder      int
	conversionType string
	conversions    []*conversion
}

// conversion is one conversion of a group. Type, payout_modifier and
// match_trigger are always null, postback_timeout always 600: the reference
// documents no way to set them.
type conversion struct {
	id      int64
	seconds int
	revenue cents
	payout  cents
}

type conversionView struct {
	ID              int64    `json:"id"`
	Type            *string  `json:"type"`
	Seconds         int      `json:"seconds"`
	Revenue         moneyNum `json:"revenue"`
	Payout          moneyNum `json:"payout"`
	PayoutModifier  *string  `json:"payout_modifier"`
	PostbackTimeout int      `json:"postback_timeout"`
	MatchTrigger    *string  `json:"match_trigger"`
}

type conversionGroupView struct {
	ID             int64            `json:"id"`
	Name           string           `json:"name"`
	DedupeSeconds  int              `json:"dedupe_seconds"`
	EvalOrder      int              `json:"eval_order"`
	Postback       bool             `json:"postback"`
	ConversionType string           `json:"conversion_type"`
	PostbackUUID   *string          `json:"postback_uuid"`
	TagValues      []tagValue       `json:"tag_values"`
	Conversions    []conversionView `json:"conversions"`
}

// targetDetailView is a target as its get and update answers show it: with
// its conversion groups.
type targetDetailView struct {
	targetView
	ConversionGroups []conversionGroupView `json:"conversion_groups"`
}

func renderConversionGroups(groups []*conversionGroup) []conversionGroupView {
	out := make([]conversionGroupView, 0, len(groups))
	for _, g := range groups {
		convs := make([]conversionView, 0, len(g.conversions))
		for _, c := range g.conversions {
			convs = append(convs, conversionView{ID: c.id, Seconds: c.seconds, Revenue: moneyNum(c.revenue),
				Payout: moneyNum(c.payout), PostbackTimeout: 600})
		}
		out = append(out, conversionGroupView{ID: g.id, Name: g.name, DedupeSeconds: g.dedupeSeconds,
			EvalOrder: g.evalOrder, ConversionType: g.conversionType, TagValues: []tagValue{}, Conversions: convs})
	}
	return out
}

func cloneConversionGroups(groups []*conversionGroup) []*conversionGroup {
	out := make([]*conversionGroup, len(groups))
	for i, g := range groups {
		cp := *g
		cp.conversions = make([]*conversion, len(g.conversions))
		for j, c := range g.conversions {
			cc := *c
			cp.conversions[j] = &cc
		}
		out[i] = &cp
	}
	return out
}

// dedupeSecondsValues are the dedupe_seconds values the reference allows.
var dedupeSecondsValues = []int{
	0, 3600, 7200, 21600, 43200, 86400, 172800, 259200, 345600, 604800,
	2592000, 5184000, 7776000, 10368000, 12960000, 15552000, 18144000, 20736000,
	23328000, 25920000, 28512000, 31556952, 315569520, -1,
}

// applyConversionGroups handles conversion_groups_attributes like Rails
// nested attributes: an entry without id creates a group (conversion_type
// and conversions_attributes required), an entry with id changes that group
// (only the fields given) or, with _destroy, removes it. Nested
// conversions_attributes work alike: with id they change that conversion,
// without id they add one. An id the target does not have is a validation
// error. Failures are recorded in a.
func applyConversionGroups(rc *reqCtx, groups *[]*conversionGroup, a *attrs) {
	list, ok := a.list("conversion_groups_attributes")
	if !ok {
		return
	}
	for _, e := range list {
		if e.has("id") {
			var id int
			if !e.int("id", &id) {
				continue // recorded
			}
			i := slices.IndexFunc(*groups, func(g *conversionGroup) bool { return g.id == int64(id) })
			switch {
			case i < 0:
				e.fail("id", "does not exist")
			case e.destroy():
				*groups = slices.Delete(*groups, i, i+1)
			default:
				applyConversionGroup(rc, (*groups)[i], e)
			}
			continue
		}
		if e.destroy() {
			continue // a new group marked for removal is not created
		}
		g := &conversionGroup{name: "Default Conversion Settings"}
		for _, o := range *groups {
			g.evalOrder = max(g.evalOrder, o.evalOrder+1)
		}
		if convs, _ := e.list("conversions_attributes"); len(convs) == 0 {
			e.fail("conversions", "can't be blank")
		}
		applyConversionGroup(rc, g, e)
		g.id = rc.st.nextID("conversion_group")
		*groups = append(*groups, g)
	}
}

// applyConversionGroup applies the fields of one entry to g.
func applyConversionGroup(rc *reqCtx, g *conversionGroup, e *attrs) {
	if e.str("name", &g.name) && g.name == "" {
		e.fail("name", "can't be blank")
	}
	e.str("conversion_type", &g.conversionType)
	switch g.conversionType {
	case "timer":
	case "":
		e.fail("conversion_type", "can't be blank")
	default:
		e.fail("conversion_type", "is not included in the list")
	}
	if e.int("dedupe_seconds", &g.dedupeSeconds) && !slices.Contains(dedupeSecondsValues, g.dedupeSeconds) {
		e.fail("dedupe_seconds", "is not included in the list")
	}
	convs, _ := e.list("conversions_attributes")
	for _, ce := range convs {
		var c *conversion
		var id int
		if ce.int("id", &id) {
			i := slices.IndexFunc(g.conversions, func(c *conversion) bool { return c.id == int64(id) })
			if i < 0 {
				ce.fail("id", "does not exist")
				continue
			}
			c = g.conversions[i]
		} else {
			c = &conversion{id: rc.st.nextID("conversion"), seconds: 90}
			g.conversions = append(g.conversions, c)
		}
		if ce.int("seconds", &c.seconds) && c.seconds < 0 {
			ce.fail("seconds", "must be greater than or equal to 0")
		}
		ce.money("revenue", &c.revenue)
	}
}

// money sets *dst when k is present: a decimal amount with at most two
// decimals, as a number (50.0) or a string ("50.00"); null is 0.
func (a *attrs) money(k string, dst *cents) bool {
	var s string
	if !a.str(k, &s) {
		return false
	}
	c, err := parseAmount(k, s)
	if err != nil {
		a.fail(k, "is not a number")
		return false
	}
	*dst = 0
	if c != nil {
		*dst = *c
	}
	return true
}
