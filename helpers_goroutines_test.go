package retreaver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The goroutine leak check of the unit tests: a snapshot of every goroutine
// before, and a wait until there are no more than before, naming the new ones
// when that does not happen. At the end of a test:
//
//	defer requireNoGoroutineLeak(t, snapshotGoroutines())
//
// (the snapshot is taken when the defer statement runs).

// goroutineSnapshot is the stacks of the goroutines alive at one moment: all of
// them, but the one that takes the snapshot.
type goroutineSnapshot []string

func snapshotGoroutines() goroutineSnapshot {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out goroutineSnapshot
	for _, g := range strings.Split(string(buf), "\n\n") {
		g = strings.TrimSpace(g)
		if g != "" && !strings.Contains(g, "snapshotGoroutines") {
			out = append(out, g)
		}
	}
	return out
}

// signature is what identifies a goroutine across snapshots: its stack without
// the header line (which holds its id and state) and without argument values.
func signature(stack string) string {
	lines := strings.Split(stack, "\n")
	var b strings.Builder
	for _, l := range lines[1:] {
		if i := strings.LastIndex(l, "("); i > 0 && !strings.HasPrefix(l, "\t") {
			l = l[:i]
		}
		if strings.HasPrefix(l, "\t") {
			if i := strings.LastIndex(l, " +0x"); i > 0 {
				l = l[:i]
			}
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// requireNoGoroutineLeak waits until there are no more goroutines than before
// (goroutines take a moment to exit once unblocked), and fails listing the new
// ones if that does not happen. closeIdle functions (the transports'
// CloseIdleConnections) are called on every try.
func requireNoGoroutineLeak(t *testing.T, before goroutineSnapshot, closeIdle ...func()) {
	t.Helper()
	if extra, ok := waitGoroutines(before, 10*time.Second, closeIdle...); !ok {
		t.Fatalf("%d goroutines before, more after; the new ones:\n\n%s\n\nbefore:\n\n%s", len(before), strings.Join(extra, "\n\n"), strings.Join(before, "\n\n"))
	}
}

// waitGoroutines waits up to limit for the goroutines to be no more than
// before. When they are not, it returns those that are new. It polls on the
// caller's goroutine: require.Eventually would add its own.
func waitGoroutines(before goroutineSnapshot, limit time.Duration, closeIdle ...func()) (extra []string, ok bool) {
	deadline := time.Now().Add(limit)
	var now goroutineSnapshot
	for {
		for _, f := range closeIdle {
			f()
		}
		now = snapshotGoroutines()
		if len(now) <= len(before) {
			return nil, true
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	known := map[string]int{}
	for _, g := range before {
		known[signature(g)]++
	}
	for _, g := range now {
		if s := signature(g); known[s] > 0 {
			known[s]--
		} else {
			extra = append(extra, g)
		}
	}
	return extra, false
}

func TestGoroutineLeakCheckCanFail(t *testing.T) {
	before := snapshotGoroutines()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	hc := &http.Client{}
	resp, err := hc.Get(srv.URL)
	require.NoError(t, err)
	resp.Body.Close()
	// A kept-alive connection holds goroutines on both ends until it is closed.
	extra, ok := waitGoroutines(before, 20*time.Millisecond)
	require.False(t, ok)
	require.NotEmpty(t, extra)
	require.Contains(t, strings.Join(extra, "\n"), "net/http.(*persistConn)")
	srv.Close()
	requireNoGoroutineLeak(t, before, hc.CloseIdleConnections)

	// Every goroutine counts, whatever code it runs: this one runs only the
	// standard library's, started by it.
	before = snapshotGoroutines()
	var wg sync.WaitGroup
	wg.Add(1)
	ctx, cancel := context.WithCancel(context.Background())
	context.AfterFunc(ctx, wg.Wait)
	cancel()
	extra, ok = waitGoroutines(before, 20*time.Millisecond)
	require.False(t, ok)
	require.Contains(t, strings.Join(extra, "\n"), "sync.(*WaitGroup).Wait")
	wg.Done()
	requireNoGoroutineLeak(t, before)
}
