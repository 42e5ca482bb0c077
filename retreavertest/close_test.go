package retreavertest

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Close ends the waits of injected latency: it returns promptly even while a
// request waits out an hour, and that request fails instead of answering.
func TestCloseEndsLatencyWaits(t *testing.T) {
	for name, setup := range map[string]struct {
		opts   []Option
		adjust func(srv *Server)
	}{
		"WithLatency":    {opts: []Option{WithLatency(time.Hour)}},
		"SetLatency":     {adjust: func(srv *Server) { srv.SetLatency(time.Hour) }},
		"Fault.Latency":  {adjust: func(srv *Server) { srv.FailNext(1, Fault{Latency: time.Hour}) }},
		"Fault.SlowBody": {adjust: func(srv *Server) { srv.FailNext(1, Fault{SlowBody: time.Hour}) }},
	} {
		t.Run(name, func(t *testing.T) {
			srv := NewServer(setup.opts...) // closed below
			// The request has reached the server when faults are matched
			// against it; this one never applies.
			arrived := make(chan struct{}, 1)
			srv.FailNext(1, Fault{Status: 500, Match: func(*http.Request) bool {
				select {
				case arrived <- struct{}{}:
				default:
				}
				return false
			}})
			if setup.adjust != nil {
				setup.adjust(srv)
			}
			failed := make(chan error, 1)
			go func() {
				resp, err := http.Get(srv.URL + "/company.json?api_key=" + srv.APIKey)
				if err == nil {
					_, err = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				failed <- err
			}()
			<-arrived

			closed := make(chan struct{})
			go func() { srv.Close(); close(closed) }()
			select {
			case <-closed:
			case <-time.After(2 * time.Second):
				t.Fatal("Close is still waiting for the request's latency after 2 s")
			}
			require.Error(t, <-failed)
		})
	}
}
