package retreavertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// tsLayout is how the API renders timestamps: RFC 3339, milliseconds, UTC "Z".
const tsLayout = "2006-01-02T15:04:05.000Z07:00"

// jsTime renders as an RFC 3339 timestamp with milliseconds in UTC.
type jsTime time.Time

func (t jsTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format(tsLayout) + `"`), nil
}

// jsTimeSec renders with whole seconds, like the V1 call log.
type jsTimeSec time.Time

func (t jsTimeSec) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format(time.RFC3339) + `"`), nil
}

func tsp(t *time.Time) *jsTime {
	if t == nil {
		return nil
	}
	v := jsTime(*t)
	return &v
}

func tsSecP(t *time.Time) *jsTimeSec {
	if t == nil {
		return nil
	}
	v := jsTimeSec(*t)
	return &v
}

// cents is an exact decimal amount in hundredths.
type cents int64

// decimal renders the amount the way Ruby prints a decimal: "5.0", "0.08", "-12.5".
func (c cents) decimal() string {
	return rubyFloatString(float64(c) / 100)
}

// moneyNum renders an amount as a JSON number (5.0, 0.08).
type moneyNum cents

func (m moneyNum) MarshalJSON() ([]byte, error) { return []byte(cents(m).decimal()), nil }

// moneyStr renders an amount as a JSON string ("0.08").
type moneyStr cents

func (m moneyStr) MarshalJSON() ([]byte, error) { return []byte(`"` + cents(m).decimal() + `"`), nil }

func moneyP(c *cents) *moneyNum {
	if c == nil {
		return nil
	}
	v := moneyNum(*c)
	return &v
}

// rubyFloat renders a float the way Ruby does: integral values keep ".0".
type rubyFloat float64

func (f rubyFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	return []byte(rubyFloatString(v)), nil
}

func rubyFloatString(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// marshal encodes v as JSON without HTML escaping (URLs keep their "&").
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("retreavertest: encoding response: %v", err))
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func strP(s string) *string { return &s }

func intP(i int) *int { return &i }

func int64P(i int64) *int64 { return &i }

func boolP(b bool) *bool { return &b }

func timeP(t time.Time) *time.Time { return &t }

// normalizePhone turns the usual ways of writing a North American number
// ("8668987878", "1-866-898-7878", " 18668987878" from an unescaped "+")
// into E.164. SIP URIs and anything it does not understand pass unchanged.
func normalizePhone(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(strings.ToLower(s), "sip:") {
		return s
	}
	plus := strings.HasPrefix(s, "+")
	var digits strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' || r == '-' || r == ' ' || r == '(' || r == ')' || r == '.':
		default:
			return s
		}
	}
	d := digits.String()
	switch {
	case plus:
		return "+" + d
	case len(d) == 10:
		return "+1" + d
	case len(d) == 11 && d[0] == '1':
		return "+" + d
	case len(d) > 10:
		return "+" + d
	}
	return s
}

// rnd is the fake's deterministic source of identifiers and sample data.
type rnd struct{ r *rand.Rand }

func newRnd(seed uint64) *rnd { return &rnd{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g *rnd) intn(n int) int {
	if n <= 0 {
		return 0
	}
	return g.r.IntN(n)
}

// between returns an int in [lo, hi].
func (g *rnd) between(lo, hi int) int { return lo + g.intn(hi-lo+1) }

func (g *rnd) chance(p float64) bool { return g.r.Float64() < p }

func (g *rnd) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.r.IntN(16)]
	}
	return string(b)
}

func (g *rnd) uuid() string {
	h := g.hex(32)
	variant := "89ab"[g.r.IntN(4)]
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-" + string(variant) + h[17:20] + "-" + h[20:32]
}

func (g *rnd) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

var tollFreePrefixes = []string{"800", "833", "844", "855", "866", "877", "888"}

var localAreaCodes = []string{"212", "213", "301", "305", "312", "404", "415", "512", "617", "646", "702", "713", "719", "818", "919"}

// phone returns a plausible E.164 number: toll-free or local, in the given country.
func (g *rnd) phone(tollFree bool, country string) string {
	switch strings.ToUpper(country) {
	case "", "US", "CA":
		prefix := localAreaCodes[g.intn(len(localAreaCodes))]
		if tollFree {
			prefix = tollFreePrefixes[g.intn(len(tollFreePrefixes))]
		}
		return "+1" + prefix + strconv.Itoa(g.between(2, 9)) + g.digits(6)
	case "GB":
		return "+4420" + g.digits(8)
	case "FR":
		return "+331" + g.digits(8)
	case "IE":
		return "+3531" + g.digits(7)
	case "NL":
		return "+3120" + g.digits(7)
	default:
		return "+44" + g.digits(10)
	}
}

func pick[T any](g *rnd, xs []T) T { return xs[g.intn(len(xs))] }

// wrap puts an object under its root key: {"target": {...}}.
func wrap(root string, v any) map[string]any { return map[string]any{root: v} }

// wrapEach renders a list as the API does: [{"target": {...}}, ...].
func wrapEach[T any](root string, items []T, render func(T) any) []any {
	out := make([]any, 0, len(items))
	for _, it := range items {
		out = append(out, wrap(root, render(it)))
	}
	return out
}
