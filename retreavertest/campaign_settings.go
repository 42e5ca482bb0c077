package retreavertest

import (
	"encoding/base64"
	"slices"
	"strings"
	"time"
)

// greeting is a campaign's (or a number's own) IVR greeting.
type greeting struct {
	message        *string
	voiceGender    string
	repeat         int
	audioName      *string
	audioSize      int
	audioUpdatedAt *time.Time
}

type greetingView struct {
	Message              *string `json:"message"`
	VoiceGender          string  `json:"voice_gender"`
	AudioFileName        *string `json:"audio_file_name,omitempty"`
	AudioFileContentType *string `json:"audio_file_content_type,omitempty"`
	AudioFileSize        *int    `json:"audio_file_size,omitempty"`
	AudioFileUpdatedAt   *jsTime `json:"audio_file_updated_at,omitempty"`
	Inherited            *bool   `json:"inherited,omitempty"`
}

// defaultGreeting is a greeting nobody set: voice_gender defaults to Female,
// as the reference says.
func defaultGreeting() greeting { return greeting{voiceGender: "Female", repeat: 4} }

func (g greeting) view(inherited *bool) greetingView {
	v := greetingView{Message: g.message, VoiceGender: g.voiceGender, Inherited: inherited}
	if g.audioName != nil {
		v.AudioFileName = g.audioName
		v.AudioFileContentType = strP("application/octet-stream")
		v.AudioFileSize = intP(g.audioSize)
		v.AudioFileUpdatedAt = tsp(g.audioUpdatedAt)
	}
	return v
}

// applyGreeting reads message, voice_gender, repeat and the Base64 audio fields.
// It reports whether any greeting field was given.
func applyGreeting(rc *reqCtx, g *greeting, a *attrs) bool {
	changed := a.strP("message", &g.message)
	if a.str("voice_gender", &g.voiceGender) {
		changed = true
		if g.voiceGender != "Male" && g.voiceGender != "Female" {
			a.fail("voice_gender", "is not included in the list")
		}
	}
	if a.int("repeat", &g.repeat) {
		changed = true
	}
	var data string
	if a.str("message_file_b64_data", &data) {
		changed = true
		audio, err := base64.StdEncoding.DecodeString(strings.TrimSpace(data))
		if err != nil {
			audio, err = base64.RawStdEncoding.DecodeString(strings.TrimSpace(data))
		}
		if err != nil || len(audio) == 0 {
			a.fail("message_file_b64_data", "is invalid")
		} else {
			name := a.get("message_file_b64_filename")
			if name == "" {
				name = "greeting"
			}
			g.audioName, g.audioSize, g.audioUpdatedAt = &name, len(audio), timeP(rc.now)
		}
	}
	return changed
}

type timer struct {
	id      int64
	seconds int
	url     string
}

type timerView struct {
	ID        int64  `json:"id"`
	Seconds   int    `json:"seconds"`
	URL       string `json:"url"`
	Inherited *bool  `json:"inherited,omitempty"`
}

type menuOption struct {
	id                      int64
	option                  string
	targetCID, targetNumber *string
}

type menuOptionView struct {
	ID           int64   `json:"id"`
	Option       string  `json:"option"`
	TargetCID    *string `json:"target_cid"`
	TargetNumber *string `json:"target_number"`
	Inherited    *bool   `json:"inherited,omitempty"`
}

func cloneTimers(ts []*timer) []*timer {
	if ts == nil {
		return nil
	}
	out := make([]*timer, len(ts))
	for i, t := range ts {
		cp := *t
		out[i] = &cp
	}
	return out
}

func cloneMenu(ms []*menuOption) []*menuOption {
	if ms == nil {
		return nil
	}
	out := make([]*menuOption, len(ms))
	for i, m := range ms {
		cp := *m
		out[i] = &cp
	}
	return out
}

// applyTimers handles timers_attributes: an entry with id updates (or with
// _destroy removes) that timer, one without id adds a timer (seconds and url required).
func applyTimers(rc *reqCtx, ts *[]*timer, a *attrs) (bool, error) {
	list, ok := a.list("timers_attributes")
	if !ok {
		return false, nil
	}
	if *ts == nil {
		*ts = []*timer{}
	}
	for _, e := range list {
		var t *timer
		var id int
		if e.int("id", &id) {
			i := slices.IndexFunc(*ts, func(x *timer) bool { return x.id == int64(id) })
			if i < 0 {
				return true, errNotFound()
			}
			if e.destroy() {
				*ts = slices.Delete(*ts, i, i+1)
				continue
			}
			t = (*ts)[i]
		} else {
			if !e.has("seconds") {
				e.fail("seconds", "can't be blank")
			}
			if e.get("url") == "" {
				e.fail("url", "can't be blank")
			}
			t = &timer{id: rc.st.nextID("timer")}
			*ts = append(*ts, t)
		}
		e.int("seconds", &t.seconds)
		e.str("url", &t.url)
	}
	return true, nil
}

const menuKeys = "1234567890*#"

// applyMenuOptions handles menu_options_attributes (also spelled
// menu_option_attributes, as the campaign reference does).
func applyMenuOptions(rc *reqCtx, ms *[]*menuOption, a *attrs) (bool, error) {
	key := "menu_options_attributes"
	if !a.has(key) {
		key = "menu_option_attributes"
	}
	list, ok := a.list(key)
	if !ok {
		return false, nil
	}
	if *ms == nil {
		*ms = []*menuOption{}
	}
	for _, e := range list {
		var m *menuOption
		var id int
		if e.int("id", &id) {
			i := slices.IndexFunc(*ms, func(x *menuOption) bool { return x.id == int64(id) })
			if i < 0 {
				return true, errNotFound()
			}
			if e.destroy() {
				*ms = slices.Delete(*ms, i, i+1)
				continue
			}
			m = (*ms)[i]
		} else {
			m = &menuOption{id: rc.st.nextID("menu_option")}
			*ms = append(*ms, m)
		}
		e.str("option", &m.option)
		if len(m.option) != 1 || !strings.Contains(menuKeys, m.option) {
			if m.option == "" {
				e.fail("option", "can't be blank")
			} else {
				e.fail("option", "is not included in the list")
			}
		}
		e.strP("target_cid", &m.targetCID)
		if e.strP("target_number", &m.targetNumber) && m.targetNumber != nil {
			m.targetNumber = strP(normalizePhone(*m.targetNumber))
		}
	}
	return true, nil
}

func renderTimers(ts []*timer, inherited *bool, wrapped bool) []any {
	out := make([]any, 0, len(ts))
	for _, t := range ts {
		v := timerView{ID: t.id, Seconds: t.seconds, URL: t.url, Inherited: inherited}
		if wrapped {
			out = append(out, wrap("timer", v))
		} else {
			out = append(out, v)
		}
	}
	return out
}

func renderMenu(ms []*menuOption, inherited *bool) []any {
	out := make([]any, 0, len(ms))
	for _, m := range ms {
		out = append(out, wrap("menu_option", menuOptionView{ID: m.id, Option: m.option, TargetCID: m.targetCID,
			TargetNumber: m.targetNumber, Inherited: inherited}))
	}
	return out
}
