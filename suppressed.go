package retreaver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// checkE164 checks, loosely, that s is an E.164 phone number: a "+" and 7 to 15
// digits, such as "+13216065590".
func checkE164(what, s string) error {
	if s == "" {
		return invalidArg("%s is empty", what)
	}
	if s[0] != '+' || len(s) < 8 || len(s) > 16 {
		return invalidArg("%s %q is not an E.164 number (a + and 7 to 15 digits, such as +13216065590)", what, s)
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return invalidArg("%s %q is not an E.164 number (a + and 7 to 15 digits, such as +13216065590)", what, s)
		}
	}
	return nil
}

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
	type plain SuppressedNumber
	var v struct {
		plain
		CID json.RawMessage `json:"cid"` // shadows plain.CID
	}
	if err := unmarshalLenient(b, &v); err != nil {
		return err
	}
	cid, err := numberOrString(v.CID)
	if err != nil {
		return fmt.Errorf("retreaver: suppressed number cid: %w", err)
	}
	*s = SuppressedNumber(v.plain)
	s.CID = cid
	return nil
}

// numberOrString returns the text of a JSON string or number; "" for null or
// nothing.
func numberOrString(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf("want a number or a string, got %.40s", raw)
	}
	return n.String(), nil
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

func (s *SuppressedNumbersService) lister() lister[SuppressedNumber] {
	return lister[SuppressedNumber]{c: s.client, path: suppressedNumbersPath + ".json", root: suppressedNumberRoot}
}

// Exists reports whether the company has any suppressed numbers.
func (s *SuppressedNumbersService) Exists(ctx context.Context) (bool, error) {
	resp, err := s.client.do(ctx, &request{method: http.MethodGet, path: suppressedNumbersPath + "/check.json"})
	if err != nil {
		return false, err
	}
	var v struct {
		Exist *bool `json:"suppressed_numbers_exist"`
	}
	if err := json.Unmarshal(resp.body, &v); err != nil {
		return false, resp.decodeError(err)
	}
	if v.Exist == nil {
		return false, resp.decodeError(errors.New("answer has no suppressed_numbers_exist"))
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
	return get[SuppressedNumber](ctx, s.client, pathJoin(suppressedNumbersPath, number), suppressedNumberRoot)
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
	r := &request{method: http.MethodPost, path: pathJoin(suppressedNumbersPath, number)}
	if p != nil {
		r.body = map[string]any{suppressedNumberRoot: p}
	}
	return fetch[SuppressedNumber](ctx, s.client, r, suppressedNumberRoot)
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
	return send[SuppressedNumber](ctx, s.client, http.MethodPut, pathJoin(suppressedNumbersPath, number), suppressedNumberRoot, p)
}

// Delete removes this phone number from the company's suppressed numbers
// (unblocks it).
func (s *SuppressedNumbersService) Delete(ctx context.Context, number string) error {
	if err := checkE164("suppressed number", number); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(suppressedNumbersPath, number))
}

// StaticCallerNumber is a caller ID that is handled separately, such as a call
// center's that many calls share.
type StaticCallerNumber struct {
	ID        int64     `json:"id"`
	Number    string    `json:"number"` // E.164, such as "+18668987878"
	CreatedAt time.Time `json:"created_at"`
}

// StaticCallerNumberListOptions pages through the static caller numbers.
type StaticCallerNumberListOptions struct {
	ListOptions
}

// StaticCallerNumbersService manages static caller numbers: caller IDs (such as
// a call center's, shared by many calls) that are handled separately. For calls
// from them Retreaver either asks the caller for their real number or
// randomizes the caller ID for use with the call control API.
type StaticCallerNumbersService service

const (
	staticCallerNumbersPath = "static_caller_numbers"
	staticCallerNumberRoot  = "static_caller_number"
)

func (s *StaticCallerNumbersService) lister() lister[StaticCallerNumber] {
	return lister[StaticCallerNumber]{c: s.client, path: staticCallerNumbersPath + ".json", root: staticCallerNumberRoot}
}

// List returns one page of the company's static caller numbers.
func (s *StaticCallerNumbersService) List(ctx context.Context, opts *StaticCallerNumberListOptions) (*Page[StaticCallerNumber], error) {
	return s.lister().list(ctx, opts)
}

// All iterates over every static caller number, page after page from opts.Page.
func (s *StaticCallerNumbersService) All(ctx context.Context, opts *StaticCallerNumberListOptions) iter.Seq2[*StaticCallerNumber, error] {
	return s.lister().iterate(ctx, opts)
}

// Create adds a static caller number. number is required, in E.164 format
// ("+18668987878"; checked loosely: a "+" and 7 to 15 digits).
func (s *StaticCallerNumbersService) Create(ctx context.Context, number string) (*StaticCallerNumber, error) {
	if err := checkE164("static caller number", number); err != nil {
		return nil, err
	}
	body := struct {
		Number string `json:"number"`
	}{number}
	return send[StaticCallerNumber](ctx, s.client, http.MethodPost, staticCallerNumbersPath+".json", staticCallerNumberRoot, body)
}

// Delete removes the static caller number with this Retreaver ID.
func (s *StaticCallerNumbersService) Delete(ctx context.Context, id int64) error {
	if err := requireIntID("static caller number id", id); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(staticCallerNumbersPath, idSeg(id)))
}
