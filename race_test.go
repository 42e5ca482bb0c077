//go:build race

package retreaver

// raceEnabled reports that the tests run under the race detector, which
// allocates for itself: tests that count allocations skip then.
const raceEnabled = true
