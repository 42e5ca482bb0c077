package retreavertest

import (
	"bufio"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// Fault describes a failure to inject. Faults are chosen after the request is
// logged and before it is routed, so they hit any path, authenticated or not.
// Fields combine: Latency first, then Drop, or else the answer (Status or the
// real one) written normally, truncated (Truncate) or slowly (SlowBody).
type Fault struct {
	// Status answers with this HTTP status and a JSON {"error": "..."} body
	// (e.g. 429, 500, 502, 503) instead of handling the request.
	Status int
	// RetryAfter, with Status, sends Retry-After in whole seconds (rounded up).
	// Zero sends no header.
	RetryAfter time.Duration
	// Drop hijacks the connection and closes it without any answer. While a
	// Drop fault is armed the server disables keep-alives, so that Go's
	// transport cannot silently replay the dropped request on a fresh
	// connection: the client sees the error.
	Drop bool
	// Truncate handles the request normally but sends 200 headers with the real
	// Content-Length and only the first half of the body, then closes the
	// connection.
	Truncate bool
	// SlowBody handles the request normally but writes the body in small chunks
	// spread over this duration, stopping if the request is cancelled or the
	// server closes.
	SlowBody time.Duration
	// Latency waits this long before answering (stopping if the request is
	// cancelled or the server closes); it adds to the server's latency.
	Latency time.Duration
	// Match selects the requests the fault applies to; nil matches every
	// request. It runs under the server's fault lock: it must not call the
	// Server's methods. The request body can be read.
	Match func(r *http.Request) bool
}

type queuedFault struct {
	f    Fault
	left int
}

type rateFault struct {
	p float64
	f Fault
}

func (f *Fault) matches(r *http.Request) bool { return f.Match == nil || f.Match(r) }

// FailNext makes the next n matching requests fail with f. Calls queue up in
// order: FailNext(1, a) then FailNext(1, b) fails the next request with a and
// the one after with b. Queued faults take precedence over FailRate.
func (s *Server) FailNext(n int, f Fault) {
	if n <= 0 {
		return
	}
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.queue = append(s.queue, &queuedFault{f: f, left: n})
	s.armed(f)
}

// FailRate makes a fraction p (0..1) of the matching requests fail with f,
// drawn from a PRNG with a fixed seed, so a sequential test sees the same
// requests fail on every run. Several rates are tried in the order given.
func (s *Server) FailRate(p float64, f Fault) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.rates = append(s.rates, rateFault{p: p, f: f})
	s.armed(f)
}

// ClearFaults removes every queued and rate fault (and re-enables keep-alives).
func (s *Server) ClearFaults() {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.queue, s.rates = nil, nil
	s.ts.Config.SetKeepAlivesEnabled(true)
}

// armed turns keep-alives off for Drop faults (see Fault.Drop). Caller holds fmu.
func (s *Server) armed(f Fault) {
	if f.Drop {
		s.ts.Config.SetKeepAlivesEnabled(false)
	}
}

// logRequest records a request.
func (s *Server) logRequest(r *http.Request, body []byte) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.appendRequest(r, body)
}

// appendRequest adds a copy of the request to the log. Caller holds fmu.
func (s *Server) appendRequest(r *http.Request, body []byte) {
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(),
		Body: body, Header: r.Header.Clone()}.clone())
}

// logAndPickFault records the request and chooses its fault, if any, in one
// step, so that faults go to requests in the order of the log.
func (s *Server) logAndPickFault(r *http.Request, body []byte) *Fault {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.appendRequest(r, body)
	for i, q := range s.queue {
		if q.f.matches(r) {
			q.left--
			if q.left == 0 {
				s.queue = append(s.queue[:i:i], s.queue[i+1:]...)
			}
			f := q.f
			return &f
		}
	}
	for _, rf := range s.rates {
		if rf.f.matches(r) && s.faultRnd.r.Float64() < rf.p {
			f := rf.f
			return &f
		}
	}
	return nil
}

// response is the answer of a Status fault.
func (f *Fault) response() response {
	msg := http.StatusText(f.Status)
	if msg == "" {
		msg = "Error"
	}
	resp := errorResponse(errStatus(f.Status, msg))
	if f.RetryAfter > 0 {
		resp.header.Set("Retry-After", strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds()))))
	}
	return resp
}

func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// writeTruncated sends 200 headers with the full Content-Length, half the body,
// and closes the connection.
func writeTruncated(w http.ResponseWriter, resp response) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	writeRawHead(buf, resp, len(resp.body))
	_, _ = buf.Write(resp.body[:len(resp.body)/2])
	_ = buf.Flush()
}

func writeRawHead(buf *bufio.ReadWriter, resp response, length int) {
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\n")
	h := resp.header.Clone()
	h.Set("Content-Length", strconv.Itoa(length))
	h.Set("Connection", "close")
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	_ = h.Write(buf)
	fmt.Fprintf(buf, "\r\n")
}

// slowChunks is how many pieces a SlowBody answer is cut into (at most).
const slowChunks = 20

// writeSlowly writes the answer's headers at once, then the body in chunks
// spread over d, giving up when the request is cancelled or the server closes.
func (s *Server) writeSlowly(w http.ResponseWriter, r *http.Request, resp response, d time.Duration) {
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	n := min(slowChunks, len(resp.body))
	if n == 0 {
		return
	}
	size := (len(resp.body) + n - 1) / n
	pause := d / time.Duration(n)
	for off := 0; off < len(resp.body); off += size {
		if !s.pause(r.Context(), pause) {
			panic(http.ErrAbortHandler)
		}
		end := min(off+size, len(resp.body))
		if _, err := w.Write(resp.body[off:end]); err != nil {
			return
		}
		_ = rc.Flush()
	}
}
