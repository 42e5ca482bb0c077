package retreavertest

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// callerList is a named list of caller numbers on a target or a campaign.
type callerList struct {
	name    string
	owner   listOwner
	numbers []*listNumber          // oldest first
	index   map[string]*listNumber // by number
}

type listNumber struct {
	number    string
	createdAt time.Time
}

type callerListView struct {
	Name               string `json:"name"`
	CallerListableType string `json:"caller_listable_type"`
	CallerListableID   int64  `json:"caller_listable_id"`
}

type listNumberView struct {
	Number    string `json:"number"`
	CreatedAt jsTime `json:"created_at"`
}

func (l *callerList) view() map[string]any {
	return wrap("caller_list", callerListView{Name: l.name, CallerListableType: l.owner.kind, CallerListableID: l.owner.id})
}

func (n *listNumber) view() any {
	return listNumberView{Number: n.number, CreatedAt: jsTime(n.createdAt)}
}

// maxCallerListPerPage bounds per_page on a caller list's numbers.
const maxCallerListPerPage = 100

// e164 is what a caller list number must be once normalized.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// listNumberOf normalizes a caller list number: E.164 as given, or a NANP
// number without its country code, which takes +1. ok is false for anything
// else.
func listNumberOf(s string) (string, bool) {
	n := normalizePhone(s)
	return n, e164.MatchString(n)
}

// callerList finds the list {name} of the path's target or campaign, after
// the checks of listOwner.
func (rc *reqCtx) callerList(perm string) (*callerList, error) {
	o, err := rc.listOwner(perm)
	if err != nil {
		return nil, err
	}
	l := rc.st.pb.lists[o][rc.vars["name"]]
	if l == nil {
		return nil, errNotFound()
	}
	return l, nil
}

// add puts number on the list, newest, unless it is there already.
func (l *callerList) add(number string, at time.Time) (*listNumber, bool) {
	if n := l.index[number]; n != nil {
		return n, false
	}
	n := &listNumber{number: number, createdAt: at}
	l.numbers = append(l.numbers, n)
	l.index[number] = n
	return n, true
}

// removeAll takes the numbers of set off the list.
func (l *callerList) removeAll(set map[string]bool) {
	kept := l.numbers[:0:0]
	for _, n := range l.numbers {
		if set[n.number] {
			delete(l.index, n.number)
		} else {
			kept = append(kept, n)
		}
	}
	l.numbers = kept
}

// createCallerList serves POST caller_lists.json: {"caller_list": {"name"}}.
func createCallerList(rc *reqCtx) (int, any, error) {
	o, err := rc.listOwner(PermCallerListCreate)
	if err != nil {
		return 0, nil, err
	}
	a, err := rc.attrs("caller_list")
	if err != nil {
		return 0, nil, err
	}
	name := a.get("name")
	if err := a.err(); err != nil {
		return 0, nil, err
	}
	if strings.TrimSpace(name) == "" {
		return 0, nil, errBlank("name")
	}
	lists := rc.st.pb.lists[o]
	if lists == nil {
		lists = map[string]*callerList{}
		rc.st.pb.lists[o] = lists
	}
	if lists[name] != nil {
		return 0, nil, errValidation(fieldErrors{"name": {"has already been taken"}})
	}
	l := &callerList{name: name, owner: o, index: map[string]*listNumber{}}
	lists[name] = l
	return http.StatusCreated, l.view(), nil
}

// getCallerList serves GET caller_lists/{name}.json.
func getCallerList(rc *reqCtx) (int, any, error) {
	l, err := rc.callerList(PermCallerListShow)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, l.view(), nil
}

// deleteCallerList serves DELETE caller_lists/{name}.json: 200, empty.
func deleteCallerList(rc *reqCtx) (int, any, error) {
	l, err := rc.callerList(PermCallerListDelete)
	if err != nil {
		return 0, nil, err
	}
	delete(rc.st.pb.lists[l.owner], l.name)
	return http.StatusOK, nil, nil
}

// listCallerListNumbers serves GET caller_lists/{name}/caller_list_numbers.json:
// one page of numbers, newest first, with the Total, Per-Page and Link headers.
func listCallerListNumbers(rc *reqCtx) (int, any, error) {
	l, err := rc.callerList(PermCallerListNumberIndex)
	if err != nil {
		return 0, nil, err
	}
	total, perPage := len(l.numbers), rc.perPage(maxCallerListPerPage)
	page := paginateDesc(rc, l.numbers, perPage)
	rc.header.Set("Total", strconv.Itoa(total))
	rc.header.Set("Per-Page", strconv.Itoa(perPage))
	return http.StatusOK, wrapEach("caller_list_number", page, (*listNumber).view), nil
}

// addCallerListNumber serves POST caller_lists/{name}/caller_list_numbers.json:
// {"caller_list_number": {"number"}}.
func addCallerListNumber(rc *reqCtx) (int, any, error) {
	l, err := rc.callerList(PermCallerListNumberCreate)
	if err != nil {
		return 0, nil, err
	}
	a, err := rc.attrs("caller_list_number")
	if err != nil {
		return 0, nil, err
	}
	raw := a.get("number")
	if err := a.err(); err != nil {
		return 0, nil, err
	}
	if strings.TrimSpace(raw) == "" {
		return 0, nil, errBlank("number")
	}
	number, ok := listNumberOf(raw)
	if !ok {
		return 0, nil, errValidation(fieldErrors{"number": {"is invalid"}})
	}
	n, added := l.add(number, rc.now)
	if !added {
		return 0, nil, errValidation(fieldErrors{"number": {"has already been taken"}})
	}
	return http.StatusCreated, wrap("caller_list_number", n.view()), nil
}

// pathNumber finds the list's number of the path's {number} (404 when absent).
func (rc *reqCtx) pathNumber(perm string) (*callerList, *listNumber, error) {
	l, err := rc.callerList(perm)
	if err != nil {
		return nil, nil, err
	}
	number, _ := listNumberOf(rc.vars["number"])
	n := l.index[number]
	if n == nil {
		return nil, nil, errNotFound()
	}
	return l, n, nil
}

// getCallerListNumber serves GET caller_lists/{name}/caller_list_numbers/{number}.json.
func getCallerListNumber(rc *reqCtx) (int, any, error) {
	_, n, err := rc.pathNumber(PermCallerListNumberShow)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, wrap("caller_list_number", n.view()), nil
}

// removeCallerListNumber serves DELETE
// caller_lists/{name}/caller_list_numbers/{number}.json: 200, empty.
func removeCallerListNumber(rc *reqCtx) (int, any, error) {
	l, n, err := rc.pathNumber(PermCallerListNumberDelete)
	if err != nil {
		return 0, nil, err
	}
	l.removeAll(map[string]bool{n.number: true})
	return http.StatusOK, nil, nil
}

// checkCallerList serves POST caller_lists/{name}/caller_list_checks.json:
// {"caller_list_check": {"number"}} answers 200 {"caller_list_check":
// {"status": "present" or "not-present"}}.
func checkCallerList(rc *reqCtx) (int, any, error) {
	l, err := rc.callerList(PermCallerListCheckCreate)
	if err != nil {
		return 0, nil, err
	}
	a, err := rc.attrs("caller_list_check")
	if err != nil {
		return 0, nil, err
	}
	number, _ := listNumberOf(a.get("number"))
	status := "not-present"
	if l.index[number] != nil {
		status = "present"
	}
	return http.StatusOK, wrap("caller_list_check", map[string]string{"status": status}), nil
}

type listUploadView struct {
	Status            string   `json:"status"`
	CreatedAt         jsTime   `json:"created_at"`
	ErrorMessages     []string `json:"error_messages"`
	ClearBeforeUpload bool     `json:"clear_before_upload"`
	Action            string   `json:"action"`
	CSVFileURL        string   `json:"csv_file_url"`
}

// uploadCallerList serves POST caller_lists/{name}/caller_list_uploads.json:
// {"caller_list_upload": {"numbers": "one\nper\nline", "action": "create" or
// "delete", "clear_before_upload": bool}}. The upload is processed at once,
// though the answer says "Processing", as the API's does.
func uploadCallerList(rc *reqCtx) (int, any, error) {
	l, err := rc.callerList(PermCallerListUploadCreate)
	if err != nil {
		return 0, nil, err
	}
	a, err := rc.attrs("caller_list_upload")
	if err != nil {
		return 0, nil, err
	}
	raw, action, clear := a.get("numbers"), "create", false
	a.str("action", &action)
	a.bool("clear_before_upload", &clear)
	if action == "" {
		action = "create"
	}
	if action != "create" && action != "delete" {
		a.fail("action", "is not included in the list")
	}
	if strings.TrimSpace(raw) == "" {
		a.fail("numbers", "can't be blank")
	}
	if err := a.err(); err != nil {
		return 0, nil, err
	}
	if clear {
		l.numbers, l.index = nil, map[string]*listNumber{}
	}
	set := map[string]bool{}
	for _, line := range strings.Split(raw, "\n") {
		number, ok := listNumberOf(line)
		if !ok {
			continue
		}
		if action == "create" {
			l.add(number, rc.now)
		} else {
			set[number] = true
		}
	}
	if len(set) > 0 {
		l.removeAll(set)
	}
	g := rc.st.pb.rnd
	return http.StatusOK, wrap("caller_list_upload", listUploadView{
		Status: "Processing", CreatedAt: jsTime(rc.now), ErrorMessages: []string{}, ClearBeforeUpload: clear, Action: action,
		CSVFileURL: rc.srv.URL + "/rails/active_storage/blobs/redirect/" + g.hex(40) + "/numbers_" + g.hex(8) + "?disposition=attachment",
	}), nil
}
