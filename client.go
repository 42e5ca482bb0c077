package retreaver

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// Client talks to the Retreaver Core API. It is safe for concurrent use: create
// one with [NewClient] and share it for the life of the program, since it holds a
// pool of connections. [Client.WithCompany] derives cheap copies scoped to other
// companies that share that pool.
//
// The API key is kept where no printer reaches it: printing a Client, or a value
// holding one, with fmt, slog or a test library's diff never shows it.
type Client struct {
	cfg       *clientConfig // shared by every copy, never modified after NewClient
	companyID int64

	common service // the one value every service points at

	// Calls reads the call log (api/v2/calls; see [WithCallsVersion]).
	Calls *CallsService
	// CallsV1 reads the call log through the original API (api/v1/calls).
	CallsV1 *CallsV1Service
	// Affiliates manages affiliates (publishers, sources).
	Affiliates *AffiliatesService
	// Targets manages targets (buyers, call endpoints).
	Targets *TargetsService
	// TargetGroups manages target groups (buyer groups).
	TargetGroups *TargetGroupsService
	// Campaigns manages campaigns.
	Campaigns *CampaignsService
	// Numbers manages tracking numbers.
	Numbers *NumbersService
	// NumberPools manages number pools.
	NumberPools *NumberPoolsService
	// Companies manages the companies the key can reach.
	Companies *CompaniesService
	// Contacts manages contacts.
	Contacts *ContactsService
	// ContactNumbers updates and removes contact numbers by phone number.
	ContactNumbers *ContactNumbersService
	// SuppressedNumbers manages the company's suppressed (blocked) caller numbers.
	SuppressedNumbers *SuppressedNumbersService
	// StaticCallerNumbers manages static caller numbers.
	StaticCallerNumbers *StaticCallerNumbersService
	// Reports reads aggregate call statistics.
	Reports *ReportsService
	// RTB makes real-time bidding reservations on the RTB host.
	RTB *RTBService
	// RTBInbounds reads the log of RTB pings the company's campaigns received
	// (api/v5/rtb_inbounds).
	RTBInbounds *RTBInboundsService
	// Exports makes server-side CSV exports (api/v5/exports): RTB inbounds.
	Exports *ExportsService
	// PBMTables manages the payout bid modification tables of campaigns.
	PBMTables *PBMTablesService
}

// service is embedded by every resource service: it only knows its client.
type service struct {
	client *Client
}

// NewClient returns a client that authenticates with apiKey. An empty key, or one
// with white space in it, is an error wrapping [ErrInvalidArgument].
func NewClient(apiKey string, opts ...Option) (*Client, error) {
	if err := checkSecret("api key", apiKey); err != nil {
		return nil, err
	}
	cfg, err := newConfig(opts, apiKey)
	if err != nil {
		return nil, err
	}
	return newClient(cfg, cfg.companyID), nil
}

// checkSecret rejects empty credentials and ones that would break a query string.
func checkSecret(what, s string) error {
	if s == "" {
		return invalidArg("%s is empty", what)
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return invalidArg("%s contains white space or control characters", what)
		}
	}
	return nil
}

func newClient(cfg *clientConfig, companyID int64) *Client {
	c := &Client{cfg: cfg, companyID: companyID}
	c.common.client = c
	c.Calls = (*CallsService)(&c.common)
	c.CallsV1 = (*CallsV1Service)(&c.common)
	c.Affiliates = (*AffiliatesService)(&c.common)
	c.Targets = (*TargetsService)(&c.common)
	c.TargetGroups = (*TargetGroupsService)(&c.common)
	c.Campaigns = (*CampaignsService)(&c.common)
	c.Numbers = (*NumbersService)(&c.common)
	c.NumberPools = (*NumberPoolsService)(&c.common)
	c.Companies = (*CompaniesService)(&c.common)
	c.Contacts = (*ContactsService)(&c.common)
	c.ContactNumbers = (*ContactNumbersService)(&c.common)
	c.SuppressedNumbers = (*SuppressedNumbersService)(&c.common)
	c.StaticCallerNumbers = (*StaticCallerNumbersService)(&c.common)
	c.Reports = (*ReportsService)(&c.common)
	c.RTB = (*RTBService)(&c.common)
	c.RTBInbounds = (*RTBInboundsService)(&c.common)
	c.Exports = (*ExportsService)(&c.common)
	c.PBMTables = (*PBMTablesService)(&c.common)
	return c
}

// WithCompany returns a copy of c scoped to another company. The copy shares c's
// connections, retry policy, logger and rate limiter; making one costs a single
// allocation.
func (c *Client) WithCompany(id int64) *Client {
	return newClient(c.cfg, id)
}

// CompanyID returns the company this client is scoped to (0: the key's active company).
func (c *Client) CompanyID() int64 { return c.companyID }

// CloseIdleConnections closes the connections of the client's pool that are
// idle. A Client is meant to be shared and to live as long as the program; call
// this when a program that is done with the API goes on doing other work. The
// client stays usable: later requests open new connections.
func (c *Client) CloseIdleConnections() { c.cfg.httpClient.CloseIdleConnections() }

// String describes the client without its key.
func (c *Client) String() string {
	return fmt.Sprintf("retreaver.Client{BaseURL: %s, CompanyID: %d}", c.cfg.baseURL, c.companyID)
}

// GoString is like String, for %#v.
func (c *Client) GoString() string { return c.String() }

// newRequest builds a request to the API host that carries the key and the
// client's company.
func (c *Client) newRequest(method, path string, query url.Values, body any) *request {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("api_key", c.cfg.credential())
	if c.companyID != 0 {
		q.Set("company_id", strconv.FormatInt(c.companyID, 10))
	} else {
		q.Del("company_id")
	}
	return &request{method: method, base: c.cfg.baseURL, path: path, query: q, body: body, forbidden: c.forbiddenHint()}
}

// forbiddenHint says what a 403 to a request with the client's api_key means:
// the key has no access to the client's company, or, with no company_id sent,
// was refused outright.
func (c *Client) forbiddenHint() string {
	if c.companyID == 0 {
		return "the API key was refused, with no company_id sent: the key's active company applies"
	}
	return "the API key has no access to company " + strconv.FormatInt(c.companyID, 10) + " (WithCompanyID)"
}

// Response describes the answer to a request made with [Client.Do].
type Response struct {
	StatusCode int
	Header     http.Header
	// Attempts is the number of times the request was sent.
	Attempts int
}

// Do sends a request the SDK does not model yet, with every guarantee of the
// typed methods: the api_key and the client's company_id are added to query,
// the request is retried as the [RetryPolicy] allows, the answer is bounded,
// credentials are redacted from every error, and an answer outside 2xx is an
// [*APIError].
//
// path is relative to the base URL, such as "api/v2/calls.json"; its segments
// must already be escaped (use url.PathEscape for ids). body, when non-nil, is
// sent as JSON exactly as given (wrap it in the resource's root key yourself);
// out, when non-nil, receives the JSON answer as sent, without unwrapping. A 2xx
// answer that is not JSON when out is given is an error wrapping
// ErrUnexpectedResponse, and the bounds of decoding apply (see the README's
// Reliability section). The Response is returned whenever an answer came,
// errors included; credentials are redacted from its headers (the API's Link
// headers carry the api_key).
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body, out any) (*Response, error) {
	if method == "" || strings.ContainsAny(method, " \t\r\n/") {
		return nil, invalidArg("method %q is not an HTTP method", method)
	}
	if err := checkRelativePath(path); err != nil {
		return nil, err
	}
	for _, p := range []string{"api_key", "company_id"} {
		if query.Has(p) {
			return nil, invalidArg("query must not carry %s: the client adds it", p)
		}
	}
	r := c.newRequest(strings.ToUpper(method), strings.TrimPrefix(path, "/"), query, body)
	if out != nil {
		r.decode = func(resp *response) error { return decodeValue(resp.body, out) }
	}
	resp, err := c.cfg.do(ctx, r)
	if resp == nil {
		return nil, err
	}
	return &Response{StatusCode: resp.status, Header: redactHeader(resp.header, resp.redact), Attempts: resp.attempt}, err
}

// redactHeader returns a copy of h with credentials redacted from every value:
// the API's Link headers carry the api_key.
func redactHeader(h http.Header, red *redactor) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		for _, v := range vs {
			out[k] = append(out[k], red.String(v))
		}
	}
	return out
}

// checkRelativePath accepts an escaped path relative to the base URL, without
// query, fragment, host or dot segments.
func checkRelativePath(path string) error {
	p := strings.TrimPrefix(path, "/")
	if p == "" || strings.HasPrefix(p, "/") || strings.ContainsAny(p, "?#\\") {
		return invalidArg("path %q must be relative to the base URL, without query or fragment", path)
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return invalidArg("path %q must be relative to the base URL", path)
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return invalidArg("path %q has a dot segment", path)
		}
	}
	return nil
}
