package retreaver

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/time/rate"
)

// DefaultMaxResponseBytes bounds every response body unless [WithMaxResponseBytes]
// says otherwise.
const DefaultMaxResponseBytes int64 = 64 << 20

// Versions of the calls API that [WithCallsVersion] accepts.
const (
	DefaultCallsVersion = 2
	MaxCallsVersion     = 5
)

// clientConfig is what the options set. It is shared by every copy made with
// WithCompany and never changed after the client is made.
type clientConfig struct {
	baseURL          *url.URL
	rtbBaseURL       *url.URL
	callDataBaseURL  *url.URL
	httpClient       *http.Client
	userAgent        string
	retry            RetryPolicy
	limiter          *rate.Limiter
	logger           *slog.Logger
	maxResponseBytes int64
	companyID        int64
	callsVersion     int
	export           exportConfig
	// credential returns the API key (or another client's credential); it is a
	// function so that no printer can reach the key.
	credential func() string
	redact     *redactor
}

// Option configures a client in [NewClient] (and in the constructors of the
// other clients: [NewRTBClient], [NewCallerListClient], [NewCallDataWriter]).
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
// "https://proxy.example/retreaver/" serves "https://proxy.example/retreaver/api/v2/calls.json".
func WithBaseURL(rawURL string) Option {
	return func(c *clientConfig) error { return setURL(&c.baseURL, rawURL) }
}

// WithRTBBaseURL sets the real-time bidding host's base URL (default
// [DefaultRTBBaseURL]).
func WithRTBBaseURL(rawURL string) Option {
	return func(c *clientConfig) error { return setURL(&c.rtbBaseURL, rawURL) }
}

// WithCallDataBaseURL sets the call data writing host's base URL (default
// [DefaultCallDataBaseURL]).
func WithCallDataBaseURL(rawURL string) Option {
	return func(c *clientConfig) error { return setURL(&c.callDataBaseURL, rawURL) }
}

// WithServer points every host the SDK talks to (the API, the RTB host and the
// call data host) at one server: the retreavertest fake or a recording proxy.
// A test that uses it cannot reach production by forgetting one of
// [WithBaseURL], [WithRTBBaseURL] and [WithCallDataBaseURL]; options given after
// it still override one host.
func WithServer(rawURL string) Option {
	return func(c *clientConfig) error {
		u, err := parseBaseURL(rawURL)
		if err != nil {
			return err
		}
		c.baseURL, c.rtbBaseURL, c.callDataBaseURL = u, u, u
		return nil
	}
}

func setURL(dst **url.URL, rawURL string) error {
	u, err := parseBaseURL(rawURL)
	if err != nil {
		return err
	}
	*dst = u
	return nil
}

// WithHTTPClient makes the client send its requests through hc (for a custom
// transport, proxy or test mock). The client refuses redirects to another host,
// and redirects of anything but GET, on top of hc's own redirect policy, so the
// key never follows a redirect elsewhere. hc's Timeout, if any, applies to each
// attempt.
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
// logged with credentials redacted; bodies are never logged.
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

// WithCallsVersion chooses the version of the calls API that [CallsService]
// uses: 2 (the default), 3, 4 or 5, served at api/v{v}/calls. Version 3 sends
// each call's number with its name (Call.NumberName); version 4 replaces
// campaign_id with the campaign's id and name (Call.CampaignID,
// Call.CampaignName); version 5 is the one the reference recommends for bulk
// paging. One [Call] reads them all. Any other version is an error wrapping
// ErrInvalidArgument.
func WithCallsVersion(v int) Option {
	return func(c *clientConfig) error {
		if v < DefaultCallsVersion || v > MaxCallsVersion {
			return invalidArg("calls version must be 2, 3, 4 or 5, got %d", v)
		}
		c.callsVersion = v
		return nil
	}
}

const defaultUserAgent = "retreaver-go/" + Version

// newConfig applies opts over the defaults. credential is the client's secret
// (the API key; "" for clients that carry their secrets per request); secrets
// are further credentials to keep out of errors and logs.
func newConfig(opts []Option, credential string, secrets ...string) (*clientConfig, error) {
	cfg := &clientConfig{
		baseURL:          mustParseBaseURL(DefaultBaseURL),
		rtbBaseURL:       mustParseBaseURL(DefaultRTBBaseURL),
		callDataBaseURL:  mustParseBaseURL(DefaultCallDataBaseURL),
		userAgent:        defaultUserAgent,
		retry:            DefaultRetryPolicy,
		maxResponseBytes: DefaultMaxResponseBytes,
		callsVersion:     DefaultCallsVersion,
		credential:       func() string { return credential },
		redact:           newRedactor(append([]string{credential}, secrets...)...),
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

func mustParseBaseURL(rawURL string) *url.URL {
	u, err := parseBaseURL(rawURL)
	if err != nil {
		panic(err)
	}
	return u
}
