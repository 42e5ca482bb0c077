package retreavertest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

type geo struct{ zip, state, city, area, country string }

var callerGeos = []geo{
	{"80920", "CO", "Colorado Springs", "719", "US"}, {"28379", "NC", "Rockingham", "910", "US"},
	{"10001", "NY", "New York", "212", "US"}, {"90012", "CA", "Los Angeles", "213", "US"},
	{"60601", "IL", "Chicago", "312", "US"}, {"77002", "TX", "Houston", "713", "US"},
	{"33131", "FL", "Miami", "305", "US"}, {"30303", "GA", "Atlanta", "404", "US"},
	{"98101", "WA", "Seattle", "206", "US"}, {"85004", "AZ", "Phoenix", "602", "US"},
	{"19103", "PA", "Philadelphia", "215", "US"}, {"02108", "MA", "Boston", "617", "US"},
	{"78701", "TX", "Austin", "512", "US"}, {"37203", "TN", "Nashville", "615", "US"},
	{"89101", "NV", "Las Vegas", "702", "US"}, {"48226", "MI", "Detroit", "313", "US"},
	{"55401", "MN", "Minneapolis", "612", "US"}, {"97204", "OR", "Portland", "503", "US"},
	{"M5V 2T6", "ON", "Toronto", "416", "CA"}, {"H3B 1A7", "QC", "Montreal", "514", "CA"},
}

var (
	subIDs       = []string{"fb-feed", "google-cpc", "email-0312", "native-taboola", "yt-preroll"}
	utmCampaigns = []string{"spring_promo", "retargeting", "brand_search", "open_enrollment"}
	sources      = []string{"google", "facebook", "bing", "email", "tv"}
	webhooks     = []string{"CRM Webhook", "Lead Postback", "Slack Alert"}
)

// fallbackCampaigns stand in for campaigns when a company has none (plain server).
var fallbackCampaigns = []struct{ cid, name string }{{"SALES01", "Inbound Sales"}, {"SUPPORT1", "Customer Support"}}

// campaignRevenue is what a converted call earns, per campaign (stable per cid).
func campaignRevenue(cid string) cents {
	levels := []cents{2500, 3500, 1250, 4000, 1800}
	sum := 0
	for _, r := range cid {
		sum += int(r)
	}
	return levels[sum%len(levels)]
}

// SeedCalls adds exactly n calls to the default company, created_at spread
// over the past 30 days (all strictly before now).
func (s *Server) SeedCalls(n int) { s.SeedCallsIn(s.CompanyID, n) }

// SeedCallsIn adds exactly n calls to a company, created_at spread over the
// past 30 days (all strictly before now), as SeedCalls does for the default
// company. It panics if the company does not exist.
func (s *Server) SeedCallsIn(companyID int64, n int) {
	nowT := time.Now().UTC()
	s.SeedCallsAt(companyID, n, nowT.AddDate(0, 0, -30), nowT)
}

// SeedCallsAt adds n calls to a company with created_at spread evenly over
// [from, to). Calls that would not have ended by now are in progress. It
// panics if the company does not exist.
func (s *Server) SeedCallsAt(companyID int64, n int, from, to time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.st.company(companyID)
	if co == nil {
		panic(fmt.Sprintf("retreavertest: seeding calls: no company %d", companyID))
	}
	s.st.seedCalls(co, n, from.UTC(), to.UTC(), time.Now().UTC())
}

// genCall makes one plausible call of the company, created at created. Calls
// too recent to have ended by nowT are in progress (end_time null). A repeat
// caller is drawn from the stored calls and from pending, the calls generated
// before this one that are not stored yet.
func (st *store) genCall(co *company, pending []*call, created, nowT time.Time) *call {
	g := st.rnd
	c := &call{id: st.nextID("call"), uuid: g.uuid(), companyID: co.id, createdAt: created, via: "inbound-dial",
		status: "finished"}

	// Caller: sometimes somebody who called before.
	gl := pick(g, callerGeos)
	if n := co.calls.len() + len(pending); n > 0 && g.chance(0.18) {
		prev := earlierCall(co, pending, g.intn(n))
		c.caller, c.repeat, c.numberRepeat = prev.caller, true, true
		c.callerZip, c.callerState, c.callerCity, c.callerCountry = prev.callerZip, prev.callerState, prev.callerCity, prev.callerCountry
	} else {
		c.caller = "+1" + gl.area + strconv.Itoa(g.between(2, 9)) + g.digits(6)
		c.callerZip, c.callerState, c.callerCity, c.callerCountry = strP(gl.zip), strP(gl.state), strP(gl.city), strP(gl.country)
	}

	// Campaign, tracking number, affiliate.
	threshold := 90
	var camp *campaign
	if co.campaigns.len() > 0 {
		camp = pick(g, co.campaigns.items)
		c.cid, c.campaignID, c.campaignName = strP(camp.cid), int64P(camp.id), camp.name
		for _, t := range camp.timers {
			if t.seconds > threshold {
				threshold = t.seconds
			}
		}
	} else {
		fc := pick(g, fallbackCampaigns)
		c.cid, c.campaignName = strP(fc.cid), strP(fc.name)
	}
	nums := co.numbers.filter(func(n *number) bool { return c.cid != nil && n.cid == *c.cid })
	if len(nums) > 0 {
		n := pick(g, nums)
		c.number, c.numberID, c.numberName, c.afid, c.sid = n.number, int64P(n.id), n.name, n.afid, n.sid
	} else {
		c.number = "+1" + pick(g, tollFreePrefixes) + strconv.Itoa(g.between(2, 9)) + g.digits(6)
		if co.affiliates.len() > 0 && g.chance(0.7) {
			c.afid = strP(pick(g, co.affiliates.items).afid)
		}
		if g.chance(0.5) {
			c.sid = strP(pick(g, subIDs))
		}
	}
	if c.afid != nil {
		if a, ok := co.affiliates.find(func(a *affiliate) bool { return a.afid == *c.afid }); ok {
			c.affiliateID, c.affiliateName = int64P(a.id), strP(a.displayName())
			c.affiliateRepeat = c.repeat && g.chance(0.6)
		}
	}

	// Routing.
	var tgt *target
	if co.targets.len() > 0 && g.chance(0.88) {
		tgt = pick(g, co.targets.items)
		c.targetID, c.tid, c.targetName, c.dialedNumber = int64P(tgt.id), tgt.tid, strP(tgt.displayName()), strP(tgt.number)
		c.targetRepeat = boolP(c.repeat && g.chance(0.6))
		c.connected = g.chance(0.82)
		for _, grp := range co.groups.items {
			if slices.Contains(grp.targetIDs, tgt.id) {
				c.targetGroupID, c.targetGroupName = int64P(grp.id), grp.name
				break
			}
		}
	} else if co.targets.len() == 0 && g.chance(0.8) {
		c.dialedNumber = strP("+1" + pick(g, localAreaCodes) + strconv.Itoa(g.between(2, 9)) + g.digits(6))
		c.connected = g.chance(0.8)
	}

	// Durations and times.
	c.ivrDuration = g.between(0, 30)
	c.holdDuration = g.between(0, 45)
	if c.connected {
		if g.chance(0.55) {
			c.dialedCallDuration = g.between(threshold, threshold+1500)
		} else {
			c.dialedCallDuration = g.between(3, threshold-1)
		}
	}
	c.totalDuration = c.ivrDuration + c.holdDuration + c.dialedCallDuration + g.between(0, 3)
	c.timeToConnect = c.ivrDuration + c.holdDuration
	c.startTime = created.Add(-time.Duration(g.between(80, 300)) * time.Millisecond)
	if c.dialedNumber != nil {
		c.forwardedTime = timeP(c.startTime.Add(time.Duration(c.timeToConnect) * time.Second))
	}
	if g.chance(0.4) {
		c.visitorURL = strP("https://www.example.com/landing?utm_source=" + pick(g, sources))
		c.timeToCall = intP(g.between(15, 200000))
	}
	if camp != nil && camp.greeting.message != nil && g.chance(0.7) {
		c.keysPressed = []string{"1"}
	}
	country := strings.ToLower(deref(c.callerCountry))
	c.tags = map[string]string{
		"geo": fmt.Sprintf("%s,%s,%s-%s,%s-%s", c.caller[2:5], country, country,
			strings.ReplaceAll(deref(c.callerZip), " ", ""), country, strings.ToLower(deref(c.callerState))),
		"status": "success",
	}
	if g.chance(0.75) {
		c.tags["utm_campaign"] = pick(g, utmCampaigns)
		c.tags["source"] = pick(g, sources)
	}
	if tgt != nil {
		c.tags["system_target_id"] = strconv.FormatInt(tgt.id, 10)
	}

	end := c.startTime.Add(time.Duration(c.totalDuration) * time.Second)
	hook := func(i int) *string { return strP(webhooks[i%len(webhooks)]) }
	if end.Add(40 * time.Second).After(nowT) {
		// Still on the line.
		c.status = "in-progress"
		elapsed := max(0, int(nowT.Sub(c.startTime)/time.Second))
		c.ivrDuration = min(c.ivrDuration, elapsed)
		c.holdDuration = min(c.holdDuration, elapsed-c.ivrDuration)
		c.timeToConnect = c.ivrDuration + c.holdDuration
		c.dialedCallDuration, c.totalDuration = elapsed-c.timeToConnect, elapsed
		if c.dialedNumber == nil || !c.connected {
			c.dialedCallDuration = 0
		}
		if c.forwardedTime != nil {
			c.forwardedTime = timeP(c.startTime.Add(time.Duration(c.timeToConnect) * time.Second))
		}
		c.updatedAt = created
		fired := c.startTime.Add(400 * time.Millisecond)
		c.firedPixels = []firedPixel{{url: "https://example.com/postback?event=call", batchUUID: g.uuid(),
			createdAt: fired, firedAt: timeP(fired), status: "fired", webhookName: hook(0)}}
		c.chargeTotal = 1
		return c
	}
	c.endTime = timeP(end)
	c.billableMinutes = (c.totalDuration + 59) / 60
	if c.connected {
		c.hungUpBy = strP(pick(g, []string{"caller", "caller", "target"}))
		if camp == nil || camp.recordCalls {
			c.recordingURL = strP("https://recordings.example.com/" + c.uuid + ".mp3")
		}
	} else {
		c.hungUpBy = strP("caller")
	}
	c.duplicate = c.repeat && g.chance(0.35)
	c.payableDuplicate = c.duplicate && g.chance(0.5)
	c.receivableDuplicate = c.duplicate && g.chance(0.5)
	c.converted = c.connected && c.dialedCallDuration >= threshold && !c.duplicate
	if c.converted {
		rev := campaignRevenue(*c.cid)
		c.revenue, c.receivable = &rev, true
		c.conversionSeconds = intP(threshold)
		c.networkSaleTimerFired, c.targetSaleTimerFired = boolP(true), boolP(true)
		if c.afid != nil {
			pay := rev * 6 / 10
			c.payout, c.payable = &pay, true
			c.affiliateSaleTimerFired = boolP(true)
		}
	}
	c.rescued = !c.connected && c.dialedNumber != nil && g.chance(0.05)
	determined := end.Add(time.Duration(g.between(5, 25)) * time.Second)
	c.conversionsDeterminedAt = &determined
	c.updatedAt = determined.Add(time.Duration(g.between(50, 9000)) * time.Millisecond).Truncate(time.Millisecond)
	for i := 0; i < g.between(1, 4); i++ {
		at := c.startTime.Add(time.Duration(g.between(300, 1000*(c.totalDuration+1))) * time.Millisecond)
		c.firedPixels = append(c.firedPixels, firedPixel{url: "https://example.com/postback?event=call", batchUUID: g.uuid(),
			createdAt: at.Add(time.Duration(g.between(1, 80)) * time.Millisecond), firedAt: timeP(at), status: "fired",
			webhookName: hook(i)})
	}
	if c.converted {
		c.firedPixels = append([]firedPixel{{url: "https://example.com/postback?event=sale", fireOrder: 1,
			batchUUID: g.uuid(), createdAt: determined, status: "new"}}, c.firedPixels...)
	}
	c.chargeTotal = cents(2*c.billableMinutes + len(c.firedPixels))
	return c
}

// seedCalls adds n generated calls to co with created_at spread evenly over [from, to).
func (st *store) seedCalls(co *company, n int, from, to time.Time, nowT time.Time) {
	if n <= 0 || !to.After(from) {
		return
	}
	span := to.Sub(from)
	batch := make([]*call, 0, n)
	for i := 0; i < n; i++ {
		at := from.Add(time.Duration(int64(span) / int64(n) * int64(i)))
		if r := at.Sub(at.Truncate(time.Millisecond)); r > 0 {
			if up := at.Add(time.Millisecond - r); up.Before(to) {
				at = up
			}
		}
		batch = append(batch, st.genCall(co, batch, at.UTC(), nowT))
	}
	co.calls.addAll(batch)
}

// earlierCall returns the i-th of the stored calls followed by pending.
func earlierCall(co *company, pending []*call, i int) *call {
	if i < co.calls.len() {
		return co.calls.ordered[i]
	}
	return pending[i-co.calls.len()]
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
