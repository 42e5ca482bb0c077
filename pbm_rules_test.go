package retreaver

import (
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPBMRulesBuildTheReferenceTable(t *testing.T) {
	csv, err := NewPBMRules("caller_state", "pbm_bucket", "pbm_bucket").
		Rule(1, PBMPercent(70), PBMOneOf("CO", "NY", "TX")).
		Rule(2, PBMPercent(60), PBMAny, PBMGe("5000"), PBMLt("7500")).
		Rule(3, PBMCurrent).
		CSV()
	require.NoError(t, err)
	require.Equal(t, fixture(t, "pbm_rules.csv"), csv)
	require.Equal(t, referenceRules, csv)
}

func TestPBMRulesCells(t *testing.T) {
	require.Equal(t, "CO", PBMEq("CO"))
	require.Equal(t, "!=CA", PBMNe("CA"))
	require.Equal(t, ">5", PBMGt("5"))
	require.Equal(t, ">=5", PBMGe("5"))
	require.Equal(t, "<5", PBMLt("5"))
	require.Equal(t, "<=5", PBMLe("5"))
	require.Equal(t, "=~^a.*$", PBMMatch("^a.*$"))
	require.Equal(t, "=~^(a\\.b|c\\|d)$", PBMOneOf("a.b", "c|d"))
	for _, v := range []string{"!x", ">5", "<5", "=x", "=~x", "*", "", " padded"} {
		cell := PBMEq(v)
		require.True(t, strings.HasPrefix(cell, "=~^("), "PBMEq(%q) = %q must not read as an operator", v, cell)
		require.True(t, regexp.MustCompile(strings.TrimPrefix(cell, "=~")).MatchString(v), "PBMEq(%q) matches %q", v, v)
	}
}

func TestPBMRulesPadQuoteAndCheck(t *testing.T) {
	csv, err := NewPBMRules("caller_state", "sub_id").
		Rule(7, PBMPercent(62.5), "", "a,\"b\"").
		Rule(8, PBMPercent(0)).
		CSV()
	require.NoError(t, err)
	require.Equal(t, "rule_id,caller_state,sub_id,payout_pct\n7,*,\"a,\"\"b\"\"\",62.5\n8,*,*,0\n", csv)

	for name, r := range map[string]*PBMRules{
		"reserved column":   NewPBMRules("payout_pct").Rule(1, PBMCurrent),
		"rule_id column":    NewPBMRules("rule_id").Rule(1, PBMCurrent),
		"empty column":      NewPBMRules("caller_state", " ").Rule(1, PBMCurrent),
		"too many cells":    NewPBMRules("caller_state").Rule(1, PBMCurrent, "CO", "TX"),
		"column break":      NewPBMRules("caller\r\nstate").Rule(1, PBMCurrent),
		"cell break":        NewPBMRules("caller_state").Rule(1, PBMCurrent, "CO\nTX"),
		"negative payout":   NewPBMRules("caller_state").Rule(1, PBMPercent(-1)),
		"NaN payout":        NewPBMRules("caller_state").Rule(1, PBMPercent(math.NaN())),
		"zero-value payout": NewPBMRules("caller_state").Rule(1, PBMPayout{}),
		"no rules":          NewPBMRules("caller_state"),
		"too many rules":    manyRules(MaxPBMRules + 1),
	} {
		_, err := r.CSV()
		require.ErrorIs(t, err, ErrInvalidArgument, name)
	}
	r := manyRules(MaxPBMRules)
	require.Equal(t, MaxPBMRules, r.Len())
	_, err = r.CSV()
	require.NoError(t, err)
}

func manyRules(n int) *PBMRules {
	r := NewPBMRules("pbm_bucket", "pbm_bucket")
	for i := 0; i < n; i++ {
		r.Rule(int64(i+1), PBMPercent(50), PBMGe("0"), PBMLt("10000"))
	}
	return r
}

func TestPBMPayoutString(t *testing.T) {
	require.Equal(t, "70", PBMPercent(70).String())
	require.Equal(t, "12.25", PBMPercent(12.25).String())
	require.Equal(t, "current", PBMCurrent.String())
}
