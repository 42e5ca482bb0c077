package retreavertest

// capEntry is one of a target's (or target group's) four caps.
type capEntry struct {
	id     int64
	filled int
	cap    *int
	typ    string // Daily, Hard, Hourly, Monthly
}

type capView struct {
	ID     int64  `json:"id"`
	Filled int    `json:"filled"`
	Cap    *int   `json:"cap"`
	Type   string `json:"type"`
}

// capAttributes maps the nested attribute names to cap types.
var capAttributes = []struct{ attr, typ string }{
	{"daily_cap_attributes", "Daily"},
	{"hard_cap_attributes", "Hard"},
	{"hourly_cap_attributes", "Hourly"},
	{"monthly_cap_attributes", "Monthly"},
}

// newCaps makes the four default caps (cap null, filled 0), ids in the order the
// reference shows them being created: Hard, Hourly, Daily, Monthly.
func (st *store) newCaps() []*capEntry {
	ids := map[string]int64{}
	for _, typ := range []string{"Hard", "Hourly", "Daily", "Monthly"} {
		ids[typ] = st.nextID("cap")
	}
	caps := make([]*capEntry, 0, 4)
	for _, ca := range capAttributes {
		caps = append(caps, &capEntry{id: ids[ca.typ], typ: ca.typ})
	}
	return caps
}

func cloneCaps(caps []*capEntry) []*capEntry {
	out := make([]*capEntry, len(caps))
	for i, c := range caps {
		cp := *c
		out[i] = &cp
	}
	return out
}

// applyCaps reads the *_cap_attributes objects ({"cap": N}, null clears).
func applyCaps(caps []*capEntry, a *attrs) {
	for _, ca := range capAttributes {
		o, ok := a.obj(ca.attr)
		if !ok {
			continue
		}
		var v *int
		if !o.intP("cap", &v) {
			if !o.has("cap") {
				o.fail("cap", "can't be blank")
			}
			continue
		}
		if v != nil && *v < 0 {
			o.fail("cap", "must be greater than or equal to 0")
			continue
		}
		for _, c := range caps {
			if c.typ == ca.typ {
				c.cap = v
			}
		}
	}
}

func renderCaps(caps []*capEntry) []capView {
	out := make([]capView, 0, len(caps))
	for _, c := range caps {
		out = append(out, capView{ID: c.id, Filled: c.filled, Cap: c.cap, Type: c.typ})
	}
	return out
}

func resetHardCap(caps []*capEntry) {
	for _, c := range caps {
		if c.typ == "Hard" {
			c.filled = 0
		}
	}
}
