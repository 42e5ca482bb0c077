package retreaver

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Download opens the file of a done export: the CSV, un-gzipped, streamed as
// it arrives. Close it when done. Memory stays flat whatever the file's size:
// nothing is held beyond a buffer.
//
// The file is read in two requests. The first asks the API host for
// e.FileURL (a path, appended to the base URL) with the api_key and
// company_id, and expects a redirect to the file's own host. The second
// follows that redirect with no api_key, no company_id and no other
// credential (nor cookies); a redirect to anything but https is refused,
// unless the base URL is itself http (a test server). An answer outside 2xx,
// from either host, is an [*APIError]; both requests are retried as the
// [RetryPolicy] allows, until the file starts to stream. URLs of the file host
// are shown in errors and logs without their query, which often holds a
// signature.
//
// The file's transfer is bounded by ctx, and ended when nothing arrives for 2
// minutes; the HTTP client's Timeout does not apply to it, as it would cut a
// large file short. [WithMaxResponseBytes] does not bound it either.
//
// An export still generating, or without a file, fails with an error wrapping
// ErrInvalidArgument before any request; so does a FileURL on another host
// than the base URL's (the api_key is never sent elsewhere).
func (s *ExportsService) Download(ctx context.Context, e *Export) (io.ReadCloser, error) {
	if ctx == nil {
		return nil, invalidArg("context is nil")
	}
	if e == nil {
		return nil, invalidArg("export is nil")
	}
	if e.InProgress {
		return nil, invalidArg("export %d is still generating: Wait for it first", e.ID)
	}
	if e.FileURL == "" {
		return nil, invalidArg("export %d has no file URL (file_upload_url): is it done?", e.ID)
	}
	cfg := s.client.cfg
	apiURL, err := s.fileURL(e.FileURL)
	if err != nil {
		return nil, err
	}
	var rc io.ReadCloser
	err = cfg.retrying(ctx, http.MethodGet, apiURL, cfg.redact, func(attempt int) (err error) {
		rc, err = s.downloadOnce(ctx, e.ID, apiURL, attempt)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rc, nil
}

// fileURL is the URL of an export's file on the API host, with the api_key and
// company_id: file, a path, appended to the base URL; or an absolute URL on
// the base URL's host.
func (s *ExportsService) fileURL(file string) (*url.URL, error) {
	red := s.client.cfg.redact
	base := s.client.cfg.baseURL
	f, err := url.Parse(strings.TrimSpace(file))
	if err != nil {
		return nil, invalidArg("export file URL %q does not parse", red.String(file))
	}
	if f.User != nil || f.Fragment != "" || f.Opaque != "" {
		return nil, invalidArg("export file URL %q is not a path", red.URL(f))
	}
	var u *url.URL
	switch {
	case f.Scheme == "" && f.Host == "":
		p := strings.TrimPrefix(f.EscapedPath(), "/")
		if p == "" {
			return nil, invalidArg("export file URL %q is not a path", red.URL(f))
		}
		if u, err = url.Parse(base.String() + p); err != nil {
			return nil, invalidArg("export file URL %q does not parse", red.URL(f))
		}
	case f.Scheme == base.Scheme && strings.EqualFold(f.Host, base.Host):
		u = withoutQuery(f)
	default:
		return nil, invalidArg("export file URL %q is not on the API host %s: the api_key is sent to no other host", red.URL(f), base.Host)
	}
	for _, seg := range strings.Split(u.Path, "/") { // decoded: %2e%2e is .. too
		if seg == "." || seg == ".." {
			return nil, invalidArg("export file URL %q has a dot segment", red.URL(f))
		}
	}
	q := f.Query()
	u.RawQuery = s.client.newRequest(http.MethodGet, "", q, nil).query.Encode()
	return u, nil
}

// isRedirect reports whether status is a redirect that carries a Location.
func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// downloadOnce makes one attempt: the API host, the redirect, the file's host,
// up to the first bytes of the file.
func (s *ExportsService) downloadOnce(parent context.Context, id int64, apiURL *url.URL, attempt int) (io.ReadCloser, error) {
	cfg := s.client.cfg
	red := cfg.redact
	ctx, cancel := context.WithCancel(parent)
	guard := newStallGuard(cancel, cfg.export.stallTimeout())
	opened := false
	defer func() {
		if !opened {
			guard.stop()
			cancel()
		}
	}()

	api := *cfg.httpClient
	api.Timeout = 0
	api.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := s.get1(ctx, &api, apiURL, apiURL, guard, attempt)
	if err != nil {
		return nil, err
	}
	shown := apiURL
	if isRedirect(resp.StatusCode) {
		loc := resp.Header.Get("Location")
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		resp.Body.Close()
		if loc == "" {
			return nil, newAPIError(&response{status: resp.StatusCode, header: resp.Header, body: []byte("redirect without a Location"),
				method: http.MethodGet, u: apiURL, redact: red, attempt: attempt}, false)
		}
		fileURL, err := s.redirectTarget(apiURL, loc, id)
		if err != nil {
			return nil, err
		}
		files := *cfg.httpClient
		files.Timeout = 0
		files.Jar = nil
		files.CheckRedirect = s.fileRedirectCheck(id)
		shown = withoutQuery(fileURL) // its query is often a signature
		if resp, err = s.get1(ctx, &files, fileURL, shown, guard, attempt); err != nil {
			return nil, err
		}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer resp.Body.Close()
		data, cut, _ := readBounded(resp.Body, maxErrorBody)
		apiErr := newAPIError(&response{status: resp.StatusCode, header: resp.Header, body: data,
			method: http.MethodGet, u: shown, redact: red, attempt: attempt}, cut)
		if apiErr.StatusCode == http.StatusForbidden {
			apiErr.Hint = s.client.forbiddenHint()
			if shown != apiURL {
				apiErr.Hint = "the file's host refused the download the API redirected to: Download again asks the API for a new redirect"
			}
		}
		return nil, apiErr
	}
	rc, err := openExportFile(resp, guard, cancel, id, red)
	if err != nil {
		return nil, err
	}
	opened = true
	return rc, nil
}

// get1 sends one GET to u with hc, carrying the SDK's User-Agent and nothing
// else but what u holds, and returns the answer with its body unread. Errors
// and logs show the URL shown, redacted.
func (s *ExportsService) get1(ctx context.Context, hc *http.Client, u, shown *url.URL, guard *stallGuard, attempt int) (*http.Response, error) {
	cfg := s.client.cfg
	red := cfg.redact
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, red.redactErr(invalidArg("bad download URL %s", red.URL(shown)))
	}
	req.Header.Set("User-Agent", cfg.userAgent)
	req.Header.Set("Accept", "*/*")
	start := time.Now()
	guard.arm()
	resp, err := hc.Do(req)
	guard.disarm()
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = red.URL(shown)
		}
		err = guard.explain(red.redactErr(err))
		if cfg.debugging(ctx) {
			cfg.logger.DebugContext(ctx, "retreaver download failed", "url", red.URL(shown), "attempt", attempt, "duration", time.Since(start), "error", err.Error())
		}
		return nil, err
	}
	if cfg.debugging(ctx) {
		cfg.logger.DebugContext(ctx, "retreaver download", "url", red.URL(shown), "attempt", attempt, "status", resp.StatusCode, "duration", time.Since(start))
	}
	return resp, nil
}

// redirectTarget checks and resolves the Location the API host answered.
func (s *ExportsService) redirectTarget(apiURL *url.URL, loc string, id int64) (*url.URL, error) {
	red := s.client.cfg.redact
	l, err := url.Parse(strings.TrimSpace(loc))
	if err != nil {
		return nil, fmt.Errorf("retreaver: export %d: the redirect's Location %q does not parse", id, red.String(withoutQueryText(loc)))
	}
	t := apiURL.ResolveReference(l)
	t.Fragment = ""
	if err := s.checkFileScheme(t, id); err != nil {
		return nil, err
	}
	if q := t.Query(); q.Has("api_key") || q.Has("company_id") {
		q.Del("api_key")
		q.Del("company_id")
		t.RawQuery = q.Encode()
	}
	if red.String(t.String()) != t.String() {
		return nil, fmt.Errorf("retreaver: export %d: %w: the redirect's Location holds the api_key", id, errRedirectRefused)
	}
	return t, nil
}

// checkFileScheme refuses a file URL that is not https, unless the base URL is
// http too.
func (s *ExportsService) checkFileScheme(u *url.URL, id int64) error {
	if u.Host == "" {
		return fmt.Errorf("retreaver: export %d: %w: the file URL has no host", id, errRedirectRefused)
	}
	if u.Scheme == "https" || (u.Scheme == "http" && s.client.cfg.baseURL.Scheme == "http") {
		return nil
	}
	return fmt.Errorf("retreaver: export %d: %w: the file is at %s, not https", id, errRedirectRefused,
		s.client.cfg.redact.URL(withoutQuery(u)))
}

// fileRedirectCheck lets the file's host redirect further (nothing secret goes
// with it), to https only.
func (s *ExportsService) fileRedirectCheck(id int64) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errTooManyRedirects
		}
		return s.checkFileScheme(req.URL, id)
	}
}

func withoutQuery(u *url.URL) *url.URL {
	return &url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
}

func withoutQueryText(s string) string {
	s, _, _ = strings.Cut(s, "?")
	return s
}

// openExportFile starts reading the file: gzip (as the API always writes it),
// or CSV that a server or the transport already decompressed. An empty or
// cut-short start is retried; HTML or JSON is no file.
func openExportFile(resp *http.Response, guard *stallGuard, cancel context.CancelFunc, id int64, red *redactor) (io.ReadCloser, error) {
	f := &exportFile{body: resp.Body, guard: guard, cancel: cancel, id: id, red: red}
	br := bufio.NewReaderSize(&guardedReader{r: resp.Body, g: guard}, 64<<10)
	head, err := br.Peek(2)
	switch {
	case len(head) == 0 && (err == nil || errors.Is(err, io.EOF)):
		f.Close()
		return nil, fmt.Errorf("retreaver: export %d: the file is empty: %w", id, errEmptyBody)
	case len(head) < 2 && err != nil && !errors.Is(err, io.EOF):
		f.Close()
		return nil, f.explain(err)
	}
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("retreaver: export %d: the file ends in its gzip header: %w", id, errTruncated)
			}
			return nil, f.explain(err)
		}
		f.r = gz
		return f, nil
	}
	if c := strings.TrimLeft(string(head), " \t\r\n"); c != "" && strings.ContainsAny(c[:1], "<{[") {
		f.Close()
		return nil, fmt.Errorf("retreaver: export %d: %w: the file is neither gzip nor CSV (it starts with %q)", id, ErrUnexpectedResponse, c[:1])
	}
	f.r = br
	return f, nil
}

// exportFile is the stream Download returns.
type exportFile struct {
	r      io.Reader // the gzip reader, or the buffered body
	body   io.ReadCloser
	guard  *stallGuard
	cancel context.CancelFunc
	id     int64
	red    *redactor
	once   sync.Once
}

// Read reads the un-gzipped CSV. Errors name the export and carry no
// credential.
func (f *exportFile) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && err != io.EOF {
		err = f.explain(err)
	}
	return n, err
}

// Close ends the transfer; it may be called more than once, and from another
// goroutine than one blocked in Read, which it unblocks. (It closes the body
// only: the gzip reader holds nothing to release, and closing it would race
// with that Read.)
func (f *exportFile) Close() error {
	f.once.Do(func() {
		f.body.Close()
		f.guard.stop()
		f.cancel()
	})
	return nil
}

func (f *exportFile) explain(err error) error {
	return fmt.Errorf("retreaver: reading export %d: %w", f.id, f.guard.explain(f.red.redactErr(err)))
}

// guardedReader arms the stall guard while a Read waits for the server, and
// only then: a consumer that takes its time is not a stalled server.
type guardedReader struct {
	r io.Reader
	g *stallGuard
}

func (g *guardedReader) Read(p []byte) (int, error) {
	g.g.arm()
	n, err := g.r.Read(p)
	g.g.disarm()
	return n, err
}

// defaultDownloadStall ends a download that receives nothing for this long.
const defaultDownloadStall = 2 * time.Minute

func (x exportConfig) stallTimeout() time.Duration {
	if x.stall > 0 {
		return x.stall
	}
	return defaultDownloadStall
}

// stallGuard cancels a transfer that waits longer than d for the server.
type stallGuard struct {
	d     time.Duration
	t     *time.Timer
	fired atomic.Bool
}

func newStallGuard(cancel context.CancelFunc, d time.Duration) *stallGuard {
	g := &stallGuard{d: d}
	g.t = time.AfterFunc(d, func() {
		g.fired.Store(true)
		cancel()
	})
	g.t.Stop()
	return g
}

func (g *stallGuard) arm()    { g.t.Reset(g.d) }
func (g *stallGuard) disarm() { g.t.Stop() }
func (g *stallGuard) stop()   { g.t.Stop() }

// explain replaces the cancellation the guard caused by a stallError.
func (g *stallGuard) explain(err error) error {
	if g.fired.Load() && errors.Is(err, context.Canceled) {
		return &stallError{d: g.d}
	}
	return err
}

// stallError is a download that received nothing for d: a timeout, retried
// like one.
type stallError struct{ d time.Duration }

func (e *stallError) Error() string {
	return fmt.Sprintf("retreaver: export download received nothing for %v", e.d)
}

// Timeout reports true: the server stopped sending.
func (e *stallError) Timeout() bool { return true }

// Temporary reports true.
func (e *stallError) Temporary() bool { return true }
