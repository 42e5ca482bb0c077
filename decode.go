package retreaver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// The API answers one object wrapped in its root key ({"call": {...}}) and a list
// as an array of wrapped objects ([{"call": {...}}, ...]); a few endpoints answer
// bare objects. Anything else with a 2xx status (an object without its root key
// or with it null, a list element without it, an empty body, an HTML page) is an
// error wrapping ErrUnexpectedResponse, never a zero value.
//
// Bounds: before decoding, a body is checked to hold at most maxItems list
// elements, at most one JSON object or array per bytesPerObject bytes and at
// most one element (of an array or an object) per bytesPerElement bytes, each
// plus an allowance for small answers; no real answer comes near these. A
// hostile body of empty objects or tiny elements would otherwise make decoding
// allocate hundreds of times its size; within them decoding allocates at most
// 32 times the body (decode_test.go measures it).

const (
	// maxItems is the most elements a list answer may have: the API sends at most
	// 100 a page.
	maxItems = 1000
	// bytesPerObject, bytesPerElement and shapeAllowance bound how many objects
	// and arrays, and how many elements, a body may hold for its size.
	bytesPerObject  = 32
	bytesPerElement = 5
	shapeAllowance  = 256
)

// checkBody rejects an empty body and one whose shape would cost far more
// memory than its size to decode.
func checkBody(body []byte) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return errEmptyBody
	}
	objects, elements, items := 0, 0, 0
	// The containers open at depths 1 and 2: a list is a top-level array, or an
	// array that is a value of the top-level object ({"rtb_inbounds": [...]}).
	var outer [2]byte
	depth, inString, escaped := 0, false, false
	for _, c := range body {
		switch {
		case escaped:
			escaped = false
		case inString:
			switch c {
			case '\\':
				escaped = true
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			objects++
			if (depth == 1 && outer[0] == '[') || (depth == 2 && outer[0] == '{' && outer[1] == '[') {
				items++
			}
			if depth >= 0 && depth < len(outer) { // malformed JSON can close more than it opened
				outer[depth] = c
			}
			depth++
		case c == ',':
			elements++
		case c == '}' || c == ']':
			depth--
		}
	}
	if items > maxItems {
		return fmt.Errorf("answer holds more than %d list elements: not a page", maxItems)
	}
	if objects > len(body)/bytesPerObject+shapeAllowance || elements > len(body)/bytesPerElement+shapeAllowance {
		return fmt.Errorf("answer holds %d objects and arrays, %d elements, in %d bytes: not an answer of the API", objects, elements, len(body))
	}
	return nil
}

// unexpectedEnd reports whether err says the JSON ended early.
func unexpectedEnd(err error, body []byte) bool {
	var se *json.SyntaxError
	return errors.As(err, &se) && se.Offset >= int64(len(bytes.TrimRightFunc(body, isJSONSpace)))
}

func isJSONSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\n' }

// decodeValue decodes a whole body into v: the common path of every decoder.
func decodeValue(body []byte, v any) error {
	if err := checkBody(body); err != nil {
		return err
	}
	if err := unmarshal(body, v); err != nil {
		if unexpectedEnd(err, body) {
			return fmt.Errorf("%w: %v", errTruncated, err)
		}
		return err
	}
	return nil
}

// element is a model as the API wraps it, {"root": {...}}: a struct whose one
// field, tagged with the root key, holds the model. Each wrapped model declares
// its own, beside its root:
//
//	type affiliateElement struct {
//		V *Affiliate `json:"affiliate"`
//	}
//
//	func (e affiliateElement) object() *Affiliate { return e.V }
//
// so that an answer, and a whole page of them, decodes in one json.Unmarshal
// with nothing built per element but the model itself (a map per element
// would cost a map, its key and its entry). A model with fields to read its
// own way (Call, Target, Campaign, ...) is held as it is sent instead, in a
// shadow that embeds its fields by value beside the odd ones (callJSON,
// targetJSON, ...), and object finishes it: the model's UnmarshalJSON is then
// never run per element, which would scan each element twice more. object
// returns nil when the element held none.
type element[T any] interface{ object() *T }

// decodeObject decodes {"root": {...}}, the root being the key that E's field
// is tagged with.
func decodeObject[E element[T], T any](body []byte, root string) (*T, error) {
	var env E
	if err := decodeValue(body, &env); err != nil {
		return nil, err
	}
	v := env.object()
	if v == nil {
		return nil, fmt.Errorf("answer has no %q object", root)
	}
	return v, nil
}

// decodeList decodes [{"root": {...}}, ...], the root being the key that E's
// field is tagged with.
func decodeList[E element[T], T any](body []byte, root string) ([]*T, error) {
	var envs []E
	if err := decodeValue(body, &envs); err != nil {
		return nil, err
	}
	out := make([]*T, len(envs))
	for i, env := range envs {
		if out[i] = env.object(); out[i] == nil {
			return nil, fmt.Errorf("list element %d has no %q object", i, root)
		}
	}
	return out, nil
}

// decodeBare decodes an object sent without a root key; null is not one. The
// caller checks that the fields the endpoint always sends are there.
func decodeBare[T any](body []byte) (*T, error) {
	var v *T
	if err := decodeValue(body, &v); err != nil {
		return nil, err
	}
	if v == nil {
		return nil, errors.New("answer is null, not an object")
	}
	return v, nil
}

// unmarshal is json.Unmarshal with one fallback, the only leniency of decoding:
// a time field (of type time.Time or *time.Time) that does not parse as RFC 3339
// is read with parseLenientTime, and decoding is done once more. No other
// field's text is ever changed.
func unmarshal(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	var pe *time.ParseError
	if err == nil || !errors.As(err, &pe) {
		return err
	}
	fixed, changed := relaxTimes(data, reflect.TypeOf(v))
	if !changed {
		return err
	}
	return json.Unmarshal(fixed, v)
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	wrappedType = reflect.TypeFor[interface{ wrapperKey() string }]()
)

// relaxTimes returns data, JSON that the Go type t reads, with the strings that
// t reads into time fields and that parse only leniently rewritten as RFC 3339
// (or null for ""), and reports whether it rewrote any. Every other byte is kept
// as it is. It follows the JSON's tokens and, beside them, the Go type each
// value is read into.
func relaxTimes(data []byte, t reflect.Type) ([]byte, bool) {
	type frame struct {
		t       reflect.Type // the object's or array's type; nil when it is read into nothing
		object  bool
		wantKey bool         // an object's next token is a key
		member  reflect.Type // the type of the object's current member
	}
	var (
		stack   []frame
		out     []byte
		scratch []byte // one rewritten time
		done    int    // data[:done] is in out
		end     int    // where the last token ended
	)
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		start := end
		end = int(dec.InputOffset())
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantKey {
			if key, ok := tok.(string); ok {
				top.member, top.wantKey = memberType(top.t, key), false
				continue
			}
		}
		// A value, or the end of an object or array.
		vt := t
		switch {
		case top == nil:
		case top.object:
			vt = top.member
		case top.t != nil && (top.t.Kind() == reflect.Slice || top.t.Kind() == reflect.Array):
			vt = top.t.Elem()
		default:
			vt = nil
		}
		for vt != nil && vt.Kind() == reflect.Pointer {
			vt = vt.Elem()
		}
		switch tok := tok.(type) {
		case json.Delim:
			switch tok {
			case '{', '[':
				stack = append(stack, frame{t: vt, object: tok == '{', wantKey: true})
				continue
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if vt == timeType {
				if fixed, ok := appendRelaxedTime(scratch[:0], tok); ok {
					if out == nil {
						out = make([]byte, 0, len(data)+len(data)/4)
					}
					q := start + bytes.IndexByte(data[start:end], '"')
					out = append(append(out, data[done:q]...), fixed...)
					scratch, done = fixed, end
				}
			}
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].wantKey = true
		}
	}
	if out == nil {
		return data, false
	}
	return append(out, data[done:]...), true
}

// memberType is the Go type that the member key of an object read into the type
// t is read into: nil for none.
func memberType(t reflect.Type, key string) reflect.Type {
	if t == nil {
		return nil
	}
	switch {
	case t.Kind() == reflect.Map:
		return t.Elem()
	case t.Kind() != reflect.Struct || t == timeType:
		return nil
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || (!f.IsExported() && !f.Anonymous):
			continue
		case f.Anonymous && name == "":
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if mt := memberType(ft, key); mt != nil {
				return mt
			}
			continue
		case name == "":
			name = f.Name
		}
		if strings.EqualFold(key, name) {
			return f.Type
		}
	}
	// Last, as it costs a value of t: the root key of a wrapped element.
	if reflect.PointerTo(t).Implements(wrappedType) && key == reflect.New(t).Interface().(interface{ wrapperKey() string }).wrapperKey() {
		return t
	}
	return nil
}

// appendRelaxedTime appends to b, as JSON, the RFC 3339 form of a timestamp that
// only parses leniently (null for ""), and reports false, appending nothing, for
// one that is already RFC 3339 or is no time at all.
func appendRelaxedTime(b []byte, s string) ([]byte, bool) {
	if s == "" {
		return append(b, "null"...), true
	}
	if len(s) > 10 && s[10] == 'T' && zoned(s) {
		if _, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return b, false
		}
	}
	t, ok := parseLenientTime(s)
	if !ok {
		return b, false
	}
	// RFC 3339 text holds nothing that JSON escapes.
	b = t.AppendFormat(append(b, '"'), time.RFC3339Nano)
	return append(b, '"'), true
}

// zoned reports whether a timestamp's text has a zone: Z, an offset, or UTC.
func zoned(s string) bool {
	return len(s) > 19 && strings.ContainsAny(s[19:], "Z+-") || strings.HasSuffix(s, "UTC")
}

// lenientLayouts are the timestamp spellings seen besides RFC 3339: a space
// instead of T, no zone (read as UTC), a zone written as UTC or +0000.
var lenientLayouts = []string{
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 Z07:00",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999 UTC",
	"2006-01-02T15:04:05.999999999 UTC",
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
}

// parseLenientTime reads a timestamp in one of lenientLayouts; times without a
// zone are UTC. The layouts that s cannot match (T or a space at index 10, a zone
// or none) are not tried: a failed parse costs an error.
func parseLenientTime(s string) (time.Time, bool) {
	hasZone := zoned(s)
	for _, layout := range lenientLayouts {
		if len(s) > 10 && s[10] != layout[10] || hasZone != (len(layout) > len("2006-01-02T15:04:05.999999999")) {
			continue
		}
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Nested elements that the API sends wrapped in their root key
// ({"timer": {...}}) or bare are decoded as a struct that embeds the bare
// fields beside a pointer for the wrapped ones (timerJSON and the like): the
// element is the wrapped one when there was one, the bare one otherwise. The
// models holding lists of them (Campaign, Number, TargetGroup, Call) decode
// those lists as such structs in their own pass and convert them with
// unwrapEach; the element types' UnmarshalJSON, for an element decoded alone,
// goes through the same struct.

// unwrapEach converts the nested elements as sent into the model's: nil for
// nil (the list was absent or null), so that both decodings agree.
func unwrapEach[W interface{ value() T }, T any](ws []W) []T {
	if ws == nil {
		return nil
	}
	out := make([]T, len(ws))
	for i := range ws {
		out[i] = ws[i].value()
	}
	return out
}

// The loose scalars read values the API writes in more than one way: a number
// as 2, 2.0 or "2", an id as a number or a numeric string. They decode within
// their parent's one pass; scalarText reads their JSON without decoding it
// again.

// scalarText returns the text of a JSON scalar: a string's contents, or a
// number's (or null's) literal text; quoted says which.
func scalarText(b []byte) (text string, quoted bool, err error) {
	s := bytes.TrimSpace(b)
	if len(s) == 0 || s[0] != '"' {
		return string(s), false, nil
	}
	if bytes.IndexByte(s, '\\') < 0 {
		return string(s[1 : len(s)-1]), true, nil
	}
	err = json.Unmarshal(s, &text)
	return text, true, err
}

// looseID is an id the API sends as a number, a numeric string or null.
type looseID struct{ v *int64 }

// UnmarshalJSON reads 123, "123", null or "".
func (l *looseID) UnmarshalJSON(b []byte) error {
	s, _, err := scalarText(b)
	if err != nil {
		return err
	}
	if s = strings.TrimSpace(s); s == "null" || s == "" {
		l.v = nil
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("id %s is not an integer", quoteValue(s))
	}
	l.v = &n
	return nil
}

func (l looseID) ptr() *int64 { return l.v }

// value is the id, 0 when absent.
func (l looseID) value() int64 {
	if l.v == nil {
		return 0
	}
	return *l.v
}

// looseFloat is a number the API may send as a number, a numeric string or
// null.
type looseFloat struct{ v *float64 }

// UnmarshalJSON reads 1.2, "1.2", null or "".
func (l *looseFloat) UnmarshalJSON(b []byte) error {
	s, _, err := scalarText(b)
	if err != nil {
		return err
	}
	if s = strings.TrimSpace(s); s == "null" || s == "" {
		l.v = nil
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return fmt.Errorf("%s is not a number", quoteValue(s))
	}
	l.v = &f
	return nil
}

// looseInt is an integer the API may write as 2, 2.0 or "2"; null is 0. A
// fraction is an error.
type looseInt int

// UnmarshalJSON reads the integer.
func (n *looseInt) UnmarshalJSON(b []byte) error {
	var f looseFloat
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	switch {
	case f.v == nil:
		*n = 0
	case *f.v != math.Trunc(*f.v) || math.Abs(*f.v) > 1<<53:
		return fmt.Errorf("%v is not an integer", *f.v)
	default:
		*n = looseInt(*f.v)
	}
	return nil
}

// looseText is text the API sends as a string or a number (kept as its text,
// an integral 30417.0 as "30417"); null is "".
type looseText string

// UnmarshalJSON reads the text.
func (t *looseText) UnmarshalJSON(b []byte) error {
	s, quoted, err := scalarText(b)
	switch {
	case err != nil:
		return err
	case quoted:
		*t = looseText(s)
		return nil
	case s == "null":
		*t = ""
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("%s is neither a string nor a number", quoteValue(s))
	}
	if f == math.Trunc(f) && math.Abs(f) <= 1<<53 && strings.ContainsAny(s, ".eE") {
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	*t = looseText(s)
	return nil
}

// quoteValue quotes a value for a decoding error: whole, so that redaction
// recognizes a credential in it, or not at all when it is long. (A value cut
// short could hold part of a credential that no redaction recognizes.)
func quoteValue(s string) string {
	if len(s) > 64 {
		return fmt.Sprintf("a value of %d bytes", len(s))
	}
	return strconv.Quote(s)
}
