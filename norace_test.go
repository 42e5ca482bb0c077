//go:build !race

package retreaver

// raceEnabled reports that the tests run under the race detector.
const raceEnabled = false
