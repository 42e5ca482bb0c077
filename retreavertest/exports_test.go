package retreavertest

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// createExport POSTs an RTB inbounds export of params and returns its answer.
func (a *api) createExport(params obj) map[string]any {
	a.t.Helper()
	return a.obj(http.MethodPost, "/api/v5/exports/rtb_inbounds.json", obj{"export": obj{"format": "csv", "params": params}}, http.StatusCreated, "")
}

func (a *api) getExport(id any) map[string]any {
	a.t.Helper()
	return a.obj(http.MethodGet, idPath("/api/v5/exports/rtb_inbounds", id), nil, http.StatusOK, "")
}

// noRedirects is a client that hands back redirects instead of following them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// get sends a GET to rawURL as is and returns the answer with its body read.
func get(t *testing.T, rawURL string) (*http.Response, []byte) {
	t.Helper()
	resp, err := noRedirects.Get(rawURL)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

func gunzipCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	recs, err := csv.NewReader(gz).ReadAll()
	require.NoError(t, err)
	return recs
}

func TestExportRunsThenRedirectsToASignedFile(t *testing.T) {
	a := newAPI(t, WithDemoData())
	key := a.srv.RTBKeyFor(a.srv.CompanyID, "1001")
	r := a.reserve(obj{"key": key, "publisher_id": "0001", "caller_number": "+13015550101"}, http.StatusOK)
	a.rtb(http.MethodPut, "/rtbs/"+r["uuid"].(string)+".json", obj{"key": key, "status": "confirmed"})
	_, err := a.srv.AddRTBInbound(a.srv.CompanyID, RTBInbound{Revenue: "3", CreatedAt: time.Now().AddDate(0, 0, -20)})
	require.NoError(t, err)

	e := a.createExport(obj{"created_at": "last_7d"})
	require.Equal(t, map[string]any{"id": e["id"], "export_count": nil, "export_progress": float64(0), "export_percentage": 0.0,
		"format": "csv", "file_upload_url": nil, "in_progress": true, "errors": map[string]any{}}, e)
	require.Greater(t, num(e["id"]), int64(500))
	// The default run: one read in progress, then done. Until then, no file.
	require.Equal(t, true, a.getExport(e["id"])["in_progress"])
	resp, _ := a.raw(http.MethodGet, "/v2/reports/rtb_inbounds/"+itoa(num(e["id"]))+"/download", nil, nil)
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	done := a.getExport(e["id"])
	require.Equal(t, false, done["in_progress"])
	require.Equal(t, float64(1), done["export_count"])
	require.Equal(t, float64(1), done["export_progress"])
	require.Equal(t, 100.0, done["export_percentage"])
	fileURL := done["file_upload_url"].(string)
	require.Equal(t, "/v2/reports/rtb_inbounds/"+itoa(num(e["id"]))+"/download", fileURL)

	// The download path needs the key and answers a redirect.
	resp, _ = get(t, a.srv.URL+fileURL)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, _ = get(t, a.srv.URL+fileURL+"?api_key="+a.srv.APIKey+"&company_id="+itoa(a.srv.CompanyIDs()[1]))
	require.Equal(t, http.StatusNotFound, resp.StatusCode, "another company's export")
	resp, _ = get(t, a.srv.URL+fileURL+"?api_key="+a.srv.APIKey)
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc := resp.Header.Get("Location")
	require.NotContains(t, loc, a.srv.APIKey)
	u, err := url.Parse(loc)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(u.Path, exportFilePrefix), loc)
	require.NotEmpty(t, u.Query().Get("signature"))

	// The file needs no key, refuses one, and checks its signature.
	resp, data := get(t, loc)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", data)
	require.Equal(t, "application/gzip", resp.Header.Get("Content-Type"))
	recs := gunzipCSV(t, data)
	require.Equal(t, inboundCSVHeader, recs[0])
	require.Len(t, recs, 2)
	row := map[string]string{}
	for i, label := range recs[0] {
		row[label] = recs[1][i]
	}
	require.Equal(t, r["uuid"], row["UUID"])
	require.Equal(t, "claimed", row["Status"])
	require.NotEqual(t, zeroUUID, row["Call UUID"])
	require.Equal(t, zeroUUID, row["Duplicate Original UUID"])
	require.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$`, row["Created At"])
	require.Empty(t, row["PBM Table Version"])

	withKey := loc + "&api_key=" + a.srv.APIKey
	resp, _ = get(t, withKey)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	resp, _ = get(t, strings.Replace(loc, "signature=", "signature=0", 1))
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	resp, _ = get(t, strings.Replace(loc, "expires=", "expires=1", 1))
	require.Equal(t, http.StatusForbidden, resp.StatusCode)

	files := a.srv.ExportFileRequests()
	require.Len(t, files, 4)
	require.False(t, files[0].Query.Has("api_key"))
	require.True(t, files[1].Query.Has("api_key"), "the log shows the request that carried it")
}

func TestExportRunIsConfigurable(t *testing.T) {
	a := newAPI(t)
	a.srv.SetExportRun(ExportRun{})
	e := a.createExport(obj{"created_at": "last_7d"})
	require.Equal(t, true, e["in_progress"], "the create answer is in progress, as the API's")
	require.Equal(t, false, a.getExport(e["id"])["in_progress"], "the first read is done")
	require.Equal(t, float64(0), a.getExport(e["id"])["export_count"])

	a.srv.SetExportRun(ExportRun{Polls: 3})
	e = a.createExport(obj{"created_at": "last_7d"})
	for i := 0; i < 3; i++ {
		require.Equal(t, true, a.getExport(e["id"])["in_progress"], i)
	}
	require.Equal(t, false, a.getExport(e["id"])["in_progress"])

	a.srv.SetExportRun(ExportRun{Duration: 80 * time.Millisecond})
	e = a.createExport(obj{"created_at": "last_7d"})
	require.Equal(t, true, a.getExport(e["id"])["in_progress"])
	time.Sleep(100 * time.Millisecond)
	require.Equal(t, false, a.getExport(e["id"])["in_progress"])
}

func TestExportFiltersAsTheLog(t *testing.T) {
	a := newAPI(t, WithDemoData())
	a.srv.SetExportRun(ExportRun{})
	ids, camp1, _ := seedFilterRows(t, a)
	e := a.createExport(obj{"campaign_id": []any{camp1}, "status": "expired", "created_at_start": time.Now().AddDate(0, 0, -20).UTC().Format(time.RFC3339)})
	done := a.getExport(e["id"])
	require.Equal(t, float64(1), done["export_count"])
	resp, _ := get(t, a.srv.URL+done["file_upload_url"].(string)+"?api_key="+a.srv.APIKey)
	_, data := get(t, resp.Header.Get("Location"))
	recs := gunzipCSV(t, data)
	require.Len(t, recs, 2)
	require.Equal(t, ids["cheap"], recs[1][0])
	require.Equal(t, "10.0", recs[1][7], "revenue as the API writes decimals")
}

func TestExportFailures(t *testing.T) {
	a := newAPI(t)
	for _, tc := range []struct {
		export obj
		field  string
	}{
		{obj{"format": "xlsx", "params": obj{"created_at": "last_7d"}}, "format"},
		{obj{"params": obj{"campaign_id": []any{1}}}, "params"},
		{obj{"params": obj{"created_at": "last_90d"}}, "created_at"},
		{obj{"params": obj{"created_at": "whenever"}}, "created_at"},
		{obj{"params": obj{"created_at": "last_7d", "revenue": []any{1}}}, "revenue"},
	} {
		e := a.obj(http.MethodPost, "/api/v5/exports/rtb_inbounds.json", obj{"export": tc.export}, http.StatusCreated, "")
		require.Equal(t, false, e["in_progress"], "%v", tc.export)
		require.Nil(t, e["file_upload_url"])
		require.Contains(t, e["errors"], tc.field, "%v", tc.export)
		require.Equal(t, e, a.getExport(e["id"]))
		resp, _ := a.raw(http.MethodGet, "/v2/reports/rtb_inbounds/"+itoa(num(e["id"]))+"/download", nil, nil)
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
	}
	require.Contains(t, a.errorsOf(http.MethodPost, "/api/v5/exports/rtb_inbounds.json", obj{"export": obj{"format": "csv"}}), "params")
	a.call(http.MethodGet, "/api/v5/exports/rtb_inbounds/1.json", nil, nil, http.StatusNotFound)
	a.call(http.MethodGet, "/api/v5/exports/rtb_inbounds/x.json", nil, nil, http.StatusNotFound)
	resp, _ := get(t, a.srv.URL+"/export_files/1/rtb_inbounds_1.csv.gz")
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
}

func TestExportFileRoutesServeGzipOnly(t *testing.T) {
	a := newAPI(t)
	a.srv.SetExportRun(ExportRun{})
	e := a.createExport(obj{"created_at": "today"})
	a.getExport(e["id"])
	resp, _ := get(t, a.srv.URL+"/v2/reports/rtb_inbounds/"+itoa(num(e["id"]))+"/download?api_key="+a.srv.APIKey)
	loc := resp.Header.Get("Location")
	resp, data := get(t, loc)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, [][]string{inboundCSVHeader}, gunzipCSV(t, data), "no rows: a header")
	// Another export's name under this signature does not match.
	resp, _ = get(t, strings.Replace(loc, "rtb_inbounds_", "rtb_inbounds_9", 1))
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
}
