package retreaver

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// PBMTable is a payout bid modification table: a CSV of rules, uploaded to a
// campaign, that sets the payout of each RTB ping as a percentage of its
// revenue from the ping's attributes (caller state, revenue, its bucket, any
// tag). The first rule that matches a ping wins. See [PBMRules] for the
// format, and build the CSV with it.
//
// A table is write-once: CSVData, Salt and TableVersion are set when it is
// created and never change. Only Active does ([PBMTablesService.SetActive]).
// A campaign keeps every table uploaded to it, and at most one is active:
// activating one deactivates the one before.
type PBMTable struct {
	ID         int64 `json:"id"`
	CampaignID int64 `json:"campaign_id"`
	// TableVersion is the table's label, unique within its campaign; the
	// table's id when none was given. The API sends it as a string or a
	// number. It is a label only: every route takes the table's ID.
	TableVersion string `json:"table_version"`
	// Active is true for the campaign's one table in force.
	Active bool `json:"active"`
	// Salt makes bucket assignment verifiable: the same (salt, call_uuid)
	// always gives the same pbm_bucket.
	Salt string `json:"salt"`
	// CSVData is the rule CSV as uploaded.
	CSVData   string    `json:"csv_data"`
	CreatedAt time.Time `json:"created_at"`
}

// UnmarshalJSON reads a table, with table_version and campaign_id as a string
// or a number.
func (t *PBMTable) UnmarshalJSON(b []byte) error {
	type plain PBMTable
	var v struct {
		*plain
		CampaignID   looseID   `json:"campaign_id"`
		TableVersion looseText `json:"table_version"`
	}
	v.plain = (*plain)(t)
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	t.CampaignID = v.CampaignID.value()
	t.TableVersion = string(v.TableVersion)
	return nil
}

// PBMTableParams uploads a payout bid modification table
// ([PBMTablesService.Create]).
//
// Mind the id columns: system_affiliate_id, system_campaign_id and
// system_target_id match Retreaver's own ids (the id of every JSON answer,
// RTBInbound.AffiliateID and the like), while affiliate_id, campaign_id and
// target_id match the ids your integration chose (afid, cid, tid). The wrong
// one matches nothing, silently: rules keyed on Retreaver's ids want the
// system_ columns.
type PBMTableParams struct {
	// CSVData is the rule CSV; required. Build it with [PBMRules]. It is
	// checked before any request: at most 1 MB ([MaxPBMCSVBytes]) and
	// [MaxPBMRules] rules, a header holding rule_id and payout_pct once each,
	// every row the header's width, each payout_pct a number or "current".
	CSVData string `json:"csv_data"`
	// Active activates the table at once, deactivating the campaign's active
	// one (the API's default is false).
	Active *bool `json:"active,omitempty"`
	// Salt seeds bucket assignment; the API derives one from the company's
	// name and the date when it is nil.
	Salt *string `json:"salt,omitempty"`
	// TableVersion labels the table (unique within the campaign); the API uses
	// the table's id when it is nil.
	TableVersion *string `json:"table_version,omitempty"`
}

// Limits of a payout bid modification table's CSV, checked by
// [PBMTablesService.Create] and [PBMRules.CSV].
const (
	// MaxPBMCSVBytes is the most CSV one upload may carry: the reference says
	// 1MB, read here as 1,000,000 bytes: the stricter reading, so that the SDK never
	// sends what the API may refuse.
	MaxPBMCSVBytes = 1_000_000
	// MaxPBMRules is the most rules (rows after the header) a table may hold.
	MaxPBMRules = 1000
)

// The reserved columns of a rule CSV.
const (
	PBMRuleIDColumn    = "rule_id"    // carried through to reporting (RTBInbound.PBMRuleID)
	PBMPayoutPctColumn = "payout_pct" // the payout, as a percentage of revenue, or "current"
)

// pbmCurrent is the payout_pct that leaves the payout as it is.
const pbmCurrent = "current"

func (p *PBMTableParams) validate() error {
	if p == nil {
		return invalidArg("payout bid modification table params are nil")
	}
	if p.Salt != nil && strings.TrimSpace(*p.Salt) == "" {
		return invalidArg("salt is blank (leave it nil to let the API derive one)")
	}
	if p.TableVersion != nil && strings.TrimSpace(*p.TableVersion) == "" {
		return invalidArg("table version is blank (leave it nil to use the table's id)")
	}
	_, err := checkPBMCSV(p.CSVData)
	return err
}

// checkPBMCSV checks a rule CSV against the documented limits and returns its
// number of rules.
func checkPBMCSV(data string) (int, error) {
	if strings.TrimSpace(data) == "" {
		return 0, invalidArg("rule CSV (csv_data) is empty")
	}
	if len(data) > MaxPBMCSVBytes {
		return 0, invalidArg("rule CSV is %d bytes, more than the %d an upload may carry", len(data), MaxPBMCSVBytes)
	}
	r := csv.NewReader(strings.NewReader(data))
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return 0, invalidArg("rule CSV header does not parse: %v", err)
	}
	payout := -1
	seen := map[string]int{}
	for i, h := range head {
		if strings.TrimSpace(h) == "" {
			return 0, invalidArg("rule CSV header column %d is empty: every column is a tag key or a reserved column", i+1)
		}
		seen[h]++
		if h == PBMPayoutPctColumn {
			payout = i
		}
	}
	for _, col := range []string{PBMRuleIDColumn, PBMPayoutPctColumn} {
		if seen[col] != 1 {
			return 0, invalidArg("rule CSV header must hold %s exactly once, holds it %d times (header %q)", col, seen[col], truncateText(strings.Join(head, ","), 200))
		}
	}
	rules := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			return 0, invalidArg("rule CSV line %d has %d cells, the header %d: every row must be the header's width (write * for no constraint)", pe.StartLine, len(rec), len(head))
		}
		if err != nil {
			return 0, invalidArg("rule CSV does not parse: %v", err)
		}
		if rules++; rules > MaxPBMRules {
			return 0, invalidArg("rule CSV holds more than %d rules", MaxPBMRules)
		}
		if err := checkPayoutPct(rec[payout]); err != nil {
			return 0, invalidArg("rule CSV rule %d: %v", rules, err)
		}
	}
	if rules == 0 {
		return 0, invalidArg("rule CSV holds a header and no rule")
	}
	return rules, nil
}

// checkPayoutPct accepts a non-negative number or "current".
func checkPayoutPct(s string) error {
	s = strings.TrimSpace(s)
	if s == pbmCurrent {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f-f != 0 {
		return fmt.Errorf("payout_pct %q is neither a percentage (a number, such as 70) nor %q", truncateText(s, 40), pbmCurrent)
	}
	return nil
}

// PBMTablesService manages the payout bid modification tables of campaigns
// (api/v5/campaigns/{campaignID}/payout_bid_modification_tables). Answers are
// bare objects. Bad CSV the SDK cannot foresee (an unknown operator) comes
// back as a 422 [*APIError] whose Message holds the API's messages.
type PBMTablesService service

const pbmTableRoot = "payout_bid_modification_table"

func pbmTablesPath(campaignID int64) string {
	return "api/v5/campaigns/" + idSeg(campaignID) + "/payout_bid_modification_tables"
}

// checkPBMTable rejects an answer that is not a table.
func checkPBMTable(t *PBMTable) error {
	if t.ID <= 0 {
		return errors.New("answer has no table id")
	}
	return nil
}

// List returns every table of the campaign, the most recently uploaded first.
// The answer is one bare array; it is not paginated.
func (s *PBMTablesService) List(ctx context.Context, campaignID int64) ([]*PBMTable, error) {
	if err := requireIntID("campaign id", campaignID); err != nil {
		return nil, err
	}
	r := s.client.newRequest(http.MethodGet, pathJoin(pbmTablesPath(campaignID)), nil, nil)
	list, err := roundTrip(ctx, s.client.cfg, r, decodePBMTables, nil)
	if err != nil {
		return nil, err
	}
	return *list, nil
}

// decodePBMTables reads the bare array of tables that List is answered.
func decodePBMTables(body []byte) (*[]*PBMTable, error) {
	if b := bytes.TrimSpace(body); len(b) > 0 && b[0] != '[' {
		return nil, errors.New("answer is not an array of tables")
	}
	var list []*PBMTable
	if err := decodeValue(body, &list); err != nil {
		return nil, err
	}
	for i, t := range list {
		if t == nil {
			return nil, fmt.Errorf("table %d of the list is null", i)
		}
		if err := checkPBMTable(t); err != nil {
			return nil, fmt.Errorf("table %d of the list: %w", i, err)
		}
	}
	return &list, nil
}

// Get returns the table id of the campaign.
func (s *PBMTablesService) Get(ctx context.Context, campaignID, id int64) (*PBMTable, error) {
	if err := requireIntID("campaign id", campaignID); err != nil {
		return nil, err
	}
	if err := requireIntID("table id", id); err != nil {
		return nil, err
	}
	r := s.client.newRequest(http.MethodGet, pathJoin(pbmTablesPath(campaignID), idSeg(id)), nil, nil)
	return exchangeBare(ctx, s.client.cfg, r, checkPBMTable)
}

// Create uploads a table to the campaign. p.CSVData is checked against the
// documented limits before any request (see [PBMTableParams]); an error wraps
// ErrInvalidArgument. With p.Active true the table goes into force at once.
func (s *PBMTablesService) Create(ctx context.Context, campaignID int64, p *PBMTableParams) (*PBMTable, error) {
	if err := requireIntID("campaign id", campaignID); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	r := s.client.newRequest(http.MethodPost, pathJoin(pbmTablesPath(campaignID)), nil, map[string]any{pbmTableRoot: p})
	return exchangeBare(ctx, s.client.cfg, r, checkPBMTable)
}

// SetActive activates the table (deactivating the campaign's active one: how
// a campaign rolls forward to a new table or back to an old one), or
// deactivates it without activating another. It is the only change a table
// takes.
func (s *PBMTablesService) SetActive(ctx context.Context, campaignID, id int64, active bool) (*PBMTable, error) {
	if err := requireIntID("campaign id", campaignID); err != nil {
		return nil, err
	}
	if err := requireIntID("table id", id); err != nil {
		return nil, err
	}
	body := map[string]any{pbmTableRoot: map[string]bool{"active": active}}
	r := s.client.newRequest(http.MethodPut, pathJoin(pbmTablesPath(campaignID), idSeg(id)), nil, body)
	return exchangeBare(ctx, s.client.cfg, r, checkPBMTable)
}

// Delete removes the table for good, from the campaign's history too. To keep
// a table to roll back to, deactivate it instead (SetActive false).
func (s *PBMTablesService) Delete(ctx context.Context, campaignID, id int64) error {
	if err := requireIntID("campaign id", campaignID); err != nil {
		return err
	}
	if err := requireIntID("table id", id); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(pbmTablesPath(campaignID), idSeg(id)))
}
