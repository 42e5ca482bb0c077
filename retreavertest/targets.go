package retreavertest

import (
	"net/http"
	"slices"
	"time"
)

type businessHour struct {
	id                   int64
	workDay              bool
	timeOpen, timeClose  int
	dayOfWeek            int
	invert               bool
	createdAt, updatedAt time.Time
}

type businessHourView struct {
	ID        int64  `json:"id"`
	TargetID  int64  `json:"target_id"`
	WorkDay   bool   `json:"work_day"`
	TimeOpen  int    `json:"time_open"`
	TimeClose int    `json:"time_close"`
	DayOfWeek int    `json:"day_of_week"`
	Invert    bool   `json:"invert"`
	CreatedAt jsTime `json:"created_at"`
	UpdatedAt jsTime `json:"updated_at"`
}

type target struct {
	id                       int64
	number                   string
	name                     *string
	sipUsername, sipPassword *string
	cidNumberID              *int
	obfuscateCID             bool
	createdAt, updatedAt     time.Time
	objectKey                string
	tid                      *string
	priority, weight         int
	timeoutSeconds           int
	timerOffset              int
	sendDigits               *string
	concurrencyCap           *int
	callsInProgress          int
	inbandSignals            bool
	timeZone                 string
	paused                   bool
	pausedAt                 *time.Time
	caps                     []*capEntry
	hours                    []*businessHour
	tags                     []tagValue
	convGroups               []*conversionGroup
}

func (t *target) getID() int64 { return t.id }

func (t *target) displayName() string {
	if t.name != nil {
		return *t.name
	}
	return t.number
}

func (t *target) clone() *target {
	cp := *t
	cp.caps = cloneCaps(t.caps)
	cp.hours = make([]*businessHour, len(t.hours))
	for i, h := range t.hours {
		hc := *h
		cp.hours[i] = &hc
	}
	cp.tags = slices.Clone(t.tags)
	cp.convGroups = cloneConversionGroups(t.convGroups)
	return &cp
}

type targetView struct {
	ID              int64              `json:"id"`
	Number          string             `json:"number"`
	SipUsername     *string            `json:"sip_username"`
	SipPassword     *string            `json:"sip_password"`
	CidNumberID     *int               `json:"cid_number_id"`
	ObfuscateCID    bool               `json:"obfuscate_cid"`
	CreatedAt       jsTime             `json:"created_at"`
	UpdatedAt       jsTime             `json:"updated_at"`
	ObjectKey       string             `json:"object_key"`
	TID             *string            `json:"tid"`
	Priority        int                `json:"priority"`
	Weight          int                `json:"weight"`
	TimeoutSeconds  int                `json:"timeout_seconds"`
	TimerOffset     int                `json:"timer_offset"`
	SendDigits      *string            `json:"send_digits"`
	ConcurrencyCap  *int               `json:"concurrency_cap"`
	CallsInProgress int                `json:"calls_in_progress"`
	InbandSignals   bool               `json:"inband_signals"`
	TimeZone        string             `json:"time_zone"`
	Paused          bool               `json:"paused"`
	PausedAt        *jsTime            `json:"paused_at"`
	Name            *string            `json:"name"`
	Caps            []capView          `json:"caps"`
	BusinessHours   []businessHourView `json:"business_hours"`
	TagValues       []tagValue         `json:"tag_values"`
	TargetGroupIDs  []int64            `json:"target_group_ids"`
	TargetGroups    []targetGroupBrief `json:"target_groups"`
}

// targetCreatedView is the create answer, which names the tid client_tid, as
// the reference shows. Its TID, less deeply nested than targetView's, hides
// that one, and omitempty leaves it out.
type targetCreatedView struct {
	targetView
	TID       *string `json:"tid,omitempty"`
	ClientTID *string `json:"client_tid"`
}

// renderTarget renders t with the groups of co it belongs to.
func renderTarget(co *company, t *target) targetView {
	hours := make([]businessHourView, 0, len(t.hours))
	for _, h := range t.hours {
		hours = append(hours, businessHourView{ID: h.id, TargetID: t.id, WorkDay: h.workDay, TimeOpen: h.timeOpen,
			TimeClose: h.timeClose, DayOfWeek: h.dayOfWeek, Invert: h.invert,
			CreatedAt: jsTime(h.createdAt), UpdatedAt: jsTime(h.updatedAt)})
	}
	tags := t.tags
	if tags == nil {
		tags = []tagValue{}
	}
	v := targetView{
		ID: t.id, Number: t.number, SipUsername: t.sipUsername, SipPassword: t.sipPassword, CidNumberID: t.cidNumberID,
		ObfuscateCID: t.obfuscateCID, CreatedAt: jsTime(t.createdAt), UpdatedAt: jsTime(t.updatedAt),
		ObjectKey: t.objectKey, TID: t.tid, Priority: t.priority, Weight: t.weight, TimeoutSeconds: t.timeoutSeconds,
		TimerOffset: t.timerOffset, SendDigits: t.sendDigits, ConcurrencyCap: t.concurrencyCap,
		CallsInProgress: t.callsInProgress, InbandSignals: t.inbandSignals, TimeZone: t.timeZone, Paused: t.paused,
		PausedAt: tsp(t.pausedAt), Name: t.name, Caps: renderCaps(t.caps), BusinessHours: hours, TagValues: tags,
		TargetGroupIDs: []int64{}, TargetGroups: []targetGroupBrief{},
	}
	for _, g := range co.groups.items {
		if slices.Contains(g.targetIDs, t.id) {
			v.TargetGroupIDs = append(v.TargetGroupIDs, g.id)
			v.TargetGroups = append(v.TargetGroups, briefTargetGroup(g))
		}
	}
	return v
}

// newTarget builds a target with the documented defaults: priority 1, weight 1,
// 30 s timeout, UTC, four empty caps and seven open-all-day business hours.
func (st *store) newTarget(at time.Time) *target {
	t := &target{
		priority: 1, weight: 1, timeoutSeconds: 30, timeZone: "UTC",
		objectKey: st.rnd.hex(64), createdAt: at, updatedAt: at, caps: st.newCaps(), tags: []tagValue{},
	}
	for day := 0; day < 7; day++ {
		t.hours = append(t.hours, &businessHour{id: st.nextID("business_hour"), workDay: true, timeClose: 2400,
			dayOfWeek: day, createdAt: at, updatedAt: at})
	}
	return t
}

func targetResource() *resource[*target] {
	return &resource[*target]{
		root: "target",
		coll: func(rc *reqCtx) *collection[*target] { return &rc.co.targets },
		// Lists and the create answer leave out the conversion groups, as
		// the reference's examples do; gets and updates show them.
		render: func(rc *reqCtx, t *target) any {
			if rc.vars["id"] == "" && rc.vars["key"] == "" {
				return renderTarget(rc.co, t)
			}
			return targetDetailView{renderTarget(rc.co, t), renderConversionGroups(t.convGroups)}
		},
		renderWrite: func(rc *reqCtx, t *target) any {
			if rc.r.Method == http.MethodPost {
				return targetCreatedView{targetView: renderTarget(rc.co, t), ClientTID: t.tid}
			}
			return targetDetailView{renderTarget(rc.co, t), renderConversionGroups(t.convGroups)}
		},
		create: func(rc *reqCtx, a *attrs) (*target, error) {
			t := rc.st.newTarget(rc.now)
			if err := applyTarget(rc, t, a, true); err != nil {
				return nil, err
			}
			t.id = rc.st.nextID("target")
			return t, nil
		},
		update: func(rc *reqCtx, t *target, a *attrs) error { return applyTarget(rc, t, a, false) },
		remove: func(rc *reqCtx, t *target) error {
			for _, g := range rc.co.groups.items {
				g.targetIDs = slices.DeleteFunc(g.targetIDs, func(id int64) bool { return id == t.id })
			}
			return nil
		},
		key:          func(t *target) string { return deref(t.tid) },
		deleteStatus: http.StatusNoContent,
	}
}

// applyTarget validates a and applies it to t; t is unchanged on error.
func applyTarget(rc *reqCtx, t *target, a *attrs, creating bool) error {
	next := t.clone()
	a.str("number", &next.number)
	if next.number == "" && (creating || a.has("number")) {
		a.fail("number", "can't be blank")
	}
	a.strP("name", &next.name)
	a.strP("sip_username", &next.sipUsername)
	a.strP("sip_password", &next.sipPassword)
	a.strP("client_tid", &next.tid) // tid, the name the reference once gave it, is ignored
	a.strP("send_digits", &next.sendDigits)
	a.int("priority", &next.priority)
	a.int("weight", &next.weight)
	a.int("timeout_seconds", &next.timeoutSeconds)
	a.int("timer_offset", &next.timerOffset)
	a.intP("concurrency_cap", &next.concurrencyCap)
	a.intP("cid_number_id", &next.cidNumberID)
	a.bool("inband_signals", &next.inbandSignals)
	a.bool("obfuscate_cid", &next.obfuscateCID)
	if a.str("time_zone", &next.timeZone) && !timeZones[next.timeZone] {
		a.fail("time_zone", "is not included in the list")
	}
	wasPaused := next.paused
	if a.bool("paused", &next.paused) && next.paused != wasPaused {
		if next.paused {
			next.pausedAt = timeP(rc.now)
		} else {
			next.pausedAt = nil
		}
	}
	if next.tid != nil && (t.tid == nil || *next.tid != *t.tid) {
		if _, taken := rc.co.targets.find(func(o *target) bool { return o != t && o.tid != nil && *o.tid == *next.tid }); taken {
			a.fail("tid", "has already been taken")
		}
	}
	applyCaps(next.caps, a)
	if err := applyBusinessHours(rc, next, a, creating); err != nil {
		return err
	}
	rc.st.applyTagList(rc.co, a, &next.tags)
	applyConversionGroups(rc, &next.convGroups, a)
	if err := a.err(); err != nil {
		return err
	}
	next.updatedAt = rc.now
	*t = *next
	return nil
}

// applyBusinessHours handles business_hours_attributes like Rails nested
// attributes: an entry with id updates (or, with _destroy, removes) that entry;
// an entry without id adds one. On create, an entry without id replaces the
// default entry of its day_of_week instead.
func applyBusinessHours(rc *reqCtx, t *target, a *attrs, creating bool) error {
	list, ok := a.list("business_hours_attributes")
	if !ok {
		return nil
	}
	for _, e := range list {
		var h *businessHour
		var id int
		if e.int("id", &id) {
			i := slices.IndexFunc(t.hours, func(b *businessHour) bool { return b.id == int64(id) })
			if i < 0 {
				return errNotFound()
			}
			if e.destroy() {
				t.hours = slices.Delete(t.hours, i, i+1)
				continue
			}
			h = t.hours[i]
		} else {
			var day int
			if !e.int("day_of_week", &day) {
				e.fail("day_of_week", "can't be blank")
				continue
			}
			h = &businessHour{workDay: true, timeClose: 2400, dayOfWeek: day, createdAt: rc.now}
			if i := slices.IndexFunc(t.hours, func(b *businessHour) bool { return b.dayOfWeek == day }); creating && i >= 0 {
				h = t.hours[i]
			} else {
				h.id = rc.st.nextID("business_hour")
				t.hours = append(t.hours, h)
			}
		}
		e.int("day_of_week", &h.dayOfWeek)
		e.bool("work_day", &h.workDay)
		e.int("time_open", &h.timeOpen)
		e.int("time_close", &h.timeClose)
		e.bool("invert", &h.invert)
		e.bool("inverted", &h.invert)
		h.updatedAt = rc.now
		if h.dayOfWeek < 0 || h.dayOfWeek > 6 {
			e.fail("day_of_week", "must be between 0 and 6")
		}
		if h.timeOpen < 0 || h.timeOpen > 2400 || h.timeOpen%100 >= 60 {
			e.fail("time_open", "is invalid")
		}
		if h.timeClose < 0 || h.timeClose > 2400 || h.timeClose%100 >= 60 {
			e.fail("time_close", "is invalid")
		}
	}
	return nil
}

// resetTargetCap serves POST targets/{id}/reset_cap.json: the hard cap's count
// goes back to 0. It answers 200 with an empty body.
func resetTargetCap(rc *reqCtx) (int, any, error) {
	t, err := lookupID(rc, &rc.co.targets)
	if err != nil {
		return 0, nil, err
	}
	resetHardCap(t.caps)
	return http.StatusOK, nil, nil
}
