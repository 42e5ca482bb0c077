package retreavertest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSuppressedNumbers(t *testing.T) {
	a := newAPI(t)
	check := func() any {
		return a.obj(http.MethodGet, "/suppressed_numbers/check.json", nil, http.StatusOK, "")["suppressed_numbers_exist"]
	}
	require.Equal(t, false, check())
	camp := a.obj(http.MethodPost, "/campaigns.json", obj{"campaign": obj{"cid": "116dc0f6"}}, http.StatusCreated, "campaign")

	// Create: no body needed; the answer is not wrapped.
	c := a.obj(http.MethodPost, "/suppressed_numbers/+13216065590.json", nil, http.StatusCreated, "")
	require.Equal(t, "+13216065590", c["number"])
	require.Equal(t, true, c["can_resubscribe"])
	require.Equal(t, float64(a.srv.CompanyID), c["company_id"])
	require.Contains(t, c, "affiliate_id")
	require.Nil(t, c["campaign_id"])
	require.Contains(t, c, "updated_at")
	require.Equal(t, true, check())
	a.errorsOf(http.MethodPost, "/suppressed_numbers/+13216065590.json", nil)
	c2 := a.obj(http.MethodPost, "/suppressed_numbers/+13216437667.json", obj{"suppressed_number": obj{"can_resubscribe": false}}, http.StatusCreated, "")
	require.Equal(t, false, c2["can_resubscribe"])

	got := a.obj(http.MethodGet, "/suppressed_numbers/+13216065590.json", nil, http.StatusOK, "suppressed_number")
	require.NotContains(t, got, "cid")
	// Update (unwrapped body, as the reference shows): cid appears, as a number.
	got = a.obj(http.MethodPut, "/suppressed_numbers/+13216065590.json", obj{"can_resubscribe": false, "campaign_id": "116dc0f6"}, http.StatusOK, "suppressed_number")
	require.Equal(t, camp["id"], got["cid"])
	require.Equal(t, false, got["can_resubscribe"])
	require.Contains(t, a.errorsOf(http.MethodPut, "/suppressed_numbers/+13216065590.json", obj{"campaign_id": "nope"}), "campaign_id")

	list := a.list("/suppressed_numbers.json", nil, "suppressed_number")
	require.Len(t, list, 2)
	require.Equal(t, camp["id"], list[0]["cid"])
	require.NotContains(t, list[1], "cid")

	resp, _ := a.raw(http.MethodDelete, "/suppressed_numbers/+13216065590.json", nil, nil)
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	a.call(http.MethodGet, "/suppressed_numbers/+13216065590.json", nil, nil, http.StatusNotFound)
}
