package retreaver

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// StaticCallerNumber is a caller ID that is handled separately, such as a call
// center's that many calls share.
type StaticCallerNumber struct {
	ID        int64     `json:"id"`
	Number    string    `json:"number"` // E.164, such as "+18668987878"
	CreatedAt time.Time `json:"created_at"`
}

// StaticCallerNumberListOptions pages through the static caller numbers.
type StaticCallerNumberListOptions struct {
	ListOptions
}

// StaticCallerNumbersService manages static caller numbers: caller IDs (such as
// a call center's, shared by many calls) that are handled separately. For calls
// from them Retreaver either asks the caller for their real number or
// randomizes the caller ID for use with the call control API.
type StaticCallerNumbersService service

const (
	staticCallerNumbersPath = "static_caller_numbers"
	staticCallerNumberRoot  = "static_caller_number"
)

// staticCallerNumberElement is a StaticCallerNumber as the API wraps it (see element).
type staticCallerNumberElement struct {
	V *StaticCallerNumber `json:"static_caller_number"`
}

func (e staticCallerNumberElement) object() *StaticCallerNumber { return e.V }

func (s *StaticCallerNumbersService) lister() lister[staticCallerNumberElement, StaticCallerNumber] {
	return lister[staticCallerNumberElement, StaticCallerNumber]{c: s.client, path: staticCallerNumbersPath + ".json", root: staticCallerNumberRoot}
}

// List returns one page of the company's static caller numbers.
func (s *StaticCallerNumbersService) List(ctx context.Context, opts *StaticCallerNumberListOptions) (*Page[StaticCallerNumber], error) {
	return s.lister().list(ctx, opts)
}

// All iterates over every static caller number, page after page from opts.Page.
func (s *StaticCallerNumbersService) All(ctx context.Context, opts *StaticCallerNumberListOptions) iter.Seq2[*StaticCallerNumber, error] {
	return s.lister().iterate(ctx, opts)
}

// Create adds a static caller number. number is required, in E.164 format
// ("+18668987878"; checked loosely: a "+" and 7 to 15 digits).
func (s *StaticCallerNumbersService) Create(ctx context.Context, number string) (*StaticCallerNumber, error) {
	if err := checkE164("static caller number", number); err != nil {
		return nil, err
	}
	body := struct {
		Number string `json:"number"`
	}{number}
	return send[staticCallerNumberElement](ctx, s.client, http.MethodPost, staticCallerNumbersPath+".json", staticCallerNumberRoot, body)
}

// Delete removes the static caller number with this Retreaver ID.
func (s *StaticCallerNumbersService) Delete(ctx context.Context, id int64) error {
	if err := requireIntID("static caller number id", id); err != nil {
		return err
	}
	return s.client.del(ctx, pathJoin(staticCallerNumbersPath, idSeg(id)))
}
