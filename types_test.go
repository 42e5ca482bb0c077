package retreaver

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

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
