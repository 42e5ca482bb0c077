package retreaver

import (
	"encoding/base64"
	"slices"
	"strings"
)

// The checks that several params types share: caps, phone numbers, number
// types and countries, greetings with their timers and menu options. Every
// params type has a validate method that runs before any request; these are
// the pieces they have in common.

// VoiceGender is the text-to-speech voice of a greeting.
type VoiceGender string

// Text-to-speech voices of CampaignParams.VoiceGender and NumberParams.VoiceGender.
const (
	VoiceGenderFemale VoiceGender = "Female" // the API's default
	VoiceGenderMale   VoiceGender = "Male"
)

// TimerParams creates or changes one timer (timers_attributes). Without ID it
// adds a timer, and Seconds and URL are required; with ID it changes the
// existing timer with that ID.
type TimerParams struct {
	// ID of an existing timer to change; nil adds a new timer.
	ID *int64 `json:"id,omitempty"`
	// Seconds the call must last before URL is fired; 0 fires when the call
	// starts. Negative timers are not affected by dedupe_seconds.
	Seconds *int `json:"seconds,omitempty"`
	// URL to fire. It need not be a pixel; it receives the cookies set on the
	// 0-second timer, and redirects are followed.
	URL *string `json:"url,omitempty"`
}

func (p *TimerParams) validate(i int) error {
	if p.ID != nil && *p.ID <= 0 {
		return invalidArg("timer %d: id must be positive, got %d", i, *p.ID)
	}
	if p.URL != nil && strings.TrimSpace(*p.URL) == "" {
		return invalidArg("timer %d: url is empty", i)
	}
	if p.ID == nil && (p.Seconds == nil || p.URL == nil) {
		return invalidArg("timer %d: a new timer needs seconds and url", i)
	}
	return nil
}

// MenuOptionParams creates or changes one menu option (menu_options_attributes).
// Without ID it adds an option, and Option is required; with ID it changes the
// existing option with that ID.
type MenuOptionParams struct {
	// ID of an existing menu option to change; nil adds a new one.
	ID *int64 `json:"id,omitempty"`
	// Option is the key the caller presses: one of 1 2 3 4 5 6 7 8 9 0 * #. Use
	// "1" to forward calls at once when there is no IVR.
	Option *string `json:"option,omitempty"`
	// TargetNumber is a phone number to forward the caller to; timers of more
	// than 0 seconds start when it answers.
	TargetNumber *string `json:"target_number,omitempty"`
	// TargetCID is the cid of a campaign to send the caller to (it may be the
	// same campaign, to replay the greeting). It overrides TargetNumber.
	TargetCID *string `json:"target_cid,omitempty"`
}

func (p *MenuOptionParams) validate(i int) error {
	if p.ID != nil && *p.ID <= 0 {
		return invalidArg("menu option %d: id must be positive, got %d", i, *p.ID)
	}
	if p.Option == nil {
		if p.ID == nil {
			return invalidArg("menu option %d: a new menu option needs option", i)
		}
		return nil
	}
	if o := *p.Option; len(o) != 1 || !strings.Contains("1234567890*#", o) {
		return invalidArg("menu option %d: option must be one of 1 2 3 4 5 6 7 8 9 0 * #, got %q", i, o)
	}
	return nil
}

// greetingParams are the greeting, timer and menu option fields that campaigns
// and numbers share, checked the same way for both.
type greetingParams struct {
	voiceGender *VoiceGender
	b64Data     *string
	b64Filename *string
	repeat      *int
	timers      []TimerParams
	menuOptions []MenuOptionParams
}

func (g greetingParams) validate() error {
	if g.voiceGender != nil && *g.voiceGender != VoiceGenderMale && *g.voiceGender != VoiceGenderFemale {
		return invalidArg("voice gender must be %q or %q, got %q", VoiceGenderMale, VoiceGenderFemale, *g.voiceGender)
	}
	switch {
	case g.b64Data != nil && *g.b64Data == "":
		return invalidArg("greeting audio (message_file_b64_data) is empty")
	case g.b64Filename != nil && strings.TrimSpace(*g.b64Filename) == "":
		return invalidArg("greeting audio file name (message_file_b64_filename) is empty")
	case (g.b64Data == nil) != (g.b64Filename == nil):
		return invalidArg("message_file_b64_data and message_file_b64_filename must be set together (see SetGreetingAudio)")
	}
	if g.repeat != nil && *g.repeat < 0 {
		return invalidArg("repeat must not be negative, got %d", *g.repeat)
	}
	for i := range g.timers {
		if err := g.timers[i].validate(i); err != nil {
			return err
		}
	}
	for i := range g.menuOptions {
		if err := g.menuOptions[i].validate(i); err != nil {
			return err
		}
	}
	return nil
}

// greetingAudio returns the base64 data and the base name of filename, as
// SetGreetingAudio stores them. Empty input is stored as empty strings, which
// validation then reports.
func greetingAudio(filename string, audio []byte) (data, name *string) {
	if i := strings.LastIndexAny(filename, `/\`); i >= 0 {
		filename = filename[i+1:]
	}
	d := base64.StdEncoding.EncodeToString(audio)
	return &d, &filename
}

// validateCaps checks the hard, hourly, daily and monthly cap params, in that order.
func validateCaps(hard, hourly, daily, monthly *CapParams) error {
	for i, c := range []*CapParams{hard, hourly, daily, monthly} {
		if c == nil {
			continue
		}
		kind := []CapType{CapHard, CapHourly, CapDaily, CapMonthly}[i]
		if c.Cap == nil {
			return invalidArg("%s cap: cap is required when the cap is set", strings.ToLower(string(kind)))
		}
		if *c.Cap < 0 {
			return invalidArg("%s cap must not be negative, got %d", strings.ToLower(string(kind)), *c.Cap)
		}
	}
	return nil
}

// capBody is the params of SetCap: {"hard_cap_attributes": {"cap": limit}}.
func capBody(capType CapType, limit int) (map[string]CapParams, error) {
	key := capType.attributesKey()
	if key == "" {
		return nil, invalidArg("unknown cap type %q (want CapHard, CapHourly, CapDaily or CapMonthly)", string(capType))
	}
	if limit < 0 {
		return nil, invalidArg("cap must not be negative, got %d", limit)
	}
	return map[string]CapParams{key: {Cap: &limit}}, nil
}

// NumberType is the kind of a tracking number or of the numbers of a pool.
type NumberType string

// Kinds of number for NumberParams.Type and NumberPoolParams.Type (and the values
// of NumberPool.Type).
const (
	NumberTypeTollFree NumberType = "Toll-free" // the API's default
	NumberTypeLocal    NumberType = "Local"
)

// numberCountries are the country codes the API accepts for local numbers and
// number pools.
var numberCountries = []string{"US", "CA", "AT", "BE", "DK", "FI", "FR", "GB", "IE", "IT", "NL", "PL", "SE"}

func checkNumberType(t *NumberType) error {
	if t != nil && *t != NumberTypeTollFree && *t != NumberTypeLocal {
		return invalidArg("number type must be %q or %q, got %q", NumberTypeTollFree, NumberTypeLocal, *t)
	}
	return nil
}

func checkCountry(c *string) error {
	if c == nil {
		return nil
	}
	for _, ok := range numberCountries {
		if *c == ok {
			return nil
		}
	}
	return invalidArg("country must be one of %s, got %q", strings.Join(numberCountries, " "), *c)
}

// checkE164 checks, loosely, that s is an E.164 phone number: a "+" and 7 to 15
// digits, such as "+13216065590".
func checkE164(what, s string) error {
	if s == "" {
		return invalidArg("%s is empty", what)
	}
	if s[0] != '+' || len(s) < 8 || len(s) > 16 {
		return invalidArg("%s %q is not an E.164 number (a + and 7 to 15 digits, such as +13216065590)", what, s)
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return invalidArg("%s %q is not an E.164 number (a + and 7 to 15 digits, such as +13216065590)", what, s)
		}
	}
	return nil
}

// checkTagFields checks tags sent as top-level fields of a request body (RTB
// reservations, call data writing): no empty name, and none of the request's
// own fields, which a tag would shadow.
func checkTagFields(what string, tags map[string]string, reserved []string) error {
	for name := range tags {
		if strings.TrimSpace(name) == "" {
			return invalidArg("%s tag has an empty name", what)
		}
		if slices.Contains(reserved, name) {
			return invalidArg("%s tag %q collides with a request field", what, name)
		}
	}
	return nil
}
