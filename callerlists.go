package retreaver

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// CallerListClient manages the caller lists of targets and campaigns with a
// postback key of the "Caller List Management" type. It is made with
// [NewCallerListClient] and is safe for concurrent use.
//
// Its requests authenticate with the key's UUID (the key query parameter) and
// its secret (an Authorization: Bearer header); they never carry an api_key or
// a company_id. Both are kept where no printer reaches them and are redacted
// from every error and log line.
//
// A key is issued on one target, one campaign or a whole company, and is
// granted permissions action by action. A request the key has no permission
// for answers 403: the [*APIError] (matching [ErrForbidden]) then names, in its
// Hint, the permission the action needs.
type CallerListClient struct {
	cfg *clientConfig
	// auth returns the key's UUID and secret: a function, so that no printer
	// can reach them.
	auth func() (keyUUID, secret string)
}

// NewCallerListClient returns a client for the caller lists reachable with the
// postback key whose UUID is keyUUID and whose secret is secret. An empty key
// UUID or secret, or one with white space in it, is an error wrapping
// [ErrInvalidArgument].
//
// The options are those of [NewClient]: WithBaseURL (the API host),
// WithHTTPClient, WithRetryPolicy, WithLogger and the like apply;
// WithCompanyID has no effect, since caller list requests carry no company_id.
func NewCallerListClient(keyUUID, secret string, opts ...Option) (*CallerListClient, error) {
	if err := checkSecret("postback key uuid", keyUUID); err != nil {
		return nil, err
	}
	if err := checkSecret("postback key secret", secret); err != nil {
		return nil, err
	}
	cfg, err := newConfig(opts, "", keyUUID, secret)
	if err != nil {
		return nil, err
	}
	return &CallerListClient{cfg: cfg, auth: func() (string, string) { return keyUUID, secret }}, nil
}

// Target returns the caller lists of the target id
// (api/v2/targets/{id}/caller_lists). An id that is not positive makes every
// method fail with an error wrapping [ErrInvalidArgument], before any request.
func (c *CallerListClient) Target(id int64) *CallerLists {
	return &CallerLists{c: c, owner: "target", id: id}
}

// Campaign returns the caller lists of the campaign id
// (api/v2/campaigns/{id}/caller_lists). A campaign's lists are independent of
// a target's, even when they share a name. An id that is not positive makes
// every method fail with an error wrapping [ErrInvalidArgument], before any
// request.
func (c *CallerListClient) Campaign(id int64) *CallerLists {
	return &CallerLists{c: c, owner: "campaign", id: id}
}

// CloseIdleConnections closes the idle connections of the client's pool. The
// client stays usable.
func (c *CallerListClient) CloseIdleConnections() { c.cfg.httpClient.CloseIdleConnections() }

// String describes the client without its key.
func (c *CallerListClient) String() string {
	return fmt.Sprintf("retreaver.CallerListClient{BaseURL: %s}", c.cfg.baseURL)
}

// GoString is like String, for %#v.
func (c *CallerListClient) GoString() string { return c.String() }

// CallerLists are the caller lists of one target or one campaign, from
// [CallerListClient.Target] or [CallerListClient.Campaign]. A list is named by
// its name, unique on its target or campaign; names and phone numbers are sent
// as escaped path segments (a leading "+" stays as it is). Paths below are
// relative to api/v2/targets/{id} or api/v2/campaigns/{id}.
//
// Each method names the permission of the key it needs; every one also needs
// caller_list__show, since the list is looked up first. Create, AddNumber,
// Check and Upload are POSTs: like every POST, they are retried only as the
// [RetryPolicy] allows.
type CallerLists struct {
	c     *CallerListClient
	owner string // "target" or "campaign"
	id    int64
}

// String describes the lists without the client's key.
func (l *CallerLists) String() string {
	return fmt.Sprintf("retreaver.CallerLists{%s %d}", l.owner, l.id)
}

// GoString is like String, for %#v.
func (l *CallerLists) GoString() string { return l.String() }

// CallerList is a named list of caller numbers on a target or a campaign,
// used in routing decisions (a list of numbers not to send, or a book of
// business).
type CallerList struct {
	Name string `json:"name"`
	// CallerListableType is "Target" or "Campaign": what the list lives on.
	CallerListableType string `json:"caller_listable_type"`
	// CallerListableID is the id of the target or campaign.
	CallerListableID int64 `json:"caller_listable_id"`
}

// CallerListNumber is one number on a caller list.
type CallerListNumber struct {
	// Number is the phone number, in E.164 form ("+15855752500").
	Number string `json:"number"`
	// CreatedAt is when the number was added.
	CreatedAt time.Time `json:"created_at"`
}

// The caller list models as the API wraps them (see element).
type (
	callerListElement struct {
		V *CallerList `json:"caller_list"`
	}
	callerListNumberElement struct {
		V *CallerListNumber `json:"caller_list_number"`
	}
	callerListUploadElement struct {
		V *CallerListUploadStatus `json:"caller_list_upload"`
	}
	callerListCheckElement struct {
		V *callerListCheck `json:"caller_list_check"`
	}
)

// callerListCheck is the answer of a caller list check.
type callerListCheck struct {
	Status string `json:"status"` // "present" or "not-present"
}

func (e callerListElement) object() *CallerList                   { return e.V }
func (e callerListNumberElement) object() *CallerListNumber       { return e.V }
func (e callerListUploadElement) object() *CallerListUploadStatus { return e.V }
func (e callerListCheckElement) object() *callerListCheck         { return e.V }

// CallerListNumberOptions pick a page of a caller list's numbers.
type CallerListNumberOptions struct {
	ListOptions
	// PerPage is the number of numbers a page, at most 100 (0: the API's
	// default, 25).
	PerPage int `url:"per_page,omitempty"`
}

func (o *CallerListNumberOptions) validate() error {
	if err := o.ListOptions.validate(); err != nil {
		return err
	}
	if o.PerPage < 0 || o.PerPage > maxCallerListPerPage {
		return invalidArg("per page must be between 1 and %d (0: the default), got %d", maxCallerListPerPage, o.PerPage)
	}
	return nil
}

// maxCallerListPerPage is the largest page of caller list numbers the API
// sends.
const maxCallerListPerPage = 100

// Actions of a [CallerListUpload].
const (
	CallerListUploadCreate = "create" // add the numbers to the list (the default)
	CallerListUploadDelete = "delete" // remove the numbers from the list
)

// CallerListUpload adds many numbers to a caller list, or removes them, in one
// request that the API processes in the background.
type CallerListUpload struct {
	// Numbers are the phone numbers, in E.164 form or NANP form (without the
	// country code, which the API then takes to be +1). They are sent one a
	// line. At least one is required; none may be blank or hold a line break.
	Numbers []string
	// Action is CallerListUploadCreate (the default, when empty) or
	// CallerListUploadDelete.
	Action string
	// ClearBeforeUpload empties the list before the numbers are processed.
	ClearBeforeUpload bool
}

func (u *CallerListUpload) validate() error {
	if u == nil {
		return invalidArg("caller list upload is nil")
	}
	if len(u.Numbers) == 0 {
		return invalidArg("caller list upload has no numbers")
	}
	for i, n := range u.Numbers {
		if strings.TrimSpace(n) == "" {
			return invalidArg("caller list upload number %d is blank", i)
		}
		if strings.ContainsAny(n, "\r\n") {
			return invalidArg("caller list upload number %d holds a line break", i)
		}
	}
	switch u.Action {
	case "", CallerListUploadCreate, CallerListUploadDelete:
		return nil
	}
	return invalidArg("caller list upload action must be %q or %q, got %q", CallerListUploadCreate, CallerListUploadDelete, u.Action)
}

// body is the request body of a valid upload: the numbers one a line.
func (u *CallerListUpload) body() map[string]any {
	action := u.Action
	if action == "" {
		action = CallerListUploadCreate
	}
	return map[string]any{"caller_list_upload": map[string]any{
		"numbers":             strings.Join(u.Numbers, "\n"),
		"action":              action,
		"clear_before_upload": u.ClearBeforeUpload,
	}}
}

// CallerListUploadStatus is the state of an upload, which the API processes
// in the background.
type CallerListUploadStatus struct {
	// Status is "Processing" while the upload waits or runs, or another status
	// the API reports.
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	// ErrorMessages are the problems found with the upload; empty when none.
	ErrorMessages     []string `json:"error_messages"`
	ClearBeforeUpload bool     `json:"clear_before_upload"`
	// Action is CallerListUploadCreate or CallerListUploadDelete.
	Action string `json:"action"`
	// CSVFileURL is where the API keeps the uploaded numbers.
	CSVFileURL string `json:"csv_file_url"`
}

// The permissions of a caller list key that the actions need (besides
// permCallerListShow, which every action needs: the list is looked up first).
const (
	permCallerListShow         = "caller_list__show"
	permCallerListCreate       = "caller_list__create"
	permCallerListDelete       = "caller_list__delete"
	permCallerListNumberShow   = "caller_list_number__show"
	permCallerListNumberIndex  = "caller_list_number__index"
	permCallerListNumberCreate = "caller_list_number__create"
	permCallerListNumberDelete = "caller_list_number__delete"
	permCallerListUploadCreate = "caller_list_upload__create"
	permCallerListCheckCreate  = "caller_list_check__create"
)

// Create creates the caller list name (POST caller_lists.json) and returns
// it, read from the answer like Get's. It needs the caller_list__create
// permission.
func (l *CallerLists) Create(ctx context.Context, name string) (*CallerList, error) {
	if err := l.check("caller list name", name); err != nil {
		return nil, err
	}
	body := map[string]any{"caller_list": map[string]string{"name": name}}
	return exchange[callerListElement](ctx, l.c.cfg, l.newRequest(http.MethodPost, l.path("", ""), nil, body, permCallerListCreate), "caller_list", nil)
}

// Get returns the caller list name (GET caller_lists/{name}.json). It needs
// the caller_list__show permission. A list that does not exist is an error
// matching [ErrNotFound].
func (l *CallerLists) Get(ctx context.Context, name string) (*CallerList, error) {
	if err := l.check("caller list name", name); err != nil {
		return nil, err
	}
	return exchange[callerListElement](ctx, l.c.cfg, l.newRequest(http.MethodGet, l.path(name, ""), nil, nil, permCallerListShow), "caller_list", nil)
}

// Delete deletes the caller list name and its numbers (DELETE
// caller_lists/{name}.json). It needs the caller_list__delete permission.
func (l *CallerLists) Delete(ctx context.Context, name string) error {
	if err := l.check("caller list name", name); err != nil {
		return err
	}
	_, err := l.c.cfg.do(ctx, l.newRequest(http.MethodDelete, l.path(name, ""), nil, nil, permCallerListDelete))
	return err
}

// Numbers returns one page of the numbers on the list name, newest first
// (GET caller_lists/{name}/caller_list_numbers.json). The page's Total and
// PerPage come from the answer's Total and Per-Page headers. opts may be nil.
// It needs the caller_list_number__index permission.
func (l *CallerLists) Numbers(ctx context.Context, name string, opts *CallerListNumberOptions) (*Page[CallerListNumber], error) {
	if err := l.check("caller list name", name); err != nil {
		return nil, err
	}
	q, start, err := checkListOptions(opts)
	if err != nil {
		return nil, err
	}
	return l.numbersPage(ctx, name, withPage(q, start), false)
}

// AllNumbers iterates over every number on the list name, newest first,
// following the Link header 100 numbers a page. It needs the
// caller_list_number__index permission.
func (l *CallerLists) AllNumbers(ctx context.Context, name string) iter.Seq2[*CallerListNumber, error] {
	if err := l.check("caller list name", name); err != nil {
		return failed[CallerListNumber](err)
	}
	q := url.Values{"per_page": {strconv.Itoa(maxCallerListPerPage)}}
	return paginate(ctx, 0, func(ctx context.Context, page int, wantItems bool) (*Page[CallerListNumber], error) {
		return l.numbersPage(ctx, name, withPage(q, page), wantItems)
	})
}

func (l *CallerLists) numbersPage(ctx context.Context, name string, q url.Values, wantItems bool) (*Page[CallerListNumber], error) {
	r := l.newRequest(http.MethodGet, l.path(name, "caller_list_numbers"), q, nil, permCallerListNumberIndex)
	return fetchPageOf(ctx, l.c.cfg, r, wantItems, listOf[callerListNumberElement]("caller_list_number"))
}

// AddNumber adds number to the list name (POST
// caller_lists/{name}/caller_list_numbers.json). The number is best given in
// E.164 form ("+15855752500"); the API also takes NANP numbers. It needs the
// caller_list_number__create permission.
func (l *CallerLists) AddNumber(ctx context.Context, name, number string) (*CallerListNumber, error) {
	if err := l.checkNumber(name, number); err != nil {
		return nil, err
	}
	body := map[string]any{"caller_list_number": map[string]string{"number": number}}
	return exchange[callerListNumberElement](ctx, l.c.cfg, l.newRequest(http.MethodPost, l.path(name, "caller_list_numbers"), nil, body, permCallerListNumberCreate), "caller_list_number", nil)
}

// RemoveNumber removes number from the list name (DELETE
// caller_lists/{name}/caller_list_numbers/{number}.json). It needs the
// caller_list_number__delete permission.
func (l *CallerLists) RemoveNumber(ctx context.Context, name, number string) error {
	if err := l.checkNumber(name, number); err != nil {
		return err
	}
	_, err := l.c.cfg.do(ctx, l.newRequest(http.MethodDelete, l.path(name, "caller_list_numbers", number), nil, nil, permCallerListNumberDelete))
	return err
}

// Contains reports whether number is on the list name (GET
// caller_lists/{name}/caller_list_numbers/{number}.json): true for a 200
// answer holding the number, false with a nil error for a 404. A 200 that does
// not hold the number ({"error": ...}, {}) is an error wrapping
// ErrUnexpectedResponse, not a true. The API answers 404 too when the
// list itself, or its target or campaign, does not exist, so Contains reports
// false for those as well; [CallerLists.Check] and [CallerLists.Get] tell them
// apart. It needs the caller_list_number__show permission.
func (l *CallerLists) Contains(ctx context.Context, name, number string) (bool, error) {
	if err := l.checkNumber(name, number); err != nil {
		return false, err
	}
	_, err := exchange[callerListNumberElement](ctx, l.c.cfg, l.newRequest(http.MethodGet, l.path(name, "caller_list_numbers", number), nil, nil, permCallerListNumberShow), "caller_list_number", nil)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return false, nil
	}
	return err == nil, err
}

// Check reports whether number is on the list name through the caller list
// checks endpoint (POST caller_lists/{name}/caller_list_checks.json), which
// answers 200 whether the number is there ("present") or not
// ("not-present"), for platforms that cannot handle a 404. A list that does
// not exist is an error matching [ErrNotFound]; an answer with another status
// is an error wrapping [ErrUnexpectedResponse]. It needs the
// caller_list_check__create permission.
func (l *CallerLists) Check(ctx context.Context, name, number string) (bool, error) {
	if err := l.checkNumber(name, number); err != nil {
		return false, err
	}
	body := map[string]any{"caller_list_check": map[string]string{"number": number}}
	r := l.newRequest(http.MethodPost, l.path(name, "caller_list_checks"), nil, body, permCallerListCheckCreate)
	v, err := exchange[callerListCheckElement](ctx, l.c.cfg, r, "caller_list_check", checkCallerListStatus)
	if err != nil {
		return false, err
	}
	return v.Status == "present", nil
}

// checkCallerListStatus rejects a check answer whose status is neither of the
// two the endpoint sends.
func checkCallerListStatus(v *callerListCheck) error {
	if v.Status != "present" && v.Status != "not-present" {
		return fmt.Errorf("caller list check status %q is neither \"present\" nor \"not-present\"", v.Status)
	}
	return nil
}

// Upload adds the numbers of p to the list name, or removes them (POST
// caller_lists/{name}/caller_list_uploads.json), and returns the upload's
// status: the API processes it in the background. Numbers are sent one a
// line. No numbers, a blank number or an unknown action is an error wrapping
// [ErrInvalidArgument], before any request. It needs the
// caller_list_upload__create permission, for either action.
func (l *CallerLists) Upload(ctx context.Context, name string, p *CallerListUpload) (*CallerListUploadStatus, error) {
	if err := l.check("caller list name", name); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	return exchange[callerListUploadElement](ctx, l.c.cfg, l.newRequest(http.MethodPost, l.path(name, "caller_list_uploads"), nil, p.body(), permCallerListUploadCreate), "caller_list_upload", nil)
}

// check validates the owner's id and one path identifier.
func (l *CallerLists) check(what, v string) error {
	if l == nil || l.c == nil {
		return invalidArg("caller lists have no client: use CallerListClient.Target or CallerListClient.Campaign")
	}
	if err := requireIntID(l.owner+" id", l.id); err != nil {
		return err
	}
	return requireID(what, v)
}

// checkNumber validates the owner's id, a list name and a phone number.
func (l *CallerLists) checkNumber(name, number string) error {
	if err := l.check("caller list name", name); err != nil {
		return err
	}
	return requireID("phone number", number)
}

// path returns the path of the lists (no name), of one list, or of a
// sub-resource of a list (sub, then the ids under it):
// api/v2/{owner}s/{id}/caller_lists[/{name}[/{sub}[/{id}]]].json. The name and
// the ids are escaped; sub is literal.
func (l *CallerLists) path(name string, sub string, ids ...string) string {
	prefix := "api/v2/" + l.owner + "s/" + idSeg(l.id) + "/caller_lists"
	switch {
	case name == "":
		return pathJoin(prefix)
	case sub == "":
		return pathJoin(prefix, name)
	}
	return pathJoin(prefix+"/"+url.PathEscape(name)+"/"+sub, ids...)
}

// newRequest builds a request to the API host carrying the key's UUID and
// secret, and nothing else of credentials; a 403 answer to it names perm, the
// permission the action needs.
func (l *CallerLists) newRequest(method, path string, query url.Values, body any, perm string) *request {
	keyUUID, secret := l.c.auth()
	q := make(url.Values, len(query)+1)
	for k, v := range query {
		q[k] = v
	}
	q.Set("key", keyUUID)
	return &request{
		method: method, base: l.c.cfg.baseURL, path: path, query: q, body: body,
		header:    http.Header{"Authorization": {"Bearer " + secret}},
		forbidden: forbiddenHint(perm, l.owner),
	}
}

// forbiddenHint says which permission a caller list key needs for an action.
func forbiddenHint(perm, owner string) string {
	need := "the postback key needs the " + perm + " permission"
	if perm != permCallerListShow {
		need += " and " + permCallerListShow + ", which every caller list action needs"
	}
	return need + "; a key issued on a single " + owner + " reaches only that " + owner
}
