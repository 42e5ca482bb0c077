package retreavertest

import (
	"strconv"
	"strings"
	"time"
)

// The calls API has five versions, each at api/v{n}/calls.json and
// api/v{n}/calls/{uuid}.json. V1 has its own, smaller shape (callV1View);
// every later version starts from V2's (callV2View):
//
//	v2: number is a string, campaign_id a number
//	v3: number becomes {"number", "name"}
//	v4: as v3, with campaign {"id", "name"} (the id a string, as the reference
//	    shows it) in place of campaign_id
//	v5: as v4 (the reference sends bulk paging to it)
//
// Versions 2 and later take call_flow_events=true, which adds each call's
// call_flow_events (callFlowEvents).

// callNumberView is the number of a V3 call and later.
type callNumberView struct {
	Number string  `json:"number"`
	Name   *string `json:"name"`
}

// callV3View is V2's shape with the number as an object. Its Number field,
// less deeply nested, takes the place of the embedded V2 one in the JSON.
type callV3View struct {
	callV2View
	Number callNumberView `json:"number"`
}

// callCampaignView is the campaign of a V4 call and later.
type callCampaignView struct {
	ID   *string `json:"id"`
	Name *string `json:"name"`
}

// callV4View is V3's shape with campaign in place of campaign_id. CampaignID
// is always nil: being less deeply nested than the V2 field of that name, it
// hides it, and omitempty leaves it out.
type callV4View struct {
	callV3View
	CampaignID *int64            `json:"campaign_id,omitempty"`
	Campaign   *callCampaignView `json:"campaign"`
}

// callFlowEventView is one entry of call_flow_events. The reference documents
// the parameter but not the shape of its events: this one is the fake's.
type callFlowEventView struct {
	Event       string `json:"event"`
	CreatedAt   jsTime `json:"created_at"`
	Description string `json:"description"`
}

// callFlowEvents tells what happened during the call, from what the call
// records: it came in, the caller pressed keys, it was sent to a target, the
// target answered, the call ended.
func callFlowEvents(c *call) []callFlowEventView {
	events := []callFlowEventView{{Event: "call_received", CreatedAt: jsTime(c.startTime),
		Description: "Call from " + c.caller + " to " + c.number}}
	if len(c.keysPressed) > 0 {
		at := c.startTime.Add(time.Duration(c.ivrDuration) * time.Second)
		events = append(events, callFlowEventView{Event: "keys_pressed", CreatedAt: jsTime(at),
			Description: "Caller pressed " + strings.Join(c.keysPressed, ", ")})
	}
	if c.forwardedTime != nil && c.dialedNumber != nil {
		to := *c.dialedNumber
		if c.targetName != nil {
			to = *c.targetName + " (" + to + ")"
		}
		events = append(events, callFlowEventView{Event: "target_dialed", CreatedAt: jsTime(*c.forwardedTime),
			Description: "Dialed " + to})
		if c.connected {
			events = append(events, callFlowEventView{Event: "target_answered", CreatedAt: jsTime(*c.forwardedTime),
				Description: "Connected"})
		}
	}
	if c.endTime != nil {
		by := "Call ended"
		if c.hungUpBy != nil {
			by = "Hung up by " + *c.hungUpBy
		}
		events = append(events, callFlowEventView{Event: "call_ended", CreatedAt: jsTime(*c.endTime), Description: by})
	}
	return events
}

// callView is how calls API version 2 to 5 renders a call.
func callView(version int) callRender {
	return func(rc *reqCtx) func(*call) any { return renderCall(rc, version) }
}

// renderCall renders calls in the shape of version 2 to 5 for rc, with their
// call flow events when rc asks for them.
func renderCall(rc *reqCtx, version int) func(*call) any {
	flow := strings.EqualFold(rc.q.Get("call_flow_events"), "true") || rc.q.Get("call_flow_events") == "1"
	return func(c *call) any {
		v2 := renderCallV2(c)
		if flow {
			events := callFlowEvents(c)
			v2.CallFlowEvents = &events
		}
		if version == 2 {
			return v2
		}
		v3 := callV3View{callV2View: v2, Number: callNumberView{Number: c.number, Name: c.numberName}}
		if version == 3 {
			return v3
		}
		var camp *callCampaignView
		if c.campaignID != nil || c.campaignName != nil {
			camp = &callCampaignView{Name: c.campaignName}
			if c.campaignID != nil {
				camp.ID = strP(strconv.FormatInt(*c.campaignID, 10))
			}
		}
		return callV4View{callV3View: v3, Campaign: camp}
	}
}
