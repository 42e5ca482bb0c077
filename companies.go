package retreaver

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"sync"
	"time"
)

// Company is one of the companies (accounts) a key can reach. Each has its own
// campaigns, affiliates, targets, numbers, calls and billing.
type Company struct {
	ID                       int64     `json:"id"`
	Name                     string    `json:"name"`
	CreatedAt                time.Time `json:"created_at"`
	UpdatedAt                time.Time `json:"updated_at"`
	EmbeddedKey              string    `json:"embedded_key"`
	PerNumber                Money     `json:"per_number"` // monthly price per number
	UseGlobalSuppressionList bool      `json:"use_global_suppression_list"`
	Balance                  Money     `json:"balance"`
	OwnerUserName            string    `json:"owner_user_name"`
}

// CompanyParams are the fields of a company to create or update. Only the fields
// set are sent.
type CompanyParams struct {
	// Name is required on Create.
	Name *string `json:"name,omitempty"`
}

// CompanyListOptions pages through the companies.
type CompanyListOptions struct {
	ListOptions
}

// CompaniesService manages the companies a key can reach. Its requests never carry
// company_id, whatever the client is scoped to.
type CompaniesService service

const companyRoot = "company"

func (s *CompaniesService) lister() lister[Company] {
	return lister[Company]{c: s.client, path: "companies.json", root: companyRoot, noCompany: true}
}

// Active returns the key's active company: the one the API uses when a request
// names no company_id. It changes when the user switches companies in the web
// interface.
func (s *CompaniesService) Active(ctx context.Context) (*Company, error) {
	return fetch[Company](ctx, s.client, &request{method: http.MethodGet, path: "company.json", noCompany: true}, companyRoot)
}

// List returns one page of the companies the key can reach.
func (s *CompaniesService) List(ctx context.Context, opts *CompanyListOptions) (*Page[Company], error) {
	return s.lister().list(ctx, opts)
}

// All iterates over every company the key can reach.
func (s *CompaniesService) All(ctx context.Context, opts *CompanyListOptions) iter.Seq2[*Company, error] {
	return s.lister().iterate(ctx, opts)
}

// Get returns the company with this id.
func (s *CompaniesService) Get(ctx context.Context, id int64) (*Company, error) {
	if err := requireIntID("company id", id); err != nil {
		return nil, err
	}
	return fetch[Company](ctx, s.client, &request{method: http.MethodGet, path: pathJoin("companies", idSeg(id)), noCompany: true}, companyRoot)
}

// Create creates a company; p.Name is required. The new company has its own
// accounts and payment settings.
func (s *CompaniesService) Create(ctx context.Context, p *CompanyParams) (*Company, error) {
	if p == nil || p.Name == nil || *p.Name == "" {
		return nil, invalidArg("company name is required")
	}
	return s.send(ctx, http.MethodPost, "companies.json", p)
}

// Update changes the fields set in p.
func (s *CompaniesService) Update(ctx context.Context, id int64, p *CompanyParams) (*Company, error) {
	if err := requireIntID("company id", id); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, invalidArg("company params are nil")
	}
	if p.Name != nil && *p.Name == "" {
		return nil, invalidArg("company name must not be empty")
	}
	return s.send(ctx, http.MethodPut, pathJoin("companies", idSeg(id)), p)
}

// Delete deletes a company. The API refuses while the company still has numbers or
// number pools.
func (s *CompaniesService) Delete(ctx context.Context, id int64) error {
	if err := requireIntID("company id", id); err != nil {
		return err
	}
	_, err := s.client.do(ctx, &request{method: http.MethodDelete, path: pathJoin("companies", idSeg(id)), noCompany: true})
	return err
}

func (s *CompaniesService) send(ctx context.Context, method, path string, p *CompanyParams) (*Company, error) {
	return fetch[Company](ctx, s.client, &request{method: method, path: path, body: map[string]any{companyRoot: p}, noCompany: true}, companyRoot)
}

// ForEachCompany lists every company the key can reach and calls fn for each with
// a copy of c scoped to that company, running at most concurrency calls at once
// (values below 1 mean 1). After the first error no new call starts; the calls
// already running finish. It returns every error that happened, joined with
// errors.Join, each prefixed with its company's id; errors.Is and errors.As see
// through the join. Cancelling ctx stops starting new calls and is reported too.
func (c *Client) ForEachCompany(ctx context.Context, concurrency int, fn func(ctx context.Context, c *Client, co *Company) error) error {
	if fn == nil {
		return invalidArg("fn is nil")
	}
	if ctx == nil {
		return invalidArg("context is nil")
	}
	concurrency = max(concurrency, 1)
	var (
		mu      sync.Mutex
		errs    []error
		wg      sync.WaitGroup
		sem     = make(chan struct{}, concurrency)
		stopped bool
	)
	record := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		stopped = true
		mu.Unlock()
	}
	isStopped := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return stopped
	}
	for co, err := range c.Companies.All(ctx, nil) {
		if err != nil {
			if ctx.Err() == nil {
				record(fmt.Errorf("listing companies: %w", err))
			}
			break
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		if isStopped() {
			<-sem
			break
		}
		wg.Add(1)
		go func(co *Company) {
			defer wg.Done()
			defer func() { <-sem }()
			if err := fn(ctx, c.WithCompany(co.ID), co); err != nil {
				record(fmt.Errorf("company %d (%s): %w", co.ID, co.Name, err))
			}
		}(co)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
