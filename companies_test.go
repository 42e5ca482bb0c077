package retreaver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

func TestCompaniesActive(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "company.json", 200, fixture(t, "company_active.json"))
	co, err := c.Companies.Active(context.Background())
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", "company.json", nil, true)
	require.Equal(t, &Company{
		ID:                       1,
		Name:                     "Retreaver",
		CreatedAt:                time.Date(2012, 4, 17, 22, 58, 17, 0, time.UTC),
		UpdatedAt:                time.Date(2024, 12, 19, 11, 0, 37, 896e6, time.UTC),
		EmbeddedKey:              "6e1a3c121f83dad4c0bef78414b9e597",
		PerNumber:                MustMoney("1.0"),
		UseGlobalSuppressionList: true,
		Balance:                  MustMoney("100.0"),
		OwnerUserName:            "Alice Bob",
	}, co)
}

func TestCompaniesGetListCreateUpdateDelete(t *testing.T) {
	ctx := context.Background()
	c, mt := newTestClient(t)

	get := stub(t, mt, "GET", "companies/1.json", 200, fixture(t, "company_get.json"))
	co, err := c.Companies.Get(ctx, 1)
	require.NoError(t, err)
	assertWire(t, get.only(t), "GET", "companies/1.json", nil, true)
	require.Equal(t, "Retreaver", co.Name)
	require.Equal(t, 100.0, co.Balance.Float64())

	list := stub(t, mt, "GET", "companies.json", 200, fixture(t, "companies_list.json"))
	page, err := c.Companies.List(ctx, &CompanyListOptions{ListOptions{Page: 2}})
	require.NoError(t, err)
	assertWire(t, list.only(t), "GET", "companies.json", map[string][]string{"page": {"2"}}, true)
	require.Len(t, page.Items, 2)
	require.Equal(t, int64(1), page.Items[0].ID)
	require.Equal(t, "Foo Corp", page.Items[0].Name)
	require.Equal(t, "200.0", page.Items[0].Balance.String())
	require.Equal(t, int64(2), page.Items[1].ID)
	require.Equal(t, "Example Co", page.Items[1].Name)
	require.Equal(t, "Charlie Smith", page.Items[1].OwnerUserName)
	require.Equal(t, time.Date(2015, 10, 11, 17, 18, 22, 675e6, time.UTC), page.Items[1].CreatedAt)
	require.Zero(t, page.NextPage)

	create := stub(t, mt, "POST", "companies.json", 201, fixture(t, "company_create.json"))
	co, err = c.Companies.Create(ctx, &CompanyParams{Name: Ptr("Retreaver")})
	require.NoError(t, err)
	assertWire(t, create.only(t), "POST", "companies.json", nil, true)
	assertJSONBody(t, create.only(t), `{"company":{"name":"Retreaver"}}`)
	require.Equal(t, time.Date(2025, 1, 28, 12, 18, 44, 131e6, time.UTC), co.CreatedAt)

	update := stub(t, mt, "PUT", "companies/2.json", 200, fixture(t, "company_update.json"))
	co, err = c.Companies.Update(ctx, 2, &CompanyParams{Name: Ptr("Retreaver")})
	require.NoError(t, err)
	assertWire(t, update.only(t), "PUT", "companies/2.json", nil, true)
	assertJSONBody(t, update.only(t), `{"company":{"name":"Retreaver"}}`)
	require.Equal(t, time.Date(2025, 1, 28, 12, 34, 27, 103e6, time.UTC), co.UpdatedAt)

	del := stub(t, mt, "DELETE", "companies/2.json", 200, "")
	require.NoError(t, c.Companies.Delete(ctx, 2))
	assertWire(t, del.only(t), "DELETE", "companies/2.json", nil, true)
	assertNoBody(t, del.only(t))
}

func TestCompaniesRejectBadInput(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()
	cases := map[string]func() error{
		"get 0":            func() error { _, err := c.Companies.Get(ctx, 0); return err },
		"get negative":     func() error { _, err := c.Companies.Get(ctx, -4); return err },
		"create nil":       func() error { _, err := c.Companies.Create(ctx, nil); return err },
		"create no name":   func() error { _, err := c.Companies.Create(ctx, &CompanyParams{}); return err },
		"create empty":     func() error { _, err := c.Companies.Create(ctx, &CompanyParams{Name: Ptr("")}); return err },
		"update id 0":      func() error { _, err := c.Companies.Update(ctx, 0, &CompanyParams{Name: Ptr("x")}); return err },
		"update nil":       func() error { _, err := c.Companies.Update(ctx, 1, nil); return err },
		"update empty":     func() error { _, err := c.Companies.Update(ctx, 1, &CompanyParams{Name: Ptr("")}); return err },
		"delete 0":         func() error { return c.Companies.Delete(ctx, 0) },
		"list bad page":    func() error { _, err := c.Companies.List(ctx, &CompanyListOptions{ListOptions{Page: -1}}); return err },
		"foreach nil func": func() error { return c.ForEachCompany(ctx, 2, nil) },
	}
	for name, fn := range cases {
		t.Run(name, func(t *testing.T) {
			require.ErrorIs(t, fn(), ErrInvalidArgument)
			noRequests(t, mt)
		})
	}
}

func TestOnlyTheDocumentedShapeDecodes(t *testing.T) {
	for name, body := range map[string]string{
		"wrapped":     `{"company":{"id":5,"name":"A"}}`,
		"white space": " \n{\"company\" : {\"id\":5,\"name\":\"A\"}}\n",
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			stub(t, mt, "GET", "companies/5.json", 200, body)
			co, err := c.Companies.Get(context.Background(), 5)
			require.NoError(t, err)
			require.Equal(t, int64(5), co.ID)
			require.Equal(t, "A", co.Name)
		})
	}
}

func TestUndecodableAnswersAreTypedErrors(t *testing.T) {
	for name, body := range map[string]string{
		"html login page": "<!DOCTYPE html><html><body>Please log in</body></html>",
		"truncated":       `{"company":{"id":5,"na`,
		"empty":           "",
		"empty array":     "[]",
		"wrong type":      `{"company":{"id":"five"}}`,
		// Answers that are not the documented shape are errors, never zero values.
		"bare":             `{"id":5,"name":"A"}`,
		"array of wrapped": `[{"company":{"id":5,"name":"A"}}]`,
		"error object":     `{"error":"Not found"}`,
		"empty object":     `{}`,
		"null root":        `{"company":null}`,
		"errors object":    `{"errors":{"name":["is taken"]}}`,
		"null":             `null`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			stub(t, mt, "GET", "companies/5.json", 200, body)
			_, err := c.Companies.Get(context.Background(), 5)
			require.ErrorIs(t, err, ErrUnexpectedResponse)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			require.Equal(t, 200, de.StatusCode)
			require.Equal(t, "GET", de.Method)
			require.Contains(t, de.URL, "api_key=REDACTED")
			requireErrorFree(t, err, testKey)
		})
	}
}

// companyServer answers companies.json with ids 1..n, three a page, and company-scoped
// requests with a count of what each company saw.
func companyServer(t *testing.T, mt *httpmock.MockTransport, n int) *recorder {
	return recordAll(mt, func(w wireRequest) (*http.Response, error) {
		if w.Path != "/companies.json" {
			return httpmock.NewStringResponse(200, `[]`), nil
		}
		page := 1
		fmt.Sscan(w.Query.Get("page"), &page)
		var items []string
		for id := (page-1)*3 + 1; id <= min(page*3, n); id++ {
			items = append(items, fmt.Sprintf(`{"company":{"id":%d,"name":"Co %d"}}`, id, id))
		}
		resp := httpmock.NewStringResponse(200, "["+strings.Join(items, ",")+"]")
		if page*3 < n {
			resp.Header.Set("Link", fmt.Sprintf(`<https://api.test/companies.json?page=%d>; rel="next"`, page+1))
		}
		return resp, nil
	})
}

func TestForEachCompanyVisitsEveryCompanyWithAScopedClient(t *testing.T) {
	c, mt := newTestClient(t)
	rec := companyServer(t, mt, 8)
	var (
		mu       sync.Mutex
		seen     = map[int64]string{}
		inFlight atomic.Int32
		peak     atomic.Int32
	)
	err := c.ForEachCompany(context.Background(), 3, func(ctx context.Context, sc *Client, co *Company) error {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		require.Equal(t, co.ID, sc.CompanyID())
		if _, err := sc.Calls.List(ctx, nil); err != nil {
			return err
		}
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		seen[co.ID] = co.Name
		mu.Unlock()
		return nil
	})
	require.NoError(t, err)
	require.Len(t, seen, 8)
	require.Equal(t, "Co 8", seen[8])
	require.LessOrEqual(t, peak.Load(), int32(3), "at most 3 at once")
	require.Equal(t, int64(1), c.CompanyID(), "the original client keeps its company")
	calls := map[string]bool{}
	for _, r := range rec.all() {
		if r.Path == "/api/v2/calls.json" {
			calls[r.Query.Get("company_id")] = true
		}
	}
	require.Len(t, calls, 8, "each company's requests carried its own company_id")
}

func TestForEachCompanyStopsAfterTheFirstErrorAndJoinsThem(t *testing.T) {
	c, mt := newTestClient(t)
	companyServer(t, mt, 9)
	var started atomic.Int32
	errBoom := errors.New("boom")
	err := c.ForEachCompany(context.Background(), 1, func(ctx context.Context, sc *Client, co *Company) error {
		started.Add(1)
		if co.ID == 2 {
			return errBoom
		}
		return nil
	})
	require.ErrorIs(t, err, errBoom)
	require.Contains(t, err.Error(), "company 2")
	require.Equal(t, int32(2), started.Load(), "no company after the failing one was started")

	// With more at once, every error that happened is reported.
	c2, mt2 := newTestClient(t)
	companyServer(t, mt2, 4)
	gate := make(chan struct{})
	var waiting atomic.Int32
	err = c2.ForEachCompany(context.Background(), 4, func(ctx context.Context, sc *Client, co *Company) error {
		if co.ID <= 2 {
			if waiting.Add(1) == 2 {
				close(gate)
			}
			<-gate
			return fmt.Errorf("failed %d: %w", co.ID, ErrForbidden)
		}
		return nil
	})
	require.ErrorIs(t, err, ErrForbidden)
	require.Contains(t, err.Error(), "failed 1")
	require.Contains(t, err.Error(), "failed 2")
}

func TestForEachCompanyReportsListingErrorsAndCancellation(t *testing.T) {
	c, mt := newTestClient(t)
	stub(t, mt, "GET", "companies.json", 401, `{"error":"bad key"}`)
	err := c.ForEachCompany(context.Background(), 2, func(context.Context, *Client, *Company) error { return nil })
	require.ErrorIs(t, err, ErrUnauthorized)
	requireErrorFree(t, err, testKey)

	c2, mt2 := newTestClient(t)
	companyServer(t, mt2, 6)
	ctx, cancel := context.WithCancel(context.Background())
	var ran atomic.Int32
	err = c2.ForEachCompany(ctx, 1, func(ctx context.Context, sc *Client, co *Company) error {
		ran.Add(1)
		cancel()
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, int32(1), ran.Load())
}

func TestForEachCompanyRaisesAPanicOnTheCallersGoroutine(t *testing.T) {
	defer requireNoGoroutineLeak(t, snapshotGoroutines())
	c, mt := newTestClient(t)
	companyServer(t, mt, 6)
	type boom struct{ company int64 }
	var finished atomic.Int32
	recovered := func() (p any) {
		defer func() { p = recover() }()
		_ = c.ForEachCompany(context.Background(), 3, func(ctx context.Context, sc *Client, co *Company) error {
			if co.ID == 2 {
				panic(boom{co.ID})
			}
			time.Sleep(20 * time.Millisecond)
			finished.Add(1)
			return nil
		})
		return nil
	}()
	require.Equal(t, boom{2}, recovered, "the original value, recovered by the caller")
	// Company 1 was running when company 2 panicked (3 may have started too):
	// they finished before the panic was raised again, and no other started.
	require.GreaterOrEqual(t, finished.Load(), int32(1), "the calls already running finished first")
	require.LessOrEqual(t, finished.Load(), int32(2), "no company is started after the panic")
}

func TestForEachCompanyNeverRunsWithoutACompanyID(t *testing.T) {
	for name, body := range map[string]string{
		"an element without its root key": `[{"company":{"id":1,"name":"A"}},{"id":2}]`,
		"a company without an id":         `[{"company":{"id":1,"name":"A"}},{"company":{"name":"Active"}}]`,
		"an error object":                 `{"error":"Not found"}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			stub(t, mt, "GET", "companies.json", 200, body)
			var ids []int64
			err := c.ForEachCompany(context.Background(), 1, func(ctx context.Context, sc *Client, co *Company) error {
				ids = append(ids, sc.CompanyID())
				return nil
			})
			require.ErrorIs(t, err, ErrUnexpectedResponse)
			require.NotContains(t, ids, int64(0), "company 0 is the key's active company")
		})
	}
}
