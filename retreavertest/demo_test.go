package retreavertest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDemoDataIsDeterministic(t *testing.T) {
	uuids := func() []any {
		a := newAPI(t, WithDemoData())
		var out []any
		for _, c := range a.allCalls(url.Values{"order": {"asc"}}) {
			out = append(out, c["uuid"])
		}
		return out
	}
	require.Equal(t, uuids(), uuids())
}

func TestDemoDataCoversEveryKind(t *testing.T) {
	a := newAPI(t, WithDemoData())
	require.Len(t, a.srv.CompanyIDs(), 3)
	for _, id := range a.srv.CompanyIDs() {
		b := &api{t: t, srv: a.srv, company: id}
		for path, root := range map[string]string{"/api/v1/affiliates.json": "affiliate", "/targets.json": "target",
			"/target_groups.json": "target_group", "/campaigns.json": "campaign", "/numbers.json": "number",
			"/number_pools.json": "number_pool", "/contacts.json": "contact", "/suppressed_numbers.json": "suppressed_number",
			"/static_caller_numbers.json": "static_caller_number"} {
			require.NotEmpty(t, b.list(path, nil, root), "%d %s", id, path)
		}
		require.Greater(t, a.srv.CallCount(id), 100)
		camp := b.list("/campaigns.json", nil, "campaign")[0]
		require.NotEmpty(t, camp["timers"])
		require.NotEmpty(t, camp["menu_options"])
		tgt := b.list("/targets.json", nil, "target")[0]
		require.NotEmpty(t, tgt["tag_values"])
		require.Equal(t, true, b.obj(http.MethodGet, "/suppressed_numbers/check.json", nil, http.StatusOK, "")["suppressed_numbers_exist"])
	}
	// The forbidden company stays forbidden.
	a.call(http.MethodGet, "/targets.json", url.Values{"company_id": {itoa(a.srv.ForbiddenCompanyID())}}, nil, http.StatusForbidden)
	// The RTB key belongs to the default company's first campaign.
	require.Equal(t, "reserved", a.reserve(obj{"key": a.srv.RTBKey, "publisher_id": "p", "caller_number": "+13015550100"}, http.StatusOK)["status"])
}
