package retreaver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

func TestPageNumbersFromLinkHeaders(t *testing.T) {
	// The Paginated section's example, as the reference first printed it and as
	// it prints it now (another host, the api/v1 route).
	const oldRef = `<https://retreaver.com/calls.json?api_key=woofwoofwoof&company_id=1&sort_by=created_at&order=asc&page=6996>; rel="last", <https://retreaver.com/calls.json?api_key=woofwoofwoof&company_id=1&sort_by=created_at&order=asc&page=2>; rel="next"`
	const ref = `<https://api.retreaver.com/api/v1/calls.json?api_key=woofwoofwoof&company_id=1&sort_by=created_at&order=asc&page=6996>; rel="last", <https://api.retreaver.com/api/v1/calls.json?api_key=woofwoofwoof&company_id=1&sort_by=created_at&order=asc&page=2>; rel="next"`
	cases := []struct {
		name                    string
		values                  []string
		first, prev, next, last int
	}{
		{"reference example", []string{ref}, 0, 0, 2, 6996},
		{"first reference example", []string{oldRef}, 0, 0, 2, 6996},
		{"all four", []string{`<https://a/x.json?page=1>; rel="first", <https://a/x.json?page=2>; rel="prev", <https://a/x.json?page=4>; rel="next", <https://a/x.json?page=9>; rel="last"`}, 1, 2, 4, 9},
		{"several header lines", []string{`<https://a/x.json?page=3>; rel="next"`, `<https://a/x.json?page=5>; rel="last"`}, 0, 0, 3, 5},
		{"unquoted rel", []string{`<https://a/x.json?page=3>; rel=next`}, 0, 0, 3, 0},
		{"several rels in one", []string{`<https://a/x.json?page=7>; rel="next last"`}, 0, 0, 7, 7},
		{"odd white space and case", []string{"  <https://a/x.json?page=3> ;REL = \"Next\" ,\t<https://a/x.json?page=8>;rel=\"last\"  "}, 0, 0, 3, 8},
		{"other params first", []string{`<https://a/x.json?page=3>; title="a, b; c"; rel="next"`}, 0, 0, 3, 0},
		{"previous spelled out", []string{`<https://a/x.json?page=1>; rel="previous"`}, 0, 1, 0, 0},
		{"first without page", []string{`<https://a/x.json?api_key=k>; rel="first"`}, 1, 0, 0, 0},
		{"garbage between", []string{`junk, <https://a/x.json?page=3>; rel="next", more junk`}, 0, 0, 3, 0},
		{"bad page numbers", []string{`<https://a/x.json?page=abc>; rel="next", <https://a/x.json?page=-2>; rel="last"`}, 0, 0, 0, 0},
		{"unterminated", []string{`<https://a/x.json?page=3; rel="next"`}, 0, 0, 0, 0},
		{"empty", nil, 0, 0, 0, 0},
		{"escaped quote in param", []string{`<https://a/x.json?page=3>; title="x\"y"; rel="next"`}, 0, 0, 3, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for _, v := range tc.values {
				h.Add("Link", v)
			}
			first, prev, next, last := pageNumbers(h)
			require.Equal(t, []int{tc.first, tc.prev, tc.next, tc.last}, []int{first, prev, next, last})
		})
	}
}

func FuzzParseLinks(f *testing.F) {
	f.Add(`<https://retreaver.com/calls.json?api_key=w&page=6996>; rel="last", <https://retreaver.com/calls.json?page=2>; rel="next"`)
	f.Add(`<a>; rel="next last"; title="x\"y", <b>;rel=prev`)
	f.Add(`<<<>>>;;;,,,"""`)
	f.Add(`<x>; rel="`)
	f.Fuzz(func(t *testing.T, s string) {
		links := parseLinks([]string{s})
		for _, l := range links {
			for _, r := range l.rels {
				if r == "" {
					t.Fatalf("empty rel from %q", s)
				}
			}
		}
		h := http.Header{"Link": {s}}
		first, prev, next, last := pageNumbers(h)
		for _, n := range []int{first, prev, next, last} {
			if n < 0 {
				t.Fatalf("negative page %d from %q", n, s)
			}
		}
	})
}

// pagedCompanies answers companies.json with n pages of two companies each, with
// Link headers on another host (as the real API does) that carry the key.
func pagedCompanies(t *testing.T, mt *httpmock.MockTransport, pages int, next func(page int) int) *recorder {
	return recordAll(mt, func(w wireRequest) (*http.Response, error) {
		page, _ := strconv.Atoi(w.Query.Get("page"))
		if page == 0 {
			page = 1
		}
		body := fmt.Sprintf(`[{"company":{"id":%d,"name":"c%d"}},{"company":{"id":%d,"name":"c%d"}}]`, page*10+1, page*10+1, page*10+2, page*10+2)
		resp := httpmock.NewStringResponse(200, body)
		link := fmt.Sprintf(`<https://elsewhere.example/companies.json?api_key=%s&page=1>; rel="first", <https://elsewhere.example/companies.json?api_key=%s&page=%d>; rel="last"`, testKey, testKey, pages)
		if n := next(page); n > 0 {
			link += fmt.Sprintf(`, <https://elsewhere.example/companies.json?api_key=%s&page=%d>; rel="next"`, testKey, n)
		}
		resp.Header.Set("Link", link)
		return resp, nil
	})
}

func TestAllFollowsNextOnTheConfiguredHostOnly(t *testing.T) {
	c, mt := newTestClient(t)
	rec := pagedCompanies(t, mt, 3, func(p int) int {
		if p < 3 {
			return p + 1
		}
		return 0
	})
	var ids []int64
	for co, err := range c.Companies.All(context.Background(), nil) {
		require.NoError(t, err)
		ids = append(ids, co.ID)
	}
	require.Equal(t, []int64{11, 12, 21, 22, 31, 32}, ids)
	reqs := rec.all()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		require.Equal(t, "api.test", r.Host, "request %d went to the configured host", i)
		require.Equal(t, "/companies.json", r.Path)
		require.Empty(t, r.Query.Get("company_id"), "company endpoints carry no company_id")
	}
	require.Equal(t, "1", reqs[0].Query.Get("page"))
	require.Equal(t, "2", reqs[1].Query.Get("page"))
	require.Equal(t, "3", reqs[2].Query.Get("page"))
}

func TestAllStartsAtTheOptionsPage(t *testing.T) {
	c, mt := newTestClient(t)
	rec := pagedCompanies(t, mt, 3, func(p int) int {
		if p < 3 {
			return p + 1
		}
		return 0
	})
	n := 0
	for _, err := range c.Companies.All(context.Background(), &CompanyListOptions{ListOptions{Page: 2}}) {
		require.NoError(t, err)
		n++
	}
	require.Equal(t, 4, n)
	require.Equal(t, "2", rec.all()[0].Query.Get("page"))
}

func TestAllEndsWithAnErrorWhenNextDoesNotAdvance(t *testing.T) {
	for name, next := range map[string]func(int) int{
		"same page":    func(p int) int { return p },
		"earlier page": func(p int) int { return max(p-1, 1) },
		"back to 1":    func(p int) int { return map[int]int{1: 2, 2: 1}[p] },
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			rec := pagedCompanies(t, mt, 5, next)
			var got error
			n := 0
			for _, err := range c.Companies.All(context.Background(), nil) {
				if err != nil {
					got = err
					break
				}
				n++
			}
			require.ErrorIs(t, got, ErrPagination)
			require.LessOrEqual(t, len(rec.all()), 2)
		})
	}
}

func TestBreakingOutOfAllStopsFetching(t *testing.T) {
	c, mt := newTestClient(t)
	rec := pagedCompanies(t, mt, 100, func(p int) int { return p + 1 })
	n := 0
	for _, err := range c.Companies.All(context.Background(), nil) {
		require.NoError(t, err)
		n++
		if n == 3 {
			break
		}
	}
	require.Len(t, rec.all(), 2, "page 2 held the third item; nothing after it was fetched")
}

func TestAllReportsAPIErrorsAndStops(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		if w.Query.Get("page") == "2" {
			return httpmock.NewStringResponse(403, `{"error":"no access"}`), nil
		}
		resp := httpmock.NewStringResponse(200, `[{"company":{"id":1}}]`)
		resp.Header.Set("Link", `<https://api.test/companies.json?page=2>; rel="next"`)
		return resp, nil
	})
	var errs []error
	n := 0
	for co, err := range c.Companies.All(context.Background(), nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		require.Equal(t, int64(1), co.ID)
		n++
	}
	require.Equal(t, 1, n)
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], ErrForbidden)
	require.Len(t, rec.all(), 2)
}

func TestAllWithCancelledContext(t *testing.T) {
	c, mt := newTestClient(t)
	rec := pagedCompanies(t, mt, 3, func(p int) int { return p + 1 })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range c.Companies.All(ctx, nil) {
		require.True(t, errors.Is(err, context.Canceled))
	}
	require.Empty(t, rec.all())
}

func TestParseLinksRelsAndQuotedValues(t *testing.T) {
	links := parseLinks([]string{"<a>; rel=\"next\", <b>; rel=\"Next  LAST\", <c>; rel=\"\", <d>; rel=\"x\\\"y\"; title=\"t\", <e>; rel=\"a\u00a0b\""})
	require.Len(t, links, 5)
	require.Equal(t, []string{"next"}, links[0].rels)
	require.Equal(t, []string{"next", "last"}, links[1].rels)
	require.Empty(t, links[2].rels)
	require.Equal(t, []string{`x"y`}, links[3].rels)
	require.Equal(t, []string{"a", "b"}, links[4].rels, "Unicode white space separates relations too")
}

func TestAllDoesNotEndShortWhenAPageLacksItsLink(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, func(w wireRequest) (*http.Response, error) {
		page := w.Query.Get("page")
		resp := newJSONResponse(http.StatusOK, fmt.Sprintf(`[{"target":{"id":%s}}]`, page))
		if page == "1" {
			resp.Header.Set("Link", `<https://api.test/targets.json?page=2>; rel="next", <https://api.test/targets.json?page=3>; rel="last"`)
		}
		if page == "3" {
			resp.Header.Set("Link", `<https://api.test/targets.json?page=1>; rel="first"`)
		}
		return resp, nil // page 2 answers without its Link header
	})
	var ids []int64
	for target, err := range c.Targets.All(context.Background(), nil) {
		require.NoError(t, err)
		ids = append(ids, target.ID)
	}
	require.Equal(t, []int64{1, 2, 3}, ids, "page 1 announced 3 pages")
	require.Len(t, rec.all(), 3)
}
