package retreavertest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Limits of a payout bid modification table's CSV: "1MB" is read as 1,000,000 bytes.
const (
	maxPBMCSVBytes = 1_000_000
	maxPBMRules    = 1000
)

// pbmRule is one row of a rule CSV: conditions that must all hold, and the
// payout_pct applied when they do (nil: "current", the payout unchanged).
type pbmRule struct {
	id    int64
	conds []pbmCond
	pct   *float64
}

// pbmCond is one cell: the column's key, an operator and its operand.
type pbmCond struct {
	key, op, value string
	num            float64        // the operand of <, <=, >, >=
	re             *regexp.Regexp // the operand of =~ and !~
}

// pbmOperatorChars are the characters an operator is made of; a cell that
// starts with them must start with a known operator.
const pbmOperatorChars = "=!<>~"

var pbmKnownOperators = map[string]bool{"=~": true, "!~": true, "!=": true, ">=": true, "<=": true, ">": true, "<": true, "=": true}

// parsePBMRules reads a rule CSV. Its error says what does not parse, for
// the API's message "Csv data could not be parsed into rules (...)".
func parsePBMRules(data string) ([]pbmRule, error) {
	fail := fmt.Errorf
	if len(data) > maxPBMCSVBytes {
		return nil, fail("%d bytes, over the 1MB limit", len(data))
	}
	r := csv.NewReader(strings.NewReader(data))
	head, err := r.Read()
	if err != nil {
		return nil, fail("header: %v", err)
	}
	ruleCol, pctCol := -1, -1
	for i, h := range head {
		switch strings.TrimSpace(h) {
		case "":
			return nil, fail("column %d has no name", i+1)
		case "rule_id":
			if ruleCol >= 0 {
				return nil, fail("rule_id appears twice")
			}
			ruleCol = i
		case "payout_pct":
			if pctCol >= 0 {
				return nil, fail("payout_pct appears twice")
			}
			pctCol = i
		}
	}
	if ruleCol < 0 || pctCol < 0 {
		return nil, fail("the header needs the columns rule_id and payout_pct")
	}
	var rules []pbmRule
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fail("%v", err)
		}
		if len(rules) == maxPBMRules {
			return nil, fail("more than %d rules", maxPBMRules)
		}
		rule, err := parsePBMRule(head, rec, ruleCol, pctCol)
		if err != nil {
			return nil, fail("line %d: %v", line, err)
		}
		rules = append(rules, rule)
	}
	if len(rules) == 0 {
		return nil, fail("no rules")
	}
	return rules, nil
}

func parsePBMRule(head, rec []string, ruleCol, pctCol int) (pbmRule, error) {
	var rule pbmRule
	id, err := strconv.ParseInt(strings.TrimSpace(rec[ruleCol]), 10, 64)
	if err != nil {
		return rule, fmt.Errorf("rule_id %q is not an integer", rec[ruleCol])
	}
	rule.id = id
	if pct := strings.TrimSpace(rec[pctCol]); pct != "current" {
		f, err := strconv.ParseFloat(pct, 64)
		if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return rule, fmt.Errorf("payout_pct %q is neither a percentage nor current", pct)
		}
		rule.pct = &f
	}
	for i, cell := range rec {
		if i == ruleCol || i == pctCol {
			continue
		}
		cond, ok, err := parsePBMCond(strings.TrimSpace(head[i]), strings.TrimSpace(cell))
		if err != nil {
			return rule, fmt.Errorf("column %s: %v", head[i], err)
		}
		if ok {
			rule.conds = append(rule.conds, cond)
		}
	}
	return rule, nil
}

// parsePBMCond reads one cell; ok is false for "*" and an empty cell (no
// condition).
func parsePBMCond(key, cell string) (c pbmCond, ok bool, err error) {
	if cell == "" || cell == "*" {
		return c, false, nil
	}
	n := 0
	for n < len(cell) && strings.IndexByte(pbmOperatorChars, cell[n]) >= 0 {
		n++
	}
	op, value := cell[:n], cell[n:]
	switch {
	case op == "":
		op = "="
	case !pbmKnownOperators[op]:
		return c, false, fmt.Errorf("unknown operator %q", op)
	}
	c = pbmCond{key: key, op: op, value: value}
	switch op {
	case "=~", "!~":
		if c.re, err = regexp.Compile(value); err != nil {
			return c, false, fmt.Errorf("bad regular expression %q", value)
		}
	case "<", "<=", ">", ">=":
		if c.num, err = strconv.ParseFloat(value, 64); err != nil {
			return c, false, fmt.Errorf("%s needs a number, not %q", op, value)
		}
	}
	return c, true, nil
}

// holds reports whether the condition holds for a ping's values. A key the
// ping has no value for holds only for != and !~.
func (c pbmCond) holds(values map[string]string) bool {
	v, ok := values[c.key]
	if !ok {
		return c.op == "!=" || c.op == "!~"
	}
	switch c.op {
	case "=", "!=":
		eq := v == c.value
		if a, errA := strconv.ParseFloat(v, 64); errA == nil {
			if b, errB := strconv.ParseFloat(c.value, 64); errB == nil {
				eq = a == b
			}
		}
		return eq == (c.op == "=")
	case "=~":
		return c.re.MatchString(v)
	case "!~":
		return !c.re.MatchString(v)
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return false
	}
	switch c.op {
	case "<":
		return n < c.num
	case "<=":
		return n <= c.num
	case ">":
		return n > c.num
	}
	return n >= c.num
}

// pbmBucket is the fake's deterministic bucket of a ping, 0 to 9999: the
// first 8 bytes of SHA-256 of the salt, ":" and the ping's uuid, as a
// big-endian integer, modulo 10000.
func pbmBucket(salt, uuid string) int {
	sum := sha256.Sum256([]byte(salt + ":" + uuid))
	return int(binary.BigEndian.Uint64(sum[:8]) % 10000)
}

// apply runs the table on a ping (the row in, not yet logged, of campaign
// camp, which may be nil) and returns the outcome and the payout: the first
// rule whose conditions all hold sets the payout to its payout_pct of the
// revenue ("treatment"), or leaves it ("control", for current). No rule
// matching leaves it too.
func (t *pbmTable) apply(co *company, camp *campaign, in *inbound, tags map[string]string) (*pbmOutcome, cents) {
	bucket := pbmBucket(t.salt, in.uuid)
	values := map[string]string{}
	for k, v := range tags {
		values[k] = v
	}
	values["caller_number"] = in.caller
	for k, v := range map[string]string{"caller_state": in.callerState, "caller_city": in.callerCity,
		"caller_zip": in.callerZip, "caller_country": in.callerCountry} {
		if v != "" {
			values[k] = v
		}
	}
	values["revenue"] = in.revenue.decimal()
	values["pbm_bucket"] = strconv.Itoa(bucket)
	if camp != nil {
		values["system_campaign_id"], values["campaign_id"] = strconv.FormatInt(camp.id, 10), camp.cid
	}
	if a, ok := co.affiliates.get(in.affiliateID); ok {
		values["system_affiliate_id"], values["affiliate_id"] = strconv.FormatInt(a.id, 10), a.afid
	}
	if tg, ok := co.targets.get(in.targetID); ok {
		values["system_target_id"] = strconv.FormatInt(tg.id, 10)
		if tg.tid != nil {
			values["target_id"] = *tg.tid
		}
	}
	out := &pbmOutcome{tableVersion: t.versionText(), bucket: &bucket, originalPayout: in.payout}
	for _, rule := range t.rules {
		if !rule.matches(values) {
			continue
		}
		out.ruleID = int64P(rule.id)
		if rule.pct == nil {
			out.variant = "control"
			return out, in.payout
		}
		out.variant, out.percent = "treatment", rule.pct
		return out, cents(math.Round(float64(in.revenue) * *rule.pct / 100))
	}
	return out, in.payout
}

func (r pbmRule) matches(values map[string]string) bool {
	for _, c := range r.conds {
		if !c.holds(values) {
			return false
		}
	}
	return true
}
