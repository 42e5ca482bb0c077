package retreavertest

import (
	"net/http"
	"sort"
	"strings"
	"time"
)

// DefaultRTBReservationTTL is how long a reservation stays live (see
// Server.SetRTBReservationTTL).
const DefaultRTBReservationTTL = 5 * time.Minute

// rtbKey is a campaign's RTB postback key.
type rtbKey struct {
	id         int64 // postback_key_id in the RTB inbounds log
	key        string
	companyID  int64
	campaignID int64 // 0: a key of the company without a campaign (plain servers)
}

type reservation struct {
	uuid, status, key     string
	companyID, campaignID int64
	publisherID, caller   string
	inbound, sip          string
	payout                cents
	seconds               int
	createdAt, expiresAt  time.Time
	tags                  map[string]string
}

// RTBReservation is a copy of one reservation the fake has answered, for
// tests that check what a publisher sent.
type RTBReservation struct {
	UUID          string
	Status        string // reserved, confirmed or no-target
	CompanyID     int64
	PublisherID   string
	CallerNumber  string
	InboundNumber string
	Payout        float64
	Seconds       int
	ExpiresAt     time.Time
	Tags          map[string]string // the extra fields of the reserve request
}

type reservationView struct {
	UUID          string    `json:"uuid"`
	Status        string    `json:"status"`
	Payout        *moneyNum `json:"retreaver_payout,omitempty"`
	Seconds       *int      `json:"retreaver_seconds,omitempty"`
	InboundNumber *string   `json:"inbound_number,omitempty"`
	SIPAddress    *string   `json:"sip_address,omitempty"`
	ExpiresAt     *jsTime   `json:"expires_at,omitempty"`
	PingShield    *bool     `json:"retreaver_ping_shield,omitempty"`
}

func (r *reservation) view(pingShield bool) reservationView {
	if r.status == rtbNoTarget {
		return reservationView{UUID: r.uuid, Status: r.status}
	}
	p := moneyNum(r.payout)
	return reservationView{UUID: r.uuid, Status: r.status, Payout: &p, Seconds: intP(r.seconds),
		InboundNumber: strP(r.inbound), SIPAddress: strP(r.sip), ExpiresAt: tsp(&r.expiresAt), PingShield: boolP(pingShield)}
}

const (
	rtbReserved  = "reserved"
	rtbConfirmed = "confirmed"
	rtbNoTarget  = "no-target"
)

// rtbDefaultPayout and rtbDefaultSeconds apply when the key's campaign sets nothing.
const (
	rtbDefaultPayout  cents = 1250
	rtbDefaultSeconds int   = 90
)

// loginPage is what the RTB host answers (status 200) to a bad or missing key.
const loginPage = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in | Retreaver</title></head>
<body>
<h1>Sign in</h1>
<form action="/users/sign_in" method="post">
<label>Email <input type="email" name="user[email]"></label>
<label>Password <input type="password" name="user[password]"></label>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`

// addRTBKey gives a campaign (or, with campaignID 0, a company) a postback key.
func (st *store) addRTBKey(companyID, campaignID int64) string {
	k := &rtbKey{id: st.nextID("postback_key"), key: st.rnd.hex(32), companyID: companyID, campaignID: campaignID}
	st.rtbKeys[k.key] = k
	return k.key
}

// liveKey reports whether k exists and its company (and campaign, if any) still do.
func (st *store) liveKey(k *rtbKey) bool {
	if k == nil {
		return false
	}
	co := st.company(k.companyID)
	if co == nil {
		return false
	}
	if k.campaignID == 0 {
		return true
	}
	_, ok := co.campaigns.get(k.campaignID)
	return ok
}

// rtbParams merges the query string and the body (JSON or form) into strings.
func rtbParams(rc *reqCtx) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range rc.q {
		if len(v) > 0 {
			out[k] = v[0]
		}
	}
	m, err := rc.bodyMap()
	if err != nil {
		return nil, err
	}
	for k, v := range m {
		if s, ok := scalarString(v); ok {
			out[k] = s
		} else {
			out[k] = string(marshal(v))
		}
	}
	return out, nil
}

func htmlLogin() (int, any, error) {
	return http.StatusOK, rawBody{contentType: "text/html; charset=utf-8", data: []byte(loginPage)}, nil
}

// rtbReservedFields are the reserve parameters that are not tags.
var rtbReservedFields = map[string]bool{
	"key": true, "publisher_id": true, "source_id": true, "caller_number": true, "inbound_number": true,
	"api_key": true, "company_id": true,
}

// reserve serves POST rtbs.json: a reservation, or a ping-shielded repeat of
// a live one, or no target.
func reserve(rc *reqCtx) (int, any, error) {
	p, err := rtbParams(rc)
	if err != nil {
		return 0, nil, err
	}
	k := rc.st.rtbKeys[p["key"]]
	if !rc.st.liveKey(k) {
		return htmlLogin()
	}
	pub := p["publisher_id"]
	if pub == "" {
		pub = p["source_id"]
	}
	if pub == "" {
		return 0, nil, errUnprocessable("publisher_id (or source_id) is required")
	}
	caller := normalizePhone(p["caller_number"])
	if caller == "" {
		return 0, nil, errUnprocessable("caller_number is required")
	}
	// Ping shield: a repeat for the same caller on the same key while the first
	// reservation is live gets the first reservation back.
	for _, r := range rc.st.rtbs {
		if r.key == k.key && r.caller == caller && r.status != rtbNoTarget && rc.now.Before(r.expiresAt) {
			rc.st.recordRepeat(r, rc.now)
			return http.StatusOK, r.view(true), nil
		}
	}
	co := rc.st.company(k.companyID)
	r := &reservation{uuid: rc.st.rnd.uuid(), key: k.key, companyID: k.companyID, campaignID: k.campaignID,
		publisherID: pub, caller: caller, createdAt: rc.now, tags: map[string]string{}}
	for f, v := range p {
		if !rtbReservedFields[f] {
			r.tags[f] = v
		}
	}
	if rc.srv.rtbNoTarget || co.suppressedByNumber(caller) != nil {
		r.status = rtbNoTarget
	} else {
		r.status = rtbReserved
		r.payout, r.seconds = rtbDefaultPayout, rtbDefaultSeconds
		if camp, ok := co.campaigns.get(k.campaignID); ok {
			r.payout = campaignRevenue(camp.cid) / 2
			for _, t := range camp.timers {
				if t.seconds > r.seconds {
					r.seconds = t.seconds
				}
			}
		}
		r.inbound = normalizePhone(p["inbound_number"])
		if r.inbound == "" {
			r.inbound = rc.st.rnd.phone(true, "US")
		}
		r.sip = "sip:rtb-" + strings.ReplaceAll(r.uuid, "-", "")[:16] + "@sip.retreaver.com"
		r.expiresAt = rc.now.Add(rc.srv.rtbTTL)
	}
	rc.st.recordPing(co, k, r)
	rc.st.rtbs = append(rc.st.rtbs, r)
	rc.st.rtbByUUID[r.uuid] = r
	return http.StatusOK, r.view(false), nil
}

// confirm serves PUT and PATCH rtbs/{uuid}.json with status=confirmed.
func confirm(rc *reqCtx) (int, any, error) {
	p, err := rtbParams(rc)
	if err != nil {
		return 0, nil, err
	}
	k := rc.st.rtbKeys[p["key"]]
	if !rc.st.liveKey(k) {
		return htmlLogin()
	}
	r := rc.st.rtbByUUID[rc.vars["uuid"]]
	if r == nil || r.key != k.key {
		return 0, nil, errNotFound()
	}
	if p["status"] != rtbConfirmed {
		return 0, nil, errUnprocessable(`status must be "confirmed"`)
	}
	if r.status == rtbNoTarget {
		return 0, nil, errUnprocessable("a no-target reservation cannot be confirmed")
	}
	if !rc.now.Before(r.expiresAt) {
		return 0, nil, errStatus(http.StatusGone, "the reservation has expired")
	}
	r.status = rtbConfirmed
	rc.st.claimPing(r, rc.now)
	return http.StatusOK, r.view(false), nil
}

// RTBReservations returns copies of every reservation answered so far (ping
// shield repeats are not new reservations), oldest first.
func (s *Server) RTBReservations() []RTBReservation {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RTBReservation, 0, len(s.st.rtbs))
	for _, r := range s.st.rtbs {
		tags := make(map[string]string, len(r.tags))
		for k, v := range r.tags {
			tags[k] = v
		}
		out = append(out, RTBReservation{UUID: r.uuid, Status: r.status, CompanyID: r.companyID, PublisherID: r.publisherID,
			CallerNumber: r.caller, InboundNumber: r.inbound, Payout: float64(r.payout) / 100, Seconds: r.seconds,
			ExpiresAt: r.expiresAt, Tags: tags})
	}
	return out
}

// SetRTBNoTarget makes every following reservation answer "no-target" (on) or
// reserve normally again (off). Independently of it, a caller_number that is
// on the key's company's suppressed numbers always gets "no-target".
func (s *Server) SetRTBNoTarget(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rtbNoTarget = on
}

// SetRTBReservationTTL sets how long new reservations stay live (default
// DefaultRTBReservationTTL). Confirming after expiry answers 410 Gone.
func (s *Server) SetRTBReservationTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rtbTTL = d
}

// RTBKeyFor returns the RTB postback key of a company's campaign, found by
// cid, or "" when there is no such campaign. Every campaign, including those
// created through the API, has a key.
func (s *Server) RTBKeyFor(companyID int64, cid string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.st.company(companyID)
	if co == nil {
		return ""
	}
	camp := co.campaignByCID(cid)
	if camp == nil {
		return ""
	}
	keys := make([]string, 0, 1)
	for key, k := range s.st.rtbKeys {
		if k.companyID == companyID && k.campaignID == camp.id {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}
