package retreaver

import (
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"testing"
)

// FuzzRTBInboundReader reads any CSV as an export: never a panic, every cell
// of a row either in a field or in Extra, and errors that stay.
func FuzzRTBInboundReader(f *testing.F) {
	for _, s := range []string{
		"Call UUID,UUID,Status,Revenue,Created At\n00000000-0000-0000-0000-000000000000,u,claimed,$1.50,2026-09-01 14:02:11 UTC\n",
		"\ufeffPublisher ID,Source ID,Note\n12,x,\"a,b\"\n",
		"Status\n\"unterminated\n", "", "a,a,a\n1,2,3\n4,5\n", "PBM Bucket,PBM Rule ID\n1.5,9e99\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := NewRTBInboundReader(strings.NewReader(s))
		if err != nil {
			return
		}
		width := len(r.Header())
		for i := 0; i < 1000; i++ {
			row, err := r.Read()
			if err != nil {
				if _, again := r.Read(); !errors.Is(again, err) && again != err {
					t.Fatalf("error %v, then %v", err, again)
				}
				return
			}
			if len(row.Extra) > width {
				t.Fatalf("%d extra cells for %d columns", len(row.Extra), width)
			}
		}
	})
}

// FuzzPBMRules builds a table from any cells: CSV either fails with
// ErrInvalidArgument or gives a table that Create accepts and that parses back
// to the same cells.
func FuzzPBMRules(f *testing.F) {
	f.Add("caller_state", "=~^(CO|NY)$", 70.0, int64(1))
	f.Add("pbm_bucket", ">=5000", 0.0, int64(-2))
	f.Add("sub,id", "a\"b\nc", 12.5, int64(3))
	f.Add("rule_id", "", -1.0, int64(4))
	f.Fuzz(func(t *testing.T, column, cell string, pct float64, id int64) {
		out, err := NewPBMRules(column, column).Rule(id, PBMPercent(pct), cell, PBMEq(cell)).Rule(id+1, PBMCurrent).CSV()
		if err != nil {
			if !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("CSV failed with %v", err)
			}
			return
		}
		if _, err := checkPBMCSV(out); err != nil {
			t.Fatalf("built table %q refused: %v", out, err)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(recs) != 3 {
			t.Fatalf("built table %q reads as %q, %v", out, recs, err)
		}
		if !slices.Equal(recs[0], []string{PBMRuleIDColumn, column, column, PBMPayoutPctColumn}) {
			t.Fatalf("header %q", recs[0])
		}
		want := cell
		if want == "" {
			want = PBMAny
		}
		if recs[1][1] != want || recs[2][1] != PBMAny {
			t.Fatalf("cells %q for %q", recs[1], cell)
		}
	})
}
