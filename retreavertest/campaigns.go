package retreavertest

import (
	"net/http"
	"time"
)

type campaign struct {
	id                     int64
	cid                    string
	name                   *string
	createdAt, updatedAt   time.Time
	recordCalls            bool
	recordSeconds          int
	dedupeSeconds          int
	affiliateCanPullNumber bool
	showKey                string
	greeting               greeting
	timers                 []*timer
	menu                   []*menuOption
}

func (c *campaign) getID() int64 { return c.id }

type campaignView struct {
	ID                     int64        `json:"id"`
	CID                    string       `json:"cid"`
	Name                   *string      `json:"name"`
	UpdatedAt              jsTime       `json:"updated_at"`
	CreatedAt              jsTime       `json:"created_at"`
	RecordCalls            bool         `json:"record_calls"`
	RecordSeconds          int          `json:"record_seconds"`
	DedupeSeconds          int          `json:"dedupe_seconds"`
	AffiliateCanPullNumber bool         `json:"affiliate_can_pull_number"`
	ShowKey                string       `json:"show_key"`
	Greeting               greetingView `json:"greeting"`
	Timers                 []any        `json:"timers"`
	MenuOptions            []any        `json:"menu_options"`
}

// newCampaign fills the documented defaults: random 8-character cid, calls
// recorded (3600 s), no dedupe, a male text-to-speech greeting.
func (st *store) newCampaign(at time.Time) *campaign {
	return &campaign{cid: st.rnd.hex(8), createdAt: at, updatedAt: at, recordCalls: true, recordSeconds: 3600,
		showKey: st.rnd.hex(32), greeting: defaultGreeting(), timers: []*timer{}, menu: []*menuOption{}}
}

func campaignResource() *resource[*campaign] {
	return &resource[*campaign]{
		root: "campaign",
		coll: func(rc *reqCtx) *collection[*campaign] { return &rc.co.campaigns },
		render: func(_ *reqCtx, c *campaign) any {
			return campaignView{ID: c.id, CID: c.cid, Name: c.name, UpdatedAt: jsTime(c.updatedAt), CreatedAt: jsTime(c.createdAt),
				RecordCalls: c.recordCalls, RecordSeconds: c.recordSeconds, DedupeSeconds: c.dedupeSeconds,
				AffiliateCanPullNumber: c.affiliateCanPullNumber, ShowKey: c.showKey, Greeting: c.greeting.view(nil),
				Timers: renderTimers(c.timers, nil, true), MenuOptions: renderMenu(c.menu, nil)}
		},
		create: func(rc *reqCtx, a *attrs) (*campaign, error) {
			c := rc.st.newCampaign(rc.now)
			if err := applyCampaign(rc, c, a); err != nil {
				return nil, err
			}
			c.id = rc.st.nextID("campaign")
			rc.st.addRTBKey(rc.co.id, c.id)
			return c, nil
		},
		update: applyCampaign,
		remove: func(rc *reqCtx, c *campaign) error {
			if _, ok := rc.co.numbers.find(func(n *number) bool { return n.cid == c.cid }); ok {
				return errValidation(fieldErrors{"base": {"Cannot delete a campaign that has numbers; delete its numbers first"}})
			}
			return nil
		},
		key:          func(c *campaign) string { return c.cid },
		deleteStatus: http.StatusOK,
	}
}

// applyCampaign validates a and applies it to c; c is unchanged on error.
func applyCampaign(rc *reqCtx, c *campaign, a *attrs) error {
	next := *c
	next.timers, next.menu = cloneTimers(c.timers), cloneMenu(c.menu)
	if a.str("cid", &next.cid) {
		if next.cid == "" {
			a.fail("cid", "can't be blank")
		} else if _, taken := rc.co.campaigns.find(func(o *campaign) bool { return o != c && o.cid == next.cid }); taken {
			a.fail("cid", "has already been taken")
		}
	}
	a.strP("name", &next.name)
	a.bool("record_calls", &next.recordCalls)
	a.int("record_seconds", &next.recordSeconds)
	a.int("dedupe_seconds", &next.dedupeSeconds)
	a.bool("affiliate_can_pull_number", &next.affiliateCanPullNumber)
	applyGreeting(rc, &next.greeting, a)
	var destroy bool
	if a.bool("destroy_nested", &destroy) && destroy {
		next.timers, next.menu = []*timer{}, []*menuOption{}
	}
	if _, err := applyTimers(rc, &next.timers, a); err != nil {
		return err
	}
	if _, err := applyMenuOptions(rc, &next.menu, a); err != nil {
		return err
	}
	if err := a.err(); err != nil {
		return err
	}
	if next.cid != c.cid {
		for _, n := range rc.co.numbers.items {
			if n.cid == c.cid {
				n.cid = next.cid
			}
		}
		for _, p := range rc.co.pools.items {
			if p.cid == c.cid {
				p.cid = next.cid
			}
		}
	}
	next.updatedAt = rc.now
	*c = next
	return nil
}

func (co *company) campaignByCID(cid string) *campaign {
	c, _ := co.campaigns.find(func(c *campaign) bool { return c.cid == cid })
	return c
}
