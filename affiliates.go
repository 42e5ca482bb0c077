package retreaver

import (
	"context"
	"iter"
	"net/http"
	"strings"
	"time"
)

// Affiliate is a source of calls: a publisher in the Performance Marketing
// Edition, a source in the Enterprise Edition. Calls are attributed to the
// affiliate of the number they came in on.
//
// An affiliate has two identifiers: ID, Retreaver's internal id, and AFID, the id
// you choose (to match an external tracking system). Both address it: Get, Update
// and Delete take the ID; GetByAFID, UpdateByAFID and DeleteByAFID the AFID.
type Affiliate struct {
	ID          int64     `json:"id"`
	AFID        string    `json:"afid"`
	FirstName   string    `json:"first_name"`
	LastName    string    `json:"last_name"`
	CompanyName string    `json:"company_name"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// AffiliateParams are the fields of an affiliate to create or update. Only the
// fields set are sent: build them with [Ptr].
type AffiliateParams struct {
	// AFID is your id for the affiliate, matching any external tracking system.
	// Required on Create; it cannot be set to "".
	AFID *string `json:"afid,omitempty"`
	// FirstName is the affiliate's first name, for your reference.
	FirstName *string `json:"first_name,omitempty"`
	// LastName is the affiliate's last name.
	LastName *string `json:"last_name,omitempty"`
	// CompanyName is the affiliate's company name.
	CompanyName *string `json:"company_name,omitempty"`
}

func (p *AffiliateParams) validate(create bool) error {
	if p == nil {
		return invalidArg("affiliate params are nil")
	}
	if create && p.AFID == nil {
		return invalidArg("affiliate afid is required")
	}
	if p.AFID != nil && strings.TrimSpace(*p.AFID) == "" {
		return invalidArg("affiliate afid must not be empty")
	}
	return nil
}

// AffiliateListOptions pages through the affiliates. The API documents no
// filters for this list.
type AffiliateListOptions struct {
	ListOptions
}

// AffiliatesService manages affiliates, the publishers or sources that send calls.
type AffiliatesService service

const (
	affiliateRoot     = "affiliate"
	affiliatesPath    = "api/v1/affiliates"
	affiliatesAFIDDir = "api/v1/affiliates/afid"
)

// affiliateElement is an Affiliate as the API wraps it (see element).
type affiliateElement struct {
	V *Affiliate `json:"affiliate"`
}

func (e affiliateElement) object() *Affiliate { return e.V }

func (s *AffiliatesService) lister() lister[affiliateElement, Affiliate] {
	return lister[affiliateElement, Affiliate]{c: s.client, path: affiliatesPath + ".json", root: affiliateRoot}
}

// List returns one page (25 affiliates) of the company's affiliates.
func (s *AffiliatesService) List(ctx context.Context, opts *AffiliateListOptions) (*Page[Affiliate], error) {
	return s.lister().list(ctx, opts)
}

// All iterates over every affiliate of the company, page after page from
// opts.Page.
func (s *AffiliatesService) All(ctx context.Context, opts *AffiliateListOptions) iter.Seq2[*Affiliate, error] {
	return s.lister().iterate(ctx, opts)
}

// Get returns the affiliate with this internal id.
func (s *AffiliatesService) Get(ctx context.Context, id int64) (*Affiliate, error) {
	if err := requireIntID("affiliate id", id); err != nil {
		return nil, err
	}
	return get[affiliateElement](ctx, s.client, pathJoin(affiliatesPath, idSeg(id)), affiliateRoot)
}

// GetByAFID returns the affiliate with this AFID (your id for it). The AFID is
// escaped as one path segment, so it may hold any character.
func (s *AffiliatesService) GetByAFID(ctx context.Context, afid string) (*Affiliate, error) {
	if err := requireID("affiliate afid", afid); err != nil {
		return nil, err
	}
	return get[affiliateElement](ctx, s.client, pathJoin(affiliatesAFIDDir, afid), affiliateRoot)
}

// Create creates an affiliate; p.AFID is required.
func (s *AffiliatesService) Create(ctx context.Context, p *AffiliateParams) (*Affiliate, error) {
	if err := p.validate(true); err != nil {
		return nil, err
	}
	return send[affiliateElement](ctx, s.client, http.MethodPost, affiliatesPath+".json", affiliateRoot, p)
}

// Update changes the fields set in p on the affiliate with this internal id, and
// returns the affiliate as it now is.
func (s *AffiliatesService) Update(ctx context.Context, id int64, p *AffiliateParams) (*Affiliate, error) {
	if err := requireIntID("affiliate id", id); err != nil {
		return nil, err
	}
	if err := p.validate(false); err != nil {
		return nil, err
	}
	return send[affiliateElement](ctx, s.client, http.MethodPut, pathJoin(affiliatesPath, idSeg(id)), affiliateRoot, p)
}

// UpdateByAFID changes the fields set in p on the affiliate with this AFID.
// Setting p.AFID renames the affiliate: later calls must use the new AFID.
func (s *AffiliatesService) UpdateByAFID(ctx context.Context, afid string, p *AffiliateParams) (*Affiliate, error) {
	if err := requireID("affiliate afid", afid); err != nil {
		return nil, err
	}
	if err := p.validate(false); err != nil {
		return nil, err
	}
	return send[affiliateElement](ctx, s.client, http.MethodPut, pathJoin(affiliatesAFIDDir, afid), affiliateRoot, p)
}

// Delete deletes the affiliate with this internal id. The API refuses while the
// affiliate still has numbers: delete those first.
func (s *AffiliatesService) Delete(ctx context.Context, id int64) error {
	if err := requireIntID("affiliate id", id); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(affiliatesPath, idSeg(id)))
}

// DeleteByAFID deletes the affiliate with this AFID. The API refuses while the
// affiliate still has numbers: delete those first.
func (s *AffiliatesService) DeleteByAFID(ctx context.Context, afid string) error {
	if err := requireID("affiliate afid", afid); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(affiliatesAFIDDir, afid))
}
