package retreaver

import (
	"slices"
	"strings"
)

// ConversionGroup is a target's conversion settings as the API reports them
// (Target.ConversionGroups): when a call to the target converts, and the
// revenue it then earns.
//
// The reference advises against more than one group per target: a call only
// ever converts through one group, the groups are evaluated in ascending
// EvalOrder, and the first whose tags match the call wins, which is hard to
// foresee.
type ConversionGroup struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// DedupeSeconds keeps a repeat caller from converting again within this many
	// seconds of their previous call; 0: no deduplication, -1: forever.
	DedupeSeconds int `json:"dedupe_seconds"`
	// EvalOrder orders the groups of a target: the lowest is evaluated first.
	EvalOrder      int    `json:"eval_order"`
	Postback       bool   `json:"postback"`
	ConversionType string `json:"conversion_type"` // ConversionTypeTimer
	PostbackUUID   string `json:"postback_uuid"`
	// TagValues are the tags a call must match for the group to apply.
	TagValues   []TagValue   `json:"tag_values"`
	Conversions []Conversion `json:"conversions"`
}

// Conversion is one conversion of a [ConversionGroup].
type Conversion struct {
	ID   int64  `json:"id"`
	Type string `json:"type"` // "" when the API sends null
	// Seconds is how long a call must last to convert (timer conversions).
	Seconds int `json:"seconds"`
	// Revenue and Payout are what a converted call earns and pays.
	Revenue         Money   `json:"revenue"`
	Payout          Money   `json:"payout"`
	PayoutModifier  *string `json:"payout_modifier"`
	PostbackTimeout int     `json:"postback_timeout"` // seconds
	MatchTrigger    *string `json:"match_trigger"`
}

// ConversionTypeTimer is the conversion type the reference documents: a call
// converts once it has lasted the conversion's Seconds.
const ConversionTypeTimer = "timer"

// DedupeSecondsValues are the values ConversionGroupParams.DedupeSeconds may
// take: 0 (no deduplication), 1 hour, 2, 6, 12 and 24 hours, 2, 3 and 4 days, 1
// week, 30 to 330 days in steps of 30 (60, 90, 120, ... days), 1 year, 1 decade
// and -1 (forever).
var DedupeSecondsValues = []int{
	0, 3600, 7200, 21600, 43200, 86400, 172800, 259200, 345600, 604800,
	2592000, 5184000, 7776000, 10368000, 12960000, 15552000, 18144000, 20736000,
	23328000, 25920000, 28512000, 31556952, 315569520, -1,
}

// ConversionGroupParams adds, changes or removes a conversion group of a target
// (TargetParams.ConversionGroups, sent as conversion_groups_attributes).
//
//   - Without ID, a new group is created: ConversionType and at least one
//     conversion are required.
//   - With ID, the group with that ID is changed; only the fields set are sent.
//     To change one of its conversions, give the conversion's ID too: a
//     conversion without one is added to the group instead.
//   - With ID and Destroy, the whole group is removed; no other field may be
//     set. The reference asks to always remove whole groups, never single
//     conversions.
//
// A conversion with an ID in a group without one is refused: the reference
// warns that the API then creates a new group instead of changing the
// conversion.
//
// The reference advises against more than one group per target (see
// [ConversionGroup]).
type ConversionGroupParams struct {
	// ID names the existing group to change or remove (from Target.ConversionGroups).
	ID *int64 `json:"id,omitempty"`
	// Name labels the group (default "Default Conversion Settings").
	Name *string `json:"name,omitempty"`
	// ConversionType is ConversionTypeTimer. Required on a new group.
	ConversionType *string `json:"conversion_type,omitempty"`
	// DedupeSeconds (default 0, no deduplication) must be one of
	// DedupeSecondsValues.
	DedupeSeconds *int `json:"dedupe_seconds,omitempty"`
	// Conversions are sent as conversions_attributes.
	Conversions []ConversionParams `json:"conversions_attributes,omitempty"`
	// Destroy, with ID and nothing else, removes the group (sent as
	// "_destroy": true).
	Destroy bool `json:"_destroy,omitempty"`
}

// ConversionParams adds or changes one conversion of a group (nested in
// ConversionGroupParams.Conversions, sent as conversions_attributes).
type ConversionParams struct {
	// ID names the existing conversion to change (the group's ID must be given
	// too); without it one is added.
	ID *int64 `json:"id,omitempty"`
	// Seconds (default 90) a call must last to convert.
	Seconds *int `json:"seconds,omitempty"`
	// Revenue (default 0) earned by a converted call.
	Revenue *Money `json:"revenue,omitempty"`
}

func (p *ConversionGroupParams) validate(i int) error {
	if p.ID != nil && *p.ID <= 0 {
		return invalidArg("conversion group %d: id must be positive, got %d", i, *p.ID)
	}
	if p.Destroy {
		if p.ID == nil {
			return invalidArg("conversion group %d: removing a group (Destroy) needs its id", i)
		}
		if p.Name != nil || p.ConversionType != nil || p.DedupeSeconds != nil || p.Conversions != nil {
			return invalidArg("conversion group %d: removing a group (Destroy) takes its id alone", i)
		}
		return nil
	}
	if p.ID == nil {
		if p.ConversionType == nil {
			return invalidArg("conversion group %d: a new group needs a conversion type (%q)", i, ConversionTypeTimer)
		}
		if len(p.Conversions) == 0 {
			return invalidArg("conversion group %d: a new group needs at least one conversion", i)
		}
		for j, c := range p.Conversions {
			if c.ID != nil {
				return invalidArg("conversion group %d, conversion %d: a new group's conversions cannot have ids: "+
					"to change conversion %d, give its group's id too", i, j, *c.ID)
			}
		}
	}
	if p.ConversionType != nil && *p.ConversionType != ConversionTypeTimer {
		return invalidArg("conversion group %d: conversion type must be %q, got %q", i, ConversionTypeTimer, *p.ConversionType)
	}
	if p.Name != nil && strings.TrimSpace(*p.Name) == "" {
		return invalidArg("conversion group %d: name must not be empty", i)
	}
	if p.DedupeSeconds != nil && !slices.Contains(DedupeSecondsValues, *p.DedupeSeconds) {
		return invalidArg("conversion group %d: dedupe seconds %d is not one of the allowed values (see DedupeSecondsValues)", i, *p.DedupeSeconds)
	}
	for j, c := range p.Conversions {
		switch {
		case c.ID != nil && *c.ID <= 0:
			return invalidArg("conversion group %d, conversion %d: id must be positive, got %d", i, j, *c.ID)
		case c.Seconds != nil && *c.Seconds < 0:
			return invalidArg("conversion group %d, conversion %d: seconds must not be negative, got %d", i, j, *c.Seconds)
		case c.Revenue != nil && c.Revenue.IsZero():
			return invalidArg("conversion group %d, conversion %d: revenue is set but empty", i, j)
		}
	}
	return nil
}
