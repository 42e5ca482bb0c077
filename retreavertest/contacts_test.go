package retreavertest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestContactLifecycle(t *testing.T) {
	a := newAPI(t)
	require.Equal(t, obj{"contact_numbers": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/contacts.json", obj{"contact": obj{"tag_list": "<<<name:X>>>"}}))
	c := a.obj(http.MethodPost, "/contacts.json", obj{"contact": obj{"tag_list": "<<<name:Retreaver Support>>>",
		"contact_numbers_attributes": []obj{{"number": "8668987878", "description": "Landline"}}}}, http.StatusCreated, "contact")
	nums := c["contact_numbers"].([]any)
	require.Equal(t, "+18668987878", nums[0].(obj)["number"])
	require.Equal(t, "Landline", nums[0].(obj)["description"])
	tag := c["tag_values"].([]any)[0].(obj)
	require.Equal(t, "Retreaver Support", tag["value"])
	require.Contains(t, a.errorsOf(http.MethodPost, "/contacts.json", obj{"contact": obj{"contact_numbers_attributes": []obj{{"number": "+18668987878"}}}}), "contact_numbers.number")

	path := idPath("/contacts", c["id"])
	c = a.obj(http.MethodPut, path, obj{"contact": obj{"contact_numbers_attributes": []obj{{"id": nums[0].(obj)["id"], "number": "+18001234567"}, {"number": "+18005550000", "description": "Mobile"}}}}, http.StatusOK, "contact")
	require.Len(t, c["contact_numbers"], 2)
	require.Equal(t, "+18001234567", c["contact_numbers"].([]any)[0].(obj)["number"])

	byNum := "/contact_numbers/+18001234567/contact.json"
	require.Equal(t, c, a.obj(http.MethodGet, byNum, nil, http.StatusOK, "contact"))
	require.Equal(t, c, a.obj(http.MethodGet, "/contact_numbers/%2B18001234567/contact.json", nil, http.StatusOK, "contact"))
	upd := a.obj(http.MethodPut, byNum, obj{"contact": obj{"tag_list": "<<<name:Invalid Number>>>"}}, http.StatusOK, "contact")
	require.NotEqual(t, tag["id"], upd["tag_values"].([]any)[0].(obj)["id"])

	cn := a.obj(http.MethodPut, "/contact_numbers/+18001234567.json", obj{"contact_number": obj{"number": "+18005551234"}}, http.StatusOK, "contact_number")
	require.Equal(t, obj{"number": "+18005551234", "description": "Landline", "id": nums[0].(obj)["id"]}, cn)
	a.call(http.MethodGet, byNum, nil, nil, http.StatusNotFound)

	a.call(http.MethodDelete, "/contact_numbers/+18005550000.json", nil, nil, http.StatusOK)
	// The last number of a contact cannot go.
	a.errorsOf(http.MethodDelete, "/contact_numbers/+18005551234.json", nil)
	a.call(http.MethodDelete, "/contact_numbers/+19999999999.json", nil, nil, http.StatusNotFound)

	resp, body := a.raw(http.MethodDelete, "/contact_numbers/+18005551234/contact.json", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, body)
	require.Empty(t, a.list("/contacts.json", nil, "contact"))
}
