package retreavertest

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Call describes one call for Server.AddCall: the fields a test wants to
// assert on. Every field is optional. A zero field gets the value given in its
// comment; nothing is drawn at random but what identifies the call when not
// given: its uuid, the caller (with its place) and the tracking number.
type Call struct {
	// UUID identifies the call; empty generates one. It must be unique in
	// the company.
	UUID string
	// CreatedAt is when the call came in (created_at and start_time); zero
	// means now. It is kept in UTC to the millisecond, as the API's
	// timestamps are.
	CreatedAt time.Time
	// Caller is the caller's number, written as for the caller query
	// parameter ("+18005550100", "8005550100"); empty generates a US number
	// with a matching zip, city, state and country; for a given Caller those
	// are null, but for CallerState when given.
	Caller string
	// CallerState is caller_state, what the "state" report facet counts, such
	// as "NC". Empty means none (null), or the state of a generated Caller.
	CallerState string
	// CampaignID names the company's campaign by id, or else CID by cid
	// (both given must name the same campaign). Both empty: the company's
	// first campaign, or none when it has none.
	CampaignID int64
	CID        string
	// AFID names the company's affiliate (publisher) by afid; empty means none.
	AFID string
	// SubID is the call's sid; empty means none.
	SubID string
	// TargetID names the company's target the call was sent to by id, or else
	// TID by tid (both given must name the same target). Both empty: no target
	// (the call was not routed).
	TargetID int64
	TID      string
	// Number is the tracking number the caller dialed; empty means the
	// company's first number of the call's campaign and affiliate (or with no
	// affiliate, when AFID is empty), or else a generated toll-free number.
	Number string
	// Status is "finished" (the default) or "in-progress" (no end_time yet).
	Status string
	// Duration is total_duration in seconds; zero means ConnectedDuration.
	Duration int
	// ConnectedDuration is dialed_call_duration: the seconds the caller spent
	// connected to the target. It needs a target and may not exceed Duration.
	// A call sent to a target is connected when ConnectedDuration is positive.
	ConnectedDuration int
	// Revenue and Payout are exact decimal amounts with at most two decimals,
	// such as "12.50" or "7"; empty means none (null). A call with either is
	// converted (receivable with Revenue, payable with Payout).
	Revenue string
	Payout  string
	// Tags are the call's tags, exactly; nil means none. The tag_value report
	// counts only the tag keys the company uses as tags (see Reports in the
	// package documentation).
	Tags map[string]string
}

// AddCall stores one call in a company (any company, the forbidden one
// included) and returns its uuid. The call's fields are exactly the ones
// given, or the defaults documented on Call, so that reading the call, the
// call listings (and so exports) and the reports answer known values. The fields that follow from
// them are filled consistently: campaign, affiliate and target names and ids,
// target group, end_time (CreatedAt plus Duration, for a finished call),
// billable_minutes (started minutes of Duration), charge_total and total_cost
// (2 cents per billable minute), profit, recording_url (a connected call of a
// campaign that records calls). No pixels fired; the call is no repeat and no
// duplicate.
//
// It returns an error, and stores nothing, when the company does not exist,
// a field names an object the company does not have, or a value is invalid.
func (s *Server) AddCall(companyID int64, spec Call) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.st.company(companyID)
	if co == nil {
		return "", fmt.Errorf("retreavertest: AddCall: no company %d", companyID)
	}
	c, err := s.st.callFromSpec(co, spec, now())
	if err != nil {
		return "", fmt.Errorf("retreavertest: AddCall: %w", err)
	}
	co.calls.add(c)
	return c.uuid, nil
}

// amountPattern is what Call.Revenue and Call.Payout accept.
var amountPattern = regexp.MustCompile(`^-?[0-9]+(\.[0-9]{1,2})?$`)

// parseAmount reads a decimal amount such as "12.50" into cents; "" is nil.
func parseAmount(field, s string) (*cents, error) {
	if s == "" {
		return nil, nil
	}
	if !amountPattern.MatchString(s) {
		return nil, fmt.Errorf("%s %q is not an amount such as \"12.50\"", field, s)
	}
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	frac = (frac + "00")[:2]
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%s %q is out of range", field, s)
	}
	if strings.HasPrefix(s, "-") {
		n = -n
	}
	c := cents(n)
	return &c, nil
}

// callFromSpec builds the call a Call describes (not yet stored).
func (st *store) callFromSpec(co *company, spec Call, nowT time.Time) (*call, error) {
	revenue, err := parseAmount("revenue", spec.Revenue)
	if err != nil {
		return nil, err
	}
	payout, err := parseAmount("payout", spec.Payout)
	if err != nil {
		return nil, err
	}
	if spec.UUID != "" && co.calls.byUUID[spec.UUID] != nil {
		return nil, fmt.Errorf("company %d already has a call %s", co.id, spec.UUID)
	}
	status := spec.Status
	switch status {
	case "":
		status = "finished"
	case "finished", "in-progress":
	default:
		return nil, fmt.Errorf("status %q is neither \"finished\" nor \"in-progress\"", status)
	}
	if spec.Duration < 0 || spec.ConnectedDuration < 0 {
		return nil, errors.New("durations may not be negative")
	}
	duration := spec.Duration
	if duration == 0 {
		duration = spec.ConnectedDuration
	}
	if spec.ConnectedDuration > duration {
		return nil, fmt.Errorf("connected duration %d exceeds the duration %d", spec.ConnectedDuration, duration)
	}
	camp, err := specCampaign(co, spec)
	if err != nil {
		return nil, err
	}
	var aff *affiliate
	if spec.AFID != "" {
		a, ok := co.affiliates.find(func(a *affiliate) bool { return a.afid == spec.AFID })
		if !ok {
			return nil, fmt.Errorf("company %d has no affiliate with afid %q", co.id, spec.AFID)
		}
		aff = a
	}
	tgt, err := specTarget(co, spec)
	if err != nil {
		return nil, err
	}
	if tgt == nil && spec.ConnectedDuration > 0 {
		return nil, errors.New("a connected duration needs a target")
	}

	created := spec.CreatedAt
	if created.IsZero() {
		created = nowT
	}
	created = created.UTC().Truncate(time.Millisecond)
	g := st.rnd
	c := &call{id: st.nextID("call"), uuid: spec.UUID, companyID: co.id, createdAt: created, startTime: created,
		updatedAt: created, status: status, via: "inbound-dial", totalDuration: duration,
		tags: maps.Clone(spec.Tags)}
	if c.uuid == "" {
		c.uuid = g.uuid()
	}
	if c.tags == nil {
		c.tags = map[string]string{}
	}

	if spec.Caller != "" {
		c.caller = normalizePhone(spec.Caller)
	} else {
		gl := pick(g, callerGeos)
		c.caller = "+1" + gl.area + strconv.Itoa(g.between(2, 9)) + g.digits(6)
		c.callerZip, c.callerState, c.callerCity, c.callerCountry = strP(gl.zip), strP(gl.state), strP(gl.city), strP(gl.country)
	}
	if spec.CallerState != "" {
		c.callerState = strP(spec.CallerState)
	}

	threshold := 90
	if camp != nil {
		c.cid, c.campaignID, c.campaignName = strP(camp.cid), int64P(camp.id), camp.name
		for _, t := range camp.timers {
			threshold = max(threshold, t.seconds)
		}
	}
	if aff != nil {
		c.afid, c.affiliateID, c.affiliateName = strP(aff.afid), int64P(aff.id), strP(aff.displayName())
	}
	if spec.SubID != "" {
		c.sid = strP(spec.SubID)
	}
	c.number = normalizePhone(spec.Number)
	if n, ok := co.numbers.find(func(n *number) bool {
		if c.number != "" {
			return n.number == c.number
		}
		return n.cid == deref(c.cid) && deref(n.afid) == spec.AFID
	}); ok {
		c.number, c.numberID, c.numberName = n.number, int64P(n.id), n.name
	}
	if c.number == "" {
		c.number = g.phone(true, "US")
	}

	if tgt != nil {
		c.targetID, c.tid, c.targetName, c.dialedNumber = int64P(tgt.id), tgt.tid, strP(tgt.displayName()), strP(tgt.number)
		c.targetRepeat = boolP(false)
		c.forwardedTime = timeP(created)
		c.connected = spec.ConnectedDuration > 0
		c.dialedCallDuration = spec.ConnectedDuration
		for _, grp := range co.groups.items {
			if slices.Contains(grp.targetIDs, tgt.id) {
				c.targetGroupID, c.targetGroupName = int64P(grp.id), grp.name
				break
			}
		}
	}

	c.billableMinutes = (duration + 59) / 60
	c.chargeTotal = cents(2 * c.billableMinutes)
	if status == "finished" {
		end := created.Add(time.Duration(duration) * time.Second)
		c.endTime, c.conversionsDeterminedAt, c.updatedAt = timeP(end), timeP(end), end
		c.hungUpBy = strP("caller")
		if c.connected && (camp == nil || camp.recordCalls) {
			c.recordingURL = strP("https://recordings.example.com/" + c.uuid + ".mp3")
		}
	}
	c.revenue, c.payout = revenue, payout
	c.receivable, c.payable = revenue != nil, payout != nil
	c.converted = c.receivable || c.payable
	if c.converted {
		c.conversionSeconds = intP(threshold)
		c.networkSaleTimerFired = boolP(true)
		if tgt != nil {
			c.targetSaleTimerFired = boolP(true)
		}
		if aff != nil {
			c.affiliateSaleTimerFired = boolP(c.payable)
		}
	}
	return c, nil
}

// specCampaign finds the campaign a Call names (nil for none).
func specCampaign(co *company, spec Call) (*campaign, error) {
	var camp *campaign
	switch {
	case spec.CampaignID != 0:
		c, ok := co.campaigns.get(spec.CampaignID)
		if !ok {
			return nil, fmt.Errorf("company %d has no campaign %d", co.id, spec.CampaignID)
		}
		camp = c
	case spec.CID != "":
		camp = co.campaignByCID(spec.CID)
		if camp == nil {
			return nil, fmt.Errorf("company %d has no campaign with cid %q", co.id, spec.CID)
		}
	case co.campaigns.len() > 0:
		camp = co.campaigns.items[0]
	}
	if spec.CID != "" && camp.cid != spec.CID {
		return nil, fmt.Errorf("campaign %d has the cid %q, not %q", camp.id, camp.cid, spec.CID)
	}
	return camp, nil
}

// specTarget finds the target a Call names (nil for none).
func specTarget(co *company, spec Call) (*target, error) {
	var tgt *target
	switch {
	case spec.TargetID != 0:
		t, ok := co.targets.get(spec.TargetID)
		if !ok {
			return nil, fmt.Errorf("company %d has no target %d", co.id, spec.TargetID)
		}
		tgt = t
	case spec.TID != "":
		t, ok := co.targets.find(func(t *target) bool { return deref(t.tid) == spec.TID })
		if !ok {
			return nil, fmt.Errorf("company %d has no target with tid %q", co.id, spec.TID)
		}
		tgt = t
	}
	if tgt != nil && spec.TID != "" && deref(tgt.tid) != spec.TID {
		return nil, fmt.Errorf("target %d has the tid %q, not %q", tgt.id, deref(tgt.tid), spec.TID)
	}
	return tgt, nil
}
