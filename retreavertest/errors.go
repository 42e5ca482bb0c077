package retreavertest

import (
	"fmt"
	"net/http"
)

// apiError is an error answer: a status and a JSON body.
type apiError struct {
	status int
	body   any
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %v", e.status, e.body) }

// errorResponse renders an error as its answer; an error that is not an
// *apiError answers 500.
func errorResponse(err error) response {
	ae, ok := err.(*apiError)
	if !ok {
		ae = &apiError{status: http.StatusInternalServerError, body: map[string]string{"error": err.Error()}}
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return response{status: ae.status, header: h, body: marshal(ae.body)}
}

// errStatus is an answer with a status and the body {"error": msg}.
func errStatus(status int, msg string) error {
	return &apiError{status: status, body: map[string]string{"error": msg}}
}

func errNotFound() error { return errStatus(http.StatusNotFound, "Not found") }

func errBadRequest(msg string) error { return errStatus(http.StatusBadRequest, msg) }

func errUnprocessable(msg string) error { return errStatus(http.StatusUnprocessableEntity, msg) }

// fieldErrors collects Rails-style validation messages: {"field": ["can't be blank"]}.
type fieldErrors map[string][]string

func (fe fieldErrors) add(field, msg string) {
	for _, m := range fe[field] {
		if m == msg {
			return
		}
	}
	fe[field] = append(fe[field], msg)
}

// errValidation is the 422 answer {"errors": {"field": ["message", ...]}}.
func errValidation(fe fieldErrors) error {
	return &apiError{status: http.StatusUnprocessableEntity, body: map[string]any{"errors": fe}}
}

// errBlank is the 422 for one missing required field.
func errBlank(field string) error { return errValidation(fieldErrors{field: {"can't be blank"}}) }
