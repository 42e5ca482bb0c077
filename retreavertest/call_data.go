package retreavertest

import (
	"fmt"
	"maps"
	"net/http"
	"strings"
	"time"
)

// The statuses of a call data writing answer. The reference documents the
// first two; the third is the fake's wording for a call in progress.
const (
	callDataNotFound   = "call not found, tags stored"
	callDataCompleted  = "completed call found, tags applied"
	callDataInProgress = "in progress call found, tags stored"
)

// callDataFields are the call data writing parameters that are not tags.
var callDataFields = map[string]bool{"key": true, "caller_number": true, "call_uuid": true}

type callDataView struct {
	TagValues    map[string]string `json:"tag_values"`
	CallUUID     string            `json:"call_uuid,omitempty"`
	CallerNumber string            `json:"caller_number,omitempty"`
	Status       string            `json:"status"`
}

// AddCallDataKey issues a postback key that allows call data writing in a
// company and returns its UUID. It panics if the company does not exist.
func (s *Server) AddCallDataKey(companyID int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.company(companyID) == nil {
		panic(fmt.Sprintf("retreavertest: AddCallDataKey: no company %d", companyID))
	}
	return s.st.addCallDataKey(companyID)
}

func (st *store) addCallDataKey(companyID int64) string {
	key := st.pb.rnd.uuid()
	st.pb.dataKeys[key] = companyID
	return key
}

// writeCallData serves POST data_writing (parameters in a JSON or form body,
// or the query string) and GET data_writing/{key} (parameters in the query
// string): key, caller_number or call_uuid, and tags, every other parameter.
//
// A call_uuid names a call of the key's company (404 when there is none); a
// caller_number names the caller's latest call, or none. Tags for no call
// wait for the caller's next call; tags for an ended call are applied to it;
// tags for a call in progress are applied when it ends (Server.EndCall).
func writeCallData(rc *reqCtx) (int, any, error) {
	p, err := rtbParams(rc)
	if err != nil {
		return 0, nil, err
	}
	key := p["key"]
	if k, ok := rc.vars["key"]; ok {
		key = k
	}
	companyID, ok := rc.st.pb.dataKeys[key]
	co := rc.st.company(companyID)
	if !ok || co == nil {
		return 0, nil, errStatus(http.StatusUnauthorized, "Invalid or missing postback key")
	}
	tags := map[string]string{}
	for k, v := range p {
		if !callDataFields[k] {
			tags[k] = v
		}
	}
	view := callDataView{TagValues: tags}
	var c *call
	if uuid := strings.TrimSpace(p["call_uuid"]); uuid != "" {
		view.CallUUID = uuid
		if c = co.calls.byUUID[uuid]; c == nil {
			return 0, nil, errNotFound()
		}
	} else if caller := strings.TrimSpace(p["caller_number"]); caller != "" {
		view.CallerNumber = normalizePhone(caller)
		c = co.calls.latestFrom(view.CallerNumber)
	} else {
		return 0, nil, errUnprocessable("caller_number or call_uuid is required")
	}
	switch {
	case c == nil:
		co.calls.wait(view.CallerNumber, tags)
		view.Status = callDataNotFound
	case c.inProgress():
		co.calls.hold(c.uuid, tags)
		view.Status = callDataInProgress
	default:
		c.addTags(tags, rc.now)
		view.Status = callDataCompleted
	}
	return http.StatusOK, view, nil
}

// addTags writes tags on the call, as of at.
func (c *call) addTags(tags map[string]string, at time.Time) {
	if len(tags) == 0 {
		return
	}
	if c.tags == nil {
		c.tags = map[string]string{}
	}
	maps.Copy(c.tags, tags)
	if at.After(c.updatedAt) {
		c.updatedAt = at
	}
}

// latestFrom returns the caller's latest call, or nil.
func (l *callLog) latestFrom(caller string) *call {
	for i := len(l.ordered) - 1; i >= 0; i-- {
		if l.ordered[i].caller == caller {
			return l.ordered[i]
		}
	}
	return nil
}

// wait keeps tags for the caller's next call.
func (l *callLog) wait(caller string, tags map[string]string) {
	if l.waiting == nil {
		l.waiting = map[string]map[string]string{}
	}
	l.waiting[caller] = mergedTags(l.waiting[caller], tags)
}

// hold keeps tags for a call in progress until it ends.
func (l *callLog) hold(uuid string, tags map[string]string) {
	if l.held == nil {
		l.held = map[string]map[string]string{}
	}
	l.held[uuid] = mergedTags(l.held[uuid], tags)
}

// takeWaiting gives a call just added the tags waiting for its caller.
func (l *callLog) takeWaiting(c *call) {
	if tags, ok := l.waiting[c.caller]; ok {
		delete(l.waiting, c.caller)
		c.addTags(tags, c.updatedAt)
	}
}

func mergedTags(into, tags map[string]string) map[string]string {
	if into == nil {
		into = map[string]string{}
	}
	maps.Copy(into, tags)
	return into
}

// EndCall ends a call in progress of a company now, as the caller hanging up:
// its status becomes "finished", end_time now, total_duration the seconds
// since it started (or more, if it had more), and its billable minutes and
// costs follow; its amounts and conversion stay as they were. Tags written
// for it during the call (call data writing) are applied. It returns an error
// when the company or the call does not exist, or the call has ended.
func (s *Server) EndCall(companyID int64, uuid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.st.company(companyID)
	if co == nil {
		return fmt.Errorf("retreavertest: EndCall: no company %d", companyID)
	}
	c := co.calls.byUUID[uuid]
	switch {
	case c == nil:
		return fmt.Errorf("retreavertest: EndCall: company %d has no call %s", companyID, uuid)
	case !c.inProgress():
		return fmt.Errorf("retreavertest: EndCall: call %s has ended", uuid)
	}
	end := now()
	if end.Before(c.startTime) {
		end = c.startTime
	}
	c.status = "finished"
	c.endTime, c.conversionsDeterminedAt = timeP(end), timeP(end)
	c.totalDuration = max(c.totalDuration, int(end.Sub(c.startTime)/time.Second))
	if c.connected {
		c.dialedCallDuration = max(c.dialedCallDuration, c.totalDuration-c.timeToConnect)
		if c.recordingURL == nil && s.recordsCalls(co, c) {
			c.recordingURL = strP("https://recordings.example.com/" + c.uuid + ".mp3")
		}
	}
	c.hungUpBy = strP("caller")
	c.billableMinutes = (c.totalDuration + 59) / 60
	c.chargeTotal = cents(2*c.billableMinutes + len(c.firedPixels))
	if end.After(c.updatedAt) {
		c.updatedAt = end
	}
	if tags, ok := co.calls.held[uuid]; ok {
		delete(co.calls.held, uuid)
		c.addTags(tags, end)
	}
	return nil
}

// recordsCalls reports whether the call's campaign records calls (a call
// without a campaign is recorded).
func (s *Server) recordsCalls(co *company, c *call) bool {
	if c.campaignID == nil {
		return true
	}
	camp, ok := co.campaigns.get(*c.campaignID)
	return !ok || camp.recordCalls
}
