package retreaver

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// RTBInboundFilters is the filters object of an RTB inbounds answer
// ([RTBInboundsService.ListWithFilters]): every value the account can filter
// the log by, to build a picker without paging campaigns, affiliates, targets
// and postback keys separately.
//
// The reference describes the object (lists of the valid campaign, publisher,
// target, postback key and status values) without printing one, so it is read
// tolerantly. A list is recognised by its key: campaign, campaigns,
// campaign_id, campaign_ids or campaign_id[] (and the same for the others;
// publisher and source are affiliate keys, call_endpoint a target key, status
// and statuses the statuses). Its values may be plain ids or statuses, objects
// with an id (or value) and a name (or label), or [label, value] pairs as
// HTML select options are written. Every key it does not recognise, and every
// recognised key whose value is none of those shapes, is kept as sent in
// Other: nothing is dropped.
type RTBInboundFilters struct {
	Campaigns    []RTBInboundFilterValue // values of CampaignIDs
	Affiliates   []RTBInboundFilterValue // values of AffiliateIDs (publishers, sources)
	Targets      []RTBInboundFilterValue // values of TargetIDs (call endpoints)
	PostbackKeys []RTBInboundFilterValue // values of PostbackKeyIDs
	Statuses     []RTBInboundFilterValue // values of Statuses
	// Other holds the keys not read into the lists above, as sent; nil when
	// there are none.
	Other map[string]json.RawMessage
}

// RTBInboundFilterValue is one value of a filter list.
type RTBInboundFilterValue struct {
	// Value is what the filter takes: an id as text ("123") or a status.
	Value string
	// Label is the value's name, for display; "" when the API sends none.
	Label string
}

// ID returns Value as an id, for the campaign, affiliate, target and postback
// key lists; false when Value is not an integer.
func (v RTBInboundFilterValue) ID() (int64, bool) {
	n, err := strconv.ParseInt(v.Value, 10, 64)
	return n, err == nil
}

// rtbFilterLists maps the keys a filter list may have to the list.
var rtbFilterLists = func() map[string]func(*RTBInboundFilters) *[]RTBInboundFilterValue {
	m := map[string]func(*RTBInboundFilters) *[]RTBInboundFilterValue{}
	add := func(get func(*RTBInboundFilters) *[]RTBInboundFilterValue, names ...string) {
		for _, n := range names {
			for _, k := range []string{n, n + "s", n + "_id", n + "_ids"} {
				m[k] = get
			}
		}
	}
	add(func(f *RTBInboundFilters) *[]RTBInboundFilterValue { return &f.Campaigns }, "campaign")
	add(func(f *RTBInboundFilters) *[]RTBInboundFilterValue { return &f.Affiliates }, "affiliate", "publisher", "source")
	add(func(f *RTBInboundFilters) *[]RTBInboundFilterValue { return &f.Targets }, "target", "call_endpoint")
	add(func(f *RTBInboundFilters) *[]RTBInboundFilterValue { return &f.PostbackKeys }, "postback_key")
	m["status"] = func(f *RTBInboundFilters) *[]RTBInboundFilterValue { return &f.Statuses }
	m["statuses"] = m["status"]
	return m
}()

// UnmarshalJSON reads the filters object (see [RTBInboundFilters]).
func (f *RTBInboundFilters) UnmarshalJSON(b []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	*f = RTBInboundFilters{}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys) // which of two keys for one list wins must not be random
	for _, k := range keys {
		raw := obj[k]
		if get := rtbFilterLists[strings.ToLower(strings.TrimSuffix(strings.TrimSpace(k), "[]"))]; get != nil {
			if dst := get(f); *dst == nil {
				if values, ok := filterValues(raw); ok {
					*dst = values
					continue
				}
			}
		}
		if f.Other == nil {
			f.Other = map[string]json.RawMessage{}
		}
		f.Other[k] = raw
	}
	return nil
}

// filterValues reads a list of values: an array of values, or an object of
// value -> label in the order sent.
func filterValues(raw json.RawMessage) ([]RTBInboundFilterValue, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, false
	}
	out := []RTBInboundFilterValue{}
	switch raw[0] {
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return nil, false
		}
		for _, it := range items {
			v, ok := filterValue(it)
			if !ok {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	case '{':
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if _, err := dec.Token(); err != nil {
			return nil, false
		}
		for dec.More() {
			t, err := dec.Token()
			key, isKey := t.(string)
			if err != nil || !isKey {
				return nil, false
			}
			var label json.RawMessage
			if dec.Decode(&label) != nil {
				return nil, false
			}
			l, ok := filterText(label)
			if !ok {
				if l = objectLabel(label); l == "" {
					return nil, false
				}
			}
			out = append(out, RTBInboundFilterValue{Value: key, Label: l})
		}
		return out, true
	}
	return nil, false
}

// filterValue reads one value: a string or number, an object with an id and a
// name, or a [label, value] pair.
func filterValue(raw json.RawMessage) (RTBInboundFilterValue, bool) {
	raw = bytes.TrimSpace(raw)
	if s, ok := filterText(raw); ok {
		return RTBInboundFilterValue{Value: s}, true
	}
	if len(raw) == 0 {
		return RTBInboundFilterValue{}, false
	}
	switch raw[0] {
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return RTBInboundFilterValue{}, false
		}
		v := RTBInboundFilterValue{Label: objectLabel(raw)}
		for _, k := range []string{"id", "value", "uuid", "key"} {
			if s, ok := filterText(obj[k]); ok {
				v.Value = s
				break
			}
		}
		return v, v.Value != ""
	case '[':
		var pair []json.RawMessage
		if json.Unmarshal(raw, &pair) != nil || len(pair) != 2 {
			return RTBInboundFilterValue{}, false
		}
		label, ok1 := filterText(pair[0])
		value, ok2 := filterText(pair[1])
		return RTBInboundFilterValue{Value: value, Label: label}, ok1 && ok2 && value != ""
	}
	return RTBInboundFilterValue{}, false
}

// objectLabel returns the name (or label, title, text) of an object; "" when
// raw is no object or has none.
func objectLabel(raw json.RawMessage) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	for _, k := range []string{"name", "label", "title", "text"} {
		if s, ok := filterText(obj[k]); ok {
			return s
		}
	}
	return ""
}

// filterText reads a JSON string or number as text; false for anything else.
func filterText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] == '{' || raw[0] == '[' || raw[0] == 'n' || raw[0] == 't' || raw[0] == 'f' {
		return "", false
	}
	var t looseText
	if t.UnmarshalJSON(raw) != nil {
		return "", false
	}
	return string(t), true
}
