package retreavertest

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// pbmTable is a campaign's payout bid modification table: write-once but for
// active.
type pbmTable struct {
	id, campaignID int64
	version        string // "" until created: then the table's id, as a number
	active         bool
	salt, csv      string
	createdAt      time.Time
	rules          []pbmRule
}

func (t *pbmTable) getID() int64 { return t.id }

// versionText is table_version as text (pbm_table_version in the log).
func (t *pbmTable) versionText() string {
	if t.version == "" {
		return strconv.FormatInt(t.id, 10)
	}
	return t.version
}

type pbmTableView struct {
	ID           int64     `json:"id"`
	CampaignID   int64     `json:"campaign_id"`
	TableVersion any       `json:"table_version"`
	Active       bool      `json:"active"`
	Salt         string    `json:"salt"`
	CSVData      string    `json:"csv_data"`
	CreatedAt    jsTimeSec `json:"created_at"`
}

// view renders a table bare, table_version a number when it is the table's
// id (as in the reference's examples), the label given otherwise.
func (t *pbmTable) view() pbmTableView {
	var version any = t.id
	if t.version != "" {
		version = t.version
	}
	return pbmTableView{ID: t.id, CampaignID: t.campaignID, TableVersion: version, Active: t.active, Salt: t.salt,
		CSVData: t.csv, CreatedAt: jsTimeSec(t.createdAt)}
}

// activePBMTable returns the campaign's active table, or nil.
func (co *company) activePBMTable(campaignID int64) *pbmTable {
	t, _ := co.pbmTables.find(func(t *pbmTable) bool { return t.campaignID == campaignID && t.active })
	return t
}

// activate makes t the campaign's one active table.
func (co *company) activate(t *pbmTable) {
	for _, other := range co.pbmTables.items {
		if other.campaignID == t.campaignID {
			other.active = false
		}
	}
	t.active = true
}

// errMessages is the 422 answer {"errors": ["message", ...]} of the payout
// bid modification tables.
func errMessages(msgs ...string) error {
	return &apiError{status: http.StatusUnprocessableEntity, body: map[string]any{"errors": msgs}}
}

// messages turns field errors into sentences: {"active": ["is invalid"]}
// becomes "Active is invalid".
func messages(fe fieldErrors) []string {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		for _, m := range fe[k] {
			out = append(out, humanField(k)+" "+m)
		}
	}
	return out
}

// humanField names a field as Rails' messages do: "csv_data" is "Csv data".
func humanField(k string) string {
	k = strings.ReplaceAll(k, "_", " ")
	return strings.ToUpper(k[:1]) + k[1:]
}

// pbmCampaign resolves {campaign_id} to a campaign of the company.
func pbmCampaign(rc *reqCtx) (*campaign, error) {
	return lookupVar(rc, &rc.co.campaigns, "campaign_id")
}

// pbmTableOf resolves {campaign_id} and {id} to a table of the campaign.
func pbmTableOf(rc *reqCtx) (*pbmTable, error) {
	camp, err := pbmCampaign(rc)
	if err != nil {
		return nil, err
	}
	t, err := lookupID(rc, &rc.co.pbmTables)
	if err != nil {
		return nil, err
	}
	if t.campaignID != camp.id {
		return nil, errNotFound()
	}
	return t, nil
}

// listPBMTables serves GET: the campaign's tables, a bare array, the most
// recently uploaded first.
func listPBMTables(rc *reqCtx) (int, any, error) {
	camp, err := pbmCampaign(rc)
	if err != nil {
		return 0, nil, err
	}
	out := []pbmTableView{}
	for i := len(rc.co.pbmTables.items) - 1; i >= 0; i-- {
		if t := rc.co.pbmTables.items[i]; t.campaignID == camp.id {
			out = append(out, t.view())
		}
	}
	return http.StatusOK, out, nil
}

func getPBMTable(rc *reqCtx) (int, any, error) {
	t, err := pbmTableOf(rc)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, t.view(), nil
}

// createPBMTable serves POST: csv_data (required, parsed into rules), active
// (default false), salt (default derived from the company's name and the
// date), table_version (default the id; unique in the campaign).
func createPBMTable(rc *reqCtx) (int, any, error) {
	camp, err := pbmCampaign(rc)
	if err != nil {
		return 0, nil, err
	}
	a, err := rc.attrs("payout_bid_modification_table")
	if err != nil {
		return 0, nil, err
	}
	t := &pbmTable{campaignID: camp.id, createdAt: rc.now}
	a.str("csv_data", &t.csv)
	a.str("salt", &t.salt)
	a.str("table_version", &t.version)
	var active bool
	a.bool("active", &active)
	if len(a.errs) > 0 {
		return 0, nil, errMessages(messages(a.errs)...)
	}
	if strings.TrimSpace(t.csv) == "" {
		return 0, nil, errMessages("Csv data can't be blank")
	}
	if t.rules, err = parsePBMRules(t.csv); err != nil {
		return 0, nil, errMessages("Csv data could not be parsed into rules (" + err.Error() + ")")
	}
	if t.version != "" {
		if _, taken := rc.co.pbmTables.find(func(o *pbmTable) bool {
			return o.campaignID == camp.id && o.versionText() == t.version
		}); taken {
			return 0, nil, errMessages("Table version has already been taken")
		}
	}
	if strings.TrimSpace(t.salt) == "" {
		t.salt = defaultSalt(rc.co.name, rc.now)
	}
	t.id = rc.st.nextID("pbm_table")
	rc.co.pbmTables.add(t)
	if active {
		rc.co.activate(t)
	}
	return http.StatusCreated, t.view(), nil
}

// defaultSalt derives a salt from a company's name and a date:
// "acme_inc_2026-09-15".
func defaultSalt(company string, at time.Time) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(company) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			gap = false
		} else {
			gap = true
		}
	}
	return b.String() + "_" + at.Format("2006-01-02")
}

// updatePBMTable serves PUT and PATCH: active (required) is all that
// changes. csv_data, salt or table_version given with another value than the
// table's answers 422, and nothing changes.
func updatePBMTable(rc *reqCtx) (int, any, error) {
	t, err := pbmTableOf(rc)
	if err != nil {
		return 0, nil, err
	}
	a, err := rc.attrs("payout_bid_modification_table")
	if err != nil {
		return 0, nil, err
	}
	var msgs []string
	for _, f := range []struct{ key, have string }{{"csv_data", t.csv}, {"salt", t.salt}, {"table_version", t.versionText()}} {
		var v string
		if a.str(f.key, &v) && v != f.have {
			msgs = append(msgs, humanField(f.key)+" can only be set when the table is created")
		}
	}
	var active bool
	if !a.bool("active", &active) && len(a.errs) == 0 {
		msgs = append(msgs, "Active can't be blank")
	}
	if msgs = append(messages(a.errs), msgs...); len(msgs) > 0 {
		return 0, nil, errMessages(msgs...)
	}
	if active {
		rc.co.activate(t)
	} else {
		t.active = false
	}
	return http.StatusOK, t.view(), nil
}

// deletePBMTable serves DELETE: 200 with an empty body.
func deletePBMTable(rc *reqCtx) (int, any, error) {
	t, err := pbmTableOf(rc)
	if err != nil {
		return 0, nil, err
	}
	rc.co.pbmTables.remove(t.id)
	return http.StatusOK, nil, nil
}
