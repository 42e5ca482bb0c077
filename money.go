package retreaver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Money is a decimal amount exactly as the API wrote it. The API sends amounts as
// strings ("0.08"), numbers (5.0, 0) or null; Money keeps the decimal text so that
// nothing is lost to floating point. The zero Money is an absent amount and prints
// as "".
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

// String returns the amount as the API wrote it ("0.08", "5.0"), or "" when absent.
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
			return fmt.Errorf("retreaver: invalid money value %.40q", b)
		}
		*m = Money{}
		return nil
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("retreaver: invalid money value: %w", err)
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*m = Money{}
			return nil
		}
		if !isDecimal(s) {
			return fmt.Errorf("retreaver: invalid money value %.40q", s)
		}
		*m = Money{text: s}
		return nil
	}
	s := string(b)
	if !isDecimal(s) {
		return fmt.Errorf("retreaver: invalid money value %.40q", s)
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
