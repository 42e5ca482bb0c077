package retreaver

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"
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

// companyElement is a Company as the API wraps it (see element).
type companyElement struct {
	V *Company `json:"company"`
}

func (e companyElement) object() *Company { return e.V }

// noCompany is the client without a company: the company endpoints send no
// company_id (company.json would then answer that company, not the active one).
func (s *CompaniesService) noCompany() *Client { return s.client.WithCompany(0) }

func (s *CompaniesService) lister() lister[companyElement, Company] {
	return lister[companyElement, Company]{c: s.noCompany(), path: "companies.json", root: companyRoot}
}

// Active returns the key's active company: the one the API uses when a request
// names no company_id. It changes when the user switches companies in the web
// interface.
func (s *CompaniesService) Active(ctx context.Context) (*Company, error) {
	return get[companyElement](ctx, s.noCompany(), "company.json", companyRoot)
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
	return get[companyElement](ctx, s.noCompany(), pathJoin("companies", idSeg(id)), companyRoot)
}

func (p *CompanyParams) validate(create bool) error {
	switch {
	case p == nil:
		return invalidArg("company params are nil")
	case create && p.Name == nil:
		return invalidArg("company name is required")
	case p.Name != nil && strings.TrimSpace(*p.Name) == "":
		return invalidArg("company name must not be empty")
	}
	return nil
}

// Create creates a company; p.Name is required. The new company has its own
// accounts and payment settings.
func (s *CompaniesService) Create(ctx context.Context, p *CompanyParams) (*Company, error) {
	if err := p.validate(true); err != nil {
		return nil, err
	}
	return send[companyElement](ctx, s.noCompany(), http.MethodPost, "companies.json", companyRoot, p)
}

// Update changes the fields set in p.
func (s *CompaniesService) Update(ctx context.Context, id int64, p *CompanyParams) (*Company, error) {
	if err := requireIntID("company id", id); err != nil {
		return nil, err
	}
	if err := p.validate(false); err != nil {
		return nil, err
	}
	return send[companyElement](ctx, s.noCompany(), http.MethodPut, pathJoin("companies", idSeg(id)), companyRoot, p)
}

// Delete deletes a company. The API refuses while the company still has numbers or
// number pools.
func (s *CompaniesService) Delete(ctx context.Context, id int64) error {
	if err := requireIntID("company id", id); err != nil {
		return err
	}
	return s.noCompany().del(ctx, pathJoin("companies", idSeg(id)))
}

// ForEachCompany lists every company the key can reach and calls fn for each with
// a copy of c scoped to that company, running at most concurrency calls at once
// (values below 1 mean 1). After the first error no new call starts; the calls
// already running finish. It returns every error that happened, joined with
// errors.Join, each prefixed with its company's id; errors.Is and errors.As see
// through the join. Cancelling ctx stops starting new calls and is reported too.
//
// fn never runs without a company id: a listing that answers a company without
// one ends with an error, since a client scoped to company 0 would work in the
// key's active company. A panic in fn is raised again on the caller's goroutine,
// with its original value, once the calls already running have finished: no
// goroutine is left behind.
func (c *Client) ForEachCompany(ctx context.Context, concurrency int, fn func(ctx context.Context, c *Client, co *Company) error) error {
	if fn == nil {
		return invalidArg("fn is nil")
	}
	if ctx == nil {
		return invalidArg("context is nil")
	}
	var (
		mu       sync.Mutex
		errs     []error
		panicked []any
		stopped  bool
		wg       sync.WaitGroup
		sem      = make(chan struct{}, max(concurrency, 1))
	)
	stop := func(err error, p []any) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, err)
		}
		panicked = append(panicked, p...)
		stopped = true
	}
	isStopped := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return stopped
	}
	run := func(co *Company) {
		defer wg.Done()
		defer func() { <-sem }()
		defer func() {
			if p := recover(); p != nil {
				stop(nil, []any{p})
			}
		}()
		if err := fn(ctx, c.WithCompany(co.ID), co); err != nil {
			stop(fmt.Errorf("company %d (%s): %w", co.ID, co.Name, err), nil)
		}
	}
	for co, err := range c.Companies.All(ctx, nil) {
		if err == nil && co.ID <= 0 {
			err = fmt.Errorf("%w: the company listing answered a company without an id (%q)", ErrUnexpectedResponse, co.Name)
		}
		if err != nil {
			if ctx.Err() == nil {
				stop(fmt.Errorf("listing companies: %w", err), nil)
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
		go run(co)
	}
	wg.Wait()
	if len(panicked) > 0 {
		panic(panicked[0])
	}
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
