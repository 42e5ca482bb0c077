package retreavertest

import (
	"net/http"
	"strings"
)

// resource describes a plain CRUD kind: a collection with integer ids. The
// route table serves it through onList, onID and onKey, so listing, paging,
// creating, reading, updating, deleting, wrapping and 404s are written once
// for every such kind.
type resource[T entity] struct {
	root string // JSON root key: "target"
	coll func(rc *reqCtx) *collection[T]
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
	// key, when set, is the customer-editable id (afid, tid, cid) onKey finds
	// objects by.
	key func(T) string
	// deleteStatus is 200 (empty body) or 204; the real API varies per kind.
	deleteStatus int
	// ops restricts the operations: letters of "lgcud" (list, get, create,
	// update, delete). Empty means all.
	ops string
}

func (res *resource[T]) allows(op byte) bool {
	return res.ops == "" || strings.IndexByte(res.ops, op) >= 0
}

// onList serves the collection: GET lists one page, POST creates (201).
func (res *resource[T]) onList() methods {
	m := methods{}
	if res.allows('l') {
		m[http.MethodGet] = func(rc *reqCtx) (int, any, error) {
			keep := func(v T) bool {
				return (res.access == nil || res.access(rc, v) == nil) && (res.filter == nil || res.filter(rc, v))
			}
			items := paginate(rc, res.coll(rc).filter(keep), rc.srv.cfg.pageSize)
			return http.StatusOK, wrapEach(res.root, items, func(v T) any { return res.render(rc, v) }), nil
		}
	}
	if res.allows('c') {
		m[http.MethodPost] = func(rc *reqCtx) (int, any, error) {
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
	return m
}

// onID serves one object found by the {id} path variable.
func (res *resource[T]) onID() methods {
	return res.onObject(func(rc *reqCtx) (T, error) {
		v, err := lookupID(rc, res.coll(rc))
		if err != nil {
			return v, err
		}
		return v, res.check(rc, v)
	})
}

// onKey serves one object found by its customer id, the {key} path variable.
func (res *resource[T]) onKey() methods {
	return res.onObject(func(rc *reqCtx) (T, error) {
		want := rc.vars["key"]
		v, ok := res.coll(rc).find(func(v T) bool { return res.key(v) == want })
		if !ok {
			return v, errNotFound()
		}
		return v, res.check(rc, v)
	})
}

// onObject serves GET, PUT/PATCH and DELETE on one object found by lookup.
func (res *resource[T]) onObject(lookup func(rc *reqCtx) (T, error)) methods {
	m := methods{}
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

// lookupID finds the object named by the {id} path variable (404 when there is none).
func lookupID[T entity](rc *reqCtx, c *collection[T]) (T, error) {
	return lookupVar(rc, c, "id")
}

// lookupVar finds the object whose id is the path variable name (404 when
// there is none).
func lookupVar[T entity](rc *reqCtx, c *collection[T], name string) (T, error) {
	var zero T
	id, err := rc.idVar(name)
	if err != nil {
		return zero, err
	}
	v, ok := c.get(id)
	if !ok {
		return zero, errNotFound()
	}
	return v, nil
}
