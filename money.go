package retreaver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Money is a decimal amount exactly as the API wrote it. The API sends amounts as
// strings ("0.08"), numbers (5.0, 0, 1e3) or null; Money keeps the decimal text so
// that nothing is lost to floating point, and String returns it unchanged.
//
// The zero Money is an absent amount: the API sent null. It prints as "" and IsZero
// reports it; "0.00" is a present amount that equals 0.
//
// Add, Sub, Neg, Cmp and Sign are exact: they compute in decimal, never in floating
// point. In them an absent amount counts as 0, and a result is absent only when
// every operand is. So the zero Money is a ready accumulator: summing revenue that
// is null on some calls gives the sum of the others, while a sum of nulls alone
// stays null rather than becoming a 0 the API never sent. Cmp and Sign cannot tell
// absent from 0; IsZero can.
//
// The text of a result is canonical: no exponent, no leading zeros, no minus sign on
// 0, and as many fraction digits as the operand with the most, counted once any
// exponent is applied: "0.08" + "5.0" is "5.08", "1e3" + "5E-2" is "1000.05".
//
// Cents converts an amount to integer cents, rounding half to even, and
// MoneyFromCents converts back.
type Money struct {
	text string
}

// NewMoney parses a decimal amount such as "12.50", "-0.08", "5" or "5E-2"; an
// exponent may be at most ±1000. Anything else is an error wrapping
// [ErrInvalidArgument].
func NewMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	if !isDecimal(s) {
		return Money{}, invalidArg("%q is not a decimal amount", s)
	}
	return Money{text: s}, nil
}

// MustMoney is NewMoney for constants: it panics when s is not a decimal amount.
func MustMoney(s string) Money {
	m, err := NewMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

// String returns the amount as the API wrote it ("0.08", "5.0", "1e3"), a result of
// arithmetic in canonical text ("1000.5"), or "" when absent.
func (m Money) String() string { return m.text }

// IsZero reports whether the amount is absent (not whether it equals 0: "0.0" is present).
func (m Money) IsZero() bool { return m.text == "" }

// Float64 returns the amount as a float64; 0 when absent.
func (m Money) Float64() float64 {
	if m.text == "" {
		return 0
	}
	f, _ := strconv.ParseFloat(m.text, 64)
	return f
}

// Add returns m + n, exactly. An absent operand counts as 0; the sum of two absent
// amounts is absent.
func (m Money) Add(n Money) Money { return m.combine(n, (*big.Int).Add) }

// Sub returns m - n, exactly. An absent operand counts as 0; the difference of two
// absent amounts is absent.
func (m Money) Sub(n Money) Money { return m.combine(n, (*big.Int).Sub) }

// Neg returns -m, in canonical text ("-5.0" for "5.0", "0" for "-0"). The negation of
// an absent amount is absent.
func (m Money) Neg() Money {
	if m.IsZero() {
		return Money{}
	}
	v := m.value()
	return Money{text: formatDecimal(v.unscaled.Neg(v.unscaled), v.scale)}
}

// Cmp compares m and n by value: -1 if m < n, 0 if m == n, +1 if m > n. "5", "5.00"
// and "5e0" are equal. An absent amount counts as 0.
func (m Money) Cmp(n Money) int {
	a, b := m.value(), n.value()
	scale := max(a.scale, b.scale)
	return a.at(scale).Cmp(b.at(scale))
}

// Sign returns -1, 0 or +1 as m is negative, 0 or positive. "-0.00" and an absent
// amount are 0.
func (m Money) Sign() int { return m.value().unscaled.Sign() }

// Cents returns the amount in whole cents. An amount with more than two fraction
// digits is rounded to the nearest cent, and one exactly halfway between two cents
// to the even one (banker's rounding): "0.125" is 12 cents, "0.135" is 14, "-0.125"
// is -12 and "0.1251" is 13. Half to even rather than half away from zero, because
// amounts are rounded by the thousand, one per call: rounding every half away from
// zero would push the sum of the rounded amounts away from the exact sum, while
// half to even rounds as many halves down as up. For a total in cents, sum with
// Add and round once.
//
// An absent amount is 0 cents; IsZero tells it from "0.00". An amount beyond the
// range of int64 cents (about ±92 quadrillion) is an error.
func (m Money) Cents() (int64, error) {
	v := m.value()
	var cents *big.Int
	if v.scale <= 2 {
		cents = v.at(2)
	} else {
		cents = roundHalfEven(v.unscaled, pow10(v.scale-2))
	}
	if !cents.IsInt64() {
		return 0, fmt.Errorf("retreaver: amount %s is beyond the range of int64 cents", quoteValue(m.text))
	}
	return cents.Int64(), nil
}

// MoneyFromCents returns an amount of c cents, with two fraction digits:
// MoneyFromCents(1234) is "12.34", MoneyFromCents(-5) is "-0.05" and
// MoneyFromCents(0) is "0.00", a present amount.
func MoneyFromCents(c int64) Money {
	return Money{text: formatDecimal(big.NewInt(c), 2)}
}

// roundHalfEven returns x / d rounded to the nearest integer, a tie to the even
// one; d > 0.
func roundHalfEven(x, d *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(x, d, new(big.Int)) // q truncated toward 0; r has x's sign
	twiceR := r.Lsh(r.Abs(r), 1)
	if c := twiceR.Cmp(d); c > 0 || c == 0 && q.Bit(0) == 1 {
		q.Add(q, big.NewInt(int64(x.Sign()))) // away from 0, to the nearer or even integer
	}
	return q
}

// combine applies op, one of (*big.Int).Add and (*big.Int).Sub, to m and n brought
// to the scale of the one with more fraction digits.
func (m Money) combine(n Money, op func(z, x, y *big.Int) *big.Int) Money {
	if m.IsZero() && n.IsZero() {
		return Money{}
	}
	a, b := m.value(), n.value()
	scale := max(a.scale, b.scale)
	return Money{text: formatDecimal(op(new(big.Int), a.at(scale), b.at(scale)), scale)}
}

// decimal is the exact value of an amount: unscaled × 10^-scale, with scale ≥ 0 the
// number of fraction digits.
type decimal struct {
	unscaled *big.Int
	scale    int
}

// value returns the exact value of m; 0 when absent. It relies on m's text having
// passed isDecimal.
func (m Money) value() decimal {
	s := m.text
	if s == "" {
		return decimal{unscaled: new(big.Int)}
	}
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		exp, _ = strconv.Atoi(s[i+1:]) // "+2", "-05": at most ±maxMoneyExponent
		s = s[:i]
	}
	whole, frac, _ := strings.Cut(s, ".")
	unscaled, _ := new(big.Int).SetString(whole+frac, 10) // "-" + "5" for "-.5"
	scale := len(frac) - exp
	if scale < 0 {
		unscaled.Mul(unscaled, pow10(-scale))
		scale = 0
	}
	return decimal{unscaled: unscaled, scale: scale}
}

// at returns the unscaled value of d at a scale of at least its own.
func (d decimal) at(scale int) *big.Int {
	return new(big.Int).Mul(d.unscaled, pow10(scale-d.scale))
}

// pow10 returns 10^n for n ≥ 0.
func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// formatDecimal writes unscaled × 10^-scale in canonical text: an optional minus
// sign (never on 0), the integer digits without leading zeros, and for a positive
// scale a point and exactly scale fraction digits.
func formatDecimal(unscaled *big.Int, scale int) string {
	digits := new(big.Int).Abs(unscaled).String()
	if scale > 0 {
		if len(digits) <= scale {
			digits = strings.Repeat("0", scale-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	}
	if unscaled.Sign() < 0 {
		return "-" + digits
	}
	return digits
}

// needsUnquoting reports whether r, between the quotes of a JSON string, makes
// the string differ from the text between its quotes (an escape, invalid
// UTF-8) or makes it no JSON string (a quote, a control character).
func needsUnquoting(r rune) bool {
	return r == '\\' || r == '"' || r < ' ' || r == utf8.RuneError
}

// MarshalJSON writes the amount as a JSON number (as a string when its text is not
// a valid JSON number, such as "007"), or null when absent.
func (m Money) MarshalJSON() ([]byte, error) {
	if m.text == "" {
		return []byte("null"), nil
	}
	if json.Valid([]byte(m.text)) {
		return []byte(m.text), nil
	}
	return json.Marshal(m.text)
}

// UnmarshalJSON reads a JSON number, a string holding a decimal amount, or null.
// An empty string is an absent amount. As in NewMoney, an exponent beyond ±1000
// is an error.
func (m *Money) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return fmt.Errorf("retreaver: empty money value")
	}
	switch b[0] {
	case 'n':
		if string(b) != "null" {
			return fmt.Errorf("retreaver: invalid money value %s", quoteValue(string(b)))
		}
		*m = Money{}
		return nil
	case '"':
		var s string
		if len(b) >= 2 && b[len(b)-1] == '"' && bytes.IndexFunc(b[1:len(b)-1], needsUnquoting) < 0 {
			s = string(b[1 : len(b)-1]) // what json.Unmarshal would read, without its decoder
		} else if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("retreaver: invalid money value: %w", err)
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*m = Money{}
			return nil
		}
		if !isDecimal(s) {
			return fmt.Errorf("retreaver: invalid money value %s", quoteValue(s))
		}
		*m = Money{text: s}
		return nil
	}
	s := string(b)
	if !isDecimal(s) {
		return fmt.Errorf("retreaver: invalid money value %s", quoteValue(s))
	}
	*m = Money{text: s}
	return nil
}

// maxMoneyExponent bounds the exponent of an amount such as "1e3" or "1.0e-05". A
// float64 reaches only 1e308 (and 5e-324), so no amount the API writes comes near it;
// the bound keeps exact arithmetic, which writes out every digit, small.
const maxMoneyExponent = 1000

// isDecimal accepts an optional minus sign, digits, an optional fraction and an optional
// exponent of at most ±maxMoneyExponent (JSON numbers may carry one): "-0.08", "5",
// "5.0", "1e3".
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		expDigits, exp := 0, 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			exp = exp*10 + int(s[i]-'0')
			if exp > maxMoneyExponent {
				return false
			}
			i++
			expDigits++
		}
		if expDigits == 0 {
			return false
		}
	}
	return i == len(s)
}
