package retreavertest

import (
	"net/http"
	"strings"
)

// resource describes a company-scoped collection with integer ids; addResource
// turns it into the usual routes, so list/get/create/update/delete, paging,
// wrapping and 404s are written once for every kind.
type resource[T entity] struct {
	plural string // path segment: "targets"
	root   string // JSON root key: "target"
	coll   func(rc *reqCtx) *collection[T]
	// scope is scopeCompany (the default) or scopeKey for global kinds.
	scope scope
	// access, when set, refuses an object the caller may not see (403).
	access func(rc *reqCtx, v T) error
	render func(rc *reqCtx, v T) any
	// renderWrite, when set, renders create and update answers (some kinds answer
	// writes in a slightly different shape than reads).
	renderWrite func(rc *reqCtx, v T) any
	// create validates the fields and returns the new object (not yet stored).
	create func(rc *reqCtx, a *attrs) (T, error)
	// update validates the fields, then changes v.
	update func(rc *reqCtx, v T, a *attrs) error
	// remove, when set, refuses a delete or cascades it.
	remove func(rc *reqCtx, v T) error
	// filter, when set, applies list query parameters.
	filter func(rc *reqCtx, v T) bool
	// keys are customer-editable ids: "afid" serves affiliates/afid/{afid}.json.
	keys map[string]func(T) string
	// deleteStatus is 200 (empty body) or 204; the real API varies per kind.
	deleteStatus int
	// ops restricts the operations: letters of "lgcud" (list, get, create,
	// update, delete). Empty means all.
	ops string
}

func (res *resource[T]) allows(op byte) bool {
	return res.ops == "" || strings.IndexByte(res.ops, op) >= 0
}

func addResource[T entity](rt *router, res *resource[T]) {
	collection := map[string]handler{}
	if res.allows('l') {
		collection[http.MethodGet] = func(rc *reqCtx) (int, any, error) {
			keep := func(v T) bool {
				return (res.access == nil || res.access(rc, v) == nil) && (res.filter == nil || res.filter(rc, v))
			}
			items := paginate(rc, res.coll(rc).filter(keep), rc.srv.cfg.pageSize)
			return http.StatusOK, wrapEach(res.root, items, func(v T) any { return res.render(rc, v) }), nil
		}
	}
	if res.allows('c') {
		collection[http.MethodPost] = func(rc *reqCtx) (int, any, error) {
			a, err := rc.attrs(res.root)
			if err != nil {
				return 0, nil, err
			}
			v, err := res.create(rc, a)
			if err != nil {
				return 0, nil, err
			}
			res.coll(rc).add(v)
			return http.StatusCreated, wrap(res.root, res.written(rc, v)), nil
		}
	}
	rt.handle(res.plural, res.scope, collection)

	byID := func(rc *reqCtx) (T, error) {
		var zero T
		id, err := rc.idVar()
		if err != nil {
			return zero, err
		}
		v, ok := res.coll(rc).get(id)
		if !ok {
			return zero, errNotFound()
		}
		return v, res.check(rc, v)
	}
	rt.handle(res.plural+"/{id}", res.scope, res.objectMethods(byID))
	for seg, key := range res.keys {
		byKey := func(rc *reqCtx) (T, error) {
			want := rc.vars["key"]
			v, ok := res.coll(rc).find(func(v T) bool { return key(v) == want })
			if !ok {
				return v, errNotFound()
			}
			return v, res.check(rc, v)
		}
		rt.handle(res.plural+"/"+seg+"/{key}", res.scope, res.objectMethods(byKey))
	}
}

func (res *resource[T]) check(rc *reqCtx, v T) error {
	if res.access == nil {
		return nil
	}
	return res.access(rc, v)
}

func (res *resource[T]) written(rc *reqCtx, v T) any {
	if res.renderWrite != nil {
		return res.renderWrite(rc, v)
	}
	return res.render(rc, v)
}

// objectMethods serves GET, PUT/PATCH and DELETE on one object found by lookup.
func (res *resource[T]) objectMethods(lookup func(rc *reqCtx) (T, error)) map[string]handler {
	m := map[string]handler{}
	if res.allows('g') {
		m[http.MethodGet] = func(rc *reqCtx) (int, any, error) {
			v, err := lookup(rc)
			if err != nil {
				return 0, nil, err
			}
			return http.StatusOK, wrap(res.root, res.render(rc, v)), nil
		}
	}
	if res.allows('u') {
		put := func(rc *reqCtx) (int, any, error) {
			v, err := lookup(rc)
			if err != nil {
				return 0, nil, err
			}
			a, err := rc.attrs(res.root)
			if err != nil {
				return 0, nil, err
			}
			if err := res.update(rc, v, a); err != nil {
				return 0, nil, err
			}
			return http.StatusOK, wrap(res.root, res.written(rc, v)), nil
		}
		m[http.MethodPut] = put
		m[http.MethodPatch] = put
	}
	if res.allows('d') {
		m[http.MethodDelete] = func(rc *reqCtx) (int, any, error) {
			v, err := lookup(rc)
			if err != nil {
				return 0, nil, err
			}
			if res.remove != nil {
				if err := res.remove(rc, v); err != nil {
					return 0, nil, err
				}
			}
			res.coll(rc).remove(v.getID())
			return res.deleteStatus, nil, nil
		}
	}
	return m
}
