package retreaver_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/require"
)

// e2eListSetup starts a fake with a target and a campaign, and returns a
// caller list client with the fake's company-wide key and their ids.
func e2eListSetup(t *testing.T) (srv *retreavertest.Server, lists *retreaver.CallerListClient, targetID, campaignID int64) {
	t.Helper()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	tgt, err := client.Targets.Create(ctx, &retreaver.TargetParams{Name: retreaver.Ptr("Buyer"), Number: retreaver.Ptr("+18668987878")})
	require.NoError(t, err)
	camp, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr("LISTS"), Name: retreaver.Ptr("Lists")})
	require.NoError(t, err)
	return srv, e2eListClient(t, srv, srv.CallerListKey, srv.CallerListSecret), tgt.ID, camp.ID
}

// e2eListClient makes a caller list client for srv with a key.
func e2eListClient(t *testing.T, srv *retreavertest.Server, key, secret string) *retreaver.CallerListClient {
	t.Helper()
	c, err := retreaver.NewCallerListClient(key, secret, retreaver.WithServer(srv.URL), retreaver.WithRetryPolicy(e2eRetries))
	require.NoError(t, err)
	return c
}

// e2eNumbers returns n distinct numbers, every third without its country code.
func e2eNumbers(n int) (sent, stored []string) {
	for i := range n {
		e164 := fmt.Sprintf("+1585575%04d", i)
		stored = append(stored, e164)
		if i%3 == 0 {
			sent = append(sent, e164[2:])
		} else {
			sent = append(sent, e164)
		}
	}
	return sent, stored
}

func TestE2ECallerListsOnATargetAndACampaign(t *testing.T) {
	t.Parallel()
	srv, lists, targetID, campaignID := e2eListSetup(t)
	ctx := e2eCtx(t)
	onTarget, onCampaign := lists.Target(targetID), lists.Campaign(campaignID)

	l, err := onTarget.Create(ctx, "suppressed")
	require.NoError(t, err)
	require.Equal(t, &retreaver.CallerList{Name: "suppressed", CallerListableType: "Target", CallerListableID: targetID}, l)
	l, err = onCampaign.Create(ctx, "suppressed")
	require.NoError(t, err)
	require.Equal(t, &retreaver.CallerList{Name: "suppressed", CallerListableType: "Campaign", CallerListableID: campaignID}, l)
	_, err = onTarget.Create(ctx, "suppressed")
	apiErr := e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	require.Contains(t, apiErr.Fields["name"], "has already been taken")
	got, err := onTarget.Get(ctx, "suppressed")
	require.NoError(t, err)
	require.Equal(t, "Target", got.CallerListableType)

	// A thousand numbers in one upload.
	sent, stored := e2eNumbers(1000)
	st, err := onTarget.Upload(ctx, "suppressed", &retreaver.CallerListUpload{Numbers: sent})
	require.NoError(t, err)
	require.Equal(t, "Processing", st.Status)
	require.Equal(t, retreaver.CallerListUploadCreate, st.Action)
	require.Empty(t, st.ErrorMessages)

	page, err := onTarget.Numbers(ctx, "suppressed", nil)
	require.NoError(t, err)
	require.Equal(t, 1000, page.Total)
	require.Equal(t, 25, page.PerPage)
	require.Len(t, page.Items, 25)
	require.True(t, page.HasNext())
	page, err = onTarget.Numbers(ctx, "suppressed", &retreaver.CallerListNumberOptions{ListOptions: retreaver.ListOptions{Page: 3}, PerPage: 100})
	require.NoError(t, err)
	require.Equal(t, 100, page.PerPage)
	require.Equal(t, stored[799], page.Items[0].Number)

	// Every number once, newest first: the upload's last line first.
	all := e2eCollect(t, onTarget.AllNumbers(ctx, "suppressed"))
	require.Len(t, all, 1000)
	want := slices.Clone(stored)
	slices.Reverse(want)
	seen := map[string]bool{}
	for i, n := range all {
		require.Equal(t, want[i], n.Number, "position %d", i)
		require.False(t, seen[n.Number], "%s twice", n.Number)
		seen[n.Number] = true
		require.False(t, n.CreatedAt.IsZero())
		if i > 0 {
			require.False(t, n.CreatedAt.After(all[i-1].CreatedAt), "newest first")
		}
	}
	require.Equal(t, 10, e2eCount(srv, http.MethodGet, "/api/v2/targets/"+fmt.Sprint(targetID)+"/caller_lists/suppressed/caller_list_numbers.json")-2,
		"AllNumbers asks 100 a page")

	// The campaign's list of the same name is another list.
	n, err := onCampaign.AddNumber(ctx, "suppressed", "5855759999")
	require.NoError(t, err)
	require.Equal(t, "+15855759999", n.Number)
	campaignNumbers := e2eCollect(t, onCampaign.AllNumbers(ctx, "suppressed"))
	require.Len(t, campaignNumbers, 1)

	for _, tc := range []struct {
		lists  *retreaver.CallerLists
		number string
		want   bool
	}{
		{onTarget, stored[0], true}, {onTarget, sent[3], true}, {onTarget, "+15855759999", false},
		{onCampaign, "+15855759999", true}, {onCampaign, stored[0], false},
	} {
		ok, err := tc.lists.Check(ctx, "suppressed", tc.number)
		require.NoError(t, err)
		require.Equal(t, tc.want, ok, "Check %s on %v", tc.number, tc.lists)
		ok, err = tc.lists.Contains(ctx, "suppressed", tc.number)
		require.NoError(t, err)
		require.Equal(t, tc.want, ok, "Contains %s on %v", tc.number, tc.lists)
	}

	// Remove one, then half in an upload, then delete the list.
	require.NoError(t, onTarget.RemoveNumber(ctx, "suppressed", stored[0]))
	ok, err := onTarget.Contains(ctx, "suppressed", stored[0])
	require.NoError(t, err)
	require.False(t, ok)
	err = onTarget.RemoveNumber(ctx, "suppressed", stored[0])
	e2eRequireGone(t, err)
	_, err = onTarget.Upload(ctx, "suppressed", &retreaver.CallerListUpload{Numbers: stored[:500], Action: retreaver.CallerListUploadDelete})
	require.NoError(t, err)
	page, err = onTarget.Numbers(ctx, "suppressed", nil)
	require.NoError(t, err)
	require.Equal(t, 500, page.Total)
	require.Equal(t, stored[999], page.Items[0].Number)

	require.NoError(t, onTarget.Delete(ctx, "suppressed"))
	_, err = onTarget.Get(ctx, "suppressed")
	e2eRequireGone(t, err)
	ok, err = onTarget.Contains(ctx, "suppressed", stored[999])
	require.NoError(t, err, "a missing list contains nothing")
	require.False(t, ok)
	_, err = onTarget.Check(ctx, "suppressed", stored[999])
	e2eRequireGone(t, err)
	_, err = onCampaign.Get(ctx, "suppressed")
	require.NoError(t, err, "the campaign's list stays")
}

// Names and numbers with reserved characters travel as escaped path segments.
func TestE2ECallerListNamesWithReservedCharacters(t *testing.T) {
	t.Parallel()
	_, lists, targetID, _ := e2eListSetup(t)
	ctx := e2eCtx(t)
	l := lists.Target(targetID)
	name := "book of business/VIP?#%+"
	_, err := l.Create(ctx, name)
	require.NoError(t, err)
	got, err := l.Get(ctx, name)
	require.NoError(t, err)
	require.Equal(t, name, got.Name)
	_, err = l.AddNumber(ctx, name, "+1 (585) 575-2500")
	require.NoError(t, err)
	ok, err := l.Contains(ctx, name, "+1 (585) 575-2500")
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, l.RemoveNumber(ctx, name, "+15855752500"))
	require.NoError(t, l.Delete(ctx, name))
}

// A key without a permission, or issued on another target, is refused with
// ErrForbidden, and the error names the permission; a wrong secret is
// ErrUnauthorized; no error shows the key or the secret.
func TestE2ECallerListKeysPermissionsAndScopes(t *testing.T) {
	t.Parallel()
	srv, lists, targetID, campaignID := e2eListSetup(t)
	ctx := e2eCtx(t)
	_, err := lists.Target(targetID).Create(ctx, "l")
	require.NoError(t, err)
	_, err = lists.Target(targetID).AddNumber(ctx, "l", "+15855752500")
	require.NoError(t, err)

	type keyed struct{ key, secret string }
	var keys []keyed
	var errs []error
	client := func(key, secret string) *retreaver.CallerLists {
		keys = append(keys, keyed{key, secret})
		return e2eListClient(t, srv, key, secret).Target(targetID)
	}
	actions := map[string]func(*retreaver.CallerLists) error{
		retreavertest.PermCallerListCreate: func(l *retreaver.CallerLists) error { _, err := l.Create(ctx, "m"); return err },
		retreavertest.PermCallerListShow:   func(l *retreaver.CallerLists) error { _, err := l.Get(ctx, "l"); return err },
		retreavertest.PermCallerListNumberIndex: func(l *retreaver.CallerLists) error {
			_, err := l.Numbers(ctx, "l", nil)
			return err
		},
		retreavertest.PermCallerListNumberCreate: func(l *retreaver.CallerLists) error {
			_, err := l.AddNumber(ctx, "l", "+15855752501")
			return err
		},
		retreavertest.PermCallerListNumberShow: func(l *retreaver.CallerLists) error {
			_, err := l.Contains(ctx, "l", "+15855752500")
			return err
		},
		retreavertest.PermCallerListCheckCreate: func(l *retreaver.CallerLists) error {
			_, err := l.Check(ctx, "l", "+15855752500")
			return err
		},
		retreavertest.PermCallerListUploadCreate: func(l *retreaver.CallerLists) error {
			_, err := l.Upload(ctx, "l", &retreaver.CallerListUpload{Numbers: []string{"+15855752502"}})
			return err
		},
		retreavertest.PermCallerListNumberDelete: func(l *retreaver.CallerLists) error {
			return l.RemoveNumber(ctx, "l", "+15855752500")
		},
		retreavertest.PermCallerListDelete: func(l *retreaver.CallerLists) error { return l.Delete(ctx, "l") },
	}
	for perm, action := range actions {
		others := slices.DeleteFunc(retreavertest.CallerListPermissions(), func(p string) bool { return p == perm })
		err := action(client(srv.AddCallerListKey(srv.CompanyID, retreavertest.Scope{}, others...)))
		apiErr := e2eRequireStatus(t, err, http.StatusForbidden, retreaver.ErrForbidden)
		require.Contains(t, apiErr.Hint, perm)
		require.Contains(t, err.Error(), perm)
		require.Contains(t, apiErr.URL, "key=REDACTED")
		errs = append(errs, err)
	}

	// Scopes: a key on another target, or on the campaign, reaches nothing here.
	other, err := e2eClient(t, srv, e2eRetries).Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+18668987879")})
	require.NoError(t, err)
	all := retreavertest.CallerListPermissions()
	for _, scope := range []retreavertest.Scope{{TargetID: other.ID}, {CampaignID: campaignID}} {
		_, err := client(srv.AddCallerListKey(srv.CompanyID, scope, all...)).Get(ctx, "l")
		e2eRequireStatus(t, err, http.StatusForbidden, retreaver.ErrForbidden)
		errs = append(errs, err)
	}
	onTarget := client(srv.AddCallerListKey(srv.CompanyID, retreavertest.Scope{TargetID: targetID}, all...))
	_, err = onTarget.Get(ctx, "l")
	require.NoError(t, err, "a key issued on the target reaches it")

	// A wrong secret, or a key of nothing.
	_, err = client(srv.CallerListKey, srv.CallerListSecret+"x").Get(ctx, "l")
	e2eRequireStatus(t, err, http.StatusUnauthorized, retreaver.ErrUnauthorized)
	errs = append(errs, err)
	_, err = client("0b7e6b2c-1c4b-4e0e-9a55-2f0d8f3c1a77", srv.CallerListSecret).Get(ctx, "l")
	e2eRequireStatus(t, err, http.StatusUnauthorized, retreaver.ErrUnauthorized)
	errs = append(errs, err)

	// A target that does not exist.
	_, err = lists.Target(other.ID+1000).Get(ctx, "l")
	e2eRequireGone(t, err)
	errs = append(errs, err)
	ok, err := lists.Target(other.ID+1000).Contains(ctx, "l", "+15855752500")
	require.NoError(t, err, "Contains reads a missing target as a 404: false")
	require.False(t, ok)
	keys = append(keys, keyed{srv.CallerListKey, srv.CallerListSecret})

	for _, err := range errs {
		for _, k := range keys {
			e2eRequireRedacted(t, err, k.key, k.secret)
		}
	}
}
