package retreavertest

import "strings"

// tagValue is one entry of a tag_values array.
type tagValue struct {
	Key      string `json:"key"`
	Value    string `json:"value"`
	Operator string `json:"operator"`
	ID       int64  `json:"id"`
}

// tagValues finds or creates the company's tag values for parsed pairs; the same
// key and value always get the same id, like the real "create/find" behaviour.
func (s *store) tagValues(co *company, pairs [][2]string) []tagValue {
	out := make([]tagValue, 0, len(pairs))
	for _, p := range pairs {
		k := p[0] + "\x00" + p[1]
		id, ok := co.tagIDs[k]
		if !ok {
			id = s.nextID("tag_value")
			co.tagIDs[k] = id
		}
		co.tagKeys[p[0]] = true
		out = append(out, tagValue{Key: p[0], Value: p[1], Operator: "==", ID: id})
	}
	return out
}

// maxTags is the documented limit of tags set through tag_list.
const maxTags = 100

// parseTagList parses "<<<key:value>>>,<<<key:value>>>"; "" is an empty list.
func parseTagList(s string) ([][2]string, bool) {
	s = strings.TrimSpace(s)
	var out [][2]string
	for s != "" {
		if !strings.HasPrefix(s, "<<<") {
			return nil, false
		}
		end := strings.Index(s, ">>>")
		if end < 0 {
			return nil, false
		}
		kv := s[3:end]
		key, value, ok := strings.Cut(kv, ":")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return nil, false
		}
		out = append(out, [2]string{key, value})
		s = strings.TrimSpace(s[end+3:])
		if s != "" {
			if s[0] != ',' {
				return nil, false
			}
			s = strings.TrimSpace(s[1:])
		}
	}
	return out, true
}

// applyTagList handles tag_list on targets and contacts.
func (s *store) applyTagList(co *company, a *attrs, dst *[]tagValue) {
	if !a.has("tag_list") {
		return
	}
	raw := a.get("tag_list")
	pairs, ok := parseTagList(raw)
	if !ok {
		a.fail("tag_list", "is invalid")
		return
	}
	if len(pairs) > maxTags {
		a.fail("tag_list", "is too long (maximum is 100 tags)")
		return
	}
	*dst = s.tagValues(co, pairs)
}
