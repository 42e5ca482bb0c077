package retreavertest

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

type firedPixel struct {
	url         string
	fireOrder   int
	batchUUID   string
	createdAt   time.Time
	firedAt     *time.Time
	status      string
	webhookName *string
}

type firedPixelView struct {
	URL         string  `json:"url"`
	FireOrder   int     `json:"fire_order"`
	BatchUUID   string  `json:"batch_uuid"`
	CreatedAt   jsTime  `json:"created_at"`
	FiredAt     *jsTime `json:"fired_at"`
	Status      string  `json:"status"`
	WebhookName *string `json:"webhook_name"`
}

// call is one entry of the call log, holding every V2 field.
type call struct {
	id                                                int64 // internal, for a stable order
	uuid                                              string
	caller                                            string
	callerNumberSent                                  *string
	callerZip, callerState, callerCity, callerCountry *string
	dialedCallDuration, totalDuration                 int
	ivrDuration, holdDuration                         int
	status                                            string
	startTime                                         time.Time
	forwardedTime, endTime                            *time.Time
	cid, afid, sid                                    *string
	dialedNumber                                      *string
	revenue, payout, postbackValue                    *cents
	networkSaleTimerFired, affiliateSaleTimerFired    *bool
	targetSaleTimerFired                              *bool
	hungUpBy                                          *string
	duplicate, payableDuplicate, receivableDuplicate  bool
	targetID, campaignID, affiliateID, numberID       *int64
	chargeTotal                                       cents
	keysPressed                                       []string // nil renders null
	repeat, affiliateRepeat, numberRepeat             bool
	targetRepeat                                      *bool
	visitorURL                                        *string
	companyID                                         int64
	conversionsDeterminedAt                           *time.Time
	createdAt, updatedAt                              time.Time
	billableMinutes                                   int
	targetGroupID                                     *int64
	targetGroupName                                   string
	recordingURL                                      *string
	number                                            string
	numberName                                        *string // the tracking number's name (V3 and later)
	converted, payable, receivable                    bool
	conversionSeconds                                 *int
	tid                                               *string
	tags                                              map[string]string
	firedPixels                                       []firedPixel
	via                                               string
	rescued                                           bool
	campaignName, affiliateName, targetName           *string
	connected                                         bool
	timeToCall                                        *int
	timeToConnect                                     int
}

func (c *call) getID() int64 { return c.id }

func (c *call) inProgress() bool { return c.endTime == nil }

type callV1View struct {
	UUID               string     `json:"uuid"`
	Caller             string     `json:"caller"`
	CallerZip          *string    `json:"caller_zip"`
	CallerState        *string    `json:"caller_state"`
	CallerCity         *string    `json:"caller_city"`
	CallerCountry      *string    `json:"caller_country"`
	DialedCallDuration int        `json:"dialed_call_duration"`
	TotalDuration      int        `json:"total_duration"`
	Status             string     `json:"status"`
	StartTime          jsTimeSec  `json:"start_time"`
	ForwardedTime      *jsTimeSec `json:"forwarded_time"`
	EndTime            *jsTimeSec `json:"end_time"`
	CID                *string    `json:"cid"`
	AFID               *string    `json:"afid"`
	SID                *string    `json:"sid"`
	DialedNumber       *string    `json:"dialed_number"`
	UpdatedAt          jsTimeSec  `json:"updated_at"`
	CreatedAt          jsTimeSec  `json:"created_at"`
	RecordingURL       *string    `json:"recording_url"`
}

func renderCallV1(c *call) callV1View {
	return callV1View{UUID: c.uuid, Caller: c.caller, CallerZip: c.callerZip, CallerState: c.callerState,
		CallerCity: c.callerCity, CallerCountry: c.callerCountry, DialedCallDuration: c.dialedCallDuration,
		TotalDuration: c.totalDuration, Status: c.status, StartTime: jsTimeSec(c.startTime),
		ForwardedTime: tsSecP(c.forwardedTime), EndTime: tsSecP(c.endTime), CID: c.cid, AFID: c.afid, SID: c.sid,
		DialedNumber: c.dialedNumber, UpdatedAt: jsTimeSec(c.updatedAt), CreatedAt: jsTimeSec(c.createdAt),
		RecordingURL: c.recordingURL}
}

type callV2View struct {
	UUID                    string            `json:"uuid"`
	Caller                  string            `json:"caller"`
	CallerNumberSent        *string           `json:"caller_number_sent"`
	CallerZip               *string           `json:"caller_zip"`
	CallerState             *string           `json:"caller_state"`
	CallerCity              *string           `json:"caller_city"`
	CallerCountry           *string           `json:"caller_country"`
	DialedCallDuration      int               `json:"dialed_call_duration"`
	TotalDuration           int               `json:"total_duration"`
	IVRDuration             int               `json:"ivr_duration"`
	HoldDuration            int               `json:"hold_duration"`
	Status                  string            `json:"status"`
	StartTime               jsTime            `json:"start_time"`
	ForwardedTime           *jsTime           `json:"forwarded_time"`
	EndTime                 *jsTime           `json:"end_time"`
	CID                     *string           `json:"cid"`
	AFID                    *string           `json:"afid"`
	SID                     *string           `json:"sid"`
	DialedNumber            *string           `json:"dialed_number"`
	Revenue                 *moneyNum         `json:"revenue"`
	Payout                  *moneyNum         `json:"payout"`
	PostbackValue           *moneyNum         `json:"postback_value"`
	NetworkSaleTimerFired   *bool             `json:"network_sale_timer_fired"`
	AffiliateSaleTimerFired *bool             `json:"affiliate_sale_timer_fired"`
	TargetSaleTimerFired    *bool             `json:"target_sale_timer_fired"`
	HungUpBy                *string           `json:"hung_up_by"`
	Duplicate               bool              `json:"duplicate"`
	PayableDuplicate        bool              `json:"payable_duplicate"`
	ReceivableDuplicate     bool              `json:"receivable_duplicate"`
	CallpixelsTargetID      *int64            `json:"callpixels_target_id"`
	SystemTargetID          *int64            `json:"system_target_id"`
	SystemCampaignID        *int64            `json:"system_campaign_id"`
	SystemAffiliateID       *int64            `json:"system_affiliate_id"`
	FiredPixelsCount        int               `json:"fired_pixels_count"`
	ChargeTotal             moneyStr          `json:"charge_total"`
	KeysPressed             []string          `json:"keys_pressed"`
	Repeat                  bool              `json:"repeat"`
	AffiliateRepeat         bool              `json:"affiliate_repeat"`
	TargetRepeat            *bool             `json:"target_repeat"`
	NumberRepeat            bool              `json:"number_repeat"`
	VisitorURL              *string           `json:"visitor_url"`
	CompanyID               int64             `json:"company_id"`
	ConversionsDeterminedAt *jsTime           `json:"conversions_determined_at"`
	UpdatedAt               jsTime            `json:"updated_at"`
	CreatedAt               jsTime            `json:"created_at"`
	BillableMinutes         int               `json:"billable_minutes"`
	UpstreamCallUUID        *string           `json:"upstream_call_uuid"`
	DownstreamCallUUIDs     []string          `json:"downstream_call_uuids"`
	TargetGroup             map[string]any    `json:"target_group"`
	RecordingURL            *string           `json:"recording_url"`
	Number                  string            `json:"number"`
	Converted               bool              `json:"converted"`
	Payable                 bool              `json:"payable"`
	Receivable              bool              `json:"receivable"`
	ConversionSeconds       *int              `json:"conversion_seconds"`
	TID                     *string           `json:"tid"`
	Tags                    map[string]string `json:"tags"`
	FiredPixels             []any             `json:"fired_pixels"`
	Via                     string            `json:"via"`
	Rescued                 bool              `json:"rescued"`
	CampaignID              *int64            `json:"campaign_id"`
	CampaignName            *string           `json:"campaign_name"`
	NumberID                *int64            `json:"number_id"`
	TargetID                *int64            `json:"target_id"`
	AffiliateName           *string           `json:"affiliate_name"`
	Connected               bool              `json:"connected"`
	ProfitGross             moneyStr          `json:"profit_gross"`
	ProfitNet               moneyNum          `json:"profit_net"`
	TargetName              *string           `json:"target_name"`
	TimeToCallInSeconds     *int              `json:"time_to_call_in_seconds"`
	TimeToConnectInSeconds  int               `json:"time_to_connect_in_seconds"`
	TotalCost               moneyStr          `json:"total_cost"`
	// CallFlowEvents is set when the request asks for call_flow_events.
	CallFlowEvents *[]callFlowEventView `json:"call_flow_events,omitempty"`
}

func valueOr(c *cents) cents {
	if c == nil {
		return 0
	}
	return *c
}

func renderCallV2(c *call) callV2View {
	group := map[string]any{}
	if c.targetGroupID != nil {
		group = map[string]any{"id": *c.targetGroupID, "name": c.targetGroupName}
	}
	pixels := make([]any, 0, len(c.firedPixels))
	for _, p := range c.firedPixels {
		pixels = append(pixels, wrap("fired_pixel", firedPixelView{URL: p.url, FireOrder: p.fireOrder, BatchUUID: p.batchUUID,
			CreatedAt: jsTime(p.createdAt), FiredAt: tsp(p.firedAt), Status: p.status, WebhookName: p.webhookName}))
	}
	tags := c.tags
	if tags == nil {
		tags = map[string]string{}
	}
	net := valueOr(c.revenue) - valueOr(c.payout)
	return callV2View{
		UUID: c.uuid, Caller: c.caller, CallerNumberSent: c.callerNumberSent, CallerZip: c.callerZip,
		CallerState: c.callerState, CallerCity: c.callerCity, CallerCountry: c.callerCountry,
		DialedCallDuration: c.dialedCallDuration, TotalDuration: c.totalDuration, IVRDuration: c.ivrDuration,
		HoldDuration: c.holdDuration, Status: c.status, StartTime: jsTime(c.startTime), ForwardedTime: tsp(c.forwardedTime),
		EndTime: tsp(c.endTime), CID: c.cid, AFID: c.afid, SID: c.sid, DialedNumber: c.dialedNumber,
		Revenue: moneyP(c.revenue), Payout: moneyP(c.payout), PostbackValue: moneyP(c.postbackValue),
		NetworkSaleTimerFired: c.networkSaleTimerFired, AffiliateSaleTimerFired: c.affiliateSaleTimerFired,
		TargetSaleTimerFired: c.targetSaleTimerFired, HungUpBy: c.hungUpBy, Duplicate: c.duplicate,
		PayableDuplicate: c.payableDuplicate, ReceivableDuplicate: c.receivableDuplicate,
		CallpixelsTargetID: c.targetID, SystemTargetID: c.targetID, SystemCampaignID: c.campaignID,
		SystemAffiliateID: c.affiliateID, FiredPixelsCount: len(c.firedPixels), ChargeTotal: moneyStr(c.chargeTotal),
		KeysPressed: c.keysPressed, Repeat: c.repeat, AffiliateRepeat: c.affiliateRepeat, TargetRepeat: c.targetRepeat,
		NumberRepeat: c.numberRepeat, VisitorURL: c.visitorURL, CompanyID: c.companyID,
		ConversionsDeterminedAt: tsp(c.conversionsDeterminedAt), UpdatedAt: jsTime(c.updatedAt),
		CreatedAt: jsTime(c.createdAt), BillableMinutes: c.billableMinutes, DownstreamCallUUIDs: []string{},
		TargetGroup: group, RecordingURL: c.recordingURL, Number: c.number, Converted: c.converted,
		Payable: c.payable, Receivable: c.receivable, ConversionSeconds: c.conversionSeconds, TID: c.tid,
		Tags: tags, FiredPixels: pixels, Via: c.via, Rescued: c.rescued, CampaignID: c.campaignID,
		CampaignName: c.campaignName, NumberID: c.numberID, TargetID: c.targetID, AffiliateName: c.affiliateName,
		Connected: c.connected, ProfitGross: moneyStr(net - c.chargeTotal), ProfitNet: moneyNum(net),
		TargetName: c.targetName, TimeToCallInSeconds: c.timeToCall, TimeToConnectInSeconds: c.timeToConnect,
		TotalCost: moneyStr(c.chargeTotal),
	}
}

// maxCallsPerPage bounds per_page on call listings.
const maxCallsPerPage = 100

// parseTimeParam reads an RFC 3339 query time. An unescaped "+" in the offset
// arrives as a space; it is read as "+" again.
func parseTimeParam(q map[string][]string, key string) (*time.Time, error) {
	vals := q[key]
	if len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
		return nil, nil
	}
	raw := strings.ReplaceAll(strings.TrimSpace(vals[0]), " ", "+")
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02"} {
		if t, err := time.Parse(layout, raw); err == nil {
			return &t, nil
		}
	}
	return nil, errBadRequest(key + " must be an RFC 3339 timestamp such as 2016-01-01T00:00:00+00:00")
}

// callsPage answers a call listing with one page (and sets its Link header),
// after the documented filters and ordering: created_at_start and
// created_at_end (inclusive), caller, client_afid, client_cid, client_tid,
// sub_id; sort_by created_at (default) or updated_at (always descending);
// order desc (default) or asc; ties broken by id in the same direction.
//
// The company's calls are kept in created_at order (callLog), so the time
// window is two binary searches and a page of it is cut by position: with no
// other filter a page costs O(log n + page size). The other filters scan the
// window. sort_by=updated_at takes a simpler path: it sorts a copy of the
// window, since calls are not kept in updated_at order.
func callsPage(rc *reqCtx) ([]*call, error) {
	start, err := parseTimeParam(rc.q, "created_at_start")
	if err != nil {
		return nil, err
	}
	end, err := parseTimeParam(rc.q, "created_at_end")
	if err != nil {
		return nil, err
	}
	calls := rc.co.calls.within(start, end) // oldest first; the log's own slice
	if keep := callFilter(rc); keep != nil {
		kept := make([]*call, 0, len(calls))
		for _, c := range calls {
			if keep(c) {
				kept = append(kept, c)
			}
		}
		calls = kept
	}
	perPage := rc.perPage(maxCallsPerPage)
	if rc.q.Get("sort_by") == "updated_at" {
		byUpdated := slices.Clone(calls)
		sort.Slice(byUpdated, func(i, j int) bool {
			a, b := byUpdated[i], byUpdated[j]
			if !a.updatedAt.Equal(b.updatedAt) {
				return a.updatedAt.After(b.updatedAt)
			}
			return a.id > b.id
		})
		return paginate(rc, byUpdated, perPage), nil
	}
	if strings.EqualFold(rc.q.Get("order"), "asc") {
		return paginate(rc, calls, perPage), nil
	}
	return paginateDesc(rc, calls, perPage), nil
}

// callFilter returns the test of the filters other than the time window, or
// nil when the request has none.
func callFilter(rc *reqCtx) func(*call) bool {
	caller := rc.q.Get("caller")
	if caller != "" {
		caller = normalizePhone(caller)
	}
	afid, cid, tid, sid := rc.q.Get("client_afid"), rc.q.Get("client_cid"), rc.q.Get("client_tid"), rc.q.Get("sub_id")
	if caller == "" && afid == "" && cid == "" && tid == "" && sid == "" {
		return nil
	}
	eq := func(want string, v *string) bool { return want == "" || (v != nil && *v == want) }
	return func(c *call) bool {
		return (caller == "" || c.caller == caller) && eq(afid, c.afid) && eq(cid, c.cid) && eq(tid, c.tid) && eq(sid, c.sid)
	}
}

// callRender is how one calls API version renders a call for a request.
type callRender func(rc *reqCtx) func(*call) any

// renderV1 renders calls for api/v1.
func renderV1(*reqCtx) func(*call) any { return func(c *call) any { return renderCallV1(c) } }

// listCalls serves GET api/v{n}/calls.json: one page of calls (callsPage) in
// the shape render gives them.
func listCalls(render callRender) handler {
	return func(rc *reqCtx) (int, any, error) {
		page, err := callsPage(rc)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, wrapEach("call", page, render(rc)), nil
	}
}

// getCall serves GET api/v{n}/calls/{uuid}.json in the shape render gives.
func getCall(render callRender) handler {
	return func(rc *reqCtx) (int, any, error) {
		c := rc.co.calls.byUUID[rc.vars["uuid"]]
		if c == nil {
			return 0, nil, errNotFound()
		}
		return http.StatusOK, wrap("call", render(rc)(c)), nil
	}
}
