package retreaver

import (
	"encoding/csv"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// PBMRules builds the rule CSV of a payout bid modification table
// ([PBMTableParams].CSVData). Name the tag-key columns, then add rules in the
// order they are tried (the first rule that matches a ping wins):
//
//	csv, err := retreaver.NewPBMRules("caller_state", "pbm_bucket", "pbm_bucket").
//		Rule(1, retreaver.PBMPercent(70), retreaver.PBMOneOf("CO", "NY", "TX")).
//		Rule(2, retreaver.PBMPercent(60), retreaver.PBMAny, retreaver.PBMGe("5000"), retreaver.PBMLt("7500")).
//		Rule(3, retreaver.PBMCurrent).
//		CSV()
//
// makes the reference's example:
//
//	rule_id,caller_state,pbm_bucket,pbm_bucket,payout_pct
//	1,=~^(CO|NY|TX)$,*,*,70
//	2,*,>=5000,<7500,60
//	3,*,*,*,current
//
// A column is any Retreaver tag key, used as is: caller_state, sub_id,
// revenue, system_affiliate_id, or pbm_bucket, the ping's deterministic bucket
// from 0 to 9999 for percentage splits. A key may be several columns: their
// conditions all apply, which is how a range is written (pbm_bucket twice,
// >=5000 and <7500). Each cell is a condition in the tag-condition shorthand
// without its key: a plain value is equality, an operator prefix says
// otherwise (!=CA, >=5000, =~^(CO|NY)$), and * is no condition. A rule given
// fewer cells than there are columns has no condition on the rest; an empty
// cell is * too.
//
// Mind the id columns: system_affiliate_id, system_campaign_id and
// system_target_id match Retreaver's own ids (the id in every JSON answer),
// while affiliate_id, campaign_id and target_id match the ids your
// integration chose (afid, cid, tid). The wrong one silently matches nothing;
// rules on Retreaver's ids need the system_ columns.
//
// Mistakes (a reserved or empty column, too many cells, a line break in a
// column or a cell, a negative percentage) are kept and returned by CSV, which also checks the table's
// limits: at most [MaxPBMRules] rules and [MaxPBMCSVBytes] bytes.
type PBMRules struct {
	columns []string
	rows    [][]string
	err     error
}

// NewPBMRules starts a rule CSV whose condition columns are columns, in that
// order, between rule_id and payout_pct.
func NewPBMRules(columns ...string) *PBMRules {
	r := &PBMRules{columns: append([]string(nil), columns...)}
	for i, c := range columns {
		switch {
		case strings.TrimSpace(c) == "":
			r.fail("column %d is empty", i+1)
		case c == PBMRuleIDColumn || c == PBMPayoutPctColumn:
			r.fail("column %q is reserved: the builder writes it itself", c)
		case strings.ContainsAny(c, "\r\n"):
			r.fail("column %q holds a line break", c)
		}
	}
	return r
}

func (r *PBMRules) fail(format string, args ...any) {
	if r.err == nil {
		r.err = invalidArg("payout bid modification rules: "+format, args...)
	}
}

// PBMPayout is the payout of a rule: a percentage of the ping's revenue
// ([PBMPercent]) or the payout left as it is ([PBMCurrent]).
type PBMPayout struct{ text string }

// PBMPercent pays pct percent of the ping's revenue (payout_pct, such as 70).
func PBMPercent(pct float64) PBMPayout {
	if pct < 0 || math.IsNaN(pct) || math.IsInf(pct, 0) {
		return PBMPayout{text: "invalid:" + strconv.FormatFloat(pct, 'g', -1, 64)}
	}
	return PBMPayout{text: strconv.FormatFloat(pct, 'f', -1, 64)}
}

// PBMCurrent leaves the payout as it is (payout_pct "current").
var PBMCurrent = PBMPayout{text: pbmCurrent}

// String returns the payout_pct cell.
func (p PBMPayout) String() string { return p.text }

// Rule adds a rule: its rule_id (reported back as RTBInbound.PBMRuleID), its
// payout, and one condition per column, in the columns' order.
func (r *PBMRules) Rule(ruleID int64, payout PBMPayout, cells ...string) *PBMRules {
	if len(cells) > len(r.columns) {
		r.fail("rule %d has %d conditions for %d columns", ruleID, len(cells), len(r.columns))
		return r
	}
	if err := checkPayoutPct(payout.text); err != nil {
		r.fail("rule %d: payout %q is neither a non-negative percentage nor PBMCurrent", ruleID, payout.text)
		return r
	}
	row := make([]string, 0, len(r.columns)+2)
	row = append(row, strconv.FormatInt(ruleID, 10))
	for i := range r.columns {
		cell := PBMAny
		if i < len(cells) && cells[i] != "" {
			cell = cells[i]
		}
		if strings.ContainsAny(cell, "\r\n") {
			r.fail("rule %d: condition %q holds a line break", ruleID, cell)
			return r
		}
		row = append(row, cell)
	}
	r.rows = append(r.rows, append(row, payout.text))
	return r
}

// Len returns the number of rules added.
func (r *PBMRules) Len() int { return len(r.rows) }

// CSV returns the rule CSV, or the first mistake made building it.
func (r *PBMRules) CSV() (string, error) {
	if r.err != nil {
		return "", r.err
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	header := append(append([]string{PBMRuleIDColumn}, r.columns...), PBMPayoutPctColumn)
	if err := w.Write(header); err != nil {
		return "", invalidArg("payout bid modification rules: %v", err)
	}
	if err := w.WriteAll(r.rows); err != nil {
		return "", invalidArg("payout bid modification rules: %v", err)
	}
	out := b.String()
	if _, err := checkPBMCSV(out); err != nil {
		return "", err
	}
	return out, nil
}

// PBMAny is the cell of no condition.
const PBMAny = "*"

// pbmOperators are the prefixes that make a cell more than a plain value.
var pbmOperators = []string{"=~", "!=", ">=", "<=", ">", "<", "=", "!", "*"}

// PBMEq is the condition "equals v". A v that would read as an operator
// (such as "!x" or ">5") or that is empty is written as an exact regular
// expression match instead.
func PBMEq(v string) string {
	if v == "" || strings.TrimSpace(v) != v {
		return PBMOneOf(v)
	}
	for _, op := range pbmOperators {
		if strings.HasPrefix(v, op) {
			return PBMOneOf(v)
		}
	}
	return v
}

// PBMNe is the condition "differs from v" (!=v).
func PBMNe(v string) string { return "!=" + v }

// PBMGt is the condition "greater than v" (>v).
func PBMGt(v string) string { return ">" + v }

// PBMGe is the condition "at least v" (>=v).
func PBMGe(v string) string { return ">=" + v }

// PBMLt is the condition "less than v" (<v).
func PBMLt(v string) string { return "<" + v }

// PBMLe is the condition "at most v" (<=v).
func PBMLe(v string) string { return "<=" + v }

// PBMMatch is the condition "matches the regular expression re" (=~re).
func PBMMatch(re string) string { return "=~" + re }

// PBMOneOf is the condition "equals one of values", as a regular expression
// that matches exactly those values: PBMOneOf("CO", "NY") is =~^(CO|NY)$.
func PBMOneOf(values ...string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = regexp.QuoteMeta(v)
	}
	return "=~^(" + strings.Join(quoted, "|") + ")$"
}
