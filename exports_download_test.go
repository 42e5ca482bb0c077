package retreaver

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// doneExport is export 501 of the reference, finished.
func doneExport() *Export {
	return &Export{ID: 501, Count: Ptr(168), FileURL: exportFilePath, Format: "csv", kind: exportKindRTBInbounds}
}

// apiAndFileHosts starts the API host, which answers the download path with a
// redirect to location (made from the file host's URL), and the file's host,
// served by file.
func apiAndFileHosts(t *testing.T, location func(fileHost string) string, file http.HandlerFunc) (api, files *recorder, c *Client) {
	t.Helper()
	api, files = &recorder{}, &recorder{}
	fileSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		files.record(r)
		file(w, r)
	}))
	t.Cleanup(fileSrv.Close)
	apiSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.record(r)
		if r.URL.Path != exportFilePath {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, location(fileSrv.URL), http.StatusFound)
	}))
	t.Cleanup(apiSrv.Close)
	c, err := NewClient(testKey, WithBaseURL(apiSrv.URL), WithCompanyID(testCompany), WithRetryPolicy(NoRetries))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return api, files, c
}

func TestExportDownloadFollowsTheRedirectToTheFileHostWithoutTheKey(t *testing.T) {
	csvText := "Call UUID,Status\n" + strings.Repeat("3d745a09-6e2b-4b8f-9e7d-9a2f6a9d9d21,claimed\n", 20000)
	gz := gzipped(t, csvText)
	proceed := make(chan struct{})
	api, files, c := apiAndFileHosts(t,
		func(host string) string { return host + "/files/501.csv.gz?X-Amz-Expires=300&X-Amz-Signature=sig123" },
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/gzip")
			half := len(gz) / 2
			_, _ = w.Write(gz[:half])
			w.(http.Flusher).Flush()
			select { // the rest only once the client has read from the first half
			case <-proceed:
			case <-time.After(10 * time.Second):
				return
			}
			_, _ = w.Write(gz[half:])
		})

	rc, err := c.Exports.Download(context.Background(), doneExport())
	require.NoError(t, err)
	defer rc.Close()
	first := make([]byte, len("Call UUID,Status\n"))
	_, err = io.ReadFull(rc, first)
	require.NoError(t, err, "the first bytes must arrive before the whole file: the download streams")
	close(proceed)
	rest, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.Equal(t, csvText, string(first)+string(rest))
	require.NoError(t, rc.Close())
	require.NoError(t, rc.Close(), "Close twice")

	a := api.all()
	require.Len(t, a, 1)
	require.Equal(t, exportFilePath, a[0].Path)
	require.Equal(t, url.Values{"api_key": {testKey}, "company_id": {"1"}}, a[0].Query)
	require.Equal(t, "*/*", a[0].Header.Get("Accept"))

	f := files.all()
	require.Len(t, f, 1)
	require.Equal(t, "/files/501.csv.gz", f[0].Path)
	require.Equal(t, url.Values{"X-Amz-Expires": {"300"}, "X-Amz-Signature": {"sig123"}}, f[0].Query)
	require.Contains(t, f[0].Header.Get("User-Agent"), "retreaver-go/"+Version)
	requireCredentialFree(t, f[0])
}

func TestExportDownloadStripsCredentialsALocationEchoes(t *testing.T) {
	api, files, c := apiAndFileHosts(t,
		func(host string) string {
			return host + "/files/501.csv.gz?api_key=" + testKey + "&company_id=1&sig=abc"
		},
		func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(gzipped(t, "Status\nclaimed\n")) })
	rc, err := c.Exports.Download(context.Background(), doneExport())
	require.NoError(t, err)
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	require.Equal(t, "Status\nclaimed\n", string(b))
	require.Len(t, api.all(), 1)
	f := files.all()
	require.Len(t, f, 1)
	require.Equal(t, url.Values{"sig": {"abc"}}, f[0].Query)
	requireCredentialFree(t, f[0])
}

func TestExportDownloadRefusesALocationHoldingTheKey(t *testing.T) {
	_, files, c := apiAndFileHosts(t,
		func(host string) string { return host + "/files/" + testKey + "/501.csv.gz" },
		func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(gzipped(t, "x\n")) })
	_, err := c.Exports.Download(context.Background(), doneExport())
	require.ErrorIs(t, err, errRedirectRefused)
	requireErrorFree(t, err, testKey)
	require.Empty(t, files.all())
}

func TestExportDownloadStopsWhenTheFileHostStalls(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	gz := gzipped(t, strings.Repeat("row\n", 100000)) // not in the handler: a slow start is a stall too
	_, _, c := apiAndFileHosts(t,
		func(host string) string { return host + "/files/501.csv.gz" },
		func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write(gz[:len(gz)/2])
			w.(http.Flusher).Flush()
			<-release
		})
	c.cfg.export.stall = 300 * time.Millisecond
	rc, err := c.Exports.Download(context.Background(), doneExport())
	require.NoError(t, err)
	defer rc.Close()
	start := time.Now()
	_, err = io.Copy(io.Discard, rc)
	require.Error(t, err)
	require.Less(t, time.Since(start), 5*time.Second)
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	require.True(t, ne.Timeout())
	require.Contains(t, err.Error(), "reading export 501")
	require.Contains(t, err.Error(), "received nothing for 300ms")
}

func TestClosingADownloadUnblocksARead(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	gz := gzipped(t, strings.Repeat("row\n", 100000))
	_, _, c := apiAndFileHosts(t,
		func(host string) string { return host + "/files/501.csv.gz" },
		func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write(gz[:len(gz)/2])
			w.(http.Flusher).Flush()
			<-release
		})
	rc, err := c.Exports.Download(context.Background(), doneExport())
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, rc) // blocks once the first half is read
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, rc.Close(), "from another goroutine than the reader's (the race detector watches)")
	select {
	case err := <-done:
		require.Error(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not unblock the Read")
	}
}

func TestExportDownloadIsNotCutByTheClientTimeout(t *testing.T) {
	_, _, c := apiAndFileHosts(t,
		func(host string) string { return host + "/files/501.csv.gz" },
		func(w http.ResponseWriter, r *http.Request) {
			gz := gzipped(t, strings.Repeat("row\n", 1000))
			for i := range gz {
				_, _ = w.Write(gz[i : i+1])
				if i%(len(gz)/4) == 0 {
					w.(http.Flusher).Flush()
					time.Sleep(60 * time.Millisecond)
				}
			}
		})
	c.cfg.httpClient.Timeout = 100 * time.Millisecond
	rc, err := c.Exports.Download(context.Background(), doneExport())
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.Equal(t, strings.Repeat("row\n", 1000), string(b))
}

// mockDownload wires the API host of an httpmock client to redirect the
// download path to location, and the file's host to answer file.
func mockDownload(mt *httpmock.MockTransport, location string, fileURL string, file httpmock.Responder) *recorder {
	rec := &recorder{}
	mt.RegisterResponder("GET", "https://api.test"+exportFilePath, func(req *http.Request) (*http.Response, error) {
		rec.record(req)
		resp := httpmock.NewStringResponse(http.StatusFound, "")
		if location != "" {
			resp.Header.Set("Location", location)
		}
		resp.Request = req
		return resp, nil
	})
	if fileURL != "" {
		mt.RegisterResponder("GET", fileURL, func(req *http.Request) (*http.Response, error) {
			rec.record(req)
			resp, err := file(req)
			if resp != nil {
				resp.Request = req
			}
			return resp, err
		})
	}
	return rec
}

func gzipResponder(t testing.TB, s string) httpmock.Responder {
	b := gzipped(t, s)
	return func(*http.Request) (*http.Response, error) { return httpmock.NewBytesResponse(200, b), nil }
}

func TestExportDownloadRefusesAPlainHTTPFileHostBehindHTTPS(t *testing.T) {
	c, mt := newTestClient(t)
	mockDownload(mt, "http://files.test/501.csv.gz", "http://files.test/501.csv.gz", gzipResponder(t, "x\n"))
	_, err := c.Exports.Download(context.Background(), doneExport())
	require.ErrorIs(t, err, errRedirectRefused)
	require.Contains(t, err.Error(), "not https")
	require.Zero(t, mt.GetCallCountInfo()["GET http://files.test/501.csv.gz"])

	// Nor may the file's host send it on to http.
	c, mt = newTestClient(t)
	mockDownload(mt, "https://files.test/501.csv.gz", "https://files.test/501.csv.gz", func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(http.StatusFound, "")
		resp.Header.Set("Location", "http://cdn.test/501.csv.gz")
		return resp, nil
	})
	_, err = c.Exports.Download(context.Background(), doneExport())
	require.ErrorIs(t, err, errRedirectRefused)
}

func TestExportDownloadFollowsAFileHostRedirectToHTTPS(t *testing.T) {
	c, mt := newTestClient(t)
	mockDownload(mt, "https://files.test/501.csv.gz?sig=1", "https://files.test/501.csv.gz", func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(http.StatusTemporaryRedirect, "")
		resp.Header.Set("Location", "https://cdn.test/eu/501.csv.gz?sig=2")
		return resp, nil
	})
	mt.RegisterResponder("GET", "https://cdn.test/eu/501.csv.gz", gzipResponder(t, "a\n"))
	rc, err := c.Exports.Download(context.Background(), doneExport())
	require.NoError(t, err)
	b, _ := io.ReadAll(rc)
	rc.Close()
	require.Equal(t, "a\n", string(b))
}

func TestExportDownloadResolvesARelativeLocationAndSendsItNoKey(t *testing.T) {
	c, mt := newTestClient(t)
	rec := mockDownload(mt, "/files/501.csv.gz?sig=1", "https://api.test/files/501.csv.gz", gzipResponder(t, "a,b\n1,2\n"))
	rc, err := c.Exports.Download(context.Background(), doneExport())
	require.NoError(t, err)
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	require.Equal(t, "a,b\n1,2\n", string(b))
	reqs := rec.all()
	require.Len(t, reqs, 2)
	require.Equal(t, exportFilePath, reqs[0].Path)
	require.Equal(t, url.Values{"api_key": {testKey}, "company_id": {"1"}}, reqs[0].Query)
	require.Equal(t, "/files/501.csv.gz", reqs[1].Path)
	require.Equal(t, url.Values{"sig": {"1"}}, reqs[1].Query)
	require.Empty(t, reqs[1].Header.Get("Authorization"))
}

func TestExportDownloadErrorsAreTypedAndHideKeyAndSignature(t *testing.T) {
	t.Run("file host refuses", func(t *testing.T) {
		c, mt := newTestClient(t)
		mockDownload(mt, "https://files.test/501.csv.gz?X-Amz-Signature=sig123", "https://files.test/501.csv.gz",
			func(*http.Request) (*http.Response, error) {
				return httpmock.NewStringResponse(403, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"), nil
			})
		_, err := c.Exports.Download(context.Background(), doneExport())
		require.ErrorIs(t, err, ErrForbidden)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, "https://files.test/501.csv.gz", apiErr.URL)
		require.Contains(t, apiErr.Message, "Request has expired")
		require.Contains(t, apiErr.Hint, "the file's host refused")
		requireErrorFree(t, err, testKey, "sig123")
	})
	t.Run("API host refuses the company", func(t *testing.T) {
		c, mt := newTestClient(t)
		stub(t, mt, "GET", exportFilePath, 403, `{"error": "You do not have access to this company"}`)
		_, err := c.Exports.Download(context.Background(), doneExport())
		require.ErrorIs(t, err, ErrForbidden)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, "the API key has no access to company 1 (WithCompanyID)", apiErr.Hint)
		requireErrorFree(t, err, testKey)
	})
	t.Run("API host has no such file", func(t *testing.T) {
		c, mt := newTestClient(t)
		stub(t, mt, "GET", exportFilePath, 404, `{"error": "not found"}`)
		_, err := c.Exports.Download(context.Background(), doneExport())
		require.ErrorIs(t, err, ErrNotFound)
		requireErrorFree(t, err, testKey)
	})
	t.Run("redirect without a Location", func(t *testing.T) {
		c, mt := newTestClient(t)
		mockDownload(mt, "", "", nil)
		_, err := c.Exports.Download(context.Background(), doneExport())
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, http.StatusFound, apiErr.StatusCode)
		require.Contains(t, apiErr.Message, "without a Location")
	})
	t.Run("transport failure at the file host", func(t *testing.T) {
		c, mt := newTestClient(t)
		mockDownload(mt, "https://files.test/501.csv.gz?X-Amz-Signature=sig123", "https://files.test/501.csv.gz",
			func(*http.Request) (*http.Response, error) { return nil, errors.New("connection reset by peer") })
		_, err := c.Exports.Download(context.Background(), doneExport())
		require.Error(t, err)
		requireErrorFree(t, err, testKey, "sig123")
	})
}

func TestExportDownloadRetriesTheWholeRedirect(t *testing.T) {
	c, mt := newTestClient(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	n := 0
	rec := mockDownload(mt, "https://files.test/501.csv.gz", "https://files.test/501.csv.gz", func(*http.Request) (*http.Response, error) {
		n++
		switch n {
		case 1:
			return httpmock.NewStringResponse(503, "busy"), nil
		case 2:
			return httpmock.NewBytesResponse(200, nil), nil // empty: cut short
		}
		return httpmock.NewBytesResponse(200, gzipped(t, "ok\n")), nil
	})
	rc, err := c.Exports.Download(context.Background(), doneExport())
	require.NoError(t, err)
	b, _ := io.ReadAll(rc)
	rc.Close()
	require.Equal(t, "ok\n", string(b))
	require.Len(t, rec.all(), 6) // API host and file host, three times
}

func TestExportDownloadReadsWhatTheServerSends(t *testing.T) {
	cases := []struct {
		name string
		body []byte
		want string
		err  error
	}{
		{"gzip", gzipped(t, "Status\nclaimed\n"), "Status\nclaimed\n", nil},
		{"already decompressed CSV", []byte("Status\nclaimed\n"), "Status\nclaimed\n", nil},
		{"two gzip members", append(gzipped(t, "Status\n"), gzipped(t, "claimed\n")...), "Status\nclaimed\n", nil},
		{"html", []byte("<html>login</html>"), "", ErrUnexpectedResponse},
		{"json", []byte(`{"error": "expired"}`), "", ErrUnexpectedResponse},
		{"empty", nil, "", errEmptyBody},
		{"bad gzip header", []byte{0x1f, 0x8b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "", gzip.ErrHeader},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newTestClient(t)
			mockDownload(mt, "https://files.test/f", "https://files.test/f", func(*http.Request) (*http.Response, error) {
				return httpmock.NewBytesResponse(200, tc.body), nil
			})
			rc, err := c.Exports.Download(context.Background(), doneExport())
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			b, err := io.ReadAll(rc)
			require.NoError(t, err)
			require.Equal(t, tc.want, string(b))
			require.NoError(t, rc.Close())
		})
	}
}

func TestExportDownloadReportsACutFile(t *testing.T) {
	c, mt := newTestClient(t)
	gz := gzipped(t, strings.Repeat("3d745a09-6e2b-4b8f-9e7d-9a2f6a9d9d21,claimed\n", 1000))
	mockDownload(mt, "https://files.test/f", "https://files.test/f", func(*http.Request) (*http.Response, error) {
		return httpmock.NewBytesResponse(200, gz[:len(gz)-20]), nil
	})
	rc, err := c.Exports.Download(context.Background(), doneExport())
	require.NoError(t, err)
	defer rc.Close()
	_, err = io.ReadAll(rc)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	require.Contains(t, err.Error(), "reading export 501")
}

func TestExportDownloadMayBeServedByTheAPIHostItself(t *testing.T) {
	c, mt := newTestClient(t)
	mt.RegisterResponder("GET", "https://api.test"+exportFilePath, gzipResponder(t, "Status\n"))
	rc, err := c.Exports.Download(context.Background(), doneExport())
	require.NoError(t, err)
	b, _ := io.ReadAll(rc)
	rc.Close()
	require.Equal(t, "Status\n", string(b))
}

func TestExportDownloadChecksTheExportBeforeAnyRequest(t *testing.T) {
	cases := map[string]*Export{
		"nil":                     nil,
		"in progress":             {ID: 501, InProgress: true, FileURL: exportFilePath},
		"no file URL":             {ID: 501},
		"another host":            {ID: 501, FileURL: "https://evil.test" + exportFilePath},
		"another scheme":          {ID: 501, FileURL: "http://api.test" + exportFilePath},
		"protocol-relative host":  {ID: 501, FileURL: "//evil.test" + exportFilePath},
		"dot segments":            {ID: 501, FileURL: "/v2/reports/../../admin/download"},
		"escaped dot segments":    {ID: 501, FileURL: "/v2/reports/%2e%2e/download"},
		"user info":               {ID: 501, FileURL: "https://u:p@api.test/x"},
		"root only":               {ID: 501, FileURL: "/"},
		"not a URL":               {ID: 501, FileURL: "%zz"},
		"opaque":                  {ID: 501, FileURL: "mailto:a@b"},
		"fragment":                {ID: 501, FileURL: exportFilePath + "#x"},
		"another host, key-named": {ID: 501, FileURL: "https://evil.test/?api_key=x"},
	}
	for name, e := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			_, err := c.Exports.Download(context.Background(), e)
			require.ErrorIs(t, err, ErrInvalidArgument)
			noRequests(t, mt)
		})
	}
}

func TestExportDownloadFileURLForms(t *testing.T) {
	cases := []struct{ base, file, want string }{
		{testBaseURL, exportFilePath, "https://api.test/v2/reports/rtb_inbounds/501/download?api_key=K&company_id=1"},
		{testBaseURL, "v2/reports/rtb_inbounds/501/download", "https://api.test/v2/reports/rtb_inbounds/501/download?api_key=K&company_id=1"},
		{testBaseURL, "https://api.test" + exportFilePath, "https://api.test/v2/reports/rtb_inbounds/501/download?api_key=K&company_id=1"},
		{testBaseURL, exportFilePath + "?token=t&api_key=old&company_id=9", "https://api.test/v2/reports/rtb_inbounds/501/download?api_key=K&company_id=1&token=t"},
		{"https://proxy.test/retreaver/", exportFilePath, "https://proxy.test/retreaver/v2/reports/rtb_inbounds/501/download?api_key=K&company_id=1"},
	}
	for _, tc := range cases {
		c, err := NewClient("K", WithBaseURL(tc.base), WithCompanyID(1))
		require.NoError(t, err)
		u, err := c.Exports.fileURL(tc.file)
		require.NoError(t, err, tc.file)
		require.Equal(t, tc.want, u.String(), tc.file)
	}
}

func TestExportDownloadEndsWithTheContext(t *testing.T) {
	_, _, c := apiAndFileHosts(t,
		func(host string) string { return host + "/f" },
		func(w http.ResponseWriter, r *http.Request) {
			gz := gzipped(t, strings.Repeat("row\n", 100000))
			_, _ = w.Write(gz[:len(gz)/2])
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		})
	ctx, cancel := context.WithCancel(context.Background())
	rc, err := c.Exports.Download(ctx, doneExport())
	require.NoError(t, err)
	defer rc.Close()
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err = io.Copy(io.Discard, rc)
	require.ErrorIs(t, err, context.Canceled)
	require.NotContains(t, fmt.Sprint(err), testKey)
}

func TestExportDownloadLogsNeitherKeyNorSignature(t *testing.T) {
	logger, logs := debugLogger()
	c, mt := newTestClient(t, WithLogger(logger))
	mockDownload(mt, "https://files.test/501.csv.gz?X-Amz-Signature=sig123", "https://files.test/501.csv.gz", gzipResponder(t, "a\n"))
	rc, err := c.Exports.Download(context.Background(), doneExport())
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, rc)
	rc.Close()
	out := logs.String()
	require.Contains(t, out, "files.test/501.csv.gz")
	require.Contains(t, out, "api.test"+exportFilePath)
	requireTextFree(t, "debug log", out, testKey, "sig123")
}
