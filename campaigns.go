package retreaver

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"strings"
	"time"
)

// Campaign is a set of call-handling settings (greeting, timers, menu options,
// recording, deduplication) that numbers reuse. Campaigns are addressed by their
// Retreaver ID (ID) or by the customer ID you choose (CID).
type Campaign struct {
	ID                     int64        `json:"id"`
	CID                    string       `json:"cid"` // your campaign ID; 8 random characters unless set
	Name                   string       `json:"name"`
	CreatedAt              time.Time    `json:"created_at"`
	UpdatedAt              time.Time    `json:"updated_at"`
	RecordCalls            bool         `json:"record_calls"`
	RecordSeconds          int          `json:"record_seconds"`            // how many seconds of each call are recorded
	DedupeSeconds          int          `json:"dedupe_seconds"`            // 0: deduplication disabled
	AffiliateCanPullNumber bool         `json:"affiliate_can_pull_number"` // LinkTrust integration
	ShowKey                string       `json:"show_key"`                  // an opaque key the API reports
	Greeting               Greeting     `json:"greeting"`                  // zero when the API sends none
	Timers                 []Timer      `json:"timers"`                    // tracking URLs fired during calls
	MenuOptions            []MenuOption `json:"menu_options"`              // IVR routing by key pressed
}

// Greeting is what a caller hears before being routed: text-to-speech (Message,
// VoiceGender) or an uploaded audio file (the AudioFile fields).
type Greeting struct {
	Message              string      `json:"message"` // text read to the caller
	VoiceGender          VoiceGender `json:"voice_gender"`
	AudioFileName        string      `json:"audio_file_name"`
	AudioFileContentType string      `json:"audio_file_content_type"`
	AudioFileSize        *int64      `json:"audio_file_size"` // bytes; nil without an audio file
	AudioFileUpdatedAt   *time.Time  `json:"audio_file_updated_at"`
	// Inherited reports (on numbers) that the greeting comes from the number's
	// campaign. Campaigns never set it.
	Inherited bool `json:"inherited"`
}

// Timer is a URL (a tracking pixel, a postback) fired once a call has lasted
// Seconds. A 0-second timer ("click timer") fires when the call starts; of the
// timers with more seconds ("sale timers"), only the longest one the call
// reached fires. The API wraps timers in {"timer": {...}} in some answers and
// not in others; both decode.
type Timer struct {
	ID      int64  `json:"id"`
	Seconds int    `json:"seconds"` // may be negative: such timers ignore dedupe_seconds
	URL     string `json:"url"`
	// Inherited reports (on numbers) that the timer comes from the number's
	// campaign. Campaigns never set it.
	Inherited bool `json:"inherited"`
}

// UnmarshalJSON accepts a timer wrapped in {"timer": ...} or bare.
func (t *Timer) UnmarshalJSON(b []byte) error {
	var v timerJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*t = v.value()
	return nil
}

// timerJSON is a timer as the API sends it, wrapped or bare.
type timerJSON struct {
	timerFields
	Wrapped *timerFields `json:"timer"`
}

// timerFields are the fields of Timer, without its UnmarshalJSON.
type timerFields Timer

func (v timerJSON) value() Timer {
	if v.Wrapped != nil {
		return Timer(*v.Wrapped)
	}
	return Timer(v.timerFields)
}

// MenuOption routes a caller by the key pressed in the greeting's IVR: to a phone
// number (TargetNumber) or to another campaign (TargetCID, which wins when both
// are set). Option "1" is also the route taken when there is no greeting. The API
// wraps menu options in {"menu_option": {...}}; the bare object decodes too.
type MenuOption struct {
	ID           int64  `json:"id"`
	Option       string `json:"option"`        // "0"-"9", "*" or "#"
	TargetCID    string `json:"target_cid"`    // "" when null
	TargetNumber string `json:"target_number"` // "" when null
	// Inherited reports (on numbers) that the option comes from the number's
	// campaign. Campaigns never set it.
	Inherited bool `json:"inherited"`
}

// UnmarshalJSON accepts a menu option wrapped in {"menu_option": ...} or bare.
func (m *MenuOption) UnmarshalJSON(b []byte) error {
	var v menuOptionJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*m = v.value()
	return nil
}

// menuOptionJSON is a menu option as the API sends it, wrapped or bare.
type menuOptionJSON struct {
	menuOptionFields
	Wrapped *menuOptionFields `json:"menu_option"`
}

// menuOptionFields are the fields of MenuOption, without its UnmarshalJSON.
type menuOptionFields MenuOption

func (v menuOptionJSON) value() MenuOption {
	if v.Wrapped != nil {
		return MenuOption(*v.Wrapped)
	}
	return MenuOption(v.menuOptionFields)
}

// CampaignParams are the fields of a campaign to create or update. Only the fields
// set are sent: use [Ptr] for literals. Every field is optional.
type CampaignParams struct {
	// CID is your campaign ID, used in campaigns/cid/{cid} paths and in calls'
	// cid. The API picks 8 random characters when it is not set on Create.
	CID *string `json:"cid,omitempty"`
	// Name is for your reference.
	Name *string `json:"name,omitempty"`
	// DedupeSeconds keeps a repeat caller from firing any connect (0-second) or
	// sale (> 0 seconds) timer again within this many seconds. 0 (the default)
	// disables it; negative-second timers are not affected.
	DedupeSeconds *int `json:"dedupe_seconds,omitempty"`
	// AffiliateCanPullNumber lets affiliates reach the campaign through the
	// LinkTrust integration (default false).
	AffiliateCanPullNumber *bool `json:"affiliate_can_pull_number,omitempty"`
	// RecordCalls turns call recording on or off (default true).
	RecordCalls *bool `json:"record_calls,omitempty"`
	// Message is a text-to-speech greeting read to the caller; tell them to
	// press one to continue.
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
	// Timers adds timers, or changes those named by ID (timers_attributes).
	Timers []TimerParams `json:"timers_attributes,omitempty"`
	// MenuOptions adds menu options, or changes those named by ID
	// (menu_options_attributes). The reference asks for at least one option,
	// including "1", the route used when there is no greeting.
	MenuOptions []MenuOptionParams `json:"menu_options_attributes,omitempty"`
	// DestroyNested, when true, deletes the campaign's existing timers and menu
	// options: send it with the complete new lists to replace them. Without it,
	// Timers and MenuOptions add to (or, by ID, change) the existing ones.
	DestroyNested *bool `json:"destroy_nested,omitempty"`
}

// SetGreetingAudio sets an audio greeting: it fills MessageFileB64Data with
// audio in standard base64 and MessageFileB64Filename with filename's base name
// (directories are never sent). The API suggests the best quality available,
// such as FLAC. An empty filename or empty audio is reported as
// [ErrInvalidArgument] by Create and Update, before any request is made.
func (p *CampaignParams) SetGreetingAudio(filename string, audio []byte) {
	p.MessageFileB64Data, p.MessageFileB64Filename = greetingAudio(filename, audio)
}

func (p *CampaignParams) validate() error {
	if p == nil {
		return invalidArg("campaign params are nil")
	}
	if p.CID != nil && strings.TrimSpace(*p.CID) == "" {
		return invalidArg("campaign cid must not be empty")
	}
	if p.DedupeSeconds != nil && *p.DedupeSeconds < 0 {
		return invalidArg("dedupe seconds must not be negative, got %d", *p.DedupeSeconds)
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

// CampaignListOptions pages through the campaigns.
type CampaignListOptions struct {
	ListOptions
}

// CampaignsService manages campaigns, whose settings numbers reuse. Set up a
// campaign before creating numbers or number pools for it.
type CampaignsService service

const (
	campaignsPath = "campaigns"
	campaignRoot  = "campaign"
)

// campaignElement is a Campaign as the API wraps it (see element).
type campaignElement struct {
	V *campaignJSON `json:"campaign"`
}

func (e campaignElement) object() *Campaign {
	if e.V == nil {
		return nil
	}
	c := (*Campaign)(&e.V.campaignFields)
	c.Timers, c.MenuOptions = unwrapEach(e.V.Timers), unwrapEach(e.V.MenuOptions)
	return c
}

// campaignJSON is a campaign as the API sends it. Answers and pages decode into
// it directly (campaignElement), its timers and menu options in the same pass:
// through Timer.UnmarshalJSON and MenuOption.UnmarshalJSON, each would be
// decoded by a json.Unmarshal of its own.
type campaignJSON struct {
	campaignFields
	Timers      []timerJSON      `json:"timers"`
	MenuOptions []menuOptionJSON `json:"menu_options"`
}

// campaignFields are the fields of Campaign.
type campaignFields Campaign

func (s *CampaignsService) lister() lister[campaignElement, Campaign] {
	return lister[campaignElement, Campaign]{c: s.client, path: campaignsPath + ".json", root: campaignRoot}
}

// List returns one page of the company's campaigns.
func (s *CampaignsService) List(ctx context.Context, opts *CampaignListOptions) (*Page[Campaign], error) {
	return s.lister().list(ctx, opts)
}

// All iterates over every campaign, page after page from opts.Page.
func (s *CampaignsService) All(ctx context.Context, opts *CampaignListOptions) iter.Seq2[*Campaign, error] {
	return s.lister().iterate(ctx, opts)
}

// Get returns the campaign with this Retreaver ID.
func (s *CampaignsService) Get(ctx context.Context, id int64) (*Campaign, error) {
	if err := requireIntID("campaign id", id); err != nil {
		return nil, err
	}
	return get[campaignElement](ctx, s.client, pathJoin(campaignsPath, idSeg(id)), campaignRoot)
}

// GetByCID returns the campaign with this cid (your campaign ID).
func (s *CampaignsService) GetByCID(ctx context.Context, cid string) (*Campaign, error) {
	if err := requireID("campaign cid", cid); err != nil {
		return nil, err
	}
	return get[campaignElement](ctx, s.client, pathJoin(campaignsPath+"/cid", cid), campaignRoot)
}

// Create creates a campaign. No field is required: without CID the API picks
// one. Timers need Seconds and URL, menu options an Option.
func (s *CampaignsService) Create(ctx context.Context, p *CampaignParams) (*Campaign, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	return send[campaignElement](ctx, s.client, http.MethodPost, campaignsPath+".json", campaignRoot, p)
}

// Update changes the fields set in p on the campaign with this Retreaver ID.
// Timers and menu options in p are added (or changed, by ID) unless
// p.DestroyNested replaces them all.
func (s *CampaignsService) Update(ctx context.Context, id int64, p *CampaignParams) (*Campaign, error) {
	if err := requireIntID("campaign id", id); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	return send[campaignElement](ctx, s.client, http.MethodPut, pathJoin(campaignsPath, idSeg(id)), campaignRoot, p)
}

// UpdateByCID is Update for the campaign with this cid.
func (s *CampaignsService) UpdateByCID(ctx context.Context, cid string, p *CampaignParams) (*Campaign, error) {
	if err := requireID("campaign cid", cid); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	return send[campaignElement](ctx, s.client, http.MethodPut, pathJoin(campaignsPath+"/cid", cid), campaignRoot, p)
}

// Delete deletes the campaign with this Retreaver ID. The API refuses while the
// campaign still has numbers: delete them first.
func (s *CampaignsService) Delete(ctx context.Context, id int64) error {
	if err := requireIntID("campaign id", id); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(campaignsPath, idSeg(id)))
}

// DeleteByCID deletes the campaign with this cid. The API refuses while the
// campaign still has numbers: delete them first.
func (s *CampaignsService) DeleteByCID(ctx context.Context, cid string) error {
	if err := requireID("campaign cid", cid); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(campaignsPath+"/cid", cid))
}
