package retreavertest

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

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

// methods maps HTTP methods to the handlers of one route.
type methods = map[string]handler

// scope is what a route requires of a request before its handler runs.
type scope int

const (
	scopeCompany scope = iota // api_key, then company_id (default company when absent)
	scopeKey                  // api_key only (company endpoints)
	scopeNone                 // no api_key (RTB, call data writing: the handler checks the key)
	scopeListKey              // a caller list postback key (key and Bearer secret), no api_key
)

type route struct {
	segs    []string
	scope   scope
	methods methods
	bare    bool // the path has no ".json" suffix
}

// router holds the route table (see routes) and matches paths against it.
type router struct{ routes []*route }

// handle adds a route: a pattern such as "targets/{id}" (the ".json" suffix is
// implied), its scope and its handlers.
func (rt *router) handle(pattern string, sc scope, ms methods) {
	rt.routes = append(rt.routes, &route{segs: strings.Split(pattern, "/"), scope: sc, methods: ms})
}

// handleBare adds a route whose path has no ".json" suffix.
func (rt *router) handleBare(pattern string, sc scope, ms methods) {
	rt.handle(pattern, sc, ms)
	rt.routes[len(rt.routes)-1].bare = true
}

// match finds the route for the path segments, preferring literal segments over
// variables, and returns the captured variables. bare says whether the path
// lacked the ".json" suffix.
func (rt *router) match(segs []string, bare bool) (*route, map[string]string) {
	var best *route
	bestScore := -1
	for _, r := range rt.routes {
		if len(r.segs) != len(segs) || r.bare != bare {
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

// dispatch routes an API request and computes its answer.
func (s *Server) dispatch(r *http.Request, body []byte) response {
	name, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".json")
	rt, vars := s.router.match(pathSegments(r.URL, name), !ok)
	if !ok && rt == nil {
		if strings.HasSuffix(r.URL.Path, ".xml") {
			return errorResponse(errStatus(http.StatusNotAcceptable, "Only JSON is supported by this server"))
		}
		return errorResponse(errNotFound())
	}
	q := r.URL.Query()
	if rt == nil || (rt.scope != scopeNone && rt.scope != scopeListKey) {
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
	switch rt.scope {
	case scopeCompany:
		if err := rc.companyScope(); err != nil {
			return errorResponse(err)
		}
	case scopeListKey:
		if err := rc.callerListAuth(); err != nil {
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
