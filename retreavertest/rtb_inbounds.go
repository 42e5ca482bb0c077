package retreavertest

import (
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"time"
)

// Statuses of the RTB inbounds log. A reservation that is neither confirmed
// nor lapsed is listed as "reserved", which is none of the documented four.
const (
	inboundExpired  = "expired"
	inboundClaimed  = "claimed"
	inboundNoTarget = "no-target"
	inboundRejected = "rejected"
	inboundReserved = "reserved"
)

// inboundStatuses are the statuses the log documents (the filters object's list).
var inboundStatuses = []string{inboundExpired, inboundClaimed, inboundNoTarget, inboundRejected}

// zeroUUID is how the log writes an absent UUID: never null.
const zeroUUID = "00000000-0000-0000-0000-000000000000"

// inboundsPerPage is the log's fixed page size (per_page is not read).
const inboundsPerPage = 100

// inbound is one row of a company's RTB inbounds log: a ping the RTB routes
// answered (recordPing, recordRepeat), or a row AddRTBInbound added.
type inbound struct {
	id                                                int64 // orders rows created at the same moment
	uuid                                              string
	status                                            string    // "" while the reservation is live: see at
	expiresAt                                         time.Time // the reservation's, for a row whose status is ""
	callUUID                                          string    // "" for none
	postbackKeyID, affiliateID, campaignID, targetID  int64     // 0 for none
	caller                                            string
	revenue, payout                                   cents
	dupOrder                                          int
	dupOriginal                                       string // "" for none
	callerState, callerCity, callerZip, callerCountry string
	createdAt                                         time.Time
	confirmedAt, endedAt                              *time.Time
	timeToResolve                                     float64
	pixels, pixelErrors                               int
	pbm                                               *pbmOutcome // nil: no pbm_* fields
}

// pbmOutcome is what a payout bid modification table did to a ping.
type pbmOutcome struct {
	tableVersion   string
	ruleID         *int64
	bucket         *int
	variant        string
	originalPayout cents
	percent        *float64
}

// inboundLog holds a company's rows in created_at order (ties by id).
type inboundLog struct {
	rows   []*inbound
	byUUID map[string]*inbound
}

func (l *inboundLog) add(in *inbound) {
	if l.byUUID == nil {
		l.byUUID = map[string]*inbound{}
	}
	i := sort.Search(len(l.rows), func(i int) bool {
		r := l.rows[i]
		return in.createdAt.Before(r.createdAt) || in.createdAt.Equal(r.createdAt) && in.id < r.id
	})
	l.rows = slices.Insert(l.rows, i, in)
	l.byUUID[in.uuid] = in
}

// at returns the row as it reads at now: a live reservation is "reserved",
// one that has lapsed unconfirmed "expired", ended at its expiry (at its
// creation, for a reservation made to expire at once).
func (in *inbound) at(now time.Time) inbound {
	v := *in
	if v.status == "" {
		if now.Before(in.expiresAt) {
			v.status = inboundReserved
		} else {
			end := in.expiresAt
			if end.Before(in.createdAt) {
				end = in.createdAt
			}
			v.status = inboundExpired
			v.endedAt = timeP(end)
			v.timeToResolve = secondsBetween(in.createdAt, end)
		}
	}
	return v
}

// secondsBetween is b - a in seconds, to the millisecond.
func secondsBetween(a, b time.Time) float64 {
	return math.Round(b.Sub(a).Seconds()*1000) / 1000
}

// recordPing logs the ping that made reservation r with key k in company co.
// A reserved ping takes the company's first target that is not paused, the
// revenue of its campaign, and the outcome of the campaign's active payout bid
// modification table, which may change r.payout.
func (st *store) recordPing(co *company, k *rtbKey, r *reservation) {
	in := &inbound{id: st.nextID("rtb_inbound"), uuid: r.uuid, postbackKeyID: k.id, campaignID: r.campaignID,
		caller: r.caller, createdAt: r.createdAt, expiresAt: r.expiresAt,
		callerState: r.tags["caller_state"], callerCity: r.tags["caller_city"], callerZip: r.tags["caller_zip"],
		callerCountry: r.tags["caller_country"]}
	if in.callerCountry == "" && len(r.caller) == 12 && r.caller[:2] == "+1" {
		in.callerCountry = "US"
	}
	if a, ok := co.affiliates.find(func(a *affiliate) bool { return a.afid == r.publisherID }); ok {
		in.affiliateID = a.id
	}
	if r.status == rtbNoTarget {
		in.status = inboundNoTarget
		in.endedAt = timeP(r.createdAt)
		co.inbounds.add(in)
		return
	}
	if t, ok := co.targets.find(func(t *target) bool { return !t.paused }); ok {
		in.targetID = t.id
	}
	in.revenue = 2 * rtbDefaultPayout
	var camp *campaign
	if c, ok := co.campaigns.get(r.campaignID); ok {
		camp = c
		in.revenue = campaignRevenue(c.cid)
	}
	in.payout = r.payout
	if t := co.activePBMTable(r.campaignID); t != nil {
		in.pbm, in.payout = t.apply(co, camp, in, r.tags)
		r.payout = in.payout
	}
	co.inbounds.add(in)
}

// recordRepeat logs a ping-shielded repeat of reservation r: a row of its
// own, a duplicate of r's, rejected (the buyers were not pinged again).
func (st *store) recordRepeat(r *reservation, now time.Time) {
	co := st.company(r.companyID)
	orig := co.inbounds.byUUID[r.uuid]
	if orig == nil {
		return
	}
	order := 1
	for _, row := range co.inbounds.rows {
		if row.dupOriginal == orig.uuid {
			order++
		}
	}
	co.inbounds.add(&inbound{id: st.nextID("rtb_inbound"), uuid: st.rnd.uuid(), status: inboundRejected,
		postbackKeyID: orig.postbackKeyID, affiliateID: orig.affiliateID, campaignID: orig.campaignID,
		caller: orig.caller, dupOrder: order, dupOriginal: orig.uuid, callerState: orig.callerState,
		callerCity: orig.callerCity, callerZip: orig.callerZip, callerCountry: orig.callerCountry,
		createdAt: now, endedAt: timeP(now)})
}

// claimPing marks the row of reservation r, just confirmed, claimed: the call
// it became is added to the company's call log (created now, lasting the
// reservation's seconds, with its caller, campaign, affiliate, target,
// amounts and tags), and the row takes the call's uuid and end.
func (st *store) claimPing(r *reservation, now time.Time) {
	co := st.company(r.companyID)
	in := co.inbounds.byUUID[r.uuid]
	if in == nil {
		return
	}
	spec := Call{CreatedAt: now, Caller: in.caller, CallerState: in.callerState, Duration: r.seconds, Revenue: in.revenue.amount(),
		Payout: in.payout.amount(), Tags: r.tags}
	c, err := st.inboundCall(co, in, spec)
	if err != nil {
		return
	}
	in.status, in.callUUID = inboundClaimed, c.uuid
	in.confirmedAt, in.endedAt = timeP(now), c.endTime
	in.timeToResolve = secondsBetween(in.createdAt, now)
}

// inboundCall adds the call of a claimed row to the company's call log: spec
// with the row's campaign, affiliate and target (connected for the whole
// call), those the company still has.
func (st *store) inboundCall(co *company, in *inbound, spec Call) (*call, error) {
	if _, ok := co.campaigns.get(in.campaignID); ok {
		spec.CampaignID = in.campaignID
	}
	if a, ok := co.affiliates.get(in.affiliateID); ok {
		spec.AFID = a.afid
	}
	if _, ok := co.targets.get(in.targetID); ok {
		spec.TargetID = in.targetID
		spec.ConnectedDuration = spec.Duration
	}
	c, err := st.callFromSpec(co, spec, spec.CreatedAt)
	if err != nil {
		return nil, err
	}
	if spec.CampaignID == 0 { // callFromSpec gave it the company's first campaign
		c.cid, c.campaignID, c.campaignName = nil, nil, nil
	}
	co.calls.add(c)
	return c, nil
}

// amount renders cents as Call.Revenue takes them: "12.50".
func (c cents) amount() string {
	sign, n := "", int64(c)
	if n < 0 {
		sign, n = "-", -n
	}
	return sign + strconv.FormatInt(n/100, 10) + "." + strconv.FormatInt(n%100/10, 10) + strconv.FormatInt(n%10, 10)
}

// inboundView is a row as the log renders it. The pbm_* fields are there
// only for a ping a payout bid modification table was applied to.
type inboundView struct {
	CallUUID              string     `json:"call_uuid"`
	UUID                  string     `json:"uuid"`
	PostbackKeyID         *int64     `json:"postback_key_id"`
	CallerNumber          string     `json:"caller_number"`
	AffiliateID           *int64     `json:"affiliate_id"`
	CampaignID            *int64     `json:"campaign_id"`
	TargetID              *int64     `json:"target_id"`
	Revenue               moneyNum   `json:"revenue"`
	Payout                moneyNum   `json:"payout"`
	Status                string     `json:"status"`
	DuplicateOrder        int        `json:"duplicate_order"`
	DuplicateOriginalUUID string     `json:"duplicate_original_uuid"`
	CallerState           *string    `json:"caller_state"`
	CallerCity            *string    `json:"caller_city"`
	CallerZip             *string    `json:"caller_zip"`
	CallerCountry         *string    `json:"caller_country"`
	CreatedAt             jsTimeSec  `json:"created_at"`
	ConfirmedAt           *jsTimeSec `json:"confirmed_at"`
	EndedAt               *jsTimeSec `json:"ended_at"`
	TimeToResolve         rubyFloat  `json:"time_to_resolve"`
	FiredPixelsCount      int        `json:"fired_pixels_count"`
	FiredPixelsErrorCount int        `json:"fired_pixels_error_count"`
	*pbmView
}

type pbmView struct {
	TableVersion     string     `json:"pbm_table_version"`
	RuleID           *int64     `json:"pbm_rule_id"`
	Bucket           *int       `json:"pbm_bucket"`
	Variant          *string    `json:"pbm_variant"`
	OriginalPayout   moneyNum   `json:"pbm_original_payout"`
	PercentOfRevenue *rubyFloat `json:"pbm_percent_of_revenue"`
}

func orZeroUUID(s string) string {
	if s == "" {
		return zeroUUID
	}
	return s
}

func idOrNull(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func textOrNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// view renders a row as read at now.
func (in *inbound) view(now time.Time) inboundView {
	v := in.at(now)
	out := inboundView{CallUUID: orZeroUUID(v.callUUID), UUID: v.uuid, PostbackKeyID: idOrNull(v.postbackKeyID),
		CallerNumber: v.caller, AffiliateID: idOrNull(v.affiliateID), CampaignID: idOrNull(v.campaignID),
		TargetID: idOrNull(v.targetID), Revenue: moneyNum(v.revenue), Payout: moneyNum(v.payout), Status: v.status,
		DuplicateOrder: v.dupOrder, DuplicateOriginalUUID: orZeroUUID(v.dupOriginal),
		CallerState: textOrNull(v.callerState), CallerCity: textOrNull(v.callerCity), CallerZip: textOrNull(v.callerZip),
		CallerCountry: textOrNull(v.callerCountry), CreatedAt: jsTimeSec(v.createdAt),
		ConfirmedAt: tsSecP(v.confirmedAt), EndedAt: tsSecP(v.endedAt), TimeToResolve: rubyFloat(v.timeToResolve),
		FiredPixelsCount: v.pixels, FiredPixelsErrorCount: v.pixelErrors}
	if p := v.pbm; p != nil {
		out.pbmView = &pbmView{TableVersion: p.tableVersion, RuleID: p.ruleID, Bucket: p.bucket,
			Variant: textOrNull(p.variant), OriginalPayout: moneyNum(p.originalPayout)}
		if p.percent != nil {
			f := rubyFloat(*p.percent)
			out.PercentOfRevenue = &f
		}
	}
	return out
}

// listInbounds serves GET api/v{2,3,4,5}/rtb_inbounds.json: the company's
// rows the filters keep, newest first, 100 a page, with the filters object
// when with_filters=true.
func listInbounds(rc *reqCtx) (int, any, error) {
	f, ferr := parseInboundFilter(rc.st, rc.co, rc.q, rc.now)
	if ferr != nil {
		return 0, nil, ferr.apiError()
	}
	rows := f.rows(rc.co, rc.now)
	page := paginate(rc, rows, inboundsPerPage)
	views := make([]inboundView, len(page))
	for i, in := range page {
		views[i] = in.view(rc.now)
	}
	body := map[string]any{"rtb_inbounds": views}
	if v := rc.q.Get("with_filters"); v == "true" || v == "1" {
		body["filters"] = inboundFilterValues(rc.st, rc.co)
	}
	return http.StatusOK, body, nil
}

// filterValue is one value of the filters object: an id and its name.
type filterValue struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// inboundFilterValues is the filters object: every campaign, publisher
// (affiliate), target and postback key of the company, and the statuses.
func inboundFilterValues(st *store, co *company) map[string]any {
	campaigns := []filterValue{}
	for _, c := range co.campaigns.items {
		name := c.cid
		if c.name != nil {
			name = *c.name
		}
		campaigns = append(campaigns, filterValue{c.id, name})
	}
	publishers := []filterValue{}
	for _, a := range co.affiliates.items {
		name := a.displayName()
		if name == "" {
			name = a.afid
		}
		publishers = append(publishers, filterValue{a.id, name})
	}
	targets := []filterValue{}
	for _, t := range co.targets.items {
		targets = append(targets, filterValue{t.id, t.displayName()})
	}
	keys := []filterValue{}
	for _, k := range st.rtbKeys {
		if k.companyID != co.id {
			continue
		}
		name := co.name
		if c, ok := co.campaigns.get(k.campaignID); ok {
			name = c.cid
			if c.name != nil {
				name = *c.name
			}
		}
		keys = append(keys, filterValue{k.id, name})
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].ID < keys[j].ID })
	return map[string]any{"campaigns": campaigns, "publishers": publishers, "targets": targets,
		"postback_keys": keys, "statuses": inboundStatuses}
}
