package retreavertest

import (
	"bytes"
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// attrs is a decoded request body (or one nested object of it) with lenient,
// Rails-like coercion: "1000" is a fine integer, "true" and "1" are true.
// Coercion failures are recorded in errs under the (prefixed) field name.
type attrs struct {
	m      map[string]any
	errs   fieldErrors
	prefix string
}

func newAttrs(m map[string]any) *attrs {
	if m == nil {
		m = map[string]any{}
	}
	return &attrs{m: m, errs: fieldErrors{}}
}

func (a *attrs) field(k string) string {
	if a.prefix == "" {
		return k
	}
	return a.prefix + "." + k
}

func (a *attrs) fail(k, msg string) { a.errs.add(a.field(k), msg) }

// err returns a 422 error when any field failed, else nil.
func (a *attrs) err() error {
	if len(a.errs) == 0 {
		return nil
	}
	return errValidation(a.errs)
}

func (a *attrs) has(k string) bool { _, ok := a.m[k]; return ok }

// str sets *dst when k is present; null becomes "".
func (a *attrs) str(k string, dst *string) bool {
	v, ok := a.m[k]
	if !ok {
		return false
	}
	s, ok := scalarString(v)
	if !ok {
		a.fail(k, "is invalid")
		return false
	}
	*dst = s
	return true
}

// strP sets *dst when k is present; null and "" become nil.
func (a *attrs) strP(k string, dst **string) bool {
	var s string
	if !a.str(k, &s) {
		return false
	}
	if s == "" {
		*dst = nil
	} else {
		*dst = &s
	}
	return true
}

// get returns the string value of k, or "" when absent.
func (a *attrs) get(k string) string {
	var s string
	a.str(k, &s)
	return s
}

func (a *attrs) int(k string, dst *int) bool {
	var p *int
	if !a.intP(k, &p) {
		return false
	}
	if p == nil {
		a.fail(k, "can't be blank")
		return false
	}
	*dst = *p
	return true
}

// intP sets *dst when k is present; null and "" become nil.
func (a *attrs) intP(k string, dst **int) bool {
	v, ok := a.m[k]
	if !ok {
		return false
	}
	n, isNull, ok := toInt(v)
	if !ok {
		a.fail(k, "is not a number")
		return false
	}
	if isNull {
		*dst = nil
	} else {
		*dst = &n
	}
	return true
}

func (a *attrs) bool(k string, dst *bool) bool {
	v, ok := a.m[k]
	if !ok {
		return false
	}
	switch b := v.(type) {
	case bool:
		*dst = b
	case nil:
		*dst = false
	case json.Number:
		*dst = b.String() != "0"
	case string:
		switch strings.ToLower(strings.TrimSpace(b)) {
		case "true", "1", "t", "yes", "on":
			*dst = true
		case "false", "0", "f", "no", "off", "":
			*dst = false
		default:
			a.fail(k, "is invalid")
			return false
		}
	default:
		a.fail(k, "is invalid")
		return false
	}
	return true
}

// int64s reads an array of ids ([1,2], ["1","2"] or "1,2").
func (a *attrs) int64s(k string) ([]int64, bool) {
	v, ok := a.m[k]
	if !ok {
		return nil, false
	}
	var items []any
	switch x := v.(type) {
	case []any:
		items = x
	case nil:
		return []int64{}, true
	case string:
		for _, p := range strings.Split(x, ",") {
			if p = strings.TrimSpace(p); p != "" {
				items = append(items, p)
			}
		}
	default:
		items = []any{x}
	}
	out := make([]int64, 0, len(items))
	for _, it := range items {
		n, isNull, ok := toInt(it)
		if !ok || isNull {
			a.fail(k, "is invalid")
			return nil, false
		}
		out = append(out, int64(n))
	}
	return out, true
}

// obj returns the nested object under k.
func (a *attrs) obj(k string) (*attrs, bool) {
	v, ok := a.m[k]
	if !ok {
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		a.fail(k, "is invalid")
		return nil, false
	}
	return &attrs{m: m, errs: a.errs, prefix: a.field(strings.TrimSuffix(k, "_attributes"))}, true
}

// list returns the nested objects under k: a JSON array of objects, or a
// Rails-style hash of them keyed by index ({"0": {...}, "1": {...}}).
func (a *attrs) list(k string) ([]*attrs, bool) {
	v, ok := a.m[k]
	if !ok {
		return nil, false
	}
	prefix := a.field(strings.TrimSuffix(k, "_attributes"))
	var out []*attrs
	switch x := v.(type) {
	case []any:
		for _, it := range x {
			m, ok := it.(map[string]any)
			if !ok {
				a.fail(k, "is invalid")
				return nil, false
			}
			out = append(out, &attrs{m: m, errs: a.errs, prefix: prefix})
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for key := range x {
			keys = append(keys, key)
		}
		sort.Slice(keys, func(i, j int) bool {
			ni, ei := strconv.Atoi(keys[i])
			nj, ej := strconv.Atoi(keys[j])
			if ei == nil && ej == nil {
				return ni < nj
			}
			return keys[i] < keys[j]
		})
		for _, key := range keys {
			m, ok := x[key].(map[string]any)
			if !ok {
				a.fail(k, "is invalid")
				return nil, false
			}
			out = append(out, &attrs{m: m, errs: a.errs, prefix: prefix})
		}
	case nil:
	default:
		a.fail(k, "is invalid")
		return nil, false
	}
	return out, true
}

// destroy reports whether a nested entry asks to be removed (_destroy).
func (a *attrs) destroy() bool {
	var b bool
	a.bool("_destroy", &b)
	return b
}

func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case nil:
		return "", true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

func toInt(v any) (n int, isNull, ok bool) {
	switch x := v.(type) {
	case nil:
		return 0, true, true
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i), false, true
		}
		if f, err := x.Float64(); err == nil && f == float64(int64(f)) {
			return int(f), false, true
		}
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return 0, true, true
		}
		if i, err := strconv.Atoi(s); err == nil {
			return i, false, true
		}
	case bool:
		if x {
			return 1, false, true
		}
		return 0, false, true
	}
	return 0, false, false
}

// decodeBody reads a JSON object or a form body into a map. JSON numbers stay
// json.Number. Form fields written Rails-style ("target[name]") lose their
// root; "root[list][][field]" is not supported (send JSON for nested data).
func decodeBody(body []byte, contentType string) (map[string]any, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return map[string]any{}, nil
	}
	isForm := strings.HasPrefix(contentType, "application/x-www-form-urlencoded")
	if !isForm && (trimmed[0] == '{' || strings.Contains(contentType, "json")) {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return nil, errBadRequest("the request body is not a valid JSON object")
		}
		if m == nil {
			m = map[string]any{}
		}
		return m, nil
	}
	vals, err := url.ParseQuery(string(trimmed))
	if err != nil {
		return nil, errBadRequest("the request body could not be parsed")
	}
	return formToMap(vals), nil
}

// formToMap turns form or query values into a flat map: "a[b]" becomes "b"
// under the object "a", so unwrapping works the same as for JSON.
func formToMap(vals url.Values) map[string]any {
	m := map[string]any{}
	for k, vs := range vals {
		if len(vs) == 0 {
			continue
		}
		v := vs[len(vs)-1]
		if i := strings.IndexByte(k, '['); i > 0 && strings.HasSuffix(k, "]") {
			root, inner := k[:i], strings.TrimSuffix(k[i+1:], "]")
			if strings.HasSuffix(inner, "][") || strings.HasSuffix(k, "[]") {
				inner = strings.TrimSuffix(strings.TrimSuffix(inner, "]["), "[")
				sub, _ := m[root].(map[string]any)
				if sub == nil {
					sub = map[string]any{}
					m[root] = sub
				}
				list := make([]any, 0, len(vs))
				for _, x := range vs {
					list = append(list, x)
				}
				if inner == "" {
					m[root] = list
				} else {
					sub[inner] = list
				}
				continue
			}
			sub, _ := m[root].(map[string]any)
			if sub == nil {
				sub = map[string]any{}
				m[root] = sub
			}
			sub[inner] = v
			continue
		}
		m[k] = v
	}
	return m
}

// unwrap returns the fields of the resource: those under the root key
// ({"target": {...}}) merged over any top-level fields (the unwrapped form).
func unwrap(m map[string]any, root string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if k == root || k == "api_key" || k == "company_id" {
			continue
		}
		out[k] = v
	}
	if inner, ok := m[root].(map[string]any); ok {
		for k, v := range inner {
			out[k] = v
		}
	}
	return out
}
