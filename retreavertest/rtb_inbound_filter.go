package retreavertest

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// inboundFilter is what an RTB inbounds listing or export keeps: every set
// condition must hold. A nil id set or status list is no condition.
type inboundFilter struct {
	campaigns, affiliates, targets, keys map[int64]bool
	statuses                             map[string]bool
	duplicate                            *bool
	state, country                       string
	revenue, payout                      *[2]float64
	start, end                           *time.Time
}

// filterError is a filter that cannot be applied: 400 when a value does not
// parse, 422 when it parses but is not allowed (a window over 2 months).
type filterError struct {
	status     int
	field, msg string
}

func (e *filterError) apiError() error {
	if e.status == http.StatusBadRequest {
		return errBadRequest(e.field + " " + e.msg)
	}
	return errValidation(fieldErrors{e.field: {e.msg}})
}

// paramValues reads one filter from the query string or an export's params:
// key, key[] (its brackets written as such or percent-encoded, which the
// query parser has decoded) or, in JSON, a value or an array of values under
// either name.
func paramValues(vals map[string][]string, key string) ([]string, bool) {
	a, okA := vals[key]
	b, okB := vals[key+"[]"]
	return append(append([]string(nil), a...), b...), okA || okB
}

// relativeWindow reads last_Nd, last_Nh, last_Nw, today and yesterday (UTC days).
var relativeWindow = regexp.MustCompile(`^last_([0-9]{1,4})([hdw])$`)

func parseRelativeWindow(token string, now time.Time) (start, end time.Time, ok bool) {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch token {
	case "today":
		return day, now, true
	case "yesterday":
		return day.AddDate(0, 0, -1), day.Add(-time.Millisecond), true
	}
	m := relativeWindow.FindStringSubmatch(token)
	if m == nil {
		return time.Time{}, time.Time{}, false
	}
	n, _ := strconv.Atoi(m[1])
	unit := map[string]time.Duration{"h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[m[2]]
	return now.Add(-time.Duration(n) * unit), now, true
}

// parseInboundTime reads an explicit bound: RFC 3339 (an unescaped "+" in the
// offset arrives as a space) or a date.
func parseInboundTime(raw string) (time.Time, bool) {
	raw = strings.ReplaceAll(strings.TrimSpace(raw), " ", "+")
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, raw); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// parseInboundFilter reads the filters of the RTB inbounds log from vals:
// campaign_id, affiliate_id, target_id and postback_key_id (ids the company
// does not have are dropped; a filter left with none keeps nothing), status,
// duplicate, caller_state, caller_country, revenue and payout ([min, max]),
// and the window: created_at (a relative token, which wins) or
// created_at_start and created_at_end, at most 2 months apart.
func parseInboundFilter(st *store, co *company, vals map[string][]string, now time.Time) (*inboundFilter, *filterError) {
	f := &inboundFilter{}
	idFilters := []struct {
		key    string
		dst    *map[int64]bool
		exists func(int64) bool
	}{
		{"campaign_id", &f.campaigns, func(id int64) bool { _, ok := co.campaigns.get(id); return ok }},
		{"affiliate_id", &f.affiliates, func(id int64) bool { _, ok := co.affiliates.get(id); return ok }},
		{"target_id", &f.targets, func(id int64) bool { _, ok := co.targets.get(id); return ok }},
		{"postback_key_id", &f.keys, func(id int64) bool { return st.rtbKeyByID(co.id, id) != nil }},
	}
	for _, idf := range idFilters {
		raw, ok := paramValues(vals, idf.key)
		if !ok || allBlank(raw) {
			continue
		}
		set := map[int64]bool{}
		for _, s := range raw {
			if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && idf.exists(id) {
				set[id] = true
			}
		}
		*idf.dst = set
	}
	if raw, ok := paramValues(vals, "status"); ok && !allBlank(raw) {
		f.statuses = map[string]bool{}
		for _, s := range raw {
			f.statuses[strings.TrimSpace(s)] = true
		}
	}
	if raw, _ := paramValues(vals, "duplicate"); !allBlank(raw) {
		b, err := strconv.ParseBool(strings.TrimSpace(raw[0]))
		if err != nil {
			return nil, &filterError{http.StatusBadRequest, "duplicate", "must be true or false"}
		}
		f.duplicate = &b
	}
	f.state = first(vals, "caller_state")
	f.country = first(vals, "caller_country")
	for _, r := range []struct {
		key string
		dst **[2]float64
	}{{"revenue", &f.revenue}, {"payout", &f.payout}} {
		raw, ok := paramValues(vals, r.key)
		if !ok || allBlank(raw) {
			continue
		}
		if len(raw) != 2 {
			return nil, &filterError{http.StatusBadRequest, r.key, "must be two amounts, [min, max]"}
		}
		var rng [2]float64
		for i, s := range raw {
			v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return nil, &filterError{http.StatusBadRequest, r.key, "must be two amounts, [min, max]"}
			}
			rng[i] = v
		}
		*r.dst = &rng
	}
	if ferr := f.parseWindow(vals, now); ferr != nil {
		return nil, ferr
	}
	return f, nil
}

func (f *inboundFilter) parseWindow(vals map[string][]string, now time.Time) *filterError {
	if token := first(vals, "created_at"); token != "" {
		start, end, ok := parseRelativeWindow(token, now)
		if !ok {
			return &filterError{http.StatusBadRequest, "created_at", "must be a relative window such as last_7d"}
		}
		f.start, f.end = &start, &end
	} else {
		for _, b := range []struct {
			key string
			dst **time.Time
		}{{"created_at_start", &f.start}, {"created_at_end", &f.end}} {
			if raw := first(vals, b.key); raw != "" {
				t, ok := parseInboundTime(raw)
				if !ok {
					return &filterError{http.StatusBadRequest, b.key, "must be an ISO 8601 time such as 2026-09-01T00:00:00Z"}
				}
				*b.dst = &t
			}
		}
	}
	if f.start == nil {
		return nil
	}
	end := now
	if f.end != nil {
		end = *f.end
	}
	if end.Before(*f.start) {
		return &filterError{http.StatusUnprocessableEntity, "created_at", "window ends before it starts"}
	}
	if end.After(f.start.AddDate(0, 2, 0)) {
		return &filterError{http.StatusUnprocessableEntity, "created_at", "window can't exceed 2 months"}
	}
	return nil
}

func first(vals map[string][]string, key string) string {
	raw, _ := paramValues(vals, key)
	if len(raw) == 0 {
		return ""
	}
	return strings.TrimSpace(raw[0])
}

func allBlank(vs []string) bool {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// keeps reports whether the row, as read at now, passes the filter.
func (f *inboundFilter) keeps(v *inbound) bool {
	for _, c := range []struct {
		set map[int64]bool
		id  int64
	}{{f.campaigns, v.campaignID}, {f.affiliates, v.affiliateID}, {f.targets, v.targetID}, {f.keys, v.postbackKeyID}} {
		if c.set != nil && !c.set[c.id] {
			return false
		}
	}
	switch {
	case f.statuses != nil && !f.statuses[v.status],
		f.duplicate != nil && *f.duplicate != (v.dupOrder > 0),
		f.state != "" && !strings.EqualFold(f.state, v.callerState),
		f.country != "" && !strings.EqualFold(f.country, v.callerCountry),
		!inRange(f.revenue, v.revenue), !inRange(f.payout, v.payout),
		f.start != nil && v.createdAt.Before(*f.start),
		f.end != nil && v.createdAt.After(*f.end):
		return false
	}
	return true
}

func inRange(r *[2]float64, c cents) bool {
	if r == nil {
		return true
	}
	v := float64(c)
	return v >= r[0]*100-1e-6 && v <= r[1]*100+1e-6
}

// rows returns the company's rows the filter keeps, newest first.
func (f *inboundFilter) rows(co *company, now time.Time) []*inbound {
	out := []*inbound{}
	for i := len(co.inbounds.rows) - 1; i >= 0; i-- {
		in := co.inbounds.rows[i]
		if v := in.at(now); f.keeps(&v) {
			out = append(out, in)
		}
	}
	return out
}

// rtbKeyByID finds a company's postback key by its id.
func (st *store) rtbKeyByID(companyID, id int64) *rtbKey {
	for _, k := range st.rtbKeys {
		if k.companyID == companyID && k.id == id {
			return k
		}
	}
	return nil
}
