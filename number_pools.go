package retreaver

import (
	"context"
	"iter"
	"net/http"
	"strings"
	"time"
)

// NumberPool assigns numbers to website visitors dynamically, so that calls can
// be attributed to the visit's attributes; it provisions numbers as needed up to
// MaxPoolSize.
type NumberPool struct {
	ID                   int64                 `json:"id"`
	NumbersCount         int                   `json:"numbers_count"` // numbers in the pool now
	Type                 NumberType            `json:"type"`          // NumberTypeTollFree or NumberTypeLocal
	Country              string                `json:"country"`       // such as "US"
	MaxPoolSize          int                   `json:"max_pool_size"`
	BufferSeconds        int                   `json:"buffer_seconds"` // a number stays assigned this long after the visitor leaves
	CreatedAt            time.Time             `json:"created_at"`
	UpdatedAt            time.Time             `json:"updated_at"`
	GoogleAnalytics      bool                  `json:"google_analytics"`
	HideEmbeddedAccess   bool                  `json:"hide_embedded_access"`
	AFID                 string                `json:"afid"` // "" when the pool has no affiliate
	CID                  string                `json:"cid"`
	ReserveSize          int                   `json:"reserve_size"`           // numbers provisioned ahead and held in reserve
	GoogleAnalyticsPaths []GoogleAnalyticsPath `json:"google_analytics_paths"` // with GoogleAnalytics; absent from lists
}

// GoogleAnalyticsPath is one of the page paths the Google Analytics integration
// uses for the pool, one per kind of timer.
type GoogleAnalyticsPath struct {
	Name string `json:"name"` // such as "Network timer (connect)"
	Path string `json:"path"` // such as "/callpixels/18135f62-00ff-4818-941d-d88b6a93f27d"
}

// NumberPoolParams are the fields of a number pool to create or update. Only the
// fields set are sent: use [Ptr] for literals. CID is required on Create.
type NumberPoolParams struct {
	// CID is the campaign the pool belongs to; required on Create. The campaign
	// must exist.
	CID *string `json:"cid,omitempty"`
	// Type is the kind of numbers in the pool: NumberTypeTollFree (the default)
	// or NumberTypeLocal.
	Type *NumberType `json:"type,omitempty"`
	// Country is the 2-letter country of the pool's numbers: US (the default),
	// CA, AT, BE, DK, FI, FR, GB, IE, IT, NL, PL or SE. The reference says it is
	// for local pools, but its own examples show a toll-free pool in CA, so it is
	// not checked against Type.
	Country *string `json:"country,omitempty"`
	// AFID is the affiliate the pool belongs to; the affiliate must exist. It
	// cannot be combined with GoogleAnalytics.
	AFID *string `json:"afid,omitempty"`
	// MaxPoolSize is the most numbers the pool may hold (default 10).
	MaxPoolSize *int `json:"max_pool_size,omitempty"`
	// BufferSeconds is how long a number keeps its assignment after the visitor
	// has left the site (default 0).
	BufferSeconds *int `json:"buffer_seconds,omitempty"`
	// HideEmbeddedAccess hides the embedded affiliate number management
	// interface for this campaign (default false).
	HideEmbeddedAccess *bool `json:"hide_embedded_access,omitempty"`
	// GoogleAnalytics turns the Google Analytics integration on (default
	// false). The API does not allow it on pools with an affiliate.
	GoogleAnalytics *bool `json:"google_analytics,omitempty"`
	// ReserveSize is how many numbers are provisioned ahead and held in reserve,
	// so that visitors get a number at once (default 1).
	ReserveSize *int `json:"reserve_size,omitempty"`
}

func (p *NumberPoolParams) validate(create bool) error {
	if p == nil {
		return invalidArg("number pool params are nil")
	}
	if create && p.CID == nil {
		return invalidArg("a new number pool needs cid")
	}
	if p.CID != nil && strings.TrimSpace(*p.CID) == "" {
		return invalidArg("number pool cid must not be empty")
	}
	if err := checkNumberType(p.Type); err != nil {
		return err
	}
	if err := checkCountry(p.Country); err != nil {
		return err
	}
	if p.MaxPoolSize != nil && *p.MaxPoolSize < 1 {
		return invalidArg("max pool size must be at least 1, got %d", *p.MaxPoolSize)
	}
	if p.BufferSeconds != nil && *p.BufferSeconds < 0 {
		return invalidArg("buffer seconds must not be negative, got %d", *p.BufferSeconds)
	}
	if p.ReserveSize != nil && *p.ReserveSize < 0 {
		return invalidArg("reserve size must not be negative, got %d", *p.ReserveSize)
	}
	if p.GoogleAnalytics != nil && *p.GoogleAnalytics && p.AFID != nil && *p.AFID != "" {
		return invalidArg("google analytics is incompatible with a number pool that has an affiliate (afid %q)", *p.AFID)
	}
	return nil
}

// NumberPoolListOptions filters and pages a number pool listing.
type NumberPoolListOptions struct {
	ListOptions
	// CID returns only the pools of this campaign (its cid).
	CID string `url:"cid,omitempty"`
	// AFID returns only the pools of this affiliate (its afid).
	AFID string `url:"afid,omitempty"`
}

// NumberPoolsService manages number pools, which assign numbers to website
// visitors dynamically: use them instead of static numbers to track many
// attributes.
type NumberPoolsService service

const (
	numberPoolsPath = "number_pools"
	numberPoolRoot  = "number_pool"
)

// numberPoolElement is a NumberPool as the API wraps it (see element).
type numberPoolElement struct {
	V *NumberPool `json:"number_pool"`
}

func (e numberPoolElement) object() *NumberPool { return e.V }

func (s *NumberPoolsService) lister() lister[numberPoolElement, NumberPool] {
	return lister[numberPoolElement, NumberPool]{c: s.client, path: numberPoolsPath + ".json", root: numberPoolRoot}
}

// List returns one page of the company's number pools matching opts.
func (s *NumberPoolsService) List(ctx context.Context, opts *NumberPoolListOptions) (*Page[NumberPool], error) {
	return s.lister().list(ctx, opts)
}

// All iterates over every number pool matching opts, page after page from
// opts.Page.
func (s *NumberPoolsService) All(ctx context.Context, opts *NumberPoolListOptions) iter.Seq2[*NumberPool, error] {
	return s.lister().iterate(ctx, opts)
}

// Get returns the number pool with this Retreaver ID.
func (s *NumberPoolsService) Get(ctx context.Context, id int64) (*NumberPool, error) {
	if err := requireIntID("number pool id", id); err != nil {
		return nil, err
	}
	return get[numberPoolElement](ctx, s.client, pathJoin(numberPoolsPath, idSeg(id)), numberPoolRoot)
}

// Create creates a number pool for the campaign p.CID (required).
func (s *NumberPoolsService) Create(ctx context.Context, p *NumberPoolParams) (*NumberPool, error) {
	if err := p.validate(true); err != nil {
		return nil, err
	}
	return send[numberPoolElement](ctx, s.client, http.MethodPost, numberPoolsPath+".json", numberPoolRoot, p)
}

// Update changes the fields set in p on the number pool with this Retreaver ID.
// (The reference's example sends max_pool_size as the string "1000"; this
// client sends integers.)
func (s *NumberPoolsService) Update(ctx context.Context, id int64, p *NumberPoolParams) (*NumberPool, error) {
	if err := requireIntID("number pool id", id); err != nil {
		return nil, err
	}
	if err := p.validate(false); err != nil {
		return nil, err
	}
	return send[numberPoolElement](ctx, s.client, http.MethodPut, pathJoin(numberPoolsPath, idSeg(id)), numberPoolRoot, p)
}

// Delete deletes the number pool with this Retreaver ID, and with it every
// number of the pool.
func (s *NumberPoolsService) Delete(ctx context.Context, id int64) error {
	if err := requireIntID("number pool id", id); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(numberPoolsPath, idSeg(id)))
}
