package retreavertest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultAPIKey is the API key a Server accepts unless WithAPIKey says otherwise.
const DefaultAPIKey = "5f2b9c1e7a4d8e3f6b0a9c2d4e6f8a1b"

// DefaultPageSize is the number of objects per page of every listing.
const DefaultPageSize = 25

// The companies every Server holds. The key reaches the first three; the last
// exists but answers 403.
const (
	defaultCompanyID   int64 = 101
	forbiddenCompanyID int64 = 900
)

var builtinCompanies = []struct {
	id          int64
	name, owner string
}{
	{defaultCompanyID, "Northwind Health Leads", ownerName},
	{102, "Summit Insurance Partners", ownerName},
	{103, "Bluebird Home Services", "Jordan Lee"},
	{forbiddenCompanyID, "Restricted Holdings LLC", "Casey Park"},
}

// maxRequestBody bounds what the fake reads of a request body.
const maxRequestBody = 32 << 20

// Server is an in-memory, stateful fake of the Retreaver API (and of the RTB
// host) listening on a loopback address. It is safe for concurrent use.
type Server struct {
	// URL is the base URL, such as http://127.0.0.1:PORT (no trailing slash).
	// The API and the RTB routes are both served here.
	URL string
	// APIKey is the key that reaches the companies of CompanyIDs.
	APIKey string
	// CompanyID is the default company: the one used when a request names none.
	CompanyID int64
	// RTBKey is a valid RTB postback key of the default company.
	RTBKey string
	// CallerListKey and CallerListSecret are the UUID and the secret of a
	// caller list key of the default company, reaching every target and
	// campaign in it, with every permission (see AddCallerListKey).
	CallerListKey, CallerListSecret string
	// CallDataKey is a postback key of the default company that allows call
	// data writing (see AddCallDataKey).
	CallDataKey string

	ts     *httptest.Server
	cfg    config
	router *router

	mu          sync.Mutex // guards st and the RTB settings
	st          *store
	rtbNoTarget bool
	rtbTTL      time.Duration
	exportRun   ExportRun

	latency atomic.Int64 // time.Duration added to every request

	closed    chan struct{} // closed by Close: ends latency waits and slow bodies
	closeOnce sync.Once

	fmu      sync.Mutex // guards the faults and the request log
	queue    []*queuedFault
	rates    []rateFault
	faultRnd *rnd
	requests []Request
}

type config struct {
	demo     bool
	latency  time.Duration
	pageSize int
	apiKey   string
}

// Option configures NewServer.
type Option func(*config)

// WithDemoData seeds a realistic, deterministic data set (the same on every
// run, with times relative to now) in each reachable company: affiliates,
// campaigns with timers and menu options, tagged and capped targets, a target
// group, numbers, a number pool, contacts, suppressed and static caller
// numbers, and a few hundred calls from the past 30 days.
func WithDemoData() Option { return func(c *config) { c.demo = true } }

// WithLatency adds d to the handling of every request (see also SetLatency).
// The wait ends early when the request is cancelled or the server closes.
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = d } }

// WithPageSize sets the number of objects per page (default 25). per_page on
// call listings and reports still overrides it, up to 100.
func WithPageSize(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.pageSize = n
		}
	}
}

// WithAPIKey sets the API key the server accepts (default DefaultAPIKey).
func WithAPIKey(key string) Option { return func(c *config) { c.apiKey = key } }

// NewServer starts a fake on a loopback port and returns it ready. Without
// WithDemoData it holds only the companies. Call Close when done.
func NewServer(opts ...Option) *Server {
	cfg := config{pageSize: DefaultPageSize, apiKey: DefaultAPIKey}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{cfg: cfg, APIKey: cfg.apiKey, CompanyID: defaultCompanyID, st: newStore(20241104),
		rtbTTL: DefaultRTBReservationTTL, exportRun: DefaultExportRun, faultRnd: newRnd(7), closed: make(chan struct{})}
	s.latency.Store(int64(cfg.latency))
	nowT := now()
	for i, c := range builtinCompanies {
		s.st.addCompany(c.id, c.name, c.owner, c.id == forbiddenCompanyID, nowT.AddDate(0, -20+3*i, 0))
	}
	if cfg.demo {
		s.loadDemo(nowT)
		if camp, ok := s.st.company(defaultCompanyID).campaigns.find(func(*campaign) bool { return true }); ok {
			s.RTBKey = s.rtbKeyOf(defaultCompanyID, camp.id)
		}
	}
	if s.RTBKey == "" {
		s.RTBKey = s.st.addRTBKey(defaultCompanyID, 0)
	}
	s.CallerListKey, s.CallerListSecret, _ = s.st.addCallerListKey(defaultCompanyID, Scope{}, CallerListPermissions())
	s.CallDataKey = s.st.addCallDataKey(defaultCompanyID)

	s.router = routes()

	s.ts = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.ts.URL
	return s
}

func (s *Server) rtbKeyOf(companyID, campaignID int64) string {
	for key, k := range s.st.rtbKeys {
		if k.companyID == companyID && k.campaignID == campaignID {
			return key
		}
	}
	return ""
}

// Close shuts the server down, waiting for requests in flight. Requests still
// waiting out a latency (WithLatency, SetLatency, Fault.Latency) or sending a
// slow body (Fault.SlowBody) stop at once: their connections are closed
// without an answer. Calling Close again does nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
	s.ts.Close()
}

// Client returns an *http.Client for the server (any client works; this one
// is the httptest client, closed with the server).
func (s *Server) Client() *http.Client { return s.ts.Client() }

// CompanyIDs returns the companies the key reaches, the default one first.
func (s *Server) CompanyIDs() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := []int64{}
	if co := s.st.company(s.CompanyID); co != nil && !co.forbidden {
		ids = append(ids, s.CompanyID)
	}
	for _, co := range s.st.companies.items {
		if !co.forbidden && co.id != s.CompanyID {
			ids = append(ids, co.id)
		}
	}
	return ids
}

// ForbiddenCompanyID returns a company that exists but that the key does not
// reach: any request naming it answers 403.
func (s *Server) ForbiddenCompanyID() int64 { return forbiddenCompanyID }

// CallCount returns the number of calls a company holds (0 for an unknown company).
func (s *Server) CallCount(companyID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if co := s.st.company(companyID); co != nil {
		return co.calls.len()
	}
	return 0
}

// SetLatency changes the latency added to every request from now on.
func (s *Server) SetLatency(d time.Duration) { s.latency.Store(int64(d)) }

// Request is a copy of a request that reached the server.
type Request struct {
	Method string      // GET, POST, ...
	Path   string      // decoded path, such as /api/v2/calls.json
	Query  url.Values  // the query string, api_key included
	Body   []byte      // the body as received (in part, if it could not be read in full)
	Header http.Header // the request headers
}

// Requests returns copies of every request received since the start (or the
// last ResetRequests), in arrival order, faulted ones and those whose body
// could not be read included.
func (s *Server) Requests() []Request {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = r.clone()
	}
	return out
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.requests = nil
}

func (r Request) clone() Request {
	q := url.Values{}
	for k, v := range r.Query {
		q[k] = append([]string(nil), v...)
	}
	return Request{Method: r.Method, Path: r.Path, Query: q, Body: bytes.Clone(r.Body), Header: r.Header.Clone()}
}

// serve is the pipeline of every request: log, pick a fault, wait, answer.
// A request whose body cannot be read in full is logged and answers 400.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err != nil {
		s.logRequest(r, body)
		resp := errorResponse(errBadRequest("the request body could not be read: " + err.Error()))
		resp.header.Set("Connection", "close")
		writeResponse(w, resp)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	f := s.logAndPickFault(r, body)
	r.Body = io.NopCloser(bytes.NewReader(body))

	wait := time.Duration(s.latency.Load())
	if f != nil {
		wait += f.Latency
	}
	if !s.pause(r.Context(), wait) {
		panic(http.ErrAbortHandler)
	}
	if f != nil && f.Drop {
		dropConnection(w)
		return
	}
	var resp response
	if f != nil && f.Status != 0 {
		resp = f.response()
	} else {
		resp = s.dispatch(r, body)
	}
	switch {
	case f != nil && f.Truncate:
		writeTruncated(w, resp)
	case f != nil && f.SlowBody > 0:
		s.writeSlowly(w, r, resp, f.SlowBody)
	default:
		writeResponse(w, resp)
	}
}

func writeResponse(w http.ResponseWriter, resp response) {
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	if resp.status != http.StatusNoContent {
		h.Set("Content-Length", fmt.Sprint(len(resp.body)))
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

// pause waits d unless the request is cancelled (ctx) or the server closes
// first; it reports whether the wait completed.
func (s *Server) pause(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.closed:
		return false
	}
}
