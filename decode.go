package retreaver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sync"
	"time"
)

// The API answers a single object wrapped in its root key ({"call": {...}}), now
// and then as a one-element array ([{"call": {...}}]) or bare ({...}); a list as an
// array of wrapped objects, or of bare ones. decodeOne and decodeList accept all of
// these. The common, wrapped shape is decoded in one pass straight into the model:
// the wrapper is a struct type built once per (model, root key) with reflect, the
// same struct a hand-written decoder would declare.

type wrapperKey struct {
	t    reflect.Type
	root string
}

var wrapperTypes sync.Map // wrapperKey -> reflect.Type of struct{ V *T `json:"root"` }

func wrapperType[T any](root string) reflect.Type {
	k := wrapperKey{reflect.TypeFor[T](), root}
	if t, ok := wrapperTypes.Load(k); ok {
		return t.(reflect.Type)
	}
	t := reflect.StructOf([]reflect.StructField{{
		Name: "V",
		Type: reflect.PointerTo(k.t),
		Tag:  reflect.StructTag(fmt.Sprintf(`json:%q`, root)),
	}})
	actual, _ := wrapperTypes.LoadOrStore(k, t)
	return actual.(reflect.Type)
}

var errEmptyBody = errors.New("empty body")

// decodeOne decodes one object that may come wrapped in root, as a one-element
// array, or bare.
func decodeOne[T any](data []byte, root string) (*T, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, errEmptyBody
	}
	if data[0] == '[' {
		list, err := decodeList[T](data, root)
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, errors.New("empty array where one object was expected")
		}
		return list[0], nil
	}
	if data[0] != '{' {
		return nil, errors.New("body is not a JSON object")
	}
	w := reflect.New(wrapperType[T](root))
	err := unmarshalLenient(data, w.Interface())
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return nil, err
	}
	if err == nil {
		if v := w.Elem().Field(0).Interface().(*T); v != nil {
			return v, nil
		}
	} else if wrappedObject(data, root) {
		return nil, err // wrapped, but its content does not fit the model
	}
	// Bare object (or one whose root-named field is not an object).
	v := new(T)
	if err := unmarshalLenient(data, v); err != nil {
		return nil, err
	}
	return v, nil
}

// decodeList decodes an array of objects, each wrapped in root or bare. An empty
// body or null is an empty list.
func decodeList[T any](data []byte, root string) ([]*T, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return nil, nil
	}
	if data[0] != '[' {
		return nil, errors.New("body is not a JSON array")
	}
	wt := wrapperType[T](root)
	sp := reflect.New(reflect.SliceOf(wt))
	err := unmarshalLenient(data, sp.Interface())
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return nil, err
	}
	if err == nil {
		s := sp.Elem()
		out := make([]*T, s.Len())
		complete := true
		for i := range out {
			out[i] = s.Index(i).Field(0).Interface().(*T)
			if out[i] == nil {
				complete = false
				break
			}
		}
		if complete {
			return out, nil
		}
	} else {
		var elems []json.RawMessage
		if json.Unmarshal(data, &elems) == nil && len(elems) > 0 && wrappedObject(elems[0], root) {
			return nil, err // wrapped, but the content does not fit the model
		}
	}
	var bare []*T
	if err := unmarshalLenient(data, &bare); err != nil {
		return nil, err
	}
	for i, v := range bare {
		if v == nil {
			return nil, fmt.Errorf("element %d is null", i)
		}
	}
	return bare, nil
}

// decodeElement decodes one object of a nested list that the API sends wrapped
// in root ({"timer": {...}}) or bare, into *dst. null leaves *dst alone. P is the
// model's plain type: it must not implement json.Unmarshaler itself.
func decodeElement[P any](b []byte, root string, dst *P) error {
	t := bytes.Trim(b, " \t\r\n") // JSON's white space only
	if bytes.Equal(t, []byte("null")) {
		return nil
	}
	if len(t) == 0 || t[0] != '{' {
		return json.Unmarshal(b, dst) // encoding/json's own type error
	}
	w := reflect.New(wrapperType[P](root))
	if err := unmarshalLenient(t, w.Interface()); err != nil {
		return err // includes a root key that holds no object
	}
	if v := w.Elem().Field(0).Interface().(*P); v != nil {
		*dst = *v
		return nil
	}
	return unmarshalLenient(t, dst)
}

// wrappedObject reports whether data is an object whose root key holds an object.
// It is only called on the error path.
func wrappedObject(data []byte, root string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return false
	}
	v := bytes.TrimSpace(m[root])
	return len(v) > 0 && v[0] == '{'
}

// unmarshalLenient is json.Unmarshal, with one fallback: when a timestamp does not
// parse as RFC 3339 (no offset, a space instead of T, an empty string), the
// timestamps are normalized and decoding is tried once more.
func unmarshalLenient(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	var pe *time.ParseError
	if err == nil || !errors.As(err, &pe) {
		return err
	}
	fixed := normalizeTimestamps(data)
	if bytes.Equal(fixed, data) {
		return err
	}
	return json.Unmarshal(fixed, v)
}

var (
	// "2024-11-04 16:52:18.034" or "2024-11-04T16:52:18" with an optional zone
	// written as "UTC", "+0000" or " +00:00".
	looseTimestamp = regexp.MustCompile(`"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d+)?)( ?(?:Z|UTC|[+-]\d{2}:?\d{2}))?"`)
	// "created_at": "" and the like: empty timestamps become null.
	emptyTimestamp = regexp.MustCompile(`("[A-Za-z_]*(?:_at|_time|_date)"\s*:\s*)""`)
)

func normalizeTimestamps(data []byte) []byte {
	data = emptyTimestamp.ReplaceAll(data, []byte(`${1}null`))
	return looseTimestamp.ReplaceAllFunc(data, func(m []byte) []byte {
		sub := looseTimestamp.FindSubmatch(m)
		zone := string(bytes.TrimSpace(sub[3]))
		switch {
		case zone == "" || zone == "UTC" || zone == "Z":
			zone = "Z"
		case len(zone) == 5: // +0000
			zone = zone[:3] + ":" + zone[3:]
		}
		return []byte(`"` + string(sub[1]) + "T" + string(sub[2]) + zone + `"`)
	})
}
