package retreaver

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strings"
)

// Contact ties the calls of one person, from any of their numbers, together.
// Calls from a contact's numbers inherit the contact's tags.
type Contact struct {
	ID             int64           `json:"id"`
	ContactNumbers []ContactNumber `json:"contact_numbers"`
	TagValues      []TagValue      `json:"tag_values"`
}

// ContactNumber is one phone number (or SIP endpoint) of a contact.
type ContactNumber struct {
	ID          int64  `json:"id"`
	Number      string `json:"number"`      // E.164 such as "+18668987878", or "sip:user@domain.com"
	Description string `json:"description"` // such as "Home", "Mobile", "Landline"
}

// ContactNumberParams adds or changes one contact number: in
// ContactParams.ContactNumbers (contact_numbers_attributes), or on its own with
// [ContactNumbersService.Update]. Only the fields set are sent.
type ContactNumberParams struct {
	// ID of an existing contact number to change (in ContactParams only); nil
	// adds a new number, which needs Number.
	ID *int64 `json:"id,omitempty"`
	// Number is a phone number, E.164 formatted ("+18668987878"), or a SIP
	// endpoint ("sip:user@domain.com").
	Number *string `json:"number,omitempty"`
	// Description, such as "Home", "Mobile", "Work".
	Description *string `json:"description,omitempty"`
}

// validate checks the params nested in a contact's (ContactParams.ContactNumbers,
// where an entry without ID adds a number), or alone for
// ContactNumbersService.Update (nested false), where the phone number in the
// path names the contact number.
func (p *ContactNumberParams) validate(nested bool) error {
	switch {
	case p == nil:
		return invalidArg("contact number params are nil")
	case !nested && p.ID != nil:
		return invalidArg("contact number id is not used when updating by phone number")
	case p.ID != nil && *p.ID <= 0:
		return invalidArg("contact number id must be positive, got %d", *p.ID)
	case p.Number != nil && strings.TrimSpace(*p.Number) == "":
		return invalidArg("contact number must not be empty")
	case nested && p.ID == nil && p.Number == nil:
		return invalidArg("a new contact number needs number")
	}
	return nil
}

// ContactParams are the fields of a contact to create or update. Only the fields
// set are sent.
type ContactParams struct {
	// Tags replace all of the contact's tags (sent as tag_list). A nil list leaves
	// them alone; an empty, non-nil list clears them. At most MaxTags tags; the
	// API adds US zip geo tags by itself.
	Tags []Tag `json:"-"`
	// ContactNumbers adds numbers, or changes those named by ID
	// (contact_numbers_attributes). Create needs at least one.
	ContactNumbers []ContactNumberParams `json:"-"`
}

// MarshalJSON encodes the params as the API expects them: tag_list and
// contact_numbers_attributes.
func (p ContactParams) MarshalJSON() ([]byte, error) {
	tagList, err := encodeTagList(p.Tags)
	if err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		TagList        *string               `json:"tag_list,omitempty"`
		ContactNumbers []ContactNumberParams `json:"contact_numbers_attributes,omitempty"`
	}{tagList, p.ContactNumbers})
}

func (p *ContactParams) validate(create bool) error {
	if p == nil {
		return invalidArg("contact params are nil")
	}
	if _, err := encodeTagList(p.Tags); err != nil {
		return err
	}
	if create && len(p.ContactNumbers) == 0 {
		return invalidArg("a new contact needs at least one contact number")
	}
	for i := range p.ContactNumbers {
		if err := p.ContactNumbers[i].validate(true); err != nil {
			return fmt.Errorf("contact number %d: %w", i, err)
		}
	}
	return nil
}

// ContactListOptions pages through the contacts.
type ContactListOptions struct {
	ListOptions
}

// ContactsService manages contacts, which tie calls from several numbers to one
// person. Contacts are addressed by their Retreaver ID or by any of their phone
// numbers (GetByNumber and friends); phone numbers keep their leading "+" in
// the request path.
type ContactsService service

const (
	contactsPath       = "contacts"
	contactRoot        = "contact"
	contactNumbersPath = "contact_numbers"
	contactNumberRoot  = "contact_number"
)

// contactNumberElement is a ContactNumber as the API wraps it (see element).
type contactNumberElement struct {
	V *ContactNumber `json:"contact_number"`
}

func (e contactNumberElement) object() *ContactNumber { return e.V }

// contactElement is a Contact as the API wraps it (see element).
type contactElement struct {
	V *Contact `json:"contact"`
}

func (e contactElement) object() *Contact { return e.V }

// contactByNumberPath is contact_numbers/{number}/contact.json.
func contactByNumberPath(number string) string {
	return pathJoin(contactNumbersPath, number, "contact")
}

func (s *ContactsService) lister() lister[contactElement, Contact] {
	return lister[contactElement, Contact]{c: s.client, path: contactsPath + ".json", root: contactRoot}
}

// List returns one page of the company's contacts.
func (s *ContactsService) List(ctx context.Context, opts *ContactListOptions) (*Page[Contact], error) {
	return s.lister().list(ctx, opts)
}

// All iterates over every contact, page after page from opts.Page.
func (s *ContactsService) All(ctx context.Context, opts *ContactListOptions) iter.Seq2[*Contact, error] {
	return s.lister().iterate(ctx, opts)
}

// Get returns the contact with this Retreaver ID.
func (s *ContactsService) Get(ctx context.Context, id int64) (*Contact, error) {
	if err := requireIntID("contact id", id); err != nil {
		return nil, err
	}
	return get[contactElement](ctx, s.client, pathJoin(contactsPath, idSeg(id)), contactRoot)
}

// GetByNumber returns the contact that has this phone number, such as
// "+18001234567".
func (s *ContactsService) GetByNumber(ctx context.Context, number string) (*Contact, error) {
	if err := requireID("contact number", number); err != nil {
		return nil, err
	}
	return get[contactElement](ctx, s.client, contactByNumberPath(number), contactRoot)
}

// Create creates a contact with its numbers (p.ContactNumbers, at least one)
// and tags.
func (s *ContactsService) Create(ctx context.Context, p *ContactParams) (*Contact, error) {
	if err := p.validate(true); err != nil {
		return nil, err
	}
	return send[contactElement](ctx, s.client, http.MethodPost, contactsPath+".json", contactRoot, p)
}

// Update changes the contact with this Retreaver ID. To change one of its
// numbers, name it by ID in p.ContactNumbers, or use [ContactNumbersService.Update].
func (s *ContactsService) Update(ctx context.Context, id int64, p *ContactParams) (*Contact, error) {
	if err := requireIntID("contact id", id); err != nil {
		return nil, err
	}
	if err := p.validate(false); err != nil {
		return nil, err
	}
	return send[contactElement](ctx, s.client, http.MethodPut, pathJoin(contactsPath, idSeg(id)), contactRoot, p)
}

// UpdateByNumber is Update for the contact that has this phone number.
func (s *ContactsService) UpdateByNumber(ctx context.Context, number string, p *ContactParams) (*Contact, error) {
	if err := requireID("contact number", number); err != nil {
		return nil, err
	}
	if err := p.validate(false); err != nil {
		return nil, err
	}
	return send[contactElement](ctx, s.client, http.MethodPut, contactByNumberPath(number), contactRoot, p)
}

// Delete deletes the contact with this Retreaver ID and all its numbers.
func (s *ContactsService) Delete(ctx context.Context, id int64) error {
	if err := requireIntID("contact id", id); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(contactsPath, idSeg(id)))
}

// DeleteByNumber deletes the contact that has this phone number, and all of the
// contact's other numbers. To remove only this number, use
// [ContactNumbersService.Delete].
func (s *ContactsService) DeleteByNumber(ctx context.Context, number string) error {
	if err := requireID("contact number", number); err != nil {
		return err
	}
	return s.client.del(ctx, contactByNumberPath(number))
}

// ContactNumbersService updates and removes a contact's numbers by phone number
// (contact_numbers/{number}.json), without knowing the contact.
type ContactNumbersService service

// Update changes the contact number with this phone number, such as
// "+18001234567": p.Number renames it, p.Description describes it. p.ID is not
// used here and must be nil.
func (s *ContactNumbersService) Update(ctx context.Context, number string, p *ContactNumberParams) (*ContactNumber, error) {
	if err := requireID("contact number", number); err != nil {
		return nil, err
	}
	if err := p.validate(false); err != nil {
		return nil, err
	}
	return send[contactNumberElement](ctx, s.client, http.MethodPut, pathJoin(contactNumbersPath, number), contactNumberRoot, p)
}

// Delete removes this phone number from its contact. The API does so only while
// the contact has another number; to delete the contact itself, use
// [ContactsService.DeleteByNumber].
func (s *ContactNumbersService) Delete(ctx context.Context, number string) error {
	if err := requireID("contact number", number); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(contactNumbersPath, number))
}
