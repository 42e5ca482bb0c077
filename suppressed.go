package retreaver

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"time"
)

// SuppressedNumber is a caller number the company blocks. Suppressed numbers
// exist whether or not a contact or contact number has that number.
type SuppressedNumber struct {
	ID        int64     `json:"id"`
	Number    string    `json:"number"` // E.164, such as "+13216065590"
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"` // zero in lists and Get, which do not send it
	// CanResubscribe lets the caller unblock themselves by pressing 7 at a
	// "Caller Blocked" prompt of the campaign or number they call.
	CanResubscribe bool  `json:"can_resubscribe"`
	CompanyID      int64 `json:"company_id"`
	// CID is the campaign the number is suppressed for; "" when it is
	// suppressed company-wide. The API sends it as a number or a string (or
	// omits it); both decode to its decimal text.
	CID string `json:"cid"`
	// AffiliateID and CampaignID are sent by Create (often null) and not by
	// lists or Get.
	AffiliateID *int64 `json:"affiliate_id"`
	CampaignID  *int64 `json:"campaign_id"`
}

// UnmarshalJSON decodes a suppressed number, accepting cid as a JSON number, a
// string or null.
func (s *SuppressedNumber) UnmarshalJSON(b []byte) error {
	v := suppressedNumberJSON{suppressedNumberFields: suppressedNumberFields(*s)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = *v.suppressedNumber()
	return nil
}

// suppressedNumberJSON is a suppressed number as the API sends it. Answers and
// pages decode into it directly (suppressedNumberElement), in the one pass
// over the body.
type suppressedNumberJSON struct {
	suppressedNumberFields
	CID looseText `json:"cid"`
}

// suppressedNumberFields are the fields of SuppressedNumber, without its
// UnmarshalJSON.
type suppressedNumberFields SuppressedNumber

func (v *suppressedNumberJSON) suppressedNumber() *SuppressedNumber {
	s := (*SuppressedNumber)(&v.suppressedNumberFields)
	s.CID = string(v.CID)
	return s
}

// SuppressedNumberParams are the fields of a suppressed number to create or
// update. Only the fields set are sent.
type SuppressedNumberParams struct {
	// CanResubscribe lets the caller unblock themselves by pressing 7 at a
	// "Caller Blocked" prompt (the API's default is true).
	CanResubscribe *bool `json:"can_resubscribe,omitempty"`
	// CampaignID ties the suppression to a campaign. The reference's example
	// sends a campaign's cid here ("116dc0f6"), not its numeric ID.
	CampaignID *string `json:"campaign_id,omitempty"`
}

func (p *SuppressedNumberParams) validate() error {
	if p != nil && p.CampaignID != nil && *p.CampaignID == "" {
		return invalidArg("suppressed number campaign id must not be empty")
	}
	return nil
}

// SuppressedNumberListOptions pages through the suppressed numbers.
type SuppressedNumberListOptions struct {
	ListOptions
}

// SuppressedNumbersService manages the company's suppressed (blocked) caller
// numbers. Numbers are given in E.164 format ("+13216065590") and keep their
// leading "+" in the request path.
type SuppressedNumbersService service

const (
	suppressedNumbersPath = "suppressed_numbers"
	suppressedNumberRoot  = "suppressed_number"
)

// suppressedNumberElement is a SuppressedNumber as the API wraps it (see element).
type suppressedNumberElement struct {
	V *suppressedNumberJSON `json:"suppressed_number"`
}

func (e suppressedNumberElement) object() *SuppressedNumber {
	if e.V == nil {
		return nil
	}
	return e.V.suppressedNumber()
}

func (s *SuppressedNumbersService) lister() lister[suppressedNumberElement, SuppressedNumber] {
	return lister[suppressedNumberElement, SuppressedNumber]{c: s.client, path: suppressedNumbersPath + ".json", root: suppressedNumberRoot}
}

// Exists reports whether the company has any suppressed numbers.
func (s *SuppressedNumbersService) Exists(ctx context.Context) (bool, error) {
	type check struct {
		Exist *bool `json:"suppressed_numbers_exist"`
	}
	r := s.client.newRequest(http.MethodGet, suppressedNumbersPath+"/check.json", nil, nil)
	v, err := exchangeBare(ctx, s.client.cfg, r, func(v *check) error {
		if v.Exist == nil {
			return errors.New("answer has no suppressed_numbers_exist")
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	return *v.Exist, nil
}

// List returns one page of the company's suppressed numbers.
func (s *SuppressedNumbersService) List(ctx context.Context, opts *SuppressedNumberListOptions) (*Page[SuppressedNumber], error) {
	return s.lister().list(ctx, opts)
}

// All iterates over every suppressed number, page after page from opts.Page.
func (s *SuppressedNumbersService) All(ctx context.Context, opts *SuppressedNumberListOptions) iter.Seq2[*SuppressedNumber, error] {
	return s.lister().iterate(ctx, opts)
}

// Get returns the suppressed number for this phone number, such as
// "+13216065590". A number that is not suppressed is an error matching
// [ErrNotFound].
func (s *SuppressedNumbersService) Get(ctx context.Context, number string) (*SuppressedNumber, error) {
	if err := checkE164("suppressed number", number); err != nil {
		return nil, err
	}
	return get[suppressedNumberElement](ctx, s.client, pathJoin(suppressedNumbersPath, number), suppressedNumberRoot)
}

// Create suppresses (blocks) this phone number, such as "+13216065590". p may be
// nil: the request then has no body and the API's defaults apply
// (CanResubscribe true). A common use is to let callers who chose an "add
// caller to suppressed numbers and hang up" routing option restore contact
// later.
func (s *SuppressedNumbersService) Create(ctx context.Context, number string, p *SuppressedNumberParams) (*SuppressedNumber, error) {
	if err := checkE164("suppressed number", number); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	var body any
	if p != nil {
		body = map[string]any{suppressedNumberRoot: p}
	}
	// The answer is the bare object, as the reference shows.
	r := s.client.newRequest(http.MethodPost, pathJoin(suppressedNumbersPath, number), nil, body)
	return exchangeBare(ctx, s.client.cfg, r, func(n *SuppressedNumber) error {
		if n.Number == "" {
			return errors.New("answer is not a suppressed number")
		}
		return nil
	})
}

// Update changes the fields set in p (required) on the suppressed number for
// this phone number. The body is wrapped as {"suppressed_number": {...}}, like
// every other request and like the reference's curl example; the reference's
// request line shows the fields unwrapped.
func (s *SuppressedNumbersService) Update(ctx context.Context, number string, p *SuppressedNumberParams) (*SuppressedNumber, error) {
	if err := checkE164("suppressed number", number); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, invalidArg("suppressed number params are nil")
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	return send[suppressedNumberElement](ctx, s.client, http.MethodPut, pathJoin(suppressedNumbersPath, number), suppressedNumberRoot, p)
}

// Delete removes this phone number from the company's suppressed numbers
// (unblocks it).
func (s *SuppressedNumbersService) Delete(ctx context.Context, number string) error {
	if err := checkE164("suppressed number", number); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(suppressedNumbersPath, number))
}
