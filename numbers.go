package retreaver

import (
	"context"
	"iter"
	"net/http"
	"strings"
	"time"
)

// Number is a tracking phone number routed to a campaign. It uses its campaign's
// greeting, timers and menu options (UsesCampaignSettings, and Inherited on
// each) unless it overrides them.
type Number struct {
	ID                   int64        `json:"id"`
	Number               string       `json:"number"` // E.164, such as "+16479311232"
	TollFree             bool         `json:"toll_free"`
	CreatedAt            time.Time    `json:"created_at"`
	UpdatedAt            time.Time    `json:"updated_at"`
	SID                  string       `json:"sid"`  // affiliate sub ID
	AFID                 string       `json:"afid"` // affiliate's customer ID
	CID                  string       `json:"cid"`  // campaign's customer ID
	UsesCampaignSettings bool         `json:"uses_campaign_settings"`
	Greeting             Greeting     `json:"greeting"`
	Timers               []Timer      `json:"timers"`
	MenuOptions          []MenuOption `json:"menu_options"`
}

// NumberParams are the fields of a number to create or update. Only the fields
// set are sent: use [Ptr] for literals. AFID and CID are required on Create.
//
// The greeting, timer and menu option fields override the campaign's settings
// for this number only; leave them unset to keep using the campaign's.
type NumberParams struct {
	// Type is the kind of number to provision: NumberTypeTollFree (the
	// default) or NumberTypeLocal.
	Type *NumberType `json:"type,omitempty"`
	// DesiredText asks for a number that spells this word; the API falls back to
	// an ordinary number when it finds none.
	DesiredText *string `json:"desired_text,omitempty"`
	// Country is the 2-letter country of a local number (Type NumberTypeLocal
	// only): US (the default), CA, AT, BE, DK, FI, FR, GB, IE, IT, NL, PL or SE.
	Country *string `json:"country,omitempty"`
	// AFID is the affiliate the number belongs to; required on Create. The API
	// creates the affiliate when no affiliate has this afid.
	AFID *string `json:"afid,omitempty"`
	// CID is the campaign the number belongs to; required on Create. The
	// campaign must exist.
	CID *string `json:"cid,omitempty"`
	// SID is the affiliate sub ID the number belongs to.
	SID *string `json:"sid,omitempty"`
	// DestroyNested, when true, deletes the number's own timers and menu
	// options: send it with the complete new lists to replace them.
	DestroyNested *bool `json:"destroy_nested,omitempty"`
	// Message is a text-to-speech greeting read to the caller.
	Message *string `json:"message,omitempty"`
	// VoiceGender is the text-to-speech voice: VoiceGenderFemale (the default) or
	// VoiceGenderMale.
	VoiceGender *VoiceGender `json:"voice_gender,omitempty"`
	// MessageFileB64Data is an audio greeting, base64-encoded (standard
	// encoding). Set it and MessageFileB64Filename with SetGreetingAudio.
	MessageFileB64Data *string `json:"message_file_b64_data,omitempty"`
	// MessageFileB64Filename is the audio file's original name, such as
	// "memo.flac".
	MessageFileB64Filename *string `json:"message_file_b64_filename,omitempty"`
	// Repeat is how many times the greeting is played (default 4).
	Repeat *int `json:"repeat,omitempty"`
	// Timers override the campaign's timers (timers_attributes); the API then
	// reports them with Inherited false.
	Timers []TimerParams `json:"timers_attributes,omitempty"`
	// MenuOptions override the campaign's menu options
	// (menu_options_attributes); the API then reports them with Inherited false.
	MenuOptions []MenuOptionParams `json:"menu_options_attributes,omitempty"`
}

// SetGreetingAudio sets an audio greeting: it fills MessageFileB64Data with
// audio in standard base64 and MessageFileB64Filename with filename's base name
// (directories are never sent). An empty filename or empty audio is reported as
// [ErrInvalidArgument] by Create and Update, before any request is made.
func (p *NumberParams) SetGreetingAudio(filename string, audio []byte) {
	p.MessageFileB64Data, p.MessageFileB64Filename = greetingAudio(filename, audio)
}

func (p *NumberParams) validate(create bool) error {
	if p == nil {
		return invalidArg("number params are nil")
	}
	if err := checkNumberType(p.Type); err != nil {
		return err
	}
	if err := checkCountry(p.Country); err != nil {
		return err
	}
	if p.Country != nil && (p.Type == nil || *p.Type != NumberTypeLocal) {
		return invalidArg("country is only for local numbers: set Type to %q", NumberTypeLocal)
	}
	if create && (p.AFID == nil || p.CID == nil) {
		return invalidArg("a new number needs afid and cid")
	}
	if p.AFID != nil && strings.TrimSpace(*p.AFID) == "" {
		return invalidArg("number afid must not be empty")
	}
	if p.CID != nil && strings.TrimSpace(*p.CID) == "" {
		return invalidArg("number cid must not be empty")
	}
	return greetingParams{
		voiceGender: p.VoiceGender,
		b64Data:     p.MessageFileB64Data,
		b64Filename: p.MessageFileB64Filename,
		repeat:      p.Repeat,
		timers:      p.Timers,
		menuOptions: p.MenuOptions,
	}.validate()
}

// NumberListOptions filters and pages a number listing.
type NumberListOptions struct {
	ListOptions
	// ClientCID returns only the numbers of this campaign (its cid), sent as
	// client_cid.
	ClientCID string `url:"client_cid,omitempty"`
	// ClientAFID returns only the numbers of this affiliate (its afid), sent as
	// client_afid.
	ClientAFID string `url:"client_afid,omitempty"`
	// SubID returns only the numbers of this affiliate sub ID, sent as sub_id.
	// (The API ignores the names cid, afid and sid that an older reference gave:
	// a filter sent under them returns every number.)
	SubID string `url:"sub_id,omitempty"`
}

// NumbersService manages tracking numbers: provisioning, routing to campaigns
// and affiliates, per-number greeting overrides, and release.
type NumbersService service

const (
	numbersPath = "numbers"
	numberRoot  = "number"
)

// numberElement is a Number as the API wraps it (see element).
type numberElement struct {
	V *numberJSON `json:"number"`
}

func (e numberElement) object() *Number {
	if e.V == nil {
		return nil
	}
	n := (*Number)(&e.V.numberFields)
	n.Timers, n.MenuOptions = unwrapEach(e.V.Timers), unwrapEach(e.V.MenuOptions)
	return n
}

// numberJSON is a number as the API sends it. Answers and pages decode into it
// directly (numberElement), its timers and menu options in the same pass.
type numberJSON struct {
	numberFields
	Timers      []timerJSON      `json:"timers"`
	MenuOptions []menuOptionJSON `json:"menu_options"`
}

// numberFields are the fields of Number.
type numberFields Number

func (s *NumbersService) lister() lister[numberElement, Number] {
	return lister[numberElement, Number]{c: s.client, path: numbersPath + ".json", root: numberRoot}
}

// List returns one page of the company's numbers matching opts.
func (s *NumbersService) List(ctx context.Context, opts *NumberListOptions) (*Page[Number], error) {
	return s.lister().list(ctx, opts)
}

// All iterates over every number matching opts, page after page from opts.Page.
func (s *NumbersService) All(ctx context.Context, opts *NumberListOptions) iter.Seq2[*Number, error] {
	return s.lister().iterate(ctx, opts)
}

// Get returns the number with this Retreaver ID.
func (s *NumbersService) Get(ctx context.Context, id int64) (*Number, error) {
	if err := requireIntID("number id", id); err != nil {
		return nil, err
	}
	return get[numberElement](ctx, s.client, pathJoin(numbersPath, idSeg(id)), numberRoot)
}

// Create provisions a new phone number for the campaign p.CID and the affiliate
// p.AFID (both required). Provisioning a number is billed.
func (s *NumbersService) Create(ctx context.Context, p *NumberParams) (*Number, error) {
	if err := p.validate(true); err != nil {
		return nil, err
	}
	return send[numberElement](ctx, s.client, http.MethodPost, numbersPath+".json", numberRoot, p)
}

// Update changes the fields set in p on the number with this Retreaver ID, such
// as moving it to another affiliate (AFID) or campaign (CID).
func (s *NumbersService) Update(ctx context.Context, id int64, p *NumberParams) (*Number, error) {
	if err := requireIntID("number id", id); err != nil {
		return nil, err
	}
	if err := p.validate(false); err != nil {
		return nil, err
	}
	return send[numberElement](ctx, s.client, http.MethodPut, pathJoin(numbersPath, idSeg(id)), numberRoot, p)
}

// Delete releases the number with this Retreaver ID; it is deprovisioned within
// 24 hours. Do not delete a number you are porting to another provider until the
// port has completed.
func (s *NumbersService) Delete(ctx context.Context, id int64) error {
	if err := requireIntID("number id", id); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(numbersPath, idSeg(id)))
}
