package retreaver

import (
	"encoding/json"
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
	for _, s := range []string{`"0.08"`, `5.0`, `null`, `""`, `"abc"`, `-0`, `1e309`, `"1e-5"`, `{"x":1}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
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
	})
}
