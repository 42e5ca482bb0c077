package retreaver

import (
	"math"
	"time"
)

// The RTB inbounds that several test files share (rtb_inbounds_test.go,
// rtb_inbound_csv_test.go, exports_test.go): the reference's example row, and
// list options that must fail before any request.

// referenceRTBInbound is the reference's example row, as RTBInbound.
func referenceRTBInbound() *RTBInbound {
	at := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	return &RTBInbound{
		UUID:                  "8f0a2d13-9d3a-4b3e-9a7a-6b8e4b9d9a21",
		CallUUID:              "3d745a09-6e2b-4b8f-9e7d-9a2f6a9d9d21",
		PostbackKeyID:         456,
		AffiliateID:           789,
		CampaignID:            123,
		TargetID:              321,
		CallerNumber:          "+15551234567",
		Status:                RTBInboundClaimed,
		Revenue:               MustMoney("12.5"),
		Payout:                MustMoney("8.75"),
		DuplicateOrder:        0,
		DuplicateOriginalUUID: "", // the all-zero UUID
		CallerState:           "TX",
		CallerCity:            "Austin",
		CallerZip:             "78701",
		CallerCountry:         "US",
		CreatedAt:             at("2026-09-01T14:02:11Z"),
		ConfirmedAt:           Ptr(at("2026-09-01T14:02:12Z")),
		EndedAt:               Ptr(at("2026-09-01T14:05:41Z")),
		TimeToResolve:         1.2,
		FiredPixelsCount:      2,
		FiredPixelsErrorCount: 0,
		PBMTableVersion:       "7",
		PBMRuleID:             Ptr(int64(2)),
		PBMBucket:             Ptr(6231),
		PBMVariant:            "treatment",
		PBMOriginalPayout:     MustMoney("10.0"),
		PBMPercentOfRevenue:   Ptr(70.0),
	}
}

// invalidRTBInboundOptions are options that must fail before any request.
func invalidRTBInboundOptions() map[string]*RTBInboundListOptions {
	now := time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC)
	return map[string]*RTBInboundListOptions{
		"negative page":            {ListOptions: ListOptions{Page: -1}, CreatedAt: "last_7d"},
		"zero campaign id":         {CampaignIDs: []int64{1, 0}, CreatedAt: "last_7d"},
		"negative affiliate id":    {AffiliateIDs: []int64{-3}, CreatedAt: "last_7d"},
		"zero target id":           {TargetIDs: []int64{0}, CreatedAt: "last_7d"},
		"zero postback key id":     {PostbackKeyIDs: []int64{0}, CreatedAt: "last_7d"},
		"unknown status":           {Statuses: []string{"claimed", "reserved"}, CreatedAt: "last_7d"},
		"status in another case":   {Statuses: []string{"Claimed"}, CreatedAt: "last_7d"},
		"ping shield status":       {Statuses: []string{"ping-shield"}, CreatedAt: "last_7d"},
		"state not two letters":    {CallerState: "Texas", CreatedAt: "last_7d"},
		"country not letters":      {CallerCountry: "U1", CreatedAt: "last_7d"},
		"reversed revenue":         {Revenue: &Range{Min: 30, Max: 20}, CreatedAt: "last_7d"},
		"NaN payout":               {Payout: &Range{Min: 0, Max: math.NaN()}, CreatedAt: "last_7d"},
		"end before start":         {CreatedAtStart: now, CreatedAtEnd: now.Add(-time.Second)},
		"window over 2 months":     {CreatedAtStart: now, CreatedAtEnd: now.AddDate(0, 2, 0).Add(time.Second)},
		"relative and explicit":    {CreatedAt: "last_7d", CreatedAtStart: now},
		"relative and end":         {CreatedAt: "last_7d", CreatedAtEnd: now},
		"relative window spaces":   {CreatedAt: "last 7d"},
		"relative window blank":    {CreatedAt: " "},
		"relative window with amp": {CreatedAt: "last_7d&page=2"},
	}
}
