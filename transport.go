package retreaver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// request is one API call, credentials included, ready to send.
type request struct {
	method string
	base   *url.URL    // the host's base URL
	path   string      // relative to base, segments already escaped
	query  url.Values  // the whole query, credentials included
	header http.Header // extra headers (Authorization), or nil
	body   any         // marshalled as JSON when non-nil
	// secrets are credentials beyond the client's own (an RTB key) to keep out of
	// errors and logs.
	secrets []string
	// decode reads a 2xx answer. It runs inside the retry loop: an answer cut
	// short (an empty or truncated body) is retried like a network failure.
	decode func(resp *response) error
	// forbidden says what a 403 answer means for this request: the company
	// access or the permission the credential lacks (APIError.Hint).
	forbidden string
}

// response is an answer, its body read in full.
type response struct {
	status  int
	header  http.Header
	body    []byte
	method  string
	u       *url.URL // as sent: redact before showing it
	redact  *redactor
	attempt int
}

// errEmptyBody and errTruncated mark 2xx answers cut short: retried for the
// methods that may be repeated.
var (
	errEmptyBody = errors.New("empty body")
	errTruncated = errors.New("body ends before its JSON does")
)

// cutShort reports whether err is a 2xx answer cut short: an empty body, JSON
// that ends early, or an empty page where the listing announced more.
func cutShort(err error) bool {
	return errors.Is(err, errEmptyBody) || errors.Is(err, errTruncated) || errors.Is(err, errEmptyPage)
}

// decodeError wraps a decoding failure of this response. Only the start of the
// body is shown (and so redacted); the decoding error itself is redacted, and
// the SDK's own decoders never quote a value in part, where no redaction could
// recognize a credential.
func (r *response) decodeError(err error) error {
	head := r.redact.Bytes(r.body[:min(len(r.body), snippetSource)])
	return &DecodeError{
		StatusCode:  r.status,
		Method:      r.method,
		URL:         r.redact.URL(r.u),
		ContentType: r.redact.String(r.header.Get("Content-Type")),
		Snippet:     truncateText(string(head), 200),
		Err:         r.redact.redactErr(err),
	}
}

// snippetSource is how much of a body is redacted to show DecodeError.Snippet
// (200 bytes): more than the snippet, so that a credential that starts within
// it is redacted whole.
const snippetSource = 1 << 10

// do sends r, retrying as the policy allows, and returns the 2xx answer or an
// error. The response is also returned with an *APIError or a *DecodeError, for
// Client.Do.
func (cfg *clientConfig) do(ctx context.Context, r *request) (*response, error) {
	if ctx == nil {
		return nil, invalidArg("context is nil")
	}
	u, err := url.Parse(r.base.String() + r.path)
	if err != nil {
		return nil, invalidArg("bad request path %q", r.path)
	}
	u.RawQuery = encodeQuery(r.query)
	red := cfg.redact.with(r.secrets...)
	var payload []byte
	if r.body != nil {
		if payload, err = json.Marshal(r.body); err != nil {
			return nil, red.redactErr(invalidArg("cannot encode request body: %v", err))
		}
	}
	var resp *response
	err = cfg.retrying(ctx, r.method, u, red, func(attempt int) (err error) {
		resp, err = cfg.attempt(ctx, r, u, payload, red, attempt)
		return err
	})
	return resp, err
}

// retrying runs try, attempt after attempt, as the retry policy allows for
// method: the one retry loop of the SDK. u and red name the request in logs.
func (cfg *clientConfig) retrying(ctx context.Context, method string, u *url.URL, red *redactor, try func(attempt int) error) error {
	policy := cfg.retry
	deadline, hasDeadline := ctx.Deadline()
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := cfg.waitForToken(ctx); err != nil {
			return red.redactErr(err)
		}
		err := try(attempt)
		if err == nil || attempt >= policy.MaxAttempts {
			return err
		}
		var wait time.Duration
		var apiErr *APIError
		switch {
		case errors.As(err, &apiErr):
			if !retryableStatus(method, apiErr.StatusCode) {
				return err
			}
			wait = policy.wait(attempt, apiErr.RetryAfter)
			if hasDeadline && apiErr.RetryAfter > 0 && time.Now().Add(wait).After(deadline) {
				// The server asked for more time than the context has left.
				return err
			}
		case cutShort(err):
			if !idempotent(method) {
				return err
			}
			wait = policy.backoff(attempt)
		case retryableTransportError(method, err):
			wait = policy.backoff(attempt)
		default:
			return err
		}
		if cfg.debugging(ctx) {
			cfg.logger.DebugContext(ctx, "retreaver retry", "method", method, "url", red.URL(u), "attempt", attempt, "wait", wait, "reason", err.Error())
		}
		if serr := sleep(ctx, wait); serr != nil {
			// Cancelled while a retry was due: report the cancellation and keep the
			// last answer (both match errors.Is).
			if errors.Is(err, serr) {
				return err
			}
			return fmt.Errorf("%w; last attempt: %w", red.redactErr(serr), err)
		}
	}
}

// encodeQuery is url.Values.Encode with the brackets of array parameters kept
// literal, as the reference writes them (campaign_id[]=1&campaign_id[]=2). An
// escaped "[]=" can only end a key: in a value, "=" is escaped too.
func encodeQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "%5B%5D=", "[]=")
}

// waitForToken takes a token of the client-side rate limit, if any. A wait that
// would outlast the context's deadline fails at once with an error matching
// context.DeadlineExceeded.
func (cfg *clientConfig) waitForToken(ctx context.Context) error {
	if cfg.limiter == nil {
		return nil
	}
	if err := cfg.limiter.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w: the rate limit (WithRateLimit) allows no request before the deadline", context.DeadlineExceeded)
	}
	return nil
}

// attempt sends the request once and reads the answer. The redacted URL is only
// computed for errors and logs: a success costs none.
func (cfg *clientConfig) attempt(ctx context.Context, r *request, u *url.URL, payload []byte, red *redactor, attempt int) (*response, error) {
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), body)
	if err != nil {
		return nil, red.redactErr(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", cfg.userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	start := time.Now()
	hresp, err := cfg.httpClient.Do(req)
	if err != nil {
		err = red.redactErr(err)
		if cfg.debugging(ctx) {
			cfg.logger.DebugContext(ctx, "retreaver request failed", "method", r.method, "url", red.URL(u), "attempt", attempt, "duration", time.Since(start), "error", err.Error())
		}
		return nil, err
	}
	defer hresp.Body.Close()
	ok := hresp.StatusCode >= 200 && hresp.StatusCode < 300
	limit := cfg.maxResponseBytes
	if !ok {
		limit = maxErrorBody
	}
	// The buffer grows as bytes arrive: a Content-Length is never trusted to
	// size it.
	data, tooLarge, err := readBounded(hresp.Body, limit)
	if cfg.debugging(ctx) {
		cfg.logger.DebugContext(ctx, "retreaver request", "method", r.method, "url", red.URL(u), "attempt", attempt, "status", hresp.StatusCode, "bytes", len(data), "duration", time.Since(start))
	}
	if err != nil {
		return nil, red.redactErr(&url.Error{Op: "read body of " + r.method, URL: red.URL(u), Err: err})
	}
	resp := &response{status: hresp.StatusCode, header: hresp.Header, body: data, method: r.method, u: u, redact: red, attempt: attempt}
	if !ok {
		apiErr := newAPIError(resp, tooLarge)
		if apiErr.StatusCode == http.StatusForbidden {
			apiErr.Hint = r.forbidden
		}
		return resp, apiErr
	}
	if tooLarge {
		return resp, fmt.Errorf("%w: %s %s answered more than %d bytes", ErrResponseTooLarge, r.method, red.URL(u), limit)
	}
	if isMarkup(resp) {
		// A login or error page sent with 2xx: never a success, even for a change.
		return resp, resp.decodeError(errors.New("answer is an HTML page, not JSON"))
	}
	if r.decode != nil {
		if err := r.decode(resp); err != nil {
			return resp, resp.decodeError(err)
		}
	}
	return resp, nil
}

// readBounded reads r up to limit bytes, and reports whether it held more.
func readBounded(r io.Reader, limit int64) (data []byte, cut bool, err error) {
	data, err = io.ReadAll(io.LimitReader(r, limit+1))
	if cut = int64(len(data)) > limit; cut {
		data = data[:limit]
	}
	return data, cut, err
}

// newAPIError describes an answer outside 2xx.
func newAPIError(resp *response, cut bool) *APIError {
	red := resp.redact
	data := red.Bytes(resp.body)
	if cut {
		data = red.trimPartial(data)
	}
	e := &APIError{
		StatusCode: resp.status,
		Method:     resp.method,
		URL:        red.URL(resp.u),
		Message:    red.String(errorMessage(data)),
		Body:       data,
		Attempts:   resp.attempt,
	}
	if fields := fieldErrors(data); fields != nil {
		e.Fields = make(map[string][]string, len(fields))
		for k, msgs := range fields {
			rk := red.String(k)
			for _, m := range msgs {
				e.Fields[rk] = append(e.Fields[rk], red.String(m))
			}
		}
	}
	if resp.status == http.StatusTooManyRequests || resp.status == http.StatusServiceUnavailable {
		e.RetryAfter = parseRetryAfter(resp.header.Get("Retry-After"), time.Now())
	}
	return e
}

// isMarkup reports whether a 2xx answer is an HTML page.
func isMarkup(resp *response) bool {
	if mt, _, err := mime.ParseMediaType(resp.header.Get("Content-Type")); err == nil && strings.Contains(mt, "html") {
		return true
	}
	b := bytes.TrimSpace(resp.body)
	return len(b) > 0 && b[0] == '<'
}

// debugging reports whether a debug line would be written. Callers check it
// before building one: its arguments, the redacted URL above all, would
// otherwise be computed (and allocated) for every request, logger or not.
func (cfg *clientConfig) debugging(ctx context.Context) bool {
	return cfg.logger != nil && cfg.logger.Enabled(ctx, slog.LevelDebug)
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

var (
	errRedirectRefused  = errors.New("redirect to another host refused")
	errTooManyRedirects = errors.New("stopped after 10 redirects")
)

// guardRedirects returns a copy of hc that refuses redirects that leave the
// original host, and answers a redirect of anything but GET or HEAD with the
// redirect itself (an *APIError): following it would turn a change into a read
// of another page, and report success for a change that never happened.
func guardRedirects(hc *http.Client) *http.Client {
	cp := *hc
	userCheck := hc.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		first := via[0]
		if first.Method != http.MethodGet && first.Method != http.MethodHead {
			return http.ErrUseLastResponse
		}
		if req.URL.Host != first.URL.Host || req.URL.Scheme != first.URL.Scheme {
			return errRedirectRefused
		}
		if userCheck != nil {
			return userCheck(req, via)
		}
		if len(via) >= 10 {
			return errTooManyRedirects
		}
		return nil
	}
	return &cp
}
