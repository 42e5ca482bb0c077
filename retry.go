package retreaver

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// RetryPolicy says how often and how patiently a request is retried.
//
// GET, PUT and DELETE are retried on 429, 500, 502, 503 and 504 answers and on
// transient network errors (refused or reset connections, timeouts, bodies cut
// short). POST, which is not idempotent, is retried only on 429 (the server refused
// it) and on connection errors where nothing was sent (the dial failed). Waits grow
// exponentially from MinBackoff to MaxBackoff with full jitter; a Retry-After header
// (seconds or an HTTP date) is honoured, capped by MaxBackoff. Cancelling the
// request's context ends a wait at once.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included. 1 disables
	// retries; 0 means DefaultRetryPolicy.MaxAttempts.
	MaxAttempts int
	// MinBackoff is the base of the exponential backoff (0: DefaultRetryPolicy's).
	MinBackoff time.Duration
	// MaxBackoff caps every wait, Retry-After included (0: DefaultRetryPolicy's).
	MaxBackoff time.Duration
}

// DefaultRetryPolicy is used by clients created without [WithRetryPolicy]: 4 attempts,
// backoff from 0.5 s to 30 s, exponential with full jitter.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, MinBackoff: 500 * time.Millisecond, MaxBackoff: 30 * time.Second}

// NoRetries is a RetryPolicy that makes every request exactly once.
var NoRetries = RetryPolicy{MaxAttempts: 1}

// normalized fills zero fields from DefaultRetryPolicy and checks the rest.
func (p RetryPolicy) normalized() (RetryPolicy, error) {
	if p.MaxAttempts < 0 || p.MinBackoff < 0 || p.MaxBackoff < 0 {
		return p, invalidArg("retry policy has a negative value: %+v", p)
	}
	if p.MaxAttempts == 0 {
		p.MaxAttempts = DefaultRetryPolicy.MaxAttempts
	}
	if p.MinBackoff == 0 {
		p.MinBackoff = DefaultRetryPolicy.MinBackoff
	}
	if p.MaxBackoff == 0 {
		p.MaxBackoff = DefaultRetryPolicy.MaxBackoff
	}
	if p.MaxBackoff < p.MinBackoff {
		return p, invalidArg("retry policy MaxBackoff %v is below MinBackoff %v", p.MaxBackoff, p.MinBackoff)
	}
	return p, nil
}

// backoff returns the wait before attempt number attempt+1 (attempt counts from 1):
// a random duration in [0, min(MaxBackoff, MinBackoff·2^(attempt-1))].
func (p RetryPolicy) backoff(attempt int) time.Duration {
	ceiling := p.MinBackoff
	for i := 1; i < attempt && ceiling < p.MaxBackoff; i++ {
		ceiling *= 2
	}
	if ceiling > p.MaxBackoff {
		ceiling = p.MaxBackoff
	}
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

// wait returns how long to wait before retrying an answer that carried
// Retry-After (retryAfter > 0), or the jittered backoff otherwise.
func (p RetryPolicy) wait(attempt int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, p.MaxBackoff)
	}
	return p.backoff(attempt)
}

// retryableStatus reports whether an answer with this status may be retried for
// this method.
func retryableStatus(method string, status int) bool {
	switch status {
	case http.StatusTooManyRequests:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return idempotent(method)
	}
	return false
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// retryableTransportError reports whether a transport error may be retried. For
// idempotent methods that is any error that could be transient; for the others only
// errors that prove nothing reached the server.
func retryableTransportError(method string, err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, errRedirectRefused) || errors.Is(err, errTooManyRedirects) {
		return false
	}
	if isCertificateError(err) {
		return false
	}
	if !idempotent(method) {
		return nothingSent(err)
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, context.DeadlineExceeded) ||
		strings.Contains(err.Error(), "connection reset") ||
		strings.Contains(err.Error(), "server closed idle connection")
}

// nothingSent reports whether err proves that the request never left this machine:
// the connection could not be made at all.
func nothingSent(err error) bool {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return true
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

func isCertificateError(err error) bool {
	var (
		cv *tls.CertificateVerificationError
		ua x509.UnknownAuthorityError
		hn x509.HostnameError
		ci x509.CertificateInvalidError
	)
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci)
}

// maxRetryAfter caps a Retry-After, in either form: a server asking for more is
// asking for something else than a retry.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After header given in seconds or as an HTTP
// date, capped at maxRetryAfter.
func parseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if secs, err := strconv.ParseUint(h, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		// Out of range, ParseUint answers the largest uint64: capped too.
		return time.Duration(min(secs, uint64(maxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, maxRetryAfter)
		}
	}
	return 0
}

// sleep waits for d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
