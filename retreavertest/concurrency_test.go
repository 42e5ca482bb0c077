package retreavertest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestConcurrentUse hammers one server from many goroutines (run with -race):
// creates, reads, listings, seeding, faults, RTB and the request log at once.
func TestConcurrentUse(t *testing.T) {
	srv := NewServer(WithDemoData())
	t.Cleanup(srv.Close)
	const workers, rounds = 8, 15
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*4)
	do := func(method, path, body string) int {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			errs <- err
			return 0
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	key := "?api_key=" + srv.APIKey
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			company := srv.CompanyIDs()[w%3]
			q := fmt.Sprintf("%s&company_id=%d", key, company)
			for i := 0; i < rounds; i++ {
				afid := fmt.Sprintf("w%d-%d", w, i)
				if st := do(http.MethodPost, "/api/v1/affiliates.json"+q, `{"affiliate":{"afid":"`+afid+`"}}`); st != http.StatusCreated {
					errs <- fmt.Errorf("create %s: %d", afid, st)
				}
				if st := do(http.MethodPut, "/api/v1/affiliates/afid/"+afid+".json"+q, `{"affiliate":{"first_name":"X"}}`); st != http.StatusOK {
					errs <- fmt.Errorf("update %s: %d", afid, st)
				}
				do(http.MethodGet, "/api/v2/calls.json"+q+"&per_page=50&page=2", "")
				do(http.MethodGet, "/api/v1/reports.json"+q+"&domain=calls&facet=daily&created_at_start=2020-01-01&created_at_end=2021-01-01", "")
				do(http.MethodPost, "/rtbs.json", fmt.Sprintf(`{"key":%q,"publisher_id":"p","caller_number":"+1301555%04d"}`, srv.RTBKey, w*100+i))
				switch i % 5 {
				case 0:
					srv.SeedCalls(3)
				case 1:
					srv.FailNext(1, Fault{Status: 503, Match: func(r *http.Request) bool { return r.URL.Path == "/company.json" }})
					do(http.MethodGet, "/company.json"+key, "")
				case 2:
					_ = srv.Requests()
					_ = srv.CallCount(company)
				case 3:
					srv.SetLatency(0)
					_ = srv.RTBReservations()
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	total := 0
	for _, id := range srv.CompanyIDs() {
		b := &api{t: t, srv: srv, company: id}
		for p := 1; ; p++ {
			page := b.list("/api/v1/affiliates.json", map[string][]string{"page": {fmt.Sprint(p)}}, "affiliate")
			if len(page) == 0 {
				break
			}
			for _, a := range page {
				if strings.HasPrefix(a["afid"].(string), "w") {
					total++
				}
			}
		}
	}
	require.Equal(t, workers*rounds, total)
}
