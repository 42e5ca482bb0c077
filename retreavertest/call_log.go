package retreavertest

import (
	"slices"
	"sort"
	"time"
)

// callLog holds a company's calls in created_at order, calls created at the
// same moment in the order they were added (by id: ids only increase). A
// listing finds its time window by binary search and its page by position,
// so one page costs O(log n + page size) however many calls are stored.
type callLog struct {
	ordered []*call
	byUUID  map[string]*call

	// Call data writing (call_data.go): waiting holds the tags written for a
	// caller without a call, by caller number, which the caller's next call
	// added takes; held the tags written during a call, by uuid, applied when
	// it ends.
	waiting, held map[string]map[string]string
}

func newCallLog() callLog { return callLog{byUUID: map[string]*call{}} }

// callBefore is the order of a callLog.
func callBefore(a, b *call) bool {
	if !a.createdAt.Equal(b.createdAt) {
		return a.createdAt.Before(b.createdAt)
	}
	return a.id < b.id
}

func (l *callLog) len() int { return len(l.ordered) }

// add puts one call in its place. Adding the newest call appends; an older
// one moves the calls after it by one.
func (l *callLog) add(c *call) {
	i := sort.Search(len(l.ordered), func(i int) bool { return callBefore(c, l.ordered[i]) })
	l.ordered = slices.Insert(l.ordered, i, c)
	l.byUUID[c.uuid] = c
	l.takeWaiting(c)
}

// addAll adds a batch of calls with one merge, however they interleave with
// the stored ones.
func (l *callLog) addAll(cs []*call) {
	if len(cs) == 0 {
		return
	}
	cs = slices.Clone(cs)
	sort.SliceStable(cs, func(i, j int) bool { return callBefore(cs[i], cs[j]) })
	old := l.ordered
	if len(old) == 0 || !callBefore(cs[0], old[len(old)-1]) {
		l.ordered = append(old, cs...)
	} else {
		merged := make([]*call, 0, len(old)+len(cs))
		i, j := 0, 0
		for i < len(old) && j < len(cs) {
			if callBefore(cs[j], old[i]) {
				merged = append(merged, cs[j])
				j++
			} else {
				merged = append(merged, old[i])
				i++
			}
		}
		merged = append(merged, old[i:]...)
		l.ordered = append(merged, cs[j:]...)
	}
	for _, c := range cs {
		l.byUUID[c.uuid] = c
		l.takeWaiting(c)
	}
}

// firstAtOrAfter returns the position of the first call created at t or later.
func (l *callLog) firstAtOrAfter(t time.Time) int {
	return sort.Search(len(l.ordered), func(i int) bool { return !l.ordered[i].createdAt.Before(t) })
}

// firstAfter returns the position of the first call created after t.
func (l *callLog) firstAfter(t time.Time) int {
	return sort.Search(len(l.ordered), func(i int) bool { return l.ordered[i].createdAt.After(t) })
}

// within returns the calls created in [start, end], both inclusive (a nil
// bound is open), oldest first. The slice is the log's own: do not change it.
func (l *callLog) within(start, end *time.Time) []*call {
	lo, hi := 0, len(l.ordered)
	if start != nil {
		lo = l.firstAtOrAfter(*start)
	}
	if end != nil {
		hi = l.firstAfter(*end)
	}
	return l.ordered[lo:max(lo, hi)]
}

// between returns the calls created in [from, to), oldest first. The slice is
// the log's own: do not change it.
func (l *callLog) between(from, to time.Time) []*call {
	lo, hi := l.firstAtOrAfter(from), l.firstAtOrAfter(to)
	return l.ordered[lo:max(lo, hi)]
}
