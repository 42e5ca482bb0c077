package retreavertest

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// RTBInbound describes one row of the RTB inbounds log for
// Server.AddRTBInbound: the fields a test wants to assert on. Every field is
// optional; a zero field gets the value given in its comment. Rows that the
// RTB routes make need no such description: every reservation and every ping
// shielded repeat is logged (see RTB inbounds in the package documentation).
type RTBInbound struct {
	// UUID is the row's own identifier; empty generates one. It must be
	// unique in the company's log.
	UUID string
	// Status is "expired" when empty; "claimed", "no-target", "rejected" or
	// any other text is kept as given.
	Status string
	// CreatedAt is when the ping came; zero means now. Kept in UTC to the
	// millisecond; the log shows it to the second.
	CreatedAt time.Time
	// CampaignID, AffiliateID and TargetID name the company's campaign,
	// affiliate and target by id; 0 means none (null).
	CampaignID, AffiliateID, TargetID int64
	// PostbackKeyID names one of the company's RTB postback keys by id; 0
	// means the campaign's key (none without a campaign).
	PostbackKeyID int64
	// CallerNumber is the caller's number; empty generates a US number.
	CallerNumber string
	// Revenue and Payout are exact amounts with at most two decimals, such as
	// "12.50"; empty means 0.
	Revenue, Payout string
	// CallUUID names a call of the company's call log. For a claimed row left
	// empty, a call is added to the log (created at ConfirmedAt, lasting 90
	// seconds, with the row's caller, campaign, affiliate, target and
	// amounts) and the row takes its uuid. Empty otherwise means no call
	// (the all-zero UUID).
	CallUUID string
	// DuplicateOrder is the row's rank among duplicates (0: not a duplicate,
	// the default); DuplicateOriginalUUID the uuid of the row it duplicates
	// (empty: the all-zero UUID).
	DuplicateOrder        int
	DuplicateOriginalUUID string
	// CallerState, CallerCity, CallerZip and CallerCountry are the caller's
	// place; empty means none (null).
	CallerState, CallerCity, CallerZip, CallerCountry string
	// ConfirmedAt is when the reservation was confirmed; zero means none
	// (null), except for a claimed row: CreatedAt plus TimeToResolve.
	ConfirmedAt time.Time
	// EndedAt is when the reservation ended; zero means none (null), except
	// for a claimed row whose call is added: the call's end.
	EndedAt time.Time
	// TimeToResolve is the seconds between the ping and its resolution.
	TimeToResolve float64
	// FiredPixelsCount and FiredPixelsErrorCount count the pixels fired and
	// those that failed.
	FiredPixelsCount, FiredPixelsErrorCount int
	// PBM, when set, gives the row the pbm_* fields of a ping a payout bid
	// modification table was applied to; nil leaves them out.
	PBM *RTBInboundPBM
}

// RTBInboundPBM is what a payout bid modification table did to a ping (the
// pbm_* fields of an RTB inbound).
type RTBInboundPBM struct {
	// TableVersion is the table's table_version.
	TableVersion string
	// RuleID is the rule_id of the rule that matched; nil means none (null).
	RuleID *int64
	// Bucket is the ping's bucket, 0 to 9999; nil means none (null).
	Bucket *int
	// Variant is the variant of the ping ("treatment", "control"); empty
	// means none (null).
	Variant string
	// OriginalPayout is the payout before the rule, such as "10.00"; empty
	// means 0.
	OriginalPayout string
	// PercentOfRevenue is the rule's payout_pct; nil means none (null).
	PercentOfRevenue *float64
}

// AddRTBInbound adds one row to a company's RTB inbounds log (any company,
// the forbidden one included) and returns its uuid. The row reads, lists and
// exports exactly as given, or with the defaults documented on RTBInbound.
//
// It returns an error, and adds nothing, when the company does not exist, a
// field names an object the company does not have, or a value is invalid.
func (s *Server) AddRTBInbound(companyID int64, spec RTBInbound) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.st.company(companyID)
	if co == nil {
		return "", fmt.Errorf("retreavertest: AddRTBInbound: no company %d", companyID)
	}
	in, err := s.st.inboundFromSpec(co, spec, now())
	if err != nil {
		return "", fmt.Errorf("retreavertest: AddRTBInbound: %w", err)
	}
	if in.status == inboundClaimed && spec.CallUUID == "" {
		c, err := s.st.inboundCall(co, in, Call{CreatedAt: *in.confirmedAt, Caller: in.caller,
			CallerState: in.callerState, Duration: rtbDefaultSeconds, Revenue: spec.Revenue, Payout: spec.Payout})
		if err != nil {
			return "", fmt.Errorf("retreavertest: AddRTBInbound: %w", err)
		}
		in.callUUID = c.uuid
		if in.endedAt == nil {
			in.endedAt = c.endTime
		}
	}
	co.inbounds.add(in)
	return in.uuid, nil
}

// inboundFromSpec builds the row an RTBInbound describes (not yet logged,
// without the call a claimed row may add).
func (st *store) inboundFromSpec(co *company, spec RTBInbound, nowT time.Time) (*inbound, error) {
	revenue, err := parseAmount("revenue", spec.Revenue)
	if err != nil {
		return nil, err
	}
	payout, err := parseAmount("payout", spec.Payout)
	if err != nil {
		return nil, err
	}
	if spec.UUID != "" && co.inbounds.byUUID[spec.UUID] != nil {
		return nil, fmt.Errorf("company %d already has an RTB inbound %s", co.id, spec.UUID)
	}
	if spec.DuplicateOrder < 0 || spec.FiredPixelsCount < 0 || spec.FiredPixelsErrorCount < 0 || spec.TimeToResolve < 0 {
		return nil, errors.New("counts and times may not be negative")
	}
	if spec.CampaignID != 0 {
		if _, ok := co.campaigns.get(spec.CampaignID); !ok {
			return nil, fmt.Errorf("company %d has no campaign %d", co.id, spec.CampaignID)
		}
	}
	if spec.AffiliateID != 0 {
		if _, ok := co.affiliates.get(spec.AffiliateID); !ok {
			return nil, fmt.Errorf("company %d has no affiliate %d", co.id, spec.AffiliateID)
		}
	}
	if spec.TargetID != 0 {
		if _, ok := co.targets.get(spec.TargetID); !ok {
			return nil, fmt.Errorf("company %d has no target %d", co.id, spec.TargetID)
		}
	}
	keyID := spec.PostbackKeyID
	if keyID != 0 && st.rtbKeyByID(co.id, keyID) == nil {
		return nil, fmt.Errorf("company %d has no postback key %d", co.id, keyID)
	}
	if keyID == 0 && spec.CampaignID != 0 {
		for _, k := range st.rtbKeys {
			if k.companyID == co.id && k.campaignID == spec.CampaignID && (keyID == 0 || k.id < keyID) {
				keyID = k.id
			}
		}
	}
	if spec.CallUUID != "" && co.calls.byUUID[spec.CallUUID] == nil {
		return nil, fmt.Errorf("company %d has no call %s", co.id, spec.CallUUID)
	}
	created := spec.CreatedAt
	if created.IsZero() {
		created = nowT
	}
	in := &inbound{id: st.nextID("rtb_inbound"), uuid: spec.UUID, status: strings.TrimSpace(spec.Status),
		callUUID: spec.CallUUID, postbackKeyID: keyID, affiliateID: spec.AffiliateID, campaignID: spec.CampaignID,
		targetID: spec.TargetID, caller: normalizePhone(spec.CallerNumber), dupOrder: spec.DuplicateOrder,
		dupOriginal: spec.DuplicateOriginalUUID, callerState: spec.CallerState, callerCity: spec.CallerCity,
		callerZip: spec.CallerZip, callerCountry: spec.CallerCountry, createdAt: created.UTC().Truncate(time.Millisecond),
		timeToResolve: spec.TimeToResolve, pixels: spec.FiredPixelsCount, pixelErrors: spec.FiredPixelsErrorCount}
	if revenue != nil {
		in.revenue = *revenue
	}
	if payout != nil {
		in.payout = *payout
	}
	if in.uuid == "" {
		in.uuid = st.rnd.uuid()
	}
	if in.status == "" {
		in.status = inboundExpired
	}
	if in.caller == "" {
		in.caller = st.rnd.phone(false, "US")
	}
	if !spec.ConfirmedAt.IsZero() {
		in.confirmedAt = timeP(spec.ConfirmedAt.UTC().Truncate(time.Millisecond))
	} else if in.status == inboundClaimed {
		in.confirmedAt = timeP(in.createdAt.Add(time.Duration(spec.TimeToResolve * float64(time.Second))).Truncate(time.Millisecond))
	}
	if !spec.EndedAt.IsZero() {
		in.endedAt = timeP(spec.EndedAt.UTC().Truncate(time.Millisecond))
	}
	if p := spec.PBM; p != nil {
		orig, err := parseAmount("PBM original payout", p.OriginalPayout)
		if err != nil {
			return nil, err
		}
		if p.Bucket != nil && (*p.Bucket < 0 || *p.Bucket > 9999) {
			return nil, fmt.Errorf("PBM bucket %d is not between 0 and 9999", *p.Bucket)
		}
		in.pbm = &pbmOutcome{tableVersion: p.TableVersion, variant: p.Variant}
		if orig != nil {
			in.pbm.originalPayout = *orig
		}
		if p.RuleID != nil {
			in.pbm.ruleID = int64P(*p.RuleID)
		}
		if p.Bucket != nil {
			in.pbm.bucket = intP(*p.Bucket)
		}
		if p.PercentOfRevenue != nil {
			pct := *p.PercentOfRevenue
			in.pbm.percent = &pct
		}
	}
	return in, nil
}
