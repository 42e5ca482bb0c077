package retreavertest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

type number struct {
	id                   int64
	number               string
	tollFree             bool
	createdAt, updatedAt time.Time
	sid, afid            *string
	cid                  string
	name                 *string // shown only in calls (V3 and later); the numbers API has no name
	poolID               int64
	ownGreeting          *greeting     // nil: the campaign's
	ownTimers            []*timer      // nil: the campaign's
	ownMenu              []*menuOption // nil: the campaign's
}

func (n *number) getID() int64 { return n.id }

type numberView struct {
	ID                   int64        `json:"id"`
	Number               string       `json:"number"`
	TollFree             bool         `json:"toll_free"`
	UpdatedAt            jsTime       `json:"updated_at"`
	CreatedAt            jsTime       `json:"created_at"`
	SID                  *string      `json:"sid"`
	AFID                 *string      `json:"afid"`
	CID                  string       `json:"cid"`
	UsesCampaignSettings bool         `json:"uses_campaign_settings"`
	Greeting             greetingView `json:"greeting"`
	Timers               []any        `json:"timers"`
	MenuOptions          []any        `json:"menu_options"`
}

// renderNumber shows the number's effective settings, each marked inherited or
// not. Reads list timers bare, writes wrap them in {"timer": ...}, as the
// reference's examples do.
func renderNumber(rc *reqCtx, n *number, wrappedTimers bool) numberView {
	camp := rc.co.campaignByCID(n.cid)
	if camp == nil {
		camp = &campaign{greeting: defaultGreeting()}
	}
	g, gInh := camp.greeting, true
	if n.ownGreeting != nil {
		g, gInh = *n.ownGreeting, false
	}
	ts, tInh := camp.timers, true
	if n.ownTimers != nil {
		ts, tInh = n.ownTimers, false
	}
	ms, mInh := camp.menu, true
	if n.ownMenu != nil {
		ms, mInh = n.ownMenu, false
	}
	return numberView{ID: n.id, Number: n.number, TollFree: n.tollFree, UpdatedAt: jsTime(n.updatedAt),
		CreatedAt: jsTime(n.createdAt), SID: n.sid, AFID: n.afid, CID: n.cid,
		UsesCampaignSettings: n.ownGreeting == nil && n.ownTimers == nil && n.ownMenu == nil,
		Greeting:             g.view(boolP(gInh)), Timers: renderTimers(ts, boolP(tInh), wrappedTimers),
		MenuOptions: renderMenu(ms, boolP(mInh))}
}

var numberCountries = []string{"US", "CA", "AT", "BE", "DK", "FI", "FR", "GB", "IE", "IT", "NL", "PL", "SE"}

// uniquePhone generates a number no number or pool in any company uses yet.
func (st *store) uniquePhone(tollFree bool, country string) string {
	for {
		p := st.rnd.phone(tollFree, country)
		taken := false
		for _, co := range st.companies.items {
			if _, ok := co.numbers.find(func(n *number) bool { return n.number == p }); ok {
				taken = true
				break
			}
		}
		if !taken {
			return p
		}
	}
}

func numberResource() *resource[*number] {
	return &resource[*number]{
		root:        "number",
		coll:        func(rc *reqCtx) *collection[*number] { return &rc.co.numbers },
		render:      func(rc *reqCtx, n *number) any { return renderNumber(rc, n, false) },
		renderWrite: func(rc *reqCtx, n *number) any { return renderNumber(rc, n, true) },
		// The documented filters are client_cid, client_afid and sub_id; the
		// old names (cid, afid, sid) were a documentation error and are ignored,
		// as the live API ignores them.
		filter: func(rc *reqCtx, n *number) bool {
			return matchParam(rc, "client_cid", n.cid) && matchParamP(rc, "client_afid", n.afid) && matchParamP(rc, "sub_id", n.sid)
		},
		create: func(rc *reqCtx, a *attrs) (*number, error) {
			n := &number{createdAt: rc.now}
			typ, country := "Toll-free", "US"
			if a.str("type", &typ) && typ != "Toll-free" && typ != "Local" {
				a.fail("type", "is not included in the list")
			}
			if a.str("country", &country) && !slices.Contains(numberCountries, strings.ToUpper(country)) {
				a.fail("country", "is not included in the list")
			}
			if a.get("cid") == "" {
				a.fail("cid", "can't be blank")
			}
			if a.get("afid") == "" {
				a.fail("afid", "can't be blank")
			}
			if err := applyNumber(rc, n, a); err != nil {
				return nil, err
			}
			n.tollFree = typ == "Toll-free"
			n.number = rc.st.uniquePhone(n.tollFree, country)
			n.id = rc.st.nextID("number")
			return n, nil
		},
		update:       applyNumber,
		deleteStatus: http.StatusOK,
	}
}

// applyNumber handles afid (an unknown afid creates the affiliate, as the API
// does), cid (must exist), sid, and the greeting/timer/menu overrides.
func applyNumber(rc *reqCtx, n *number, a *attrs) error {
	next := *n
	next.ownTimers, next.ownMenu = cloneTimers(n.ownTimers), cloneMenu(n.ownMenu)
	if next.ownGreeting != nil {
		g := *next.ownGreeting
		next.ownGreeting = &g
	}
	if a.str("cid", &next.cid) {
		if next.cid == "" {
			a.fail("cid", "can't be blank")
		} else if rc.co.campaignByCID(next.cid) == nil {
			a.fail("cid", "does not exist")
		}
	}
	var afid string
	hasAFID := a.str("afid", &afid)
	if hasAFID && afid == "" {
		a.fail("afid", "can't be blank")
	}
	a.strP("sid", &next.sid)
	var uses bool
	if a.bool("uses_campaign_settings", &uses) && uses {
		next.ownGreeting, next.ownTimers, next.ownMenu = nil, nil, nil
	}
	var destroy bool
	if a.bool("destroy_nested", &destroy) && destroy {
		next.ownTimers, next.ownMenu = nil, nil
	}
	g := defaultGreeting()
	if next.ownGreeting != nil {
		g = *next.ownGreeting
	} else if camp := rc.co.campaignByCID(next.cid); camp != nil {
		g = camp.greeting
	}
	if applyGreeting(rc, &g, a) {
		next.ownGreeting = &g
	}
	if _, err := applyTimers(rc, &next.ownTimers, a); err != nil {
		return err
	}
	if _, err := applyMenuOptions(rc, &next.ownMenu, a); err != nil {
		return err
	}
	if err := a.err(); err != nil {
		return err
	}
	if hasAFID {
		rc.st.ensureAffiliate(rc.co, afid, rc.now)
		next.afid = &afid
	}
	next.updatedAt = rc.now
	*n = next
	return nil
}
