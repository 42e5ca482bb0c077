package retreavertest

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"time"
)

// greeting is a campaign's (or a number's own) IVR greeting.
type greeting struct {
	message        *string
	voiceGender    string
	repeat         int
	audioName      *string
	audioSize      int
	audioUpdatedAt *time.Time
}

type greetingView struct {
	Message              *string `json:"message"`
	VoiceGender          string  `json:"voice_gender"`
	AudioFileName        *string `json:"audio_file_name,omitempty"`
	AudioFileContentType *string `json:"audio_file_content_type,omitempty"`
	AudioFileSize        *int    `json:"audio_file_size,omitempty"`
	AudioFileUpdatedAt   *jsTime `json:"audio_file_updated_at,omitempty"`
	Inherited            *bool   `json:"inherited,omitempty"`
}

func defaultGreeting() greeting { return greeting{voiceGender: "Male", repeat: 4} }

func (g greeting) view(inherited *bool) greetingView {
	v := greetingView{Message: g.message, VoiceGender: g.voiceGender, Inherited: inherited}
	if g.audioName != nil {
		v.AudioFileName = g.audioName
		v.AudioFileContentType = strP("application/octet-stream")
		v.AudioFileSize = intP(g.audioSize)
		v.AudioFileUpdatedAt = tsp(g.audioUpdatedAt)
	}
	return v
}

// applyGreeting reads message, voice_gender, repeat and the Base64 audio fields.
// It reports whether any greeting field was given.
func applyGreeting(rc *reqCtx, g *greeting, a *attrs) bool {
	changed := a.strP("message", &g.message)
	if a.str("voice_gender", &g.voiceGender) {
		changed = true
		if g.voiceGender != "Male" && g.voiceGender != "Female" {
			a.fail("voice_gender", "is not included in the list")
		}
	}
	if a.int("repeat", &g.repeat) {
		changed = true
	}
	var data string
	if a.str("message_file_b64_data", &data) {
		changed = true
		audio, err := base64.StdEncoding.DecodeString(strings.TrimSpace(data))
		if err != nil {
			audio, err = base64.RawStdEncoding.DecodeString(strings.TrimSpace(data))
		}
		if err != nil || len(audio) == 0 {
			a.fail("message_file_b64_data", "is invalid")
		} else {
			name := a.get("message_file_b64_filename")
			if name == "" {
				name = "greeting"
			}
			g.audioName, g.audioSize, g.audioUpdatedAt = &name, len(audio), timeP(rc.now)
		}
	}
	return changed
}

type timer struct {
	id      int64
	seconds int
	url     string
}

type timerView struct {
	ID        int64  `json:"id"`
	Seconds   int    `json:"seconds"`
	URL       string `json:"url"`
	Inherited *bool  `json:"inherited,omitempty"`
}

type menuOption struct {
	id                      int64
	option                  string
	targetCID, targetNumber *string
}

type menuOptionView struct {
	ID           int64   `json:"id"`
	Option       string  `json:"option"`
	TargetCID    *string `json:"target_cid"`
	TargetNumber *string `json:"target_number"`
	Inherited    *bool   `json:"inherited,omitempty"`
}

func cloneTimers(ts []*timer) []*timer {
	if ts == nil {
		return nil
	}
	out := make([]*timer, len(ts))
	for i, t := range ts {
		cp := *t
		out[i] = &cp
	}
	return out
}

func cloneMenu(ms []*menuOption) []*menuOption {
	if ms == nil {
		return nil
	}
	out := make([]*menuOption, len(ms))
	for i, m := range ms {
		cp := *m
		out[i] = &cp
	}
	return out
}

// applyTimers handles timers_attributes: an entry with id updates (or with
// _destroy removes) that timer, one without id adds a timer (seconds and url required).
func applyTimers(rc *reqCtx, ts *[]*timer, a *attrs) (bool, error) {
	list, ok := a.list("timers_attributes")
	if !ok {
		return false, nil
	}
	if *ts == nil {
		*ts = []*timer{}
	}
	for _, e := range list {
		var t *timer
		var id int
		if e.int("id", &id) {
			i := slices.IndexFunc(*ts, func(x *timer) bool { return x.id == int64(id) })
			if i < 0 {
				return true, errNotFound()
			}
			if e.destroy() {
				*ts = slices.Delete(*ts, i, i+1)
				continue
			}
			t = (*ts)[i]
		} else {
			if !e.has("seconds") {
				e.fail("seconds", "can't be blank")
			}
			if e.get("url") == "" {
				e.fail("url", "can't be blank")
			}
			t = &timer{id: rc.st.nextID("timer")}
			*ts = append(*ts, t)
		}
		e.int("seconds", &t.seconds)
		e.str("url", &t.url)
	}
	return true, nil
}

const menuKeys = "1234567890*#"

// applyMenuOptions handles menu_options_attributes (also spelled
// menu_option_attributes, as the campaign reference does).
func applyMenuOptions(rc *reqCtx, ms *[]*menuOption, a *attrs) (bool, error) {
	key := "menu_options_attributes"
	if !a.has(key) {
		key = "menu_option_attributes"
	}
	list, ok := a.list(key)
	if !ok {
		return false, nil
	}
	if *ms == nil {
		*ms = []*menuOption{}
	}
	for _, e := range list {
		var m *menuOption
		var id int
		if e.int("id", &id) {
			i := slices.IndexFunc(*ms, func(x *menuOption) bool { return x.id == int64(id) })
			if i < 0 {
				return true, errNotFound()
			}
			if e.destroy() {
				*ms = slices.Delete(*ms, i, i+1)
				continue
			}
			m = (*ms)[i]
		} else {
			m = &menuOption{id: rc.st.nextID("menu_option")}
			*ms = append(*ms, m)
		}
		e.str("option", &m.option)
		if len(m.option) != 1 || !strings.Contains(menuKeys, m.option) {
			if m.option == "" {
				e.fail("option", "can't be blank")
			} else {
				e.fail("option", "is not included in the list")
			}
		}
		e.strP("target_cid", &m.targetCID)
		if e.strP("target_number", &m.targetNumber) && m.targetNumber != nil {
			m.targetNumber = strP(normalizePhone(*m.targetNumber))
		}
	}
	return true, nil
}

func renderTimers(ts []*timer, inherited *bool, wrapped bool) []any {
	out := make([]any, 0, len(ts))
	for _, t := range ts {
		v := timerView{ID: t.id, Seconds: t.seconds, URL: t.url, Inherited: inherited}
		if wrapped {
			out = append(out, wrap("timer", v))
		} else {
			out = append(out, v)
		}
	}
	return out
}

func renderMenu(ms []*menuOption, inherited *bool) []any {
	out := make([]any, 0, len(ms))
	for _, m := range ms {
		out = append(out, wrap("menu_option", menuOptionView{ID: m.id, Option: m.option, TargetCID: m.targetCID,
			TargetNumber: m.targetNumber, Inherited: inherited}))
	}
	return out
}

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

func (s *Server) campaignResource() *resource[*campaign] {
	return &resource[*campaign]{
		plural: "campaigns", root: "campaign",
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
		keys:         map[string]func(*campaign) string{"cid": func(c *campaign) string { return c.cid }},
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

type number struct {
	id                   int64
	number               string
	tollFree             bool
	createdAt, updatedAt time.Time
	sid, afid            *string
	cid                  string
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

func (s *Server) numberResource() *resource[*number] {
	return &resource[*number]{
		plural: "numbers", root: "number",
		coll:        func(rc *reqCtx) *collection[*number] { return &rc.co.numbers },
		render:      func(rc *reqCtx, n *number) any { return renderNumber(rc, n, false) },
		renderWrite: func(rc *reqCtx, n *number) any { return renderNumber(rc, n, true) },
		filter: func(rc *reqCtx, n *number) bool {
			return matchParam(rc, "cid", n.cid) && matchParamP(rc, "afid", n.afid) && matchParamP(rc, "sid", n.sid)
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

type numberPool struct {
	id                                  int64
	typ, country                        string
	maxPoolSize, bufferSeconds, reserve int
	googleAnalytics, hideEmbedded       bool
	afid                                *string
	cid                                 string
	gaPaths                             [2]string
	createdAt, updatedAt                time.Time
}

func (p *numberPool) getID() int64 { return p.id }

type gaPathView struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

type numberPoolView struct {
	ID                   int64        `json:"id"`
	NumbersCount         int          `json:"numbers_count"`
	Type                 string       `json:"type"`
	Country              string       `json:"country"`
	MaxPoolSize          int          `json:"max_pool_size"`
	BufferSeconds        int          `json:"buffer_seconds"`
	UpdatedAt            jsTime       `json:"updated_at"`
	CreatedAt            jsTime       `json:"created_at"`
	GoogleAnalytics      bool         `json:"google_analytics"`
	HideEmbeddedAccess   bool         `json:"hide_embedded_access"`
	AFID                 *string      `json:"afid"`
	CID                  string       `json:"cid"`
	ReserveSize          int          `json:"reserve_size"`
	GoogleAnalyticsPaths []gaPathView `json:"google_analytics_paths,omitempty"`
}

func (s *Server) numberPoolResource() *resource[*numberPool] {
	return &resource[*numberPool]{
		plural: "number_pools", root: "number_pool",
		coll: func(rc *reqCtx) *collection[*numberPool] { return &rc.co.pools },
		render: func(rc *reqCtx, p *numberPool) any {
			v := numberPoolView{ID: p.id, NumbersCount: len(rc.co.numbers.filter(func(n *number) bool { return n.poolID == p.id })),
				Type: p.typ, Country: p.country, MaxPoolSize: p.maxPoolSize, BufferSeconds: p.bufferSeconds,
				UpdatedAt: jsTime(p.updatedAt), CreatedAt: jsTime(p.createdAt), GoogleAnalytics: p.googleAnalytics,
				HideEmbeddedAccess: p.hideEmbedded, AFID: p.afid, CID: p.cid, ReserveSize: p.reserve}
			if p.googleAnalytics {
				v.GoogleAnalyticsPaths = []gaPathView{{"Network timer (always)", p.gaPaths[0]}, {"Network timer (connect)", p.gaPaths[1]}}
			}
			return v
		},
		filter: func(rc *reqCtx, p *numberPool) bool {
			return matchParam(rc, "cid", p.cid) && matchParamP(rc, "afid", p.afid)
		},
		create: func(rc *reqCtx, a *attrs) (*numberPool, error) {
			p := &numberPool{typ: "Toll-free", country: "US", maxPoolSize: 10, reserve: 1, createdAt: rc.now,
				gaPaths: [2]string{"/callpixels/" + rc.st.rnd.uuid(), "/callpixels/" + rc.st.rnd.uuid()}}
			if a.get("cid") == "" {
				a.fail("cid", "can't be blank")
			}
			if err := applyNumberPool(rc, p, a); err != nil {
				return nil, err
			}
			p.id = rc.st.nextID("number_pool")
			return p, nil
		},
		update: applyNumberPool,
		remove: func(rc *reqCtx, p *numberPool) error {
			rc.co.numbers.removeIf(func(n *number) bool { return n.poolID == p.id })
			return nil
		},
		deleteStatus: http.StatusNoContent,
	}
}

func applyNumberPool(rc *reqCtx, p *numberPool, a *attrs) error {
	next := *p
	if a.str("cid", &next.cid) && next.cid != "" && rc.co.campaignByCID(next.cid) == nil {
		a.fail("cid", "does not exist")
	}
	if a.strP("afid", &next.afid) && next.afid != nil {
		if _, ok := rc.co.affiliates.find(func(x *affiliate) bool { return x.afid == *next.afid }); !ok {
			a.fail("afid", "does not exist")
		}
	}
	if a.str("type", &next.typ) && next.typ != "Toll-free" && next.typ != "Local" {
		a.fail("type", "is not included in the list")
	}
	if a.str("country", &next.country) {
		next.country = strings.ToUpper(next.country)
		if !slices.Contains(numberCountries, next.country) {
			a.fail("country", "is not included in the list")
		}
	}
	a.int("max_pool_size", &next.maxPoolSize)
	a.int("buffer_seconds", &next.bufferSeconds)
	a.int("reserve_size", &next.reserve)
	a.bool("google_analytics", &next.googleAnalytics)
	a.bool("hide_embedded_access", &next.hideEmbedded)
	if next.googleAnalytics && next.afid != nil {
		a.fail("google_analytics", "is incompatible with a number pool that has an affiliate")
	}
	if next.maxPoolSize < 1 {
		a.fail("max_pool_size", "must be greater than 0")
	}
	if err := a.err(); err != nil {
		return err
	}
	next.updatedAt = rc.now
	*p = next
	return nil
}

func (s *Server) registerCampaigns(rt *router) {
	addResource(rt, s.campaignResource())
	addResource(rt, s.numberResource())
	addResource(rt, s.numberPoolResource())
}
