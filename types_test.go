package retreaver

import (
	"encoding/json"
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

func TestTagListEncoding(t *testing.T) {
	s, err := encodeTagList(nil)
	require.NoError(t, err)
	require.Nil(t, s, "nil leaves the tags alone")

	s, err = encodeTagList([]Tag{})
	require.NoError(t, err)
	require.Equal(t, "", *s, "an empty list clears them")

	s, err = encodeTagList([]Tag{{"calling_about", "support"}, {"calling_about", "other"}})
	require.NoError(t, err)
	require.Equal(t, "<<<calling_about:support>>>,<<<calling_about:other>>>", *s, "the reference's example")

	s, err = encodeTagList([]Tag{{"geo", "301,us,us-28379"}, {"url", "https://x.test/a:b"}, {"empty", ""}})
	require.NoError(t, err)
	require.Equal(t, "<<<geo:301,us,us-28379>>>,<<<url:https://x.test/a:b>>>,<<<empty:>>>", *s)

	hundred := make([]Tag, MaxTags)
	for i := range hundred {
		hundred[i] = Tag{"k", "v"}
	}
	_, err = encodeTagList(hundred)
	require.NoError(t, err)

	for name, tags := range map[string][]Tag{
		"101 tags":      append(hundred, Tag{"k", "v"}),
		"empty key":     {{"", "v"}},
		"colon in key":  {{"a:b", "v"}},
		"<<< in value":  {{"k", "a<<<b"}},
		">>> in key":    {{"k>>>", "v"}},
		"> at the end":  {{"k", "v>"}},
		"< at start":    {{"<k", "v"}},
		"value ends >>": {{"k", "x>>"}},
	} {
		_, err := encodeTagList(tags)
		require.ErrorIs(t, err, ErrInvalidArgument, name)
	}
}

func TestParseTagList(t *testing.T) {
	tags, err := ParseTagList("<<<calling_about:support>>>,<<<calling_about:other>>>")
	require.NoError(t, err)
	require.Equal(t, []Tag{{"calling_about", "support"}, {"calling_about", "other"}}, tags)
	tags, err = ParseTagList("")
	require.NoError(t, err)
	require.Empty(t, tags)
	for _, bad := range []string{"x", "<<<a:b>>>x", "<<<a:b", "<<<nocolon>>>", "<<<:v>>>", "<<<a:b>>>,", "<<<a:b>>> ,<<<c:d>>>"} {
		_, err := ParseTagList(bad)
		require.ErrorIs(t, err, ErrInvalidArgument, bad)
	}
}

func FuzzTagListRoundTrip(f *testing.F) {
	f.Add("calling_about", "support", "geo", "301,us")
	f.Add("k", "", "a", "b:c")
	f.Add("<", ">", ">>>", "<<<")
	f.Add("k", "v>", "x", "<y")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		in := []Tag{{k1, v1}, {k2, v2}}
		s, err := encodeTagList(in)
		if err != nil {
			if !strings.Contains(err.Error(), "invalid argument") {
				t.Fatalf("rejection is not ErrInvalidArgument: %v", err)
			}
			return
		}
		out, err := ParseTagList(*s)
		if err != nil {
			t.Fatalf("encoded %q does not parse: %v", *s, err)
		}
		if len(out) != 2 || out[0] != in[0] || out[1] != in[1] {
			t.Fatalf("round trip of %q gave %q via %q", in, out, *s)
		}
	})
}

func TestCapTypes(t *testing.T) {
	require.Equal(t, "hard_cap_attributes", CapHard.attributesKey())
	require.Equal(t, "hourly_cap_attributes", CapHourly.attributesKey())
	require.Equal(t, "daily_cap_attributes", CapDaily.attributesKey())
	require.Equal(t, "monthly_cap_attributes", CapMonthly.attributesKey())
	require.Equal(t, "", CapType("weekly").attributesKey())
}
