package retreavertest

import (
	"net/http"
	"strconv"
	"time"
)

type suppressedNumber struct {
	id                      int64
	number                  string
	canResubscribe          bool
	campaignID, affiliateID *int64
	createdAt, updatedAt    time.Time
}

func (n *suppressedNumber) getID() int64 { return n.id }

// suppressedView is the list/get shape: cid (the campaign's id, a number) only
// when the number is associated with a campaign.
type suppressedView struct {
	ID             int64  `json:"id"`
	Number         string `json:"number"`
	CreatedAt      jsTime `json:"created_at"`
	CanResubscribe bool   `json:"can_resubscribe"`
	CompanyID      int64  `json:"company_id"`
	CID            *int64 `json:"cid,omitempty"`
}

// suppressedCreatedView is the unwrapped create answer.
type suppressedCreatedView struct {
	ID             int64  `json:"id"`
	CompanyID      int64  `json:"company_id"`
	AffiliateID    *int64 `json:"affiliate_id"`
	CampaignID     *int64 `json:"campaign_id"`
	Number         string `json:"number"`
	CreatedAt      jsTime `json:"created_at"`
	UpdatedAt      jsTime `json:"updated_at"`
	CanResubscribe bool   `json:"can_resubscribe"`
}

func renderSuppressed(co *company, n *suppressedNumber) suppressedView {
	return suppressedView{ID: n.id, Number: n.number, CreatedAt: jsTime(n.createdAt), CanResubscribe: n.canResubscribe,
		CompanyID: co.id, CID: n.campaignID}
}

func (co *company) suppressedByNumber(num string) *suppressedNumber {
	num = normalizePhone(num)
	n, _ := co.suppressed.find(func(x *suppressedNumber) bool { return x.number == num })
	return n
}

// applySuppressed reads can_resubscribe and the campaign (campaign_id or cid: a
// cid string or a campaign id) and affiliate (affiliate_id or afid).
func applySuppressed(rc *reqCtx, n *suppressedNumber, a *attrs) error {
	next := *n
	a.bool("can_resubscribe", &next.canResubscribe)
	for _, k := range []string{"campaign_id", "cid"} {
		var ref *string
		if !a.strP(k, &ref) {
			continue
		}
		next.campaignID = nil
		if ref != nil {
			c := rc.co.campaignByCID(*ref)
			if c == nil {
				if id, err := strconv.ParseInt(*ref, 10, 64); err == nil {
					c, _ = rc.co.campaigns.get(id)
				}
			}
			if c == nil {
				a.fail(k, "does not exist")
			} else {
				next.campaignID = int64P(c.id)
			}
		}
	}
	for _, k := range []string{"affiliate_id", "afid"} {
		var ref *string
		if !a.strP(k, &ref) {
			continue
		}
		next.affiliateID = nil
		if ref != nil {
			af, ok := rc.co.affiliates.find(func(x *affiliate) bool { return x.afid == *ref })
			if !ok {
				if id, err := strconv.ParseInt(*ref, 10, 64); err == nil {
					af, ok = rc.co.affiliates.get(id)
				}
			}
			if !ok {
				a.fail(k, "does not exist")
			} else {
				next.affiliateID = int64P(af.id)
			}
		}
	}
	if err := a.err(); err != nil {
		return err
	}
	next.updatedAt = rc.now
	*n = next
	return nil
}

// listSuppressed serves GET suppressed_numbers.json.
func listSuppressed(rc *reqCtx) (int, any, error) {
	items := paginate(rc, rc.co.suppressed.filter(nil), rc.srv.cfg.pageSize)
	return http.StatusOK, wrapEach("suppressed_number", items, func(n *suppressedNumber) any { return renderSuppressed(rc.co, n) }), nil
}

// checkSuppressed serves GET suppressed_numbers/check.json: whether the
// company has any suppressed number.
func checkSuppressed(rc *reqCtx) (int, any, error) {
	return http.StatusOK, map[string]bool{"suppressed_numbers_exist": rc.co.suppressed.len() > 0}, nil
}

// lookupSuppressed finds the suppressed number of the {number} path variable.
func lookupSuppressed(rc *reqCtx) (*suppressedNumber, error) {
	n := rc.co.suppressedByNumber(rc.vars["number"])
	if n == nil {
		return nil, errNotFound()
	}
	return n, nil
}

// getSuppressed serves GET suppressed_numbers/{number}.json.
func getSuppressed(rc *reqCtx) (int, any, error) {
	n, err := lookupSuppressed(rc)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, wrap("suppressed_number", renderSuppressed(rc.co, n)), nil
}

// createSuppressed serves POST suppressed_numbers/{number}.json. The body is
// optional; the answer is not wrapped (as in the reference).
func createSuppressed(rc *reqCtx) (int, any, error) {
	num := normalizePhone(rc.vars["number"])
	if rc.co.suppressedByNumber(num) != nil {
		return 0, nil, errValidation(fieldErrors{"number": {"has already been taken"}})
	}
	a, err := rc.attrs("suppressed_number")
	if err != nil {
		return 0, nil, err
	}
	n := &suppressedNumber{number: num, canResubscribe: true, createdAt: rc.now}
	if err := applySuppressed(rc, n, a); err != nil {
		return 0, nil, err
	}
	n.id = rc.st.nextID("suppressed_number")
	rc.co.suppressed.add(n)
	return http.StatusCreated, suppressedCreatedView{ID: n.id, CompanyID: rc.co.id, AffiliateID: n.affiliateID,
		CampaignID: n.campaignID, Number: n.number, CreatedAt: jsTime(n.createdAt), UpdatedAt: jsTime(n.updatedAt),
		CanResubscribe: n.canResubscribe}, nil
}

// updateSuppressed serves PUT and PATCH suppressed_numbers/{number}.json.
func updateSuppressed(rc *reqCtx) (int, any, error) {
	n, err := lookupSuppressed(rc)
	if err != nil {
		return 0, nil, err
	}
	a, err := rc.attrs("suppressed_number")
	if err != nil {
		return 0, nil, err
	}
	if err := applySuppressed(rc, n, a); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, wrap("suppressed_number", renderSuppressed(rc.co, n)), nil
}

// deleteSuppressed serves DELETE suppressed_numbers/{number}.json: 204.
func deleteSuppressed(rc *reqCtx) (int, any, error) {
	n, err := lookupSuppressed(rc)
	if err != nil {
		return 0, nil, err
	}
	rc.co.suppressed.remove(n.id)
	return http.StatusNoContent, nil, nil
}
