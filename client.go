package retreaver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/go-querystring/query"
	"golang.org/x/time/rate"
)

// DefaultMaxResponseBytes bounds every response body unless [WithMaxResponseBytes]
// says otherwise.
const DefaultMaxResponseBytes int64 = 64 << 20

// Client talks to the Retreaver Core API. It is safe for concurrent use; create one
// with [NewClient] and share it. [Client.WithCompany] derives cheap copies scoped to
// other companies.
type Client struct {
	cfg       *clientConfig // shared by every copy, never modified after NewClient
	apiKey    string
	companyID int64

	common service // the one value every service points at

	// Calls reads the call log through the v2 API (api/v2/calls).
	Calls *CallsService
	// CallsV1 reads the call log through the original API (calls.json).
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
}

// service is embedded by every resource service: it only knows its client.
type service struct {
	client *Client
}

// clientConfig is what the options set. It is shared by every WithCompany copy.
type clientConfig struct {
	baseURL          *url.URL
	rtbBaseURL       *url.URL
	httpClient       *http.Client
	userAgent        string
	retry            RetryPolicy
	limiter          *rate.Limiter
	logger           *slog.Logger
	maxResponseBytes int64
	companyID        int64
	redact           *redactor
}

// Option configures a Client in [NewClient].
type Option func(*clientConfig) error

// WithCompanyID scopes the client to a company: every request (but those of the
// company endpoints) carries company_id. Without it the API uses the key's active
// company, which changes when someone switches companies in the web interface, so
// setting it is strongly advised.
func WithCompanyID(id int64) Option {
	return func(c *clientConfig) error {
		if id < 0 {
			return invalidArg("company id must not be negative, got %d", id)
		}
		c.companyID = id
		return nil
	}
}

// WithBaseURL sets the API's base URL (default [DefaultBaseURL]); for tests, the
// retreavertest fake server, or a proxy. A path prefix is kept:
// "https://proxy.example/retreaver/" serves "https://proxy.example/retreaver/calls.json".
func WithBaseURL(rawURL string) Option {
	return func(c *clientConfig) error {
		u, err := parseBaseURL(rawURL)
		if err != nil {
			return err
		}
		c.baseURL = u
		return nil
	}
}

// WithRTBBaseURL sets the real-time bidding host's base URL (default
// [DefaultRTBBaseURL]).
func WithRTBBaseURL(rawURL string) Option {
	return func(c *clientConfig) error {
		u, err := parseBaseURL(rawURL)
		if err != nil {
			return err
		}
		c.rtbBaseURL = u
		return nil
	}
}

// WithHTTPClient makes the client send its requests through hc (for a custom
// transport, proxy or test mock). The client refuses redirects to another host on
// top of hc's own redirect policy, so the key never follows a redirect elsewhere.
// hc's Timeout, if any, applies to each attempt.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *clientConfig) error {
		if hc == nil {
			return invalidArg("http client is nil")
		}
		c.httpClient = hc
		return nil
	}
}

// WithUserAgent puts ua in front of the SDK's own User-Agent
// ("ua retreaver-go/VERSION").
func WithUserAgent(ua string) Option {
	return func(c *clientConfig) error {
		ua = strings.TrimSpace(ua)
		if strings.ContainsAny(ua, "\r\n") {
			return invalidArg("user agent contains a line break")
		}
		if ua != "" {
			c.userAgent = ua + " " + defaultUserAgent
		}
		return nil
	}
}

// WithRetryPolicy replaces [DefaultRetryPolicy]. Use [NoRetries] to send every request once.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *clientConfig) error {
		n, err := p.normalized()
		if err != nil {
			return err
		}
		c.retry = n
		return nil
	}
}

// WithRateLimit adds a client-side token bucket: at most requestsPerSecond requests
// per second on average, with bursts of up to burst. Every attempt, retries included,
// takes a token. The bucket is shared by every copy made with [Client.WithCompany].
func WithRateLimit(requestsPerSecond float64, burst int) Option {
	return func(c *clientConfig) error {
		if requestsPerSecond <= 0 || burst < 1 {
			return invalidArg("rate limit needs requestsPerSecond > 0 and burst >= 1, got %v and %d", requestsPerSecond, burst)
		}
		c.limiter = rate.NewLimiter(rate.Limit(requestsPerSecond), burst)
		return nil
	}
}

// WithLogger sends debug logs of every request, answer and retry to l. URLs are
// logged with the key redacted; bodies are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *clientConfig) error {
		c.logger = l
		return nil
	}
}

// WithMaxResponseBytes bounds the size of any response body (default
// [DefaultMaxResponseBytes]); a larger body fails with [ErrResponseTooLarge]
// instead of exhausting memory. Error bodies are kept to 64 KiB whatever n is.
func WithMaxResponseBytes(n int64) Option {
	return func(c *clientConfig) error {
		if n <= 0 {
			return invalidArg("max response bytes must be positive, got %d", n)
		}
		c.maxResponseBytes = n
		return nil
	}
}

const defaultUserAgent = "retreaver-go/" + Version

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
	return newClient(cfg, apiKey, cfg.companyID), nil
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

func newConfig(opts []Option, secrets ...string) (*clientConfig, error) {
	base, _ := url.Parse(DefaultBaseURL)
	rtb, _ := url.Parse(DefaultRTBBaseURL)
	cfg := &clientConfig{
		baseURL:          base,
		rtbBaseURL:       rtb,
		userAgent:        defaultUserAgent,
		retry:            DefaultRetryPolicy,
		maxResponseBytes: DefaultMaxResponseBytes,
		redact:           newRedactor(secrets...),
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(cfg); err != nil {
			return nil, err
		}
	}
	if cfg.httpClient == nil {
		cfg.httpClient = newDefaultHTTPClient()
	}
	cfg.httpClient = guardRedirects(cfg.httpClient)
	return cfg, nil
}

func newClient(cfg *clientConfig, apiKey string, companyID int64) *Client {
	c := &Client{cfg: cfg, apiKey: apiKey, companyID: companyID}
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
	return c
}

// WithCompany returns a copy of c scoped to another company. The copy shares c's
// transport, retry policy, logger and rate limiter; making one costs a single
// allocation.
func (c *Client) WithCompany(id int64) *Client {
	return newClient(c.cfg, c.apiKey, id)
}

// CompanyID returns the company this client is scoped to (0: the key's active company).
func (c *Client) CompanyID() int64 { return c.companyID }

// String describes the client without its key, so that printing a Client never
// leaks it.
func (c *Client) String() string {
	return fmt.Sprintf("retreaver.Client{BaseURL: %s, CompanyID: %d}", c.cfg.baseURL, c.companyID)
}

// GoString is like String, for %#v.
func (c *Client) GoString() string { return c.String() }

// Format keeps the key out of every fmt verb (%v, %+v, %#v, %s).
func (c *Client) Format(f fmt.State, verb rune) { io.WriteString(f, c.String()) }

func parseBaseURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, invalidArg("base URL %q does not parse", rawURL)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, invalidArg("base URL %q must be http or https", rawURL)
	}
	if u.Host == "" {
		return nil, invalidArg("base URL %q has no host", rawURL)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, invalidArg("base URL must not carry credentials, a query or a fragment")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u, nil
}

// newDefaultHTTPClient has timeouts at every stage, so that a server that never
// answers cannot hang a caller that passed no deadline.
func newDefaultHTTPClient() *http.Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{Transport: tr, Timeout: 5 * time.Minute}
}

var errRedirectRefused = errors.New("redirect to another host refused")

// guardRedirects returns a copy of hc that refuses redirects that leave the
// original host, before applying hc's own policy.
func guardRedirects(hc *http.Client) *http.Client {
	cp := *hc
	userCheck := hc.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 && (req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme) {
			return errRedirectRefused
		}
		if userCheck != nil {
			return userCheck(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &cp
}

// request describes one API call.
type request struct {
	method    string
	path      string     // relative to the base URL, segments already escaped
	query     url.Values // query parameters; they replace those of opts
	opts      any        // a go-querystring struct, merged into query
	body      any        // marshalled as JSON when non-nil
	noCompany bool       // company endpoints: no company_id
	rtb       bool       // RTB host: no api_key, no company_id
	secrets   []string   // further secrets to keep out of errors and logs (RTB keys)
}

// response is a 2xx answer, its body read in full.
type response struct {
	status  int
	header  http.Header
	body    []byte
	method  string
	u       *url.URL // as sent: redact before showing it
	ctype   string
	redact  *redactor
	attempt int
}

// decodeError wraps a decoding failure of this response.
func (r *response) decodeError(err error) error {
	clean := r.redact.Bytes(bytes.Clone(r.body))
	return &DecodeError{
		StatusCode:  r.status,
		Method:      r.method,
		URL:         r.redact.URL(r.u),
		ContentType: r.redact.String(r.ctype),
		Snippet:     truncateText(string(clean), 200),
		Err:         r.redact.decodeErr(err, !bytes.Equal(clean, r.body)),
	}
}

// pathJoin builds a request path: prefix is literal ("api/v2/calls"), each of ids
// is escaped as one path segment (a "+" stays literal), and ".json" ends it.
func pathJoin(prefix string, ids ...string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, id := range ids {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(id))
	}
	b.WriteString(".json")
	return b.String()
}

// idSeg formats a numeric id as a path segment.
func idSeg(id int64) string { return strconv.FormatInt(id, 10) }

// buildURL resolves the request's path and query against the right base URL.
func (c *Client) buildURL(r *request) (*url.URL, error) {
	base := c.cfg.baseURL
	if r.rtb {
		base = c.cfg.rtbBaseURL
	}
	u, err := url.Parse(base.String() + r.path)
	if err != nil {
		return nil, invalidArg("bad request path %q", r.path)
	}
	q := url.Values{}
	if r.opts != nil {
		v, err := query.Values(r.opts)
		if err != nil {
			return nil, invalidArg("cannot encode options: %v", err)
		}
		q = v
	}
	for k, vs := range r.query {
		q[k] = vs
	}
	if !r.rtb {
		q.Set("api_key", c.apiKey)
		if c.companyID != 0 && !r.noCompany {
			q.Set("company_id", strconv.FormatInt(c.companyID, 10))
		} else {
			q.Del("company_id")
		}
	}
	u.RawQuery = q.Encode()
	return u, nil
}

// do sends r, retrying as the policy allows, and returns the 2xx answer or an error.
func (c *Client) do(ctx context.Context, r *request) (*response, error) {
	if ctx == nil {
		return nil, invalidArg("context is nil")
	}
	u, err := c.buildURL(r)
	if err != nil {
		return nil, err
	}
	red := c.cfg.redact.with(r.secrets...)
	var payload []byte
	if r.body != nil {
		payload, err = json.Marshal(r.body)
		if err != nil {
			return nil, invalidArg("cannot encode request body: %v", err)
		}
	}
	policy := c.cfg.retry
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if c.cfg.limiter != nil {
			if err := c.cfg.limiter.Wait(ctx); err != nil {
				return nil, red.redactErr(err)
			}
		}
		resp, err := c.attempt(ctx, r.method, u, payload, red, attempt)
		if err == nil {
			return resp, nil
		}
		if attempt >= policy.MaxAttempts {
			return nil, err
		}
		var wait time.Duration
		var apiErr *APIError
		switch {
		case errors.As(err, &apiErr):
			if !retryableStatus(r.method, apiErr.StatusCode) {
				return nil, err
			}
			wait = policy.wait(attempt, apiErr.RetryAfter)
		case errors.Is(err, ErrResponseTooLarge):
			return nil, err
		case retryableTransportError(r.method, err):
			wait = policy.backoff(attempt)
		default:
			return nil, err
		}
		if c.cfg.logger != nil {
			c.logDebug(ctx, "retreaver retry", "method", r.method, "url", red.URL(u), "attempt", attempt, "wait", wait, "reason", err.Error())
		}
		if serr := sleep(ctx, wait); serr != nil {
			// Cancelled while a retry was due: report the cancellation and keep the
			// last answer (both match errors.Is).
			if errors.Is(err, serr) {
				return nil, err
			}
			return nil, fmt.Errorf("%w; last attempt: %w", red.redactErr(serr), err)
		}
	}
}

// attempt sends the request once and reads the answer.
// The redacted URL is only computed for errors and logs: a success costs none.
func (c *Client) attempt(ctx context.Context, method string, u *url.URL, payload []byte, red *redactor, attempt int) (*response, error) {
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, red.redactErr(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	hresp, err := c.cfg.httpClient.Do(req)
	if err != nil {
		err = red.redactErr(err)
		if c.cfg.logger != nil {
			c.logDebug(ctx, "retreaver request failed", "method", method, "url", red.URL(u), "attempt", attempt, "duration", time.Since(start), "error", err.Error())
		}
		return nil, err
	}
	defer hresp.Body.Close()
	ok := hresp.StatusCode >= 200 && hresp.StatusCode < 300
	limit := c.cfg.maxResponseBytes
	if !ok {
		limit = maxErrorBody
	}
	data, tooLarge, err := readBounded(hresp.Body, limit, hresp.ContentLength)
	if c.cfg.logger != nil {
		c.logDebug(ctx, "retreaver request", "method", method, "url", red.URL(u), "attempt", attempt, "status", hresp.StatusCode, "bytes", len(data), "duration", time.Since(start))
	}
	if err != nil {
		return nil, red.redactErr(&url.Error{Op: "read body of " + method, URL: red.URL(u), Err: err})
	}
	if !ok {
		redURL := red.URL(u)
		data = red.Bytes(data)
		if tooLarge {
			data = red.trimPartial(data)
		}
		apiErr := &APIError{
			StatusCode: hresp.StatusCode,
			Method:     method,
			URL:        redURL,
			Message:    red.String(errorMessage(data)),
			Body:       data,
		}
		if hresp.StatusCode == http.StatusTooManyRequests || hresp.StatusCode == http.StatusServiceUnavailable {
			apiErr.RetryAfter = parseRetryAfter(hresp.Header.Get("Retry-After"), time.Now())
		}
		return nil, apiErr
	}
	if tooLarge {
		return nil, fmt.Errorf("%w: %s %s answered more than %d bytes", ErrResponseTooLarge, method, red.URL(u), limit)
	}
	return &response{
		status:  hresp.StatusCode,
		header:  hresp.Header,
		body:    data,
		method:  method,
		u:       u,
		ctype:   hresp.Header.Get("Content-Type"),
		redact:  red,
		attempt: attempt,
	}, nil
}

// readBounded reads at most limit bytes of r. tooLarge reports that more followed.
// A known Content-Length sizes the buffer in one allocation.
func readBounded(r io.Reader, limit, contentLength int64) (data []byte, tooLarge bool, err error) {
	size := int64(512)
	if contentLength > 0 {
		size = min(contentLength, limit) + 1
	}
	b := make([]byte, 0, size)
	lr := io.LimitReader(r, limit+1)
	for {
		n, err := lr.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, false, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
	if int64(len(b)) > limit {
		return b[:limit], true, nil
	}
	return b, false, nil
}

func (c *Client) logDebug(ctx context.Context, msg string, args ...any) {
	if c.cfg.logger == nil {
		return
	}
	c.cfg.logger.DebugContext(ctx, msg, args...)
}

// fetch sends r and decodes the answer as one object under root.
func fetch[T any](ctx context.Context, c *Client, r *request, root string) (*T, error) {
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	v, err := decodeOne[T](resp.body, root)
	if err != nil {
		return nil, resp.decodeError(err)
	}
	return v, nil
}

// get fetches the object at path.
func get[T any](ctx context.Context, c *Client, path, root string) (*T, error) {
	return fetch[T](ctx, c, &request{method: http.MethodGet, path: path}, root)
}

// send sends params wrapped in root ({"root": params}) with method and decodes the
// object the API answers.
func send[T any](ctx context.Context, c *Client, method, path, root string, params any) (*T, error) {
	return fetch[T](ctx, c, &request{method: method, path: path, body: map[string]any{root: params}}, root)
}

// del deletes the object at path. The API answers 200 (sometimes with an empty
// body) or 204; both are success.
func (c *Client) del(ctx context.Context, path string) error {
	_, err := c.do(ctx, &request{method: http.MethodDelete, path: path})
	return err
}
