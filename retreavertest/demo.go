package retreavertest

import (
	"fmt"
	"sort"
	"time"
)

type demoCampaign struct {
	cid, name, message, voice string
	timers                    []int // seconds; 0 is the click timer
	menuTargets               []int // menu options 1, 2, ...: index into the targets
	recordCalls               bool
}

type demoTarget struct {
	name, number, tid, tz, tags string
	hardCap, dailyCap           int
	concurrency                 int
	paused, officeHours         bool
}

type demoAffiliate struct{ afid, first, last, company string }

type demoCompany struct {
	id         int64
	affiliates []demoAffiliate
	campaigns  []demoCampaign
	targets    []demoTarget
	group      string
	contacts   []string // contact names; each gets one or two numbers
	calls      int
}

var demoCompanies = []demoCompany{
	{
		id: defaultCompanyID,
		affiliates: []demoAffiliate{{"0001", "Nancy", "Drew", "Drew Media"}, {"0002", "Frank", "Hardy", "Hardy Leads"},
			{"0003", "", "", "BlueSky Affiliates"}, {"0004", "Maria", "Lopez", ""}, {"0005", "Sam", "Carter", "Carter Digital"}},
		campaigns: []demoCampaign{
			{"1001", "Medicare Advantage - Inbound", "Thanks for calling Northwind Health. Press one to speak with a licensed agent.", "Female", []int{0, 90}, []int{0, 4}, true},
			{"1002", "ACA Open Enrollment", "", "Male", []int{0, 120}, []int{1}, true},
			{"1003", "Final Expense", "Press one to hear your final expense options.", "Male", []int{60}, []int{2}, false},
		},
		targets: []demoTarget{
			{"Taylor Anderson - Sales", "+12263399112", "TA-01", "Eastern Time (US & Canada)", "<<<calling_about:sales>>>,<<<state:NC>>>", 500, 0, 5, false, false},
			{"Jordan Call Center - East", "+18668987878", "JCC-E", "Eastern Time (US & Canada)", "<<<calling_about:support>>>", 0, 200, 0, false, true},
			{"Jordan Call Center - West", "+14155550142", "JCC-W", "Pacific Time (US & Canada)", "<<<utm_campaign:brand_search>>>", 0, 0, 10, false, true},
			{"After Hours Overflow", "sip:overflow@sip.example.com", "", "UTC", "", 0, 0, 0, true, false},
			{"Medicare Desk", "+13125550199", "MED-1", "Central Time (US & Canada)", "<<<utm_campaign:open_enrollment>>>,<<<source:google>>>", 1000, 0, 0, false, false},
		},
		group: "Sales Floor", contacts: []string{"Retreaver Support", "Dana Whitfield", "Morgan Price", "Riley Chen"}, calls: 320,
	},
	{
		id:         102,
		affiliates: []demoAffiliate{{"A-100", "Chris", "Nolan", "Nolan Performance"}, {"A-200", "Pat", "Kim", ""}, {"A-300", "", "", "QuoteWizard Partners"}},
		campaigns: []demoCampaign{
			{"AUTO-Q", "Auto Insurance Quotes", "Press one for your free auto insurance quote.", "Female", []int{0, 60}, []int{0}, true},
			{"HOME-Q", "Home Insurance", "", "Male", []int{0, 90}, []int{1, 2}, true},
		},
		targets: []demoTarget{
			{"Summit Auto Desk", "+17135550111", "SAD", "Central Time (US & Canada)", "<<<calling_about:auto>>>,<<<source:facebook>>>", 300, 0, 8, false, true},
			{"Summit Home Desk", "+17135550122", "SHD", "Central Time (US & Canada)", "<<<calling_about:home>>>", 0, 150, 0, false, true},
			{"Partner Agency - Texas", "+15125550133", "PAT", "Central Time (US & Canada)", "<<<state:TX>>>,<<<utm_campaign:retargeting>>>", 0, 0, 3, false, false},
		},
		group: "Insurance Buyers", contacts: []string{"Avery Brooks", "Quinn Foster"}, calls: 210,
	},
	{
		id:         103,
		affiliates: []demoAffiliate{{"HS-01", "Lee", "Jordan", "Jordan Home Pros"}, {"HS-02", "", "", "LocalLeads Co"}},
		campaigns: []demoCampaign{
			{"HVAC", "HVAC Repair", "Press one to book an HVAC technician.", "Male", []int{0, 45}, []int{0, 1}, true},
			{"PLUMB", "Emergency Plumbing", "", "Male", []int{30}, []int{1}, true},
		},
		targets: []demoTarget{
			{"Bluebird Dispatch", "+16175550177", "BD-1", "Eastern Time (US & Canada)", "<<<calling_about:hvac>>>,<<<source:tv>>>", 0, 100, 4, false, true},
			{"Metro Plumbing", "+16175550188", "MP-1", "Eastern Time (US & Canada)", "<<<calling_about:plumbing>>>,<<<utm_campaign:spring_promo>>>", 250, 0, 0, false, false},
		},
		group: "Dispatch", contacts: []string{"Jamie Rivera"}, calls: 150,
	},
}

// loadDemo fills the reachable companies with the demo data set. The store's
// PRNG has a fixed seed, so the data is the same on every run (times are
// relative to nowT).
func (s *Server) loadDemo(nowT time.Time) {
	st := s.st
	g := st.rnd
	for _, spec := range demoCompanies {
		co := st.company(spec.id)
		base := nowT.AddDate(0, 0, -90)
		at := func(days int) time.Time {
			return base.AddDate(0, 0, days).Add(time.Duration(g.intn(36000)) * time.Second)
		}

		for i, a := range spec.affiliates {
			af := &affiliate{id: st.nextID("affiliate"), afid: a.afid, createdAt: at(i), updatedAt: at(i + 10)}
			if a.first != "" {
				af.firstName, af.lastName = strP(a.first), strP(a.last)
			}
			if a.company != "" {
				af.companyNm = strP(a.company)
			}
			co.affiliates.add(af)
		}

		for i, d := range spec.targets {
			t := st.newTarget(at(i + 2))
			t.id = st.nextID("target")
			t.name, t.number, t.timeZone = strP(d.name), d.number, d.tz
			if d.tid != "" {
				t.tid = strP(d.tid)
			}
			if d.concurrency > 0 {
				t.concurrencyCap = intP(d.concurrency)
			}
			for _, c := range t.caps {
				switch {
				case c.typ == "Hard" && d.hardCap > 0:
					c.cap, c.filled = intP(d.hardCap), g.intn(d.hardCap/2)
				case c.typ == "Daily" && d.dailyCap > 0:
					c.cap, c.filled = intP(d.dailyCap), g.intn(d.dailyCap/3)
				}
			}
			if d.officeHours {
				for _, h := range t.hours {
					h.timeOpen, h.timeClose = 900, 1700
					h.workDay = h.dayOfWeek >= 1 && h.dayOfWeek <= 5
				}
			}
			if d.paused {
				t.paused, t.pausedAt = true, timeP(at(40))
			}
			pairs, _ := parseTagList(d.tags)
			t.tags = st.tagValues(co, pairs)
			t.timeoutSeconds = 20 + 5*i
			t.updatedAt = at(20 + i)
			co.targets.add(t)
		}

		grp := &targetGroup{id: st.nextID("target_group"), name: spec.group, behavior: 1, caps: st.newCaps()}
		for _, t := range co.targets.items[:min(3, co.targets.len())] {
			grp.targetIDs = append(grp.targetIDs, t.id)
		}
		grp.concurrencyCap = intP(12)
		co.groups.add(grp)

		for i, d := range spec.campaigns {
			c := st.newCampaign(at(5 + i))
			c.id = st.nextID("campaign")
			c.cid, c.name, c.recordCalls = d.cid, strP(d.name), d.recordCalls
			c.dedupeSeconds = 86400 * (i % 2)
			if d.message != "" {
				c.greeting.message = strP(d.message)
			}
			c.greeting.voiceGender = d.voice
			for _, sec := range d.timers {
				url := "https://tracking.example.com/click?cid=[campaign_id]&afid=[affiliate_id]&sid=[sub_id]"
				if sec > 0 {
					url = "https://tracking.example.com/sale?cid=[campaign_id]&afid=[affiliate_id]&caller=[caller_id]&duration=[call_duration]"
				}
				c.timers = append(c.timers, &timer{id: st.nextID("timer"), seconds: sec, url: url})
			}
			for j, ti := range d.menuTargets {
				opt := &menuOption{id: st.nextID("menu_option"), option: string(rune('1' + j))}
				if ti < co.targets.len() && co.targets.items[ti].number[0] == '+' {
					opt.targetNumber = strP(co.targets.items[ti].number)
				} else if other := spec.campaigns[(i+1)%len(spec.campaigns)]; other.cid != d.cid {
					opt.targetCID = strP(other.cid)
				}
				c.menu = append(c.menu, opt)
			}
			c.updatedAt = at(30 + i)
			co.campaigns.add(c)
			st.addRTBKey(co.id, c.id)

			// Two or three numbers per campaign, spread over the affiliates.
			for j := 0; j < 2+i%2; j++ {
				a := co.affiliates.items[(i+j)%co.affiliates.len()]
				n := &number{id: st.nextID("number"), cid: c.cid, afid: strP(a.afid), createdAt: at(8 + i + j),
					name: strP(fmt.Sprintf("%s Number %d", a.displayName(), j+1))}
				n.tollFree = j != 1
				n.number = st.uniquePhone(n.tollFree, "US")
				if j == 0 {
					n.sid = strP(subIDs[i%len(subIDs)])
				}
				if j == 2 {
					n.ownTimers = []*timer{{id: st.nextID("timer"), seconds: 150, url: "https://tracking.example.com/sale?number=[called_number]"}}
				}
				n.updatedAt = n.createdAt.Add(time.Hour)
				co.numbers.add(n)
			}
		}

		first := co.campaigns.items[0]
		pool := &numberPool{id: st.nextID("number_pool"), typ: "Toll-free", country: "US", maxPoolSize: 25, reserve: 2,
			googleAnalytics: true, cid: first.cid, createdAt: at(12),
			gaPaths: [2]string{"/callpixels/" + g.uuid(), "/callpixels/" + g.uuid()}}
		pool.updatedAt = at(13)
		co.pools.add(pool)
		for j := 0; j < 3; j++ {
			n := &number{id: st.nextID("number"), cid: first.cid, tollFree: true, poolID: pool.id, createdAt: at(14),
				name: strP(fmt.Sprintf("%s Pool Number %d", deref(first.name), j+1))}
			n.number = st.uniquePhone(true, "US")
			n.updatedAt = n.createdAt
			co.numbers.add(n)
		}

		for i, name := range spec.contacts {
			c := &contact{id: st.nextID("contact"), createdAt: at(15 + i)}
			c.updatedAt = c.createdAt
			c.numbers = append(c.numbers, &contactNumber{id: st.nextID("contact_number"), number: g.phone(false, "US"), description: strP("Mobile")})
			if i%2 == 0 {
				c.numbers = append(c.numbers, &contactNumber{id: st.nextID("contact_number"), number: g.phone(false, "US"), description: strP("Landline")})
			}
			c.tags = st.tagValues(co, [][2]string{{"name", name}})
			co.contacts.add(c)
		}

		for i := 0; i < 4; i++ {
			n := &suppressedNumber{id: st.nextID("suppressed_number"), number: g.phone(false, "US"), canResubscribe: i != 2,
				createdAt: at(20 + i)}
			if i < 2 {
				n.campaignID = int64P(co.campaigns.items[i%co.campaigns.len()].id)
			}
			n.updatedAt = n.createdAt
			co.suppressed.add(n)
		}
		for i := 0; i < 2; i++ {
			co.statics.add(&staticCallerNumber{id: st.nextID("static_caller_number"), number: g.phone(false, "US"), createdAt: at(25 + i)})
		}

		// Calls at random moments of the past 30 days, generated oldest first so
		// repeat callers refer back in time.
		from := nowT.AddDate(0, 0, -30)
		offsets := make([]int64, spec.calls)
		for i := range offsets {
			offsets[i] = g.r.Int64N(int64(nowT.Sub(from)) / int64(time.Millisecond))
		}
		sort.Slice(offsets, func(i, j int) bool { return offsets[i] < offsets[j] })
		batch := make([]*call, 0, len(offsets)+2)
		for _, off := range offsets {
			batch = append(batch, st.genCall(co, batch, from.Add(time.Duration(off)*time.Millisecond), nowT))
		}
		// A couple of calls still on the line.
		for i := 0; i < 2; i++ {
			batch = append(batch, st.genCall(co, batch, nowT.Add(-time.Duration(5+i*7)*time.Second), nowT))
		}
		co.calls.addAll(batch)
	}
}
