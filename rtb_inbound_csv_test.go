package retreaver

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRTBInboundReaderReadsTheReferenceRowByItsLabels(t *testing.T) {
	r, err := NewRTBInboundReader(strings.NewReader(fixture(t, "rtb_inbounds_export_documented.csv")))
	require.NoError(t, err)
	require.Equal(t, "Call UUID", r.Header()[0])
	row, err := r.Read()
	require.NoError(t, err)
	require.Equal(t, referenceRTBInbound(), row, "the CSV row reads as the JSON example does")
	_, err = r.Read()
	require.Equal(t, io.EOF, err)
}

func TestEveryRTBInboundFieldHasACSVColumn(t *testing.T) {
	rt := reflect.TypeFor[RTBInbound]()
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		c, ok := rtbInboundLabels[labelKey(name)]
		require.True(t, ok, "no column reads %s", name)
		require.Equal(t, labelKey(name), labelKey(rtbInboundColumns[c].label), "the label of %s is its JSON name in words", name)
	}
	require.Len(t, rtbInboundColumns, rt.NumField()-1)
}

func TestRTBInboundReaderKnowsTheInterfacesNames(t *testing.T) {
	csvText := "\ufeffRTB Inbound UUID,call_uuid,Publisher ID,Buyer ID,Revenue ($),Payout,Caller Zip Code,Time To Resolve (s),PBM % of Revenue,Created At,Confirmed At,Duplicate Original UUID\n" +
		`u1,00000000-0000-0000-0000-000000000000,789,321,"$1,234.50",,02134,0.5,62.5%,2026-09-01 14:02:11 UTC,,` + "\n"
	r, err := NewRTBInboundReader(strings.NewReader(csvText))
	require.NoError(t, err)
	require.Equal(t, "RTB Inbound UUID", r.Header()[0], "the byte order mark is not part of the label")
	row, err := r.Read()
	require.NoError(t, err)
	require.Equal(t, &RTBInbound{
		UUID:                "u1",
		AffiliateID:         789,
		TargetID:            321,
		Revenue:             MustMoney("1234.50"),
		CallerZip:           "02134",
		TimeToResolve:       0.5,
		PBMPercentOfRevenue: Ptr(62.5),
		CreatedAt:           time.Date(2026, 9, 1, 14, 2, 11, 0, time.UTC),
	}, row)
}

func TestRTBInboundReaderKeepsEveryOtherCell(t *testing.T) {
	csvText := "Status,Source ID,Publisher ID,Sub ID,Sub ID,Revenue,Created At,Note\n" +
		"claimed,12,13,s1,s2,lots,yesterday,\n" +
		"expired,x,14,,,1,2026-09-01T00:00:00Z,hi\n"
	r, err := NewRTBInboundReader(strings.NewReader(csvText))
	require.NoError(t, err)
	row, err := r.Read()
	require.NoError(t, err)
	require.Equal(t, &RTBInbound{Status: "claimed", AffiliateID: 12, Extra: map[string]string{
		"Publisher ID": "13", // a second column for a field already filled
		"Sub ID":       "s1", "Sub ID (2)": "s2",
		"Revenue":    "lots",      // does not read as an amount
		"Created At": "yesterday", // nor as a time
		"Note":       "",
	}}, row)
	row, err = r.Read()
	require.NoError(t, err)
	require.Equal(t, "expired", row.Status)
	require.Zero(t, row.AffiliateID)
	require.Equal(t, map[string]string{"Source ID": "x", "Publisher ID": "14", "Sub ID": "", "Sub ID (2)": "", "Note": "hi"}, row.Extra)
	require.Equal(t, "1", row.Revenue.String())
}

func TestRTBInboundReaderRefusesRowsOfTheWrongWidth(t *testing.T) {
	r, err := NewRTBInboundReader(strings.NewReader("Status,UUID\nclaimed,u1\nexpired\nclaimed,u3\n"))
	require.NoError(t, err)
	_, err = r.Read()
	require.NoError(t, err)
	_, err = r.Read()
	require.ErrorContains(t, err, "wrong number of fields")
	_, err2 := r.Read()
	require.Equal(t, err, err2, "errors are sticky")
}

func TestRTBInboundReaderOfAnEmptyFileHasNoRows(t *testing.T) {
	r, err := NewRTBInboundReader(strings.NewReader(""))
	require.NoError(t, err)
	require.Nil(t, r.Header())
	_, err = r.Read()
	require.Equal(t, io.EOF, err)

	_, err = NewRTBInboundReader(strings.NewReader("\"unterminated\n"))
	require.Error(t, err)
}

func TestRTBInboundCSVLabelsAreComparedLoosely(t *testing.T) {
	for _, l := range []string{"Call UUID", "call_uuid", "CALL-UUID", " Call  uuid "} {
		require.Equal(t, "calluuid", labelKey(l))
	}
}

// exportServers are an API host that runs export 501 (generating for
// generatingPolls polls) and a file's host that serves csvText gzipped.
type exportServers struct {
	mu      sync.Mutex
	polls   int
	created []byte
	file    *recorder
	client  *Client
}

func newExportServers(t *testing.T, generatingPolls int, csvText string) *exportServers {
	t.Helper()
	s := &exportServers{file: &recorder{}}
	gz := gzipped(t, csvText)
	fileSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.file.record(r)
		_, _ = w.Write(gz)
	}))
	t.Cleanup(fileSrv.Close)
	apiSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("api_key") != testKey {
			http.Error(w, `{"error": "bad key"}`, http.StatusUnauthorized)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == "POST" && r.URL.Path == "/api/v5/exports/rtb_inbounds.json":
			s.created, _ = io.ReadAll(r.Body)
			fmt.Fprint(w, fixture(t, "export_create.json"))
		case r.Method == "GET" && r.URL.Path == "/api/v5/exports/rtb_inbounds/501.json":
			s.polls++
			if s.polls <= generatingPolls {
				fmt.Fprint(w, fixture(t, "export_in_progress.json"))
				return
			}
			fmt.Fprint(w, fixture(t, "export_finished.json"))
		case r.Method == "GET" && r.URL.Path == exportFilePath:
			http.Redirect(w, r, fileSrv.URL+"/bucket/501.csv.gz?sig=s", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(apiSrv.Close)
	c, err := NewClient(testKey, WithBaseURL(apiSrv.URL), WithCompanyID(testCompany),
		WithExportPolling(time.Millisecond, 2*time.Millisecond), WithRetryPolicy(NoRetries))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	s.client = c
	return s
}

func TestExportsRTBInboundsCreatesWaitsDownloadsAndReadsRows(t *testing.T) {
	var b strings.Builder
	b.WriteString(strings.SplitN(fixture(t, "rtb_inbounds_export_documented.csv"), "\n", 2)[0] + ",Sub ID\n")
	row := strings.SplitN(fixture(t, "rtb_inbounds_export_documented.csv"), "\n", 3)[1]
	for i := 0; i < 168; i++ {
		b.WriteString(row + fmt.Sprintf(",s%d\n", i))
	}
	s := newExportServers(t, 2, b.String())
	var states []bool
	n := 0
	for r, err := range s.client.Exports.RTBInbounds(context.Background(),
		&RTBInboundListOptions{CampaignIDs: []int64{123}, CreatedAt: "last_7d"},
		func(e *Export) { states = append(states, e.InProgress) }) {
		require.NoError(t, err)
		want := referenceRTBInbound()
		want.Extra = map[string]string{"Sub ID": fmt.Sprintf("s%d", n)}
		require.Equal(t, want, r)
		n++
	}
	require.Equal(t, 168, n)
	require.Equal(t, []bool{true, true, true, false}, states, "created, two polls generating, one done")
	require.JSONEq(t, fixture(t, "export_create_request.json"), string(s.created))
	f := s.file.all()
	require.Len(t, f, 1)
	requireCredentialFree(t, f[0])
}

func TestExportsRTBInboundsStopsWhenTheLoopBreaks(t *testing.T) {
	row := strings.SplitN(fixture(t, "rtb_inbounds_export_documented.csv"), "\n", 3)
	s := newExportServers(t, 0, row[0]+"\n"+strings.Repeat(row[1]+"\n", 1000))
	n := 0
	for _, err := range s.client.Exports.RTBInbounds(context.Background(), &RTBInboundListOptions{CreatedAt: "last_7d"}, nil) {
		require.NoError(t, err)
		if n++; n == 3 {
			break
		}
	}
	require.Equal(t, 3, n)
}

func TestExportsRTBInboundsReportsAFailedExport(t *testing.T) {
	c, mt := newTestClient(t, WithExportPolling(time.Millisecond, time.Millisecond))
	stub(t, mt, "POST", exportsCreatePath, 200, fixture(t, "export_create.json"))
	stub(t, mt, "GET", exportGetPath, 200, `{"id": 501, "in_progress": false, "errors": {"params": ["bad"]}}`)
	var errs []error
	for r, err := range c.Exports.RTBInbounds(context.Background(), &RTBInboundListOptions{CreatedAt: "last_7d"}, nil) {
		require.Nil(t, r)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], ErrExportFailed)
}

func TestRTBInboundReaderRowsEncodeAsJSONWithoutExtra(t *testing.T) {
	b, err := json.Marshal(&RTBInbound{UUID: "u", Extra: map[string]string{"a": "b"}})
	require.NoError(t, err)
	require.NotContains(t, string(b), `"a"`)
}

// The column list in RTBInboundReader's documentation is rtbInboundColumns,
// line for line: each column's label, its other labels, and the field a cell
// under it fills (found by setting one).
func TestRTBInboundReaderDocumentsEveryColumn(t *testing.T) {
	src, err := os.ReadFile("rtb_inbound_csv.go")
	require.NoError(t, err)
	var documented []string
	for _, line := range strings.Split(string(src), "\n") {
		if item, ok := strings.CutPrefix(line, "//   - "); ok {
			documented = append(documented, item)
		}
	}
	var want []string
	for _, col := range rtbInboundColumns {
		var field string
		for _, sample := range []string{"7", "2026-09-01T14:02:11Z", "text"} {
			var r RTBInbound
			if !col.set(&r, sample) {
				continue
			}
			v := reflect.ValueOf(r)
			for i := range v.NumField() {
				if !v.Field(i).IsZero() {
					require.Empty(t, field, "column %s sets one field", col.label)
					field = v.Type().Field(i).Name
				}
			}
			break
		}
		require.NotEmpty(t, field, "column %s sets a field", col.label)
		item := col.label
		if len(col.aliases) > 0 {
			item += " (or " + strings.Join(col.aliases, ", ") + ")"
		}
		want = append(want, item+": "+field)
	}
	require.Equal(t, want, documented)
}
