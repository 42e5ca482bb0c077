package retreavertest

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"time"
)

// reportFacets are the facets api/v1/reports.json knows.
var reportFacets = []string{"publisher", "buyer", "campaign", "number", "daily", "tag_value", "state"}

// maxReportSpan is the longest created_at range a report accepts.
const maxReportSpan = 730 * 24 * time.Hour

type reportRow struct {
	ID                       any       `json:"id"`
	FacetName                string    `json:"facet_name"`
	TotalCalls               int       `json:"total_calls"`
	RepeatCount              rubyFloat `json:"repeat_count"`
	DuplicateCount           rubyFloat `json:"duplicate_count"`
	UniqueCalls              rubyFloat `json:"unique_calls"`
	ConvertedCount           rubyFloat `json:"converted_count"`
	Revenue                  rubyFloat `json:"revenue"`
	Payout                   rubyFloat `json:"payout"`
	Cost                     rubyFloat `json:"cost"`
	TotalDuration            rubyFloat `json:"total_duration"`
	TotalDurationPercent     rubyFloat `json:"total_duration_percent"`
	RescuedCount             rubyFloat `json:"rescued_count"`
	RescuedRevenue           rubyFloat `json:"rescued_revenue"`
	ConnectedDuration        rubyFloat `json:"connected_duration"`
	ConnectedDurationPercent rubyFloat `json:"connected_duration_percent"`
	InProgressCount          rubyFloat `json:"in_progress_count"`
	Profit                   rubyFloat `json:"profit"`
	RepeatCountPercent       rubyFloat `json:"repeat_count_percent"`
	DuplicateCountPercent    rubyFloat `json:"duplicate_count_percent"`
	ConvertedCountPercent    rubyFloat `json:"converted_count_percent"`
	RescuedCountPercent      rubyFloat `json:"rescued_count_percent"`
	EPC                      rubyFloat `json:"epc"`
	CPC                      rubyFloat `json:"cpc"`
}

// bucket accumulates the calls of one report row.
type bucket struct {
	id                                       any
	name                                     string
	calls, repeats, dups, converted, rescued int
	inProgress                               int
	revenue, payout, cost, rescuedRevenue    cents
	duration, connectedDuration              int
}

func (b *bucket) add(c *call) {
	b.calls++
	if c.repeat {
		b.repeats++
	}
	if c.duplicate {
		b.dups++
	}
	if c.converted {
		b.converted++
	}
	if c.rescued {
		b.rescued++
		b.rescuedRevenue += valueOr(c.revenue)
	}
	if c.inProgress() {
		b.inProgress++
	}
	b.revenue += valueOr(c.revenue)
	b.payout += valueOr(c.payout)
	b.cost += c.chargeTotal
	b.duration += c.totalDuration
	if c.connected {
		b.connectedDuration += c.dialedCallDuration
	}
}

func pct(part, whole float64) rubyFloat {
	if whole == 0 {
		return 0
	}
	return rubyFloat(round2(part / whole * 100))
}

func (b *bucket) row(allDuration int) reportRow {
	n := float64(b.calls)
	money := func(c cents) rubyFloat { return rubyFloat(float64(c) / 100) }
	per := func(c cents) rubyFloat {
		if b.calls == 0 {
			return 0
		}
		return rubyFloat(round2(float64(c) / 100 / n))
	}
	return reportRow{
		ID: b.id, FacetName: b.name, TotalCalls: b.calls,
		RepeatCount: rubyFloat(b.repeats), DuplicateCount: rubyFloat(b.dups), UniqueCalls: rubyFloat(b.calls - b.repeats),
		ConvertedCount: rubyFloat(b.converted), Revenue: money(b.revenue), Payout: money(b.payout), Cost: money(b.cost),
		TotalDuration: rubyFloat(b.duration), TotalDurationPercent: pct(float64(b.duration), float64(allDuration)),
		RescuedCount: rubyFloat(b.rescued), RescuedRevenue: money(b.rescuedRevenue),
		ConnectedDuration:        rubyFloat(b.connectedDuration),
		ConnectedDurationPercent: pct(float64(b.connectedDuration), float64(b.duration)),
		InProgressCount:          rubyFloat(b.inProgress), Profit: money(b.revenue - b.payout - b.cost),
		RepeatCountPercent: pct(float64(b.repeats), n), DuplicateCountPercent: pct(float64(b.dups), n),
		ConvertedCountPercent: pct(float64(b.converted), n), RescuedCountPercent: pct(float64(b.rescued), n),
		EPC: per(b.revenue), CPC: per(b.payout),
	}
}

// facetKeys returns the row keys (and their ids and names) a call counts for.
// Calls without a value for the facet (no affiliate, no target...) count for none.
func facetKeys(co *company, c *call, facet, tagKey string) []bucket {
	one := func(id any, name string) []bucket { return []bucket{{id: id, name: name}} }
	switch facet {
	case "publisher":
		if c.afid != nil {
			return one(*c.afid, deref(c.affiliateName))
		}
	case "buyer":
		if c.targetID != nil {
			return one(*c.targetID, deref(c.targetName))
		}
	case "campaign":
		if c.cid != nil {
			return one(*c.cid, deref(c.campaignName))
		}
	case "number":
		if c.numberID != nil {
			return one(*c.numberID, c.number)
		}
		return one(c.number, c.number)
	case "daily":
		d := c.createdAt.UTC().Format("2006-01-02")
		return one(d, d)
	case "state":
		if c.callerState != nil {
			return one(*c.callerState, *c.callerState)
		}
	case "tag_value":
		if tagKey != "" {
			if v, ok := c.tags[tagKey]; ok && co.tagKeys[tagKey] {
				return one(v, v)
			}
			return nil
		}
		var out []bucket
		for k := range c.tags {
			if co.tagKeys[k] {
				out = append(out, bucket{id: k, name: k})
			}
		}
		return out
	}
	return nil
}

func parseReportDate(rc *reqCtx, key string) (time.Time, error) {
	raw := rc.q.Get(key)
	if raw == "" {
		return time.Time{}, errUnprocessable(key + " is required")
	}
	t, err := time.Parse("2006-01-02", raw)
	if err != nil {
		return time.Time{}, errBadRequest(key + " must be a date such as 2024-10-25")
	}
	return t, nil
}

// report serves GET api/v1/reports.json: rows computed from the stored calls
// created between created_at_start and created_at_end (whole UTC days, both
// inclusive). Rows are ordered by total_calls (descending), daily rows by date.
func report(rc *reqCtx) (int, any, error) {
	switch d := rc.q.Get("domain"); {
	case d == "":
		return 0, nil, errUnprocessable("domain is required")
	case d != "calls":
		return 0, nil, errUnprocessable("domain must be calls")
	}
	facet := rc.q.Get("facet")
	if facet == "" {
		return 0, nil, errUnprocessable("facet is required")
	}
	if !slices.Contains(reportFacets, facet) {
		return 0, nil, errUnprocessable("facet must be one of publisher, buyer, campaign, number, daily, tag_value, state")
	}
	start, err := parseReportDate(rc, "created_at_start")
	if err != nil {
		return 0, nil, err
	}
	end, err := parseReportDate(rc, "created_at_end")
	if err != nil {
		return 0, nil, err
	}
	if end.Before(start) {
		return 0, nil, errUnprocessable("created_at_start must be before created_at_end")
	}
	if end.Sub(start) >= maxReportSpan {
		return 0, nil, errUnprocessable("the date range must be less than 2 years")
	}
	endExcl := end.AddDate(0, 0, 1)
	tagKey := rc.q.Get("tag_value_key")

	buckets := map[string]*bucket{}
	total := 0
	for _, c := range rc.co.calls.between(start, endExcl) {
		for _, k := range facetKeys(rc.co, c, facet, tagKey) {
			key := keyString(k.id)
			b := buckets[key]
			if b == nil {
				b = &bucket{id: k.id, name: k.name}
				buckets[key] = b
			}
			b.add(c)
			total += c.totalDuration
		}
	}
	list := make([]*bucket, 0, len(buckets))
	for _, b := range buckets {
		list = append(list, b)
	}
	sort.Slice(list, func(i, j int) bool {
		if facet == "daily" || list[i].calls == list[j].calls {
			return keyString(list[i].id) < keyString(list[j].id)
		}
		return list[i].calls > list[j].calls
	})
	rows := make([]reportRow, 0, len(list))
	for _, b := range list {
		rows = append(rows, b.row(total))
	}
	page := paginate(rc, rows, rc.perPage(maxCallsPerPage))
	return http.StatusOK, map[string]any{"count": len(page), "count_total": len(rows), "data": page}, nil
}

func keyString(id any) string {
	switch v := id.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case string:
		return v
	}
	return ""
}
