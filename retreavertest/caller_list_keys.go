package retreavertest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// The permissions of a caller list key, as the reference names them. Every
// action needs PermCallerListShow besides its own permission, since the list
// is looked up first: creating a list needs PermCallerListCreate, reading it
// PermCallerListShow, deleting it PermCallerListDelete; listing its numbers
// PermCallerListNumberIndex, adding one PermCallerListNumberCreate, reading
// one PermCallerListNumberShow, removing one PermCallerListNumberDelete; a
// check PermCallerListCheckCreate and an upload PermCallerListUploadCreate.
// PermCallerListIndex and PermCallerListUpdate can be granted, but the
// reference documents no action that needs them, so no route does.
const (
	PermCallerListShow         = "caller_list__show"
	PermCallerListIndex        = "caller_list__index"
	PermCallerListCreate       = "caller_list__create"
	PermCallerListUpdate       = "caller_list__update"
	PermCallerListDelete       = "caller_list__delete"
	PermCallerListNumberShow   = "caller_list_number__show"
	PermCallerListNumberIndex  = "caller_list_number__index"
	PermCallerListNumberCreate = "caller_list_number__create"
	PermCallerListNumberDelete = "caller_list_number__delete"
	PermCallerListUploadCreate = "caller_list_upload__create"
	PermCallerListCheckCreate  = "caller_list_check__create"
)

// CallerListPermissions returns every permission a caller list key can be
// granted, in the reference's order.
func CallerListPermissions() []string {
	return []string{
		PermCallerListShow, PermCallerListIndex, PermCallerListCreate, PermCallerListUpdate, PermCallerListDelete,
		PermCallerListNumberShow, PermCallerListNumberIndex, PermCallerListNumberCreate, PermCallerListNumberDelete,
		PermCallerListUploadCreate, PermCallerListCheckCreate,
	}
}

// Scope is what a caller list key reaches: the zero Scope is its whole company
// (every target and campaign in it), a TargetID only that target's lists, a
// CampaignID only that campaign's lists.
type Scope struct {
	TargetID   int64
	CampaignID int64
}

// callerListKey is a "Caller List Management" postback key.
type callerListKey struct {
	uuid, secret string
	companyID    int64
	scope        Scope
	perms        map[string]bool
}

// listOwner is the target or campaign a caller list lives on.
type listOwner struct {
	kind string // "Target" or "Campaign", as caller_listable_type says
	id   int64
}

// postbacks holds what the postback keys of the caller list and call data
// routes reach. Its keys are drawn from their own source, so that issuing them
// changes no other generated value.
type postbacks struct {
	rnd      *rnd
	listKeys map[string]*callerListKey
	lists    map[listOwner]map[string]*callerList
	dataKeys map[string]int64 // call data key -> company id
}

func newPostbacks() postbacks {
	return postbacks{rnd: newRnd(5150), listKeys: map[string]*callerListKey{},
		lists: map[listOwner]map[string]*callerList{}, dataKeys: map[string]int64{}}
}

// AddCallerListKey issues a "Caller List Management" postback key in a
// company, reaching scope and granted permissions (see CallerListPermissions),
// and returns its UUID (the key query parameter) and its secret (the
// Authorization: Bearer header). It panics when the company does not exist,
// the scope names both a target and a campaign or one the company does not
// have, or a permission is unknown.
func (s *Server) AddCallerListKey(companyID int64, scope Scope, permissions ...string) (key, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key, secret, err := s.st.addCallerListKey(companyID, scope, permissions)
	if err != nil {
		panic("retreavertest: AddCallerListKey: " + err.Error())
	}
	return key, secret
}

func (st *store) addCallerListKey(companyID int64, scope Scope, permissions []string) (key, secret string, err error) {
	co := st.company(companyID)
	if co == nil {
		return "", "", fmt.Errorf("no company %d", companyID)
	}
	switch {
	case scope.TargetID != 0 && scope.CampaignID != 0:
		return "", "", fmt.Errorf("a scope names a target or a campaign, not both")
	case scope.TargetID != 0:
		if _, ok := co.targets.get(scope.TargetID); !ok {
			return "", "", fmt.Errorf("company %d has no target %d", companyID, scope.TargetID)
		}
	case scope.CampaignID != 0:
		if _, ok := co.campaigns.get(scope.CampaignID); !ok {
			return "", "", fmt.Errorf("company %d has no campaign %d", companyID, scope.CampaignID)
		}
	}
	k := &callerListKey{companyID: companyID, scope: scope, perms: map[string]bool{}}
	known := CallerListPermissions()
	for _, p := range permissions {
		if !slices.Contains(known, p) {
			return "", "", fmt.Errorf("unknown permission %q", p)
		}
		k.perms[p] = true
	}
	k.uuid, k.secret = st.pb.rnd.uuid(), st.pb.rnd.hex(40)
	st.pb.listKeys[k.uuid] = k
	return k.uuid, k.secret, nil
}

// callerListAuth authenticates a caller list request: the key query parameter
// names a key whose secret is the Authorization: Bearer header, and whose
// company still exists. Anything else answers 401.
func (rc *reqCtx) callerListAuth() error {
	k := rc.st.pb.listKeys[rc.q.Get("key")]
	if k == nil || rc.st.company(k.companyID) == nil {
		return errStatus(http.StatusUnauthorized, "Invalid or missing postback key")
	}
	secret, ok := strings.CutPrefix(rc.r.Header.Get("Authorization"), "Bearer ")
	if !ok || secret != k.secret {
		return errStatus(http.StatusUnauthorized, "Invalid or missing postback key secret")
	}
	rc.listKey = k
	return nil
}

func errForbidden() error { return errStatus(http.StatusForbidden, "Forbidden") }

// listOwner finds the target or campaign of the path (404 when it does not
// exist), then checks that the key reaches it and holds caller_list__show and
// perm (403 otherwise).
func (rc *reqCtx) listOwner(perm string) (listOwner, error) {
	o := listOwner{kind: "Campaign"}
	if strings.HasPrefix(rc.r.URL.Path, "/api/v2/targets/") {
		o.kind = "Target"
	}
	id, err := rc.idVar("id")
	if err != nil {
		return o, err
	}
	o.id = id
	var owner *company
	for _, co := range rc.st.companies.items {
		var found bool
		if o.kind == "Target" {
			_, found = co.targets.get(id)
		} else {
			_, found = co.campaigns.get(id)
		}
		if found {
			owner = co
			break
		}
	}
	if owner == nil {
		return o, errNotFound()
	}
	k := rc.listKey
	switch {
	case owner.id != k.companyID,
		k.scope.TargetID != 0 && (o.kind != "Target" || o.id != k.scope.TargetID),
		k.scope.CampaignID != 0 && (o.kind != "Campaign" || o.id != k.scope.CampaignID),
		!k.perms[PermCallerListShow] || !k.perms[perm]:
		return o, errForbidden()
	}
	return o, nil
}
