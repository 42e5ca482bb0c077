package retreavertest

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// apiError is an error answer: a status and a JSON body.
type apiError struct {
	status int
	body   any
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %v", e.status, e.body) }

func errStatus(status int, msg string) error {
	return &apiError{status: status, body: map[string]string{"error": msg}}
}

func errNotFound() error { return errStatus(http.StatusNotFound, "Not found") }

func errBadRequest(msg string) error { return errStatus(http.StatusBadRequest, msg) }

func errUnprocessable(msg string) error { return errStatus(http.StatusUnprocessableEntity, msg) }

func errValidation(fe fieldErrors) error {
	return &apiError{status: http.StatusUnprocessableEntity, body: map[string]any{"errors": fe}}
}

// errBlank is the 422 for one missing required field.
func errBlank(field string) error { return errValidation(fieldErrors{field: {"can't be blank"}}) }

// response is a complete answer, computed under the lock and written afterwards
// (possibly mangled by a fault).
type response struct {
	status int
	header http.Header
	body   []byte
}

// rawBody is a handler result written as-is rather than as JSON.
type rawBody struct {
	contentType string
	data        []byte
}

// handler serves one method of one route. A nil body answers an empty body.
type handler func(rc *reqCtx) (status int, body any, err error)

type scope int

const (
	scopeCompany scope = iota // api_key, then company_id (default company when absent)
	scopeKey                  // api_key only (company endpoints)
	scopeNone                 // no api_key (RTB)
)

type route struct {
	segs    []string
	scope   scope
	methods map[string]handler
}

type router struct{ routes []*route }

// handle registers a pattern such as "targets/{id}" (the ".json" suffix is implied).
func (rt *router) handle(pattern string, sc scope, methods map[string]handler) {
	rt.routes = append(rt.routes, &route{segs: strings.Split(pattern, "/"), scope: sc, methods: methods})
}

// match finds the route for the path segments, preferring literal segments over
// variables, and returns the captured variables.
func (rt *router) match(segs []string) (*route, map[string]string) {
	var best *route
	bestScore := -1
	for _, r := range rt.routes {
		if len(r.segs) != len(segs) {
			continue
		}
		score, ok := 0, true
		for i, p := range r.segs {
			if strings.HasPrefix(p, "{") {
				if segs[i] == "" {
					ok = false
					break
				}
				continue
			}
			if p != segs[i] {
				ok = false
				break
			}
			score++
		}
		if ok && score > bestScore {
			best, bestScore = r, score
		}
	}
	if best == nil {
		return nil, nil
	}
	vars := map[string]string{}
	for i, p := range best.segs {
		if strings.HasPrefix(p, "{") {
			vars[strings.Trim(p, "{}")] = segs[i]
		}
	}
	return best, vars
}

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

// idVar parses the {id} path variable.
func (rc *reqCtx) idVar() (int64, error) {
	id, err := strconv.ParseInt(rc.vars["id"], 10, 64)
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

// paginate returns one page of items and sets the Link header: absolute URLs that
// carry every query parameter of the request (api_key included), with page=N.
func paginate[T any](rc *reqCtx, items []T, perPage int) []T {
	page := 1
	if p, err := strconv.Atoi(rc.q.Get("page")); err == nil && p > 1 {
		page = p
	}
	last := (len(items) + perPage - 1) / perPage
	if last < 1 {
		last = 1
	}
	link := func(n int, rel string) string {
		q := url.Values{}
		for k, v := range rc.q {
			q[k] = append([]string(nil), v...)
		}
		q.Set("page", strconv.Itoa(n))
		return fmt.Sprintf(`<%s%s?%s>; rel="%s"`, rc.srv.URL, rc.r.URL.EscapedPath(), q.Encode(), rel)
	}
	links := []string{link(1, "first")}
	if page > 1 {
		prev := page - 1
		if prev > last {
			prev = last
		}
		links = append(links, link(prev, "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"))
	}
	links = append(links, link(last, "last"))
	rc.header.Set("Link", strings.Join(links, ", "))
	start := (page - 1) * perPage
	if start >= len(items) {
		return items[:0]
	}
	end := start + perPage
	if end > len(items) {
		end = len(items)
	}
	return items[start:end]
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

// wrap puts an object under its root key: {"target": {...}}.
func wrap(root string, v any) map[string]any { return map[string]any{root: v} }

// wrapEach renders a list as the API does: [{"target": {...}}, ...].
func wrapEach[T any](root string, items []T, render func(T) any) []any {
	out := make([]any, 0, len(items))
	for _, it := range items {
		out = append(out, wrap(root, render(it)))
	}
	return out
}

// dispatch routes an API request and computes its answer.
func (s *Server) dispatch(r *http.Request, body []byte) response {
	name, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".json")
	if !ok {
		if strings.HasSuffix(r.URL.Path, ".xml") {
			return errorResponse(errStatus(http.StatusNotAcceptable, "Only JSON is supported by this server"))
		}
		return errorResponse(errNotFound())
	}
	q := r.URL.Query()
	rt, vars := s.router.match(pathSegments(r.URL, name))
	if rt == nil || rt.scope != scopeNone {
		if key := q.Get("api_key"); key == "" || key != s.APIKey {
			return errorResponse(errStatus(http.StatusUnauthorized, "Invalid or missing api_key"))
		}
	}
	if rt == nil {
		return errorResponse(errNotFound())
	}
	h := rt.methods[r.Method]
	if h == nil {
		allowed := make([]string, 0, len(rt.methods))
		for m := range rt.methods {
			allowed = append(allowed, m)
		}
		sort.Strings(allowed)
		resp := errorResponse(errStatus(http.StatusMethodNotAllowed, "Method not allowed"))
		resp.header.Set("Allow", strings.Join(allowed, ", "))
		return resp
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	rc := &reqCtx{srv: s, st: s.st, r: r, q: q, body: body, vars: vars, header: http.Header{}, now: now()}
	if rt.scope == scopeCompany {
		if err := rc.companyScope(); err != nil {
			return errorResponse(err)
		}
	}
	status, v, err := h(rc)
	if err != nil {
		resp := errorResponse(err)
		for k, vs := range rc.header {
			resp.header[k] = vs
		}
		return resp
	}
	resp := response{status: status, header: rc.header}
	switch b := v.(type) {
	case nil:
	case rawBody:
		resp.header.Set("Content-Type", b.contentType)
		resp.body = b.data
	default:
		resp.header.Set("Content-Type", "application/json; charset=utf-8")
		resp.body = marshal(v)
	}
	return resp
}

// pathSegments splits the path (without its leading "/" and ".json") on its
// unescaped slashes, so that an id holding an escaped one ("a%2Fb") stays one
// segment, as in Rails routes; each segment is then unescaped.
func pathSegments(u *url.URL, name string) []string {
	raw, ok := strings.CutSuffix(strings.TrimPrefix(u.EscapedPath(), "/"), ".json")
	if !ok {
		return strings.Split(name, "/")
	}
	segs := strings.Split(raw, "/")
	for i, seg := range segs {
		if v, err := url.PathUnescape(seg); err == nil {
			segs[i] = v
		}
	}
	return segs
}

func errorResponse(err error) response {
	ae, ok := err.(*apiError)
	if !ok {
		ae = &apiError{status: http.StatusInternalServerError, body: map[string]string{"error": err.Error()}}
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return response{status: ae.status, header: h, body: marshal(ae.body)}
}

// now is the fake's clock: UTC, millisecond precision like the API's timestamps.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }
