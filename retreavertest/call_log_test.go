package retreavertest

import (
	"math/rand/v2"
	"net/url"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The log stays in created_at order, ties in the order the calls were added,
// whether calls come one by one or in batches, older or newer than the stored
// ones; its windows are exactly the calls a scan would keep.
func TestCallLogOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2024, 11, 4, 0, 0, 0, 0, time.UTC)
	l := newCallLog()
	var all []*call
	id := int64(0)
	newCall := func() *call {
		id++
		// Few distinct instants, so that many calls share one.
		c := &call{id: id, uuid: itoa(id), createdAt: base.Add(time.Duration(r.IntN(50)) * time.Second)}
		all = append(all, c)
		return c
	}
	for round := 0; round < 40; round++ {
		if round%3 == 0 {
			batch := make([]*call, r.IntN(30))
			for i := range batch {
				batch[i] = newCall()
			}
			l.addAll(batch)
		} else {
			l.add(newCall())
		}
	}
	want := slices.Clone(all)
	sort.SliceStable(want, func(i, j int) bool { return want[i].createdAt.Before(want[j].createdAt) })
	require.Equal(t, want, l.ordered)
	require.Len(t, l.byUUID, len(all))

	at := func(s int) *time.Time { v := base.Add(time.Duration(s) * time.Second); return &v }
	for _, w := range []struct{ start, end *time.Time }{
		{nil, nil}, {at(10), nil}, {nil, at(10)}, {at(10), at(20)}, {at(20), at(10)}, {at(-5), at(100)}, {at(60), nil}, {at(7), at(7)},
	} {
		var scan []*call
		for _, c := range want {
			if (w.start == nil || !c.createdAt.Before(*w.start)) && (w.end == nil || !c.createdAt.After(*w.end)) {
				scan = append(scan, c)
			}
		}
		require.Equal(t, len(scan), len(l.within(w.start, w.end)))
		if len(scan) > 0 {
			require.Equal(t, scan, l.within(w.start, w.end))
		}
	}
	justBefore20 := at(20).Add(-time.Millisecond)
	require.Equal(t, l.within(at(10), &justBefore20), l.between(*at(10), *at(20)))
}

// Calls seeded before the stored ones still list in order, both ways, page
// after page.
func TestCallListingAfterSeedingOlderCalls(t *testing.T) {
	a := newAPI(t)
	now := time.Now().UTC()
	a.srv.SeedCallsAt(a.srv.CompanyID, 70, now.Add(-2*time.Hour), now.Add(-time.Hour))
	a.srv.SeedCallsAt(a.srv.CompanyID, 70, now.Add(-3*time.Hour), now.Add(-90*time.Minute))
	a.srv.SeedCallsAt(a.srv.CompanyID, 5, now.Add(-time.Hour), now.Add(-time.Hour+time.Millisecond))
	asc := a.allCalls(url.Values{"order": {"asc"}})
	desc := a.allCalls(nil)
	require.Len(t, asc, 145)
	for i := range asc {
		require.Equal(t, asc[i]["uuid"], desc[len(desc)-1-i]["uuid"])
		if i > 0 {
			require.LessOrEqual(t, asc[i-1]["created_at"], asc[i]["created_at"])
		}
	}
}
