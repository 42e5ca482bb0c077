package retreaver

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMoneyDecodesEveryShape(t *testing.T) {
	cases := []struct {
		in    string
		text  string
		float float64
	}{
		{`"0.08"`, "0.08", 0.08},
		{`"-0.07"`, "-0.07", -0.07},
		{`5.0`, "5.0", 5},
		{`0`, "0", 0},
		{`-12.5`, "-12.5", -12.5},
		{`1e3`, "1e3", 1000},
		{`"100.0"`, "100.0", 100},
		{`" 2.50 "`, "2.50", 2.5},
		{`null`, "", 0},
		{`""`, "", 0},
		{`"12345678901234567890.123456789"`, "12345678901234567890.123456789", 12345678901234567890.123456789},
	}
	for _, tc := range cases {
		var m Money
		require.NoError(t, json.Unmarshal([]byte(tc.in), &m), tc.in)
		require.Equal(t, tc.text, m.String(), tc.in)
		require.InDelta(t, tc.float, m.Float64(), 1e-9, tc.in)
		require.Equal(t, tc.text == "", m.IsZero(), tc.in)
	}
	for _, bad := range []string{`"abc"`, `"1.2.3"`, `"$5"`, `true`, `{}`, `[]`, `"."`, `"-"`, `"1e"`, `"+5"`, `nul`} {
		var m Money
		require.Error(t, json.Unmarshal([]byte(bad), &m), bad)
	}
}

func TestMoneyExponentIsBounded(t *testing.T) {
	for _, ok := range []string{"1e1000", "1e-1000", "1E+1000", "-2.5e0001000", "5E-2", "1.0e-05"} {
		_, err := NewMoney(ok)
		require.NoError(t, err, ok)
	}
	for _, bad := range []string{"1e1001", "1e-1001", "1e+99999999999999999999999", "0.0e10000"} {
		_, err := NewMoney(bad)
		require.ErrorIs(t, err, ErrInvalidArgument, bad)
		var m Money
		require.Error(t, json.Unmarshal([]byte(bad), &m), bad)
	}
}

func TestMoneyPointerFieldsKeepNull(t *testing.T) {
	var v struct {
		A *Money `json:"a"`
		B *Money `json:"b"`
		C Money  `json:"c"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"a":null,"b":"0.00","c":null}`), &v))
	require.Nil(t, v.A)
	require.Equal(t, "0.00", v.B.String())
	require.True(t, v.C.IsZero())
}

func TestMoneyEncodes(t *testing.T) {
	b, err := json.Marshal(struct {
		A Money  `json:"a"`
		B Money  `json:"b"`
		C *Money `json:"c,omitempty"`
		D Money  `json:"d"`
	}{A: MustMoney("12.50"), B: Money{}, D: Money{text: "007"}})
	require.NoError(t, err)
	require.JSONEq(t, `{"a":12.50,"b":null,"d":"007"}`, string(b))
	_, err = NewMoney("twelve")
	require.ErrorIs(t, err, ErrInvalidArgument)
	require.Panics(t, func() { MustMoney("x") })
}

func FuzzMoney(f *testing.F) {
	for _, s := range []string{`"0.08"`, `5.0`, `null`, `""`, `"abc"`, `-0`, `1e309`, `"1e-5"`, `{"x":1}`,
		`"-.5"`, `"5."`, `"007"`, `1E-1000`, `"-1e1000"`, `"1e1001"`, `"\u0030.5"`, "\"5\n\"", `"5"x"`, `" 1.5 "`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkQuotedMoney(t, in)
		var m Money
		if err := m.UnmarshalJSON([]byte(in)); err != nil {
			return
		}
		_ = m.Float64()
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("marshal of %q: %v", m.String(), err)
		}
		var back Money
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("decode of our own encoding %s: %v", out, err)
		}
		if back != m {
			t.Fatalf("round trip of %q gave %q", m.String(), back.String())
		}
		for _, other := range []Money{{}, m, MustMoney("0.08"), MustMoney("-1e3"), MustMoney("5E-2"), MustMoney("-0.005")} {
			checkArithmetic(t, m, other)
			checkArithmetic(t, other, m)
		}
		checkCents(t, m)
	})
}

// checkQuotedMoney checks that an amount in a string (white space around it
// aside) reads as encoding/json reads the string: refused when encoding/json
// refuses it, the string's decimal otherwise.
func checkQuotedMoney(t *testing.T, in string) {
	in = strings.TrimSpace(in)
	if !strings.HasPrefix(in, `"`) {
		return
	}
	var m Money
	err := m.UnmarshalJSON([]byte(in))
	var s string
	if jerr := json.Unmarshal([]byte(in), &s); jerr != nil {
		if err == nil {
			t.Fatalf("%q read as %q, but it is no JSON string: %v", in, m.String(), jerr)
		}
		return
	}
	want, werr := NewMoney(s)
	if strings.TrimSpace(s) == "" {
		want, werr = Money{}, nil
	}
	if (err == nil) != (werr == nil) || m != want {
		t.Fatalf("%q read as %q (%v), want %q (%v)", in, m.String(), err, want.String(), werr)
	}
}

// money builds an amount for a test table: "" is absent.
func money(s string) Money {
	if s == "" {
		return Money{}
	}
	return MustMoney(s)
}

func TestMoneyAddSub(t *testing.T) {
	cases := []struct{ a, b, sum, diff string }{
		{"0.08", "5.0", "5.08", "-4.92"},
		{"0.1", "0.2", "0.3", "-0.1"},
		{"-12.5", "2.25", "-10.25", "-14.75"},
		{"-0.08", "0.08", "0.00", "-0.16"},
		{"-0", "-0.0", "0.0", "0.0"},
		{"1e3", "0.5", "1000.5", "999.5"},
		{"1e3", "5E-2", "1000.05", "999.95"},
		{"1E+2", "1", "101", "99"},
		{"1.5e1", "0", "15", "15"},
		{"1.25e1", "-0", "12.5", "12.5"},
		{"125e-1", "1.0e-05", "12.500010", "12.499990"},
		{"-5E-2", "0.05", "0.00", "-0.10"},
		{".5", "5.", "5.5", "-4.5"},
		{"-.5", "007", "6.5", "-7.5"},
		{"0.000", "1e0", "1.000", "-1.000"},
		{"99999999999999999999.99", "0.01", "100000000000000000000.00", "99999999999999999999.98"},
		{"-9223372036854775808", "-9223372036854775808", "-18446744073709551616", "0"},
		{"1e-10", "1e10", "10000000000.0000000001", "-9999999999.9999999999"},
		// An absent operand counts as 0; two absent ones stay absent.
		{"", "5.0", "5.0", "-5.0"},
		{"5.0", "", "5.0", "5.0"},
		{"", "-0.08", "-0.08", "0.08"},
		{"", "1e3", "1000", "-1000"},
		{"007", "", "7", "7"},
		{"", "0.00", "0.00", "0.00"},
		{"", "", "", ""},
	}
	for _, tc := range cases {
		a, b := money(tc.a), money(tc.b)
		sum, diff := a.Add(b), a.Sub(b)
		require.Equal(t, tc.sum, sum.String(), "%q + %q", tc.a, tc.b)
		require.Equal(t, tc.diff, diff.String(), "%q - %q", tc.a, tc.b)
		require.Equal(t, tc.sum == "", sum.IsZero(), "%q + %q", tc.a, tc.b)
		require.Equal(t, tc.sum, b.Add(a).String(), "%q + %q", tc.b, tc.a)
		require.Equal(t, tc.diff, b.Sub(a).Neg().String(), "-(%q - %q)", tc.b, tc.a)
	}
}

func TestMoneyNeg(t *testing.T) {
	for in, want := range map[string]string{
		"5.0": "-5.0", "-0.08": "0.08", "-0": "0", "0.00": "0.00", "1e3": "-1000",
		"-5E-2": "0.05", "007": "-7", "-.5": "0.5", "": "",
	} {
		require.Equal(t, want, money(in).Neg().String(), in)
	}
}

func TestMoneyCmpSign(t *testing.T) {
	cases := []struct {
		a, b string
		cmp  int
	}{
		{"5", "5.00", 0},
		{"5e0", "5", 0},
		{"0.5", "5E-1", 0},
		{"0.1", "0.09", 1},
		{"-1", "0", -1},
		{"-0.00", "0", 0},
		{"-0.01", "-0.009", -1},
		{"1e3", "999.999", 1},
		{"-1e3", "-999.999", -1},
		{"1e-1000", "0", 1},
		{"12345678901234567890.123456789", "12345678901234567890.12345679", -1},
		// An absent amount counts as 0.
		{"", "0.00", 0},
		{"", "0.01", -1},
		{"", "-0.01", 1},
		{"", "", 0},
	}
	for _, tc := range cases {
		a, b := money(tc.a), money(tc.b)
		require.Equal(t, tc.cmp, a.Cmp(b), "cmp(%q, %q)", tc.a, tc.b)
		require.Equal(t, -tc.cmp, b.Cmp(a), "cmp(%q, %q)", tc.b, tc.a)
		require.Equal(t, tc.cmp, a.Sub(b).Sign(), "sign(%q - %q)", tc.a, tc.b)
	}
	for in, want := range map[string]int{
		"": 0, "0": 0, "-0": 0, "-0.00": 0, "0e5": 0, "5E-2": 1, "-5E-2": -1,
		"1e-1000": 1, "-1e-1000": -1, "007": 1, "-.5": -1,
	} {
		require.Equal(t, want, money(in).Sign(), in)
	}
}

// ratOf returns the exact value of m; 0 when absent.
func ratOf(t *testing.T, m Money) *big.Rat {
	t.Helper()
	if m.IsZero() {
		return new(big.Rat)
	}
	r, ok := new(big.Rat).SetString(m.String())
	if !ok {
		t.Fatalf("big.Rat cannot read %q", m.String())
	}
	return r
}

// fractionDigits returns how many fraction digits m has once its exponent is
// applied: 2 for "0.08" and "5E-2", 0 for "1e3" and "1.5e1".
func fractionDigits(m Money) int {
	mantissa, exp, _ := strings.Cut(strings.ToLower(m.String()), "e")
	_, frac, _ := strings.Cut(mantissa, ".")
	e, _ := strconv.Atoi(exp)
	return max(0, len(frac)-e)
}

// randomDecimal returns a random amount in one of the shapes the API may write:
// either sign, 0 to 12 integer digits (leading zeros too), 0 to 10 fraction digits,
// sometimes an exponent.
func randomDecimal(rng *rand.Rand) string {
	var b strings.Builder
	if rng.IntN(2) == 0 {
		b.WriteByte('-')
	}
	whole, frac := rng.IntN(13), rng.IntN(11)
	if whole+frac == 0 {
		whole = 1
	}
	for range whole {
		b.WriteByte(byte('0' + rng.IntN(10)))
	}
	if frac > 0 || rng.IntN(8) == 0 {
		b.WriteByte('.')
	}
	for range frac {
		b.WriteByte(byte('0' + rng.IntN(10)))
	}
	if rng.IntN(4) == 0 {
		b.WriteString([]string{"e", "E", "e+", "E-", "e-"}[rng.IntN(5)])
		fmt.Fprint(&b, rng.IntN(13))
	}
	return b.String()
}

// checkArithmetic checks Add, Sub, Neg, Cmp and Sign on a and b against big.Rat.
func checkArithmetic(t *testing.T, a, b Money) {
	t.Helper()
	ra, rb := ratOf(t, a), ratOf(t, b)
	scale := max(fractionDigits(a), fractionDigits(b))
	for _, op := range []struct {
		name string
		got  Money
		want *big.Rat
	}{
		{"+", a.Add(b), new(big.Rat).Add(ra, rb)},
		{"-", a.Sub(b), new(big.Rat).Sub(ra, rb)},
	} {
		if a.IsZero() && b.IsZero() {
			if !op.got.IsZero() {
				t.Fatalf("absent %s absent = %q, want absent", op.name, op.got)
			}
			continue
		}
		if want := op.want.FloatString(scale); op.got.String() != want {
			t.Fatalf("%q %s %q = %q, want %q", a, op.name, b, op.got, want)
		}
		if back, err := NewMoney(op.got.String()); err != nil || back != op.got {
			t.Fatalf("%q %s %q = %q, which does not parse back: %v", a, op.name, b, op.got, err)
		}
	}
	if got, want := a.Neg(), new(big.Rat).Neg(ra); !a.IsZero() && got.String() != want.FloatString(fractionDigits(a)) {
		t.Fatalf("-%q = %q, want %s", a, got, want.FloatString(fractionDigits(a)))
	}
	if got, want := a.Cmp(b), ra.Cmp(rb); got != want {
		t.Fatalf("cmp(%q, %q) = %d, want %d", a, b, got, want)
	}
	if got, want := a.Sign(), ra.Sign(); got != want {
		t.Fatalf("sign(%q) = %d, want %d", a, got, want)
	}
}

func TestMoneyArithmeticMatchesBigRat(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 11))
	for range 5000 {
		a, b := MustMoney(randomDecimal(rng)), MustMoney(randomDecimal(rng))
		switch rng.IntN(10) {
		case 0:
			a = Money{}
		case 1:
			b = Money{}
		case 2:
			b = a
		}
		checkArithmetic(t, a, b)
	}
}

func TestMoneyCents(t *testing.T) {
	for in, want := range map[string]int64{
		"": 0, "0": 0, "-0.00": 0, "0.08": 8, "5.0": 500, "12.34": 1234, "-12.34": -1234,
		"1e3": 100000, "5E-2": 5, "-5e-2": -5, "1.0e-05": 0, "007": 700, ".5": 50, "-.5": -50,
		"0.1234567890": 12,
		// Halfway: to the even cent.
		"0.125": 12, "0.135": 14, "0.005": 0, "0.015": 2, "0.025": 2, "2.675": 268, "1.005": 100,
		"-0.125": -12, "-0.135": -14, "-0.005": 0, "-0.015": -2, "125e-3": 12, "1.25E-1": 12,
		"0.1250000": 12, "0.1350": 14,
		// Not quite halfway: to the nearer cent.
		"0.1249999": 12, "0.1250001": 13, "-0.1250001": -13, "0.0049": 0, "-0.0051": -1,
		"0.994": 99, "0.995": 100, "0.996": 100, "-0.995": -100,
		// The ends of int64.
		"92233720368547758.07":    math.MaxInt64,
		"-92233720368547758.08":   math.MinInt64,
		"92233720368547758.074":   math.MaxInt64,
		"-92233720368547758.085":  math.MinInt64, // halfway, 08 is even: stays
		"9223372036854775807e-2":  math.MaxInt64,
		"922337203685477580.7e-1": math.MaxInt64,
	} {
		got, err := money(in).Cents()
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, over := range []string{
		"92233720368547758.08", "-92233720368547758.09",
		"92233720368547758.075", // halfway, 07 is odd: up to 08, beyond int64
		"92233720368547758.0751", "1e17", "-1e1000", "99999999999999999999999",
	} {
		_, err := money(over).Cents()
		require.Error(t, err, over)
		require.Contains(t, err.Error(), "beyond the range of int64 cents", over)
	}
}

func TestMoneyFromCents(t *testing.T) {
	for c, want := range map[int64]string{
		0: "0.00", 1: "0.01", -1: "-0.01", 8: "0.08", -5: "-0.05", 100: "1.00", 1234: "12.34",
		-123456: "-1234.56", math.MaxInt64: "92233720368547758.07", math.MinInt64: "-92233720368547758.08",
	} {
		m := MoneyFromCents(c)
		require.Equal(t, want, m.String(), c)
		require.False(t, m.IsZero(), c)
		back, err := m.Cents()
		require.NoError(t, err, c)
		require.Equal(t, c, back, c)
	}
}

// centsOf rounds r to whole cents, half to even, for comparison with Cents.
func centsOf(r *big.Rat) *big.Int {
	x := new(big.Rat).Mul(r, big.NewRat(100, 1))
	whole := new(big.Int).Quo(x.Num(), x.Denom()) // toward 0
	rest := new(big.Rat).Sub(x, new(big.Rat).SetInt(whole))
	half := big.NewRat(1, 2)
	switch c := rest.Abs(rest).Cmp(half); {
	case c > 0, c == 0 && whole.Bit(0) == 1:
		whole.Add(whole, big.NewInt(int64(x.Sign())))
	}
	return whole
}

// checkCents checks m.Cents against rounding m's big.Rat value, and that the cents
// come back through MoneyFromCents.
func checkCents(t *testing.T, m Money) {
	t.Helper()
	want := centsOf(ratOf(t, m))
	got, err := m.Cents()
	if !want.IsInt64() {
		if err == nil {
			t.Fatalf("cents of %q = %d, want an error (%s is beyond int64)", m, got, want)
		}
		return
	}
	if err != nil || got != want.Int64() {
		t.Fatalf("cents of %q = %d, %v; want %s", m, got, err, want)
	}
	if back, err := MoneyFromCents(got).Cents(); err != nil || back != got {
		t.Fatalf("MoneyFromCents(%d).Cents() = %d, %v", got, back, err)
	}
}

func TestMoneyCentsMatchBigRat(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 12))
	for range 5000 {
		s := randomDecimal(rng)
		if rng.IntN(4) == 0 {
			// Exactly halfway between two cents, sometimes with trailing zeros.
			s = fmt.Sprintf("%s%d.%02d5%s", []string{"", "-"}[rng.IntN(2)], rng.IntN(1000), rng.IntN(100),
				strings.Repeat("0", rng.IntN(3)))
		}
		checkCents(t, MustMoney(s))
	}
	checkCents(t, Money{})
}
