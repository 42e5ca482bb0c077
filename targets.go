package retreaver

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"strings"
	"time"
)

// Target is a destination that calls are routed to: a phone number or a SIP
// endpoint, such as a call center. A buyer in the Performance Marketing Edition,
// a contact handler in the Enterprise Edition.
//
// A target has two identifiers: ID, Retreaver's internal id, and TID, the id you
// choose (empty when unset). Get, Update and Delete take the ID; GetByTID,
// UpdateByTID and DeleteByTID the TID.
//
// Not every answer carries every field: the update and tagging answers of the
// reference hold only a few, and the others are then zero. Caps, BusinessHours
// and TagValues come with single targets (create, get), not in lists.
type Target struct {
	ID int64 `json:"id"`
	// Number is an E.164 phone number or a "sip:user@domain" SIP endpoint.
	Number      string `json:"number"`
	SIPUsername string `json:"sip_username"`
	SIPPassword string `json:"sip_password"`
	// CIDNumberID is the id of the number shown as caller id; nil when unset.
	CIDNumberID  *int64    `json:"cid_number_id"`
	ObfuscateCID bool      `json:"obfuscate_cid"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	ObjectKey    string    `json:"object_key"`
	// TID is your id for the target; "" when unset. Lists and gets name it tid,
	// the create answer client_tid: both are read into TID.
	TID string `json:"tid"`
	// Priority: the target with the lowest value is considered first.
	Priority int `json:"priority"`
	// Weight randomizes the order of targets of equal priority.
	Weight int `json:"weight"`
	// TimeoutSeconds is how long the target may ring before routing moves on.
	TimeoutSeconds int `json:"timeout_seconds"`
	// TimerOffset offsets the timers of tracking URLs and conversion criteria.
	TimerOffset int `json:"timer_offset"`
	// SendDigits are DTMF tones sent when the target picks up ("w" pauses 0.5 s).
	SendDigits string `json:"send_digits"`
	// ConcurrencyCap limits the calls the target takes at once; nil: no limit.
	ConcurrencyCap  *int `json:"concurrency_cap"`
	CallsInProgress int  `json:"calls_in_progress"`
	InbandSignals   bool `json:"inband_signals"`
	// TimeZone is one of the API's time-zone names (see [TimeZones]); business
	// hours are read in it.
	TimeZone string     `json:"time_zone"`
	Paused   bool       `json:"paused"`
	PausedAt *time.Time `json:"paused_at"` // nil unless paused
	Name     string     `json:"name"`
	// Caps are the target's hard, hourly, daily and monthly caps.
	Caps []Cap `json:"caps"`
	// BusinessHours are the hours the target takes calls, one entry a day of the
	// week. A new target is open 24/7.
	BusinessHours []BusinessHours `json:"business_hours"`
	// TagValues are the target's tags.
	TagValues []TagValue `json:"tag_values"`
	// TargetGroupIDs are the ids of the target groups the target belongs to.
	TargetGroupIDs []int64 `json:"target_group_ids"`
	// TargetGroups are those groups (without their caps and members).
	TargetGroups []TargetGroup `json:"target_groups"`
	// ConversionGroups are the target's conversion settings.
	ConversionGroups []ConversionGroup `json:"conversion_groups"`
}

// UnmarshalJSON decodes a target, reading client_tid (as the create answer names
// it) into TID when tid is absent or empty.
func (t *Target) UnmarshalJSON(b []byte) error {
	v := targetJSON{targetFields: targetFields(*t)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*t = *v.target()
	return nil
}

// targetJSON is a target as the API sends it. Answers and pages decode into it
// directly (targetElement), in the one pass over the body: through
// Target.UnmarshalJSON, each target would be scanned twice more.
type targetJSON struct {
	targetFields
	ClientTID *string `json:"client_tid"`
}

// targetFields are the fields of Target, without its UnmarshalJSON.
type targetFields Target

// target finishes the decoding: TID is client_tid when tid is absent or empty.
func (v *targetJSON) target() *Target {
	t := (*Target)(&v.targetFields)
	if t.TID == "" && v.ClientTID != nil {
		t.TID = *v.ClientTID
	}
	return t
}

// BusinessHours are a target's opening hours on one day of the week, in the
// target's time zone. Times are 24-hour HHMM numbers: 0 is midnight, 930 is
// 9:30, 2400 the end of the day.
type BusinessHours struct {
	ID       int64 `json:"id"`
	TargetID int64 `json:"target_id"`
	// WorkDay says whether the target is open on this day at all.
	WorkDay   bool `json:"work_day"`
	TimeOpen  int  `json:"time_open"`
	TimeClose int  `json:"time_close"`
	// DayOfWeek is 0 for Sunday through 6 for Saturday.
	DayOfWeek int `json:"day_of_week"`
	// Invert swaps open and closed hours (for overnight shifts). Answers name it
	// invert; BusinessHoursParams sends it as inverted, as the reference documents.
	Invert    bool      `json:"invert"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// TargetParams are the fields of a target to create or update. Only the fields
// set are sent: build them with [Ptr].
type TargetParams struct {
	// Name is a descriptive name for the target.
	Name *string `json:"name,omitempty"`
	// Number is an E.164 phone number ("+18668987878") or a SIP endpoint
	// ("sip:user@domain.com"). Required on Create.
	Number *string `json:"number,omitempty"`
	// SIPUsername and SIPPassword authenticate calls to a SIP endpoint.
	SIPUsername *string `json:"sip_username,omitempty"`
	SIPPassword *string `json:"sip_password,omitempty"`
	// TID is your own id for the target, sent as client_tid.
	TID *string `json:"client_tid,omitempty"`
	// Priority (default 1): the target with the lowest value is considered first.
	Priority *int `json:"priority,omitempty"`
	// Weight (default 1): among targets of equal priority, the cumulative weight
	// randomizes their order.
	Weight *int `json:"weight,omitempty"`
	// TimeoutSeconds (default 30) is how long the target may ring before routing
	// moves on.
	TimeoutSeconds *int `json:"timeout_seconds,omitempty"`
	// InbandSignals (default false) detects in-band ringing, with TimerOffset.
	InbandSignals *bool `json:"inband_signals,omitempty"`
	// TimerOffset (default 0) offsets the timers of tracking URLs and conversion
	// criteria when routing to this target.
	TimerOffset *int `json:"timer_offset,omitempty"`
	// SendDigits are sent as DTMF tones when the target picks up; "w" pauses half
	// a second. Useful to get through an IVR.
	SendDigits *string `json:"send_digits,omitempty"`
	// ConcurrencyCap limits the calls the target takes at once (default: no
	// limit). Leaving it nil leaves the cap unchanged; it cannot be removed
	// through these params.
	ConcurrencyCap *int `json:"concurrency_cap,omitempty"`
	// Paused targets are not considered when routing calls (default false).
	Paused *bool `json:"paused,omitempty"`
	// TimeZone (default "UTC") is the time zone of the business hours: one of
	// the API's names listed by [TimeZones] ("Eastern Time (US & Canada)"), not an
	// IANA name; convert with [TimeZoneFromIANA]. Other values are rejected with
	// ErrInvalidArgument before any request.
	TimeZone *string `json:"time_zone,omitempty"`
	// BusinessHours sets opening hours, sent as business_hours_attributes. To
	// change existing hours on Update, pass their ID (from Target.BusinessHours):
	// entries without one are added.
	BusinessHours []BusinessHoursParams `json:"business_hours_attributes,omitempty"`
	// HardCap, HourlyCap, DailyCap and MonthlyCap set the caps, sent as
	// hard_cap_attributes and so on. A hard cap stops routing until it is reset
	// (see TargetsService.ResetCap); the others reset every hour, day or month.
	HardCap    *CapParams `json:"hard_cap_attributes,omitempty"`
	HourlyCap  *CapParams `json:"hourly_cap_attributes,omitempty"`
	DailyCap   *CapParams `json:"daily_cap_attributes,omitempty"`
	MonthlyCap *CapParams `json:"monthly_cap_attributes,omitempty"`
	// Tags, sent as tag_list, replace all of the target's tags: nil leaves them
	// alone, an empty non-nil slice removes them all. At most [MaxTags].
	Tags []Tag `json:"-"`
	// ConversionGroups add, change or remove conversion groups (sent as
	// conversion_groups_attributes); see [ConversionGroupParams]. The reference
	// advises against more than one group per target.
	ConversionGroups []ConversionGroupParams `json:"conversion_groups_attributes,omitempty"`
}

// MarshalJSON encodes the params as the API expects them, with Tags as the
// tag_list string.
func (p TargetParams) MarshalJSON() ([]byte, error) {
	tagList, err := encodeTagList(p.Tags)
	if err != nil {
		return nil, err
	}
	type plain TargetParams
	return json.Marshal(struct {
		plain
		TagList *string `json:"tag_list,omitempty"`
	}{plain(p), tagList})
}

func (p *TargetParams) validate(create bool) error {
	if p == nil {
		return invalidArg("target params are nil")
	}
	if create && p.Number == nil {
		return invalidArg("target number is required")
	}
	if p.Number != nil && strings.TrimSpace(*p.Number) == "" {
		return invalidArg("target number must not be empty")
	}
	if p.Weight != nil && *p.Weight < 0 {
		return invalidArg("target weight must not be negative, got %d", *p.Weight)
	}
	if p.TimeoutSeconds != nil && *p.TimeoutSeconds <= 0 {
		return invalidArg("target timeout_seconds must be positive, got %d", *p.TimeoutSeconds)
	}
	if p.ConcurrencyCap != nil && *p.ConcurrencyCap < 0 {
		return invalidArg("target concurrency_cap must not be negative, got %d", *p.ConcurrencyCap)
	}
	if p.TimeZone != nil {
		if err := checkTimeZone(*p.TimeZone); err != nil {
			return err
		}
	}
	for i := range p.BusinessHours {
		if err := p.BusinessHours[i].validate(i); err != nil {
			return err
		}
	}
	if err := validateCaps(p.HardCap, p.HourlyCap, p.DailyCap, p.MonthlyCap); err != nil {
		return err
	}
	for i := range p.ConversionGroups {
		if err := p.ConversionGroups[i].validate(i); err != nil {
			return err
		}
	}
	_, err := encodeTagList(p.Tags)
	return err
}

// checkTimeZone accepts only the API's time-zone names.
func checkTimeZone(tz string) error {
	if IsValidTimeZone(tz) {
		return nil
	}
	if name, ok := TimeZoneFromIANA(tz); ok {
		return invalidArg("time zone %q is an IANA name: the API calls it %q (see TimeZoneFromIANA)", tz, name)
	}
	return invalidArg("time zone %q is not one of the API's time-zone names (see TimeZones)", tz)
}

// BusinessHoursParams set a target's opening hours on one day of the week,
// nested in TargetParams.BusinessHours (business_hours_attributes). Times are
// 24-hour HHMM numbers from 0 to 2400 (930 is 9:30).
type BusinessHoursParams struct {
	// ID names existing business hours to change (from Target.BusinessHours);
	// without it, new hours are added. Updating hours without their ID adds
	// another entry for the day instead of changing it.
	ID *int64 `json:"id,omitempty"`
	// DayOfWeek is 0 for Sunday through 6 for Saturday. Required for new hours
	// (no ID).
	DayOfWeek *int `json:"day_of_week,omitempty"`
	// WorkDay (default true) says whether the target is open on this day.
	WorkDay *bool `json:"work_day,omitempty"`
	// TimeOpen (default 0) is when the target opens, HHMM.
	TimeOpen *int `json:"time_open,omitempty"`
	// TimeClose (default 2400) is when the target closes, HHMM.
	TimeClose *int `json:"time_close,omitempty"`
	// Inverted (default false) swaps open and closed hours, for overnight
	// shifts. It is sent as "inverted", the name the reference's parameter table
	// documents; answers call the same setting "invert" (BusinessHours.Invert).
	Inverted *bool `json:"inverted,omitempty"`
}

func (p *BusinessHoursParams) validate(i int) error {
	if p.ID != nil && *p.ID <= 0 {
		return invalidArg("business hours %d: id must be positive, got %d", i, *p.ID)
	}
	if p.DayOfWeek == nil && p.ID == nil {
		return invalidArg("business hours %d: day_of_week is required", i)
	}
	if p.DayOfWeek != nil && (*p.DayOfWeek < 0 || *p.DayOfWeek > 6) {
		return invalidArg("business hours %d: day_of_week must be 0 (Sunday) to 6 (Saturday), got %d", i, *p.DayOfWeek)
	}
	for _, f := range []struct {
		name string
		v    *int
	}{{"time_open", p.TimeOpen}, {"time_close", p.TimeClose}} {
		if f.v != nil && !validHHMM(*f.v) {
			return invalidArg("business hours %d: %s must be a 24-hour HHMM time from 0 to 2400, got %d", i, f.name, *f.v)
		}
	}
	return nil
}

// validHHMM accepts 0 to 2400 with minutes below 60.
func validHHMM(t int) bool {
	return t >= 0 && t <= 2400 && t%100 < 60
}

// TargetListOptions pages through the targets. The API documents no filters for
// this list.
type TargetListOptions struct {
	ListOptions
}

// TargetsService manages targets, the buyers or call endpoints that calls are routed to.
type TargetsService service

const (
	targetRoot    = "target"
	targetsPath   = "targets"
	targetsTIDDir = "targets/tid"
)

// targetElement is a Target as the API wraps it (see element).
type targetElement struct {
	V *targetJSON `json:"target"`
}

func (e targetElement) object() *Target {
	if e.V == nil {
		return nil
	}
	return e.V.target()
}

func (s *TargetsService) lister() lister[targetElement, Target] {
	return lister[targetElement, Target]{c: s.client, path: targetsPath + ".json", root: targetRoot}
}

// List returns one page (25 targets) of the company's targets.
func (s *TargetsService) List(ctx context.Context, opts *TargetListOptions) (*Page[Target], error) {
	return s.lister().list(ctx, opts)
}

// All iterates over every target of the company, page after page from opts.Page.
func (s *TargetsService) All(ctx context.Context, opts *TargetListOptions) iter.Seq2[*Target, error] {
	return s.lister().iterate(ctx, opts)
}

// Get returns the target with this internal id.
func (s *TargetsService) Get(ctx context.Context, id int64) (*Target, error) {
	if err := requireIntID("target id", id); err != nil {
		return nil, err
	}
	return get[targetElement](ctx, s.client, pathJoin(targetsPath, idSeg(id)), targetRoot)
}

// GetByTID returns the target with this TID (your id for it). The TID is escaped
// as one path segment.
func (s *TargetsService) GetByTID(ctx context.Context, tid string) (*Target, error) {
	if err := requireID("target tid", tid); err != nil {
		return nil, err
	}
	return get[targetElement](ctx, s.client, pathJoin(targetsTIDDir, tid), targetRoot)
}

// Create creates a target; p.Number is required. The answer holds the new
// target's caps (all unlimited) and business hours (open 24/7 unless p says
// otherwise): keep the business hours' ids to change them later.
func (s *TargetsService) Create(ctx context.Context, p *TargetParams) (*Target, error) {
	if err := p.validate(true); err != nil {
		return nil, err
	}
	return send[targetElement](ctx, s.client, http.MethodPost, targetsPath+".json", targetRoot, p)
}

// Update changes the fields set in p on the target with this internal id. The
// answer may hold only some of the target's fields.
func (s *TargetsService) Update(ctx context.Context, id int64, p *TargetParams) (*Target, error) {
	if err := requireIntID("target id", id); err != nil {
		return nil, err
	}
	if err := p.validate(false); err != nil {
		return nil, err
	}
	return s.put(ctx, id, p)
}

// UpdateByTID changes the fields set in p on the target with this TID. Setting
// p.TID renames the target: later calls must use the new TID.
func (s *TargetsService) UpdateByTID(ctx context.Context, tid string, p *TargetParams) (*Target, error) {
	if err := requireID("target tid", tid); err != nil {
		return nil, err
	}
	if err := p.validate(false); err != nil {
		return nil, err
	}
	return send[targetElement](ctx, s.client, http.MethodPut, pathJoin(targetsTIDDir, tid), targetRoot, p)
}

// Delete deletes the target with this internal id.
func (s *TargetsService) Delete(ctx context.Context, id int64) error {
	if err := requireIntID("target id", id); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(targetsPath, idSeg(id)))
}

// DeleteByTID deletes the target with this TID.
func (s *TargetsService) DeleteByTID(ctx context.Context, tid string) error {
	if err := requireID("target tid", tid); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(targetsTIDDir, tid))
}

// SetTags replaces all of the target's tags with tags (sent as tag_list). It
// always sends the full list: nil or an empty slice removes every tag. At most
// [MaxTags] tags; a key or value that would break the tag_list encoding is
// rejected with ErrInvalidArgument before any request. The answer's TagValues
// hold the tags as set (the API may add US zip geo tags on its own).
func (s *TargetsService) SetTags(ctx context.Context, id int64, tags []Tag) (*Target, error) {
	if err := requireIntID("target id", id); err != nil {
		return nil, err
	}
	if tags == nil {
		tags = []Tag{}
	}
	tagList, err := encodeTagList(tags)
	if err != nil {
		return nil, err
	}
	body := map[string]*string{"tag_list": tagList}
	return s.put(ctx, id, body)
}

// SetCap sets one of the target's caps to limit calls:
// {"target":{"hard_cap_attributes":{"cap":100}}} for CapHard. The other caps are
// left alone. An unknown CapType or a negative limit is rejected with
// ErrInvalidArgument before any request. The answer's Caps show the new limits.
func (s *TargetsService) SetCap(ctx context.Context, id int64, capType CapType, limit int) (*Target, error) {
	if err := requireIntID("target id", id); err != nil {
		return nil, err
	}
	body, err := capBody(capType, limit)
	if err != nil {
		return nil, err
	}
	return s.put(ctx, id, body)
}

// put sends params as the target id's new settings.
func (s *TargetsService) put(ctx context.Context, id int64, params any) (*Target, error) {
	return send[targetElement](ctx, s.client, http.MethodPut, pathJoin(targetsPath, idSeg(id)), targetRoot, params)
}

// ResetCap resets the target's hard cap to 0, clearing the calls counted toward
// it, so that a target that reached its hard cap takes calls again. The other
// caps are not affected.
func (s *TargetsService) ResetCap(ctx context.Context, id int64) error {
	if err := requireIntID("target id", id); err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodPost, pathJoin(targetsPath, idSeg(id), "reset_cap"))
}
