package retreaver

import "strings"

// Tag is one key:value tag, as set on targets and contacts through tag_list.
type Tag struct {
	Key   string
	Value string
}

// TagValue is a tag as the API reports it on an object (tag_values).
type TagValue struct {
	ID       int64  `json:"id"`
	Key      string `json:"key"`
	Value    string `json:"value"`
	Operator string `json:"operator"` // "==" for tags set through tag_list
}

// MaxTags is the most tags one tag_list may set.
const MaxTags = 100

// encodeTagList encodes tags as the API's tag_list string
// "<<<key:value>>>,<<<key:value>>>". A nil list encodes to nil (leave the tags
// alone); an empty, non-nil list to "" (clear them). More than MaxTags tags, an
// empty key, a key with ':' or anything that would break the <<< >>> framing is
// an error wrapping ErrInvalidArgument.
func encodeTagList(tags []Tag) (*string, error) {
	if tags == nil {
		return nil, nil
	}
	if len(tags) > MaxTags {
		return nil, invalidArg("%d tags, the API takes at most %d", len(tags), MaxTags)
	}
	var b strings.Builder
	for i, t := range tags {
		if err := t.validate(); err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("<<<")
		b.WriteString(t.Key)
		b.WriteByte(':')
		b.WriteString(t.Value)
		b.WriteString(">>>")
	}
	s := b.String()
	return &s, nil
}

func (t Tag) validate() error {
	switch {
	case t.Key == "":
		return invalidArg("tag key is empty")
	case strings.Contains(t.Key, ":"):
		return invalidArg("tag key %q contains ':'", t.Key)
	}
	for _, part := range []string{t.Key, t.Value} {
		if strings.Contains(part, "<<<") || strings.Contains(part, ">>>") ||
			strings.HasPrefix(part, "<") || strings.HasSuffix(part, ">") {
			return invalidArg("tag %q:%q would break the tag_list encoding (<<< or >>>, or < or > at an end)", t.Key, t.Value)
		}
	}
	return nil
}

// ParseTagList decodes a tag_list string ("<<<key:value>>>,<<<key:value>>>") into
// tags. "" is no tags. Text outside the <<< >>> framing is an error wrapping
// ErrInvalidArgument.
func ParseTagList(s string) ([]Tag, error) {
	tags := []Tag{}
	rest := s
	for rest != "" {
		if !strings.HasPrefix(rest, "<<<") {
			return nil, invalidArg("tag list %q: expected <<< at %q", s, rest)
		}
		end := strings.Index(rest[3:], ">>>")
		if end < 0 {
			return nil, invalidArg("tag list %q: unterminated tag", s)
		}
		body := rest[3 : 3+end]
		key, value, ok := strings.Cut(body, ":")
		if !ok || key == "" {
			return nil, invalidArg("tag list %q: tag %q is not key:value", s, body)
		}
		tags = append(tags, Tag{Key: key, Value: value})
		rest = rest[3+end+3:]
		if rest != "" {
			if rest[0] != ',' {
				return nil, invalidArg("tag list %q: expected ',' at %q", s, rest)
			}
			rest = rest[1:]
			if rest == "" {
				return nil, invalidArg("tag list %q ends with ','", s)
			}
		}
	}
	return tags, nil
}

// CapType names one of the four caps of a target or target group.
type CapType string

// The four cap types. A hard cap stops routing until it is reset; the others reset
// every hour, day or month. The values match Cap.Type in answers.
const (
	CapHard    CapType = "Hard"
	CapHourly  CapType = "Hourly"
	CapDaily   CapType = "Daily"
	CapMonthly CapType = "Monthly"
)

// attributesKey is the name of the cap's nested attributes in params:
// "hard_cap_attributes" and so on. It is "" for an unknown CapType.
func (t CapType) attributesKey() string {
	switch t {
	case CapHard:
		return "hard_cap_attributes"
	case CapHourly:
		return "hourly_cap_attributes"
	case CapDaily:
		return "daily_cap_attributes"
	case CapMonthly:
		return "monthly_cap_attributes"
	}
	return ""
}

// Cap is one cap of a target or target group as the API reports it.
type Cap struct {
	ID     int64   `json:"id"`
	Filled int     `json:"filled"` // calls counted so far
	Cap    *int    `json:"cap"`    // nil: no limit
	Type   CapType `json:"type"`   // CapHard, CapHourly, CapDaily or CapMonthly
}

// CapParams sets a cap: hard_cap_attributes and its siblings.
type CapParams struct {
	// Cap is the limit; required by the API when the cap is sent.
	Cap *int `json:"cap,omitempty"`
}
