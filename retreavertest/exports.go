package retreavertest

import (
	"bytes"
	"compress/gzip"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ExportRun is how long an RTB inbounds export generates. The create answer
// always says in progress, as the API's does; the export is done at the first
// status read after Polls reads have answered in progress and Duration has
// passed since it was created. The zero ExportRun is the quickest: the first
// status read answers done.
type ExportRun struct {
	// Polls is how many status reads answer in progress.
	Polls int
	// Duration is how long the export generates at least.
	Duration time.Duration
}

// DefaultExportRun is the run of a new server's exports: one status read in
// progress, the next done.
var DefaultExportRun = ExportRun{Polls: 1}

// SetExportRun sets how long the exports created from now on generate.
func (s *Server) SetExportRun(r ExportRun) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.exportRun = r
}

// exportFileTTL is how long a signed file URL stays valid.
const exportFileTTL = 15 * time.Minute

// exportFilePrefix starts the path of every export file.
const exportFilePrefix = "/export_files/"

// exportJob is an RTB inbounds export: its rows are those the filter kept
// when it was created, written then as gzipped CSV.
type exportJob struct {
	id        int64
	format    string
	createdAt time.Time
	run       ExportRun
	reads     int
	done      bool
	errors    fieldErrors // set: the export failed at once
	rows      int
	file      []byte // gzipped CSV
}

func (e *exportJob) getID() int64 { return e.id }

func (e *exportJob) fileName() string {
	return "rtb_inbounds_" + strconv.FormatInt(e.id, 10) + ".csv.gz"
}

type exportView struct {
	ID            int64     `json:"id"`
	Count         *int      `json:"export_count"`
	Progress      int       `json:"export_progress"`
	Percentage    rubyFloat `json:"export_percentage"`
	Format        string    `json:"format"`
	FileUploadURL *string   `json:"file_upload_url"`
	InProgress    bool      `json:"in_progress"`
	Errors        any       `json:"errors"`
}

func (e *exportJob) view() exportView {
	v := exportView{ID: e.id, Format: e.format, InProgress: !e.done, Errors: map[string]any{}}
	switch {
	case e.errors != nil:
		v.Errors = e.errors
	case e.done:
		v.Count, v.Progress, v.Percentage = intP(e.rows), e.rows, 100
		v.FileUploadURL = strP("/v2/reports/rtb_inbounds/" + strconv.FormatInt(e.id, 10) + "/download")
	}
	return v
}

// createExport serves POST api/v5/exports/rtb_inbounds.json: {"export":
// {"format": "csv", "params": {...}}}. Without params it answers 422. Params
// that do not select (a bad filter, no window, a window over 2 months) or a
// format other than csv make an export that has failed at once: in_progress
// false, its errors set. Otherwise the rows are chosen now and the export
// runs as SetExportRun says.
func createExport(rc *reqCtx) (int, any, error) {
	a, err := rc.attrs("export")
	if err != nil {
		return 0, nil, err
	}
	params, ok := a.m["params"].(map[string]any)
	if !ok {
		return 0, nil, errValidation(fieldErrors{"params": {"can't be blank"}})
	}
	e := &exportJob{id: rc.st.nextID("export"), format: "csv", createdAt: rc.now, run: rc.srv.exportRun}
	a.str("format", &e.format)
	if e.format == "" {
		e.format = "csv"
	}
	vals := jsonParamValues(params)
	f, ferr := parseInboundFilter(rc.st, rc.co, vals, rc.now)
	switch {
	case e.format != "csv":
		e.errors = fieldErrors{"format": {"is not included in the list"}}
	case ferr != nil:
		e.errors = fieldErrors{ferr.field: {ferr.msg}}
	case f.start == nil:
		e.errors = fieldErrors{"params": {"need created_at or created_at_start"}}
	}
	if e.errors != nil {
		e.done = true
	} else {
		rows := f.rows(rc.co, rc.now)
		e.rows = len(rows)
		e.file = inboundsCSV(rows, rc.now)
	}
	rc.co.exports.add(e)
	return http.StatusCreated, e.view(), nil
}

// getExport serves GET api/v5/exports/rtb_inbounds/{id}.json; each read of an
// export in progress counts towards its run.
func getExport(rc *reqCtx) (int, any, error) {
	e, err := lookupID(rc, &rc.co.exports)
	if err != nil {
		return 0, nil, err
	}
	if !e.done {
		e.reads++
		if e.reads > e.run.Polls && !rc.now.Before(e.createdAt.Add(e.run.Duration)) {
			e.done = true
		}
	}
	return http.StatusOK, e.view(), nil
}

// downloadExport serves GET v2/reports/rtb_inbounds/{id}/download (the
// file_upload_url, with the api_key): 302 to the file's signed URL. An export
// not done, or failed, has no file: 404.
func downloadExport(rc *reqCtx) (int, any, error) {
	e, err := lookupID(rc, &rc.co.exports)
	if err != nil {
		return 0, nil, err
	}
	if !e.done || e.errors != nil {
		return 0, nil, errNotFound()
	}
	path := exportFilePrefix + strconv.FormatInt(e.id, 10) + "/" + e.fileName()
	expires := strconv.FormatInt(rc.now.Add(exportFileTTL).Unix(), 10)
	rc.header.Set("Location", rc.srv.URL+path+"?expires="+expires+"&signature="+rc.st.signFile(path, expires))
	return http.StatusFound, nil, nil
}

// signFile signs a file path and its expiry with the server's own key.
func (st *store) signFile(path, expires string) string {
	if st.fileKey == nil {
		st.fileKey = make([]byte, 32)
		_, _ = rand.Read(st.fileKey)
	}
	m := hmac.New(sha256.New, st.fileKey)
	m.Write([]byte(path + "\n" + expires))
	return hex.EncodeToString(m.Sum(nil))
}

// serveExportFile serves GET export_files/{id}/{name}: the gzipped CSV. It
// takes no api_key (a request carrying one, or a company_id, answers 400) and
// authenticates by the signature of its URL (403 when it does not match or
// has expired).
func serveExportFile(rc *reqCtx) (int, any, error) {
	if rc.q.Has("api_key") || rc.q.Has("company_id") {
		return 0, nil, errBadRequest("this URL is signed: it takes no api_key or company_id")
	}
	path := rc.r.URL.Path
	expires := rc.q.Get("expires")
	want := rc.st.signFile(path, expires)
	if !hmac.Equal([]byte(want), []byte(rc.q.Get("signature"))) {
		return 0, nil, errStatus(http.StatusForbidden, "the signature does not match")
	}
	if exp, err := strconv.ParseInt(expires, 10, 64); err != nil || !rc.now.Before(time.Unix(exp, 0)) {
		return 0, nil, errStatus(http.StatusForbidden, "the link has expired")
	}
	id, err := rc.idVar("id")
	if err != nil {
		return 0, nil, err
	}
	for _, co := range rc.st.companies.items {
		if e, ok := co.exports.get(id); ok && e.file != nil && rc.vars["name"] == e.fileName() {
			rc.header.Set("Content-Disposition", `attachment; filename="`+e.fileName()+`"`)
			return http.StatusOK, rawBody{contentType: "application/gzip", data: e.file}, nil
		}
	}
	return 0, nil, errNotFound()
}

// ExportFileRequests returns copies of the requests that reached an export
// file's URL (the host the download redirects to), in arrival order: a test
// can check that none carried the api_key.
func (s *Server) ExportFileRequests() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if strings.HasPrefix(r.Path, exportFilePrefix) {
			out = append(out, r)
		}
	}
	return out
}

// inboundCSVHeader is the header of an export's CSV: human labels.
var inboundCSVHeader = []string{"UUID", "Call UUID", "Postback Key ID", "Caller Number", "Affiliate ID",
	"Campaign ID", "Target ID", "Revenue", "Payout", "Status", "Duplicate Order", "Duplicate Original UUID",
	"Caller State", "Caller City", "Caller Zip", "Caller Country", "Created At", "Confirmed At", "Ended At",
	"Time To Resolve", "Fired Pixels Count", "Fired Pixels Error Count", "PBM Table Version", "PBM Rule ID",
	"PBM Bucket", "PBM Variant", "PBM Original Payout", "PBM Percent Of Revenue"}

// csvTime writes a time as Rails writes one into CSV: "2026-09-01 14:02:11 UTC".
func csvTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

func csvID(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// inboundsCSV writes rows, read at now, as the gzipped CSV of an export.
func inboundsCSV(rows []*inbound, now time.Time) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	w := csv.NewWriter(gz)
	_ = w.Write(inboundCSVHeader)
	for _, in := range rows {
		v := in.at(now)
		rec := []string{v.uuid, orZeroUUID(v.callUUID), csvID(v.postbackKeyID), v.caller, csvID(v.affiliateID),
			csvID(v.campaignID), csvID(v.targetID), v.revenue.decimal(), v.payout.decimal(), v.status,
			strconv.Itoa(v.dupOrder), orZeroUUID(v.dupOriginal), v.callerState, v.callerCity, v.callerZip,
			v.callerCountry, csvTime(&v.createdAt), csvTime(v.confirmedAt), csvTime(v.endedAt),
			rubyFloatString(v.timeToResolve), strconv.Itoa(v.pixels), strconv.Itoa(v.pixelErrors), "", "", "", "", "", ""}
		if p := v.pbm; p != nil {
			pbm := rec[len(rec)-6:]
			pbm[0], pbm[3], pbm[4] = p.tableVersion, p.variant, p.originalPayout.decimal()
			if p.ruleID != nil {
				pbm[1] = strconv.FormatInt(*p.ruleID, 10)
			}
			if p.bucket != nil {
				pbm[2] = strconv.Itoa(*p.bucket)
			}
			if p.percent != nil {
				pbm[5] = rubyFloatString(*p.percent)
			}
		}
		_ = w.Write(rec)
	}
	w.Flush()
	_ = gz.Close()
	return buf.Bytes()
}

// jsonParamValues turns an export's params object into query-like values:
// each key's value, or each element of its array, as text.
func jsonParamValues(params map[string]any) map[string][]string {
	out := map[string][]string{}
	for k, v := range params {
		k = strings.TrimSuffix(k, "[]")
		items, isList := v.([]any)
		if !isList {
			items = []any{v}
		}
		for _, it := range items {
			if s, ok := scalarString(it); ok {
				out[k] = append(out[k], s)
			} else {
				out[k] = append(out[k], string(marshal(it)))
			}
		}
	}
	return out
}
