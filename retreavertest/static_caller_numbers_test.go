package retreavertest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStaticCallerNumbers(t *testing.T) {
	a := newAPI(t)
	require.Equal(t, obj{"number": []any{"can't be blank"}}, a.errorsOf(http.MethodPost, "/static_caller_numbers.json", obj{"static_caller_number": obj{}}))
	c := a.obj(http.MethodPost, "/static_caller_numbers.json", obj{"static_caller_number": obj{"number": "+18668987878"}}, http.StatusCreated, "static_caller_number")
	require.Equal(t, "+18668987878", c["number"])
	require.Contains(t, c, "created_at")
	a.errorsOf(http.MethodPost, "/static_caller_numbers.json", obj{"static_caller_number": obj{"number": "+18668987878"}})
	require.Len(t, a.list("/static_caller_numbers.json", nil, "static_caller_number"), 1)
	a.call(http.MethodPut, idPath("/static_caller_numbers", c["id"]), nil, obj{}, http.StatusMethodNotAllowed)
	resp, _ := a.raw(http.MethodDelete, idPath("/static_caller_numbers", c["id"]), nil, nil)
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	a.call(http.MethodDelete, idPath("/static_caller_numbers", c["id"]), nil, nil, http.StatusNotFound)
}
