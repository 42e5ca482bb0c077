package retreavertest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// reqCtx is what a handler sees. Handlers run with Server.mu held.
type reqCtx struct {
	srv    *Server
	st     *store
	r      *http.Request
	q      url.Values
	body   []byte
	vars   map[string]string
	co     *company
	header http.Header
	now    time.Time
	parsed map[string]any

	listKey *callerListKey // the caller list key of the request (scopeListKey)
}

// bodyMap decodes the request body once.
func (rc *reqCtx) bodyMap() (map[string]any, error) {
	if rc.parsed != nil {
		return rc.parsed, nil
	}
	m, err := decodeBody(rc.body, rc.r.Header.Get("Content-Type"))
	if err != nil {
		return nil, err
	}
	rc.parsed = m
	return m, nil
}

// attrs returns the resource fields of the body, wrapped in root or not.
func (rc *reqCtx) attrs(root string) (*attrs, error) {
	m, err := rc.bodyMap()
	if err != nil {
		return nil, err
	}
	return newAttrs(unwrap(m, root)), nil
}

// idVar parses the path variable name as an id (404 when it is not a number).
func (rc *reqCtx) idVar(name string) (int64, error) {
	id, err := strconv.ParseInt(rc.vars[name], 10, 64)
	if err != nil {
		return 0, errNotFound()
	}
	return id, nil
}

// companyScope resolves company_id: absent means the default ("active") company.
func (rc *reqCtx) companyScope() error {
	raw := rc.q.Get("company_id")
	id := rc.srv.CompanyID
	if raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return errStatus(http.StatusForbidden, "You do not have access to this company")
		}
		id = n
	}
	co := rc.st.company(id)
	if co == nil || co.forbidden {
		return errStatus(http.StatusForbidden, fmt.Sprintf("You do not have access to company %d", id))
	}
	rc.co = co
	return nil
}

// perPage reads per_page, bounded to [1, max]; the server page size otherwise.
func (rc *reqCtx) perPage(max int) int {
	n := rc.srv.cfg.pageSize
	if p, err := strconv.Atoi(rc.q.Get("per_page")); err == nil && p > 0 {
		n = p
	}
	if n > max {
		n = max
	}
	return n
}

// paginate returns one page of items and sets the Link header (see pageBounds).
func paginate[T any](rc *reqCtx, items []T, perPage int) []T {
	lo, hi := pageBounds(rc, len(items), perPage)
	return items[lo:hi]
}

// paginateDesc is paginate over items taken from the last one back: newest
// first when items are kept oldest first.
func paginateDesc[T any](rc *reqCtx, items []T, perPage int) []T {
	lo, hi := pageBounds(rc, len(items), perPage)
	page := make([]T, 0, hi-lo)
	for i := len(items) - 1 - lo; i >= len(items)-hi; i-- {
		page = append(page, items[i])
	}
	return page
}

// pageBounds reads the page parameter (1 when absent or invalid), sets the
// Link header for total items in pages of perPage, and returns the bounds
// [lo, hi) of the page; a page past the end is empty. The links (LinkHeader)
// are absolute URLs that carry every query parameter of the request (api_key
// included), with page=N.
func pageBounds(rc *reqCtx, total, perPage int) (lo, hi int) {
	page := 1
	if p, err := strconv.Atoi(rc.q.Get("page")); err == nil && p > 1 {
		page = p
	}
	last := max(1, (total+perPage-1)/perPage)
	rc.header.Set("Link", LinkHeader(rc.srv.URL+rc.r.URL.EscapedPath()+"?"+rc.r.URL.RawQuery, page, last))
	if page > last {
		return total, total
	}
	lo = (page - 1) * perPage
	return min(lo, total), min(lo+perPage, total)
}

// now is the fake's clock: UTC, millisecond precision like the API's timestamps.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// matchParam applies an optional exact-match list filter from the query string.
func matchParam(rc *reqCtx, key, value string) bool {
	want := rc.q.Get(key)
	return want == "" || want == value
}

func matchParamP(rc *reqCtx, key string, value *string) bool {
	want := rc.q.Get(key)
	return want == "" || (value != nil && *value == want)
}
