package retreaver

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestEveryMethodRefusesANilContext calls every exported method that takes a
// context, on every service of a Client and on the postback-key clients, with a
// nil context and plausible arguments: an error wrapping ErrInvalidArgument,
// never a panic, and nothing sent. The methods are found by reflection, so a
// new service or method is covered without being listed here.
func TestEveryMethodRefusesANilContext(t *testing.T) {
	c, mt := newTestClient(t)
	lists, err := NewCallerListClient("5f2b9c1e-7a4d-4e3f-8b0a-9c2d4e6f8a1b", "s3cret", WithBaseURL(testBaseURL),
		WithHTTPClient(c.cfg.httpClient))
	require.NoError(t, err)
	writer, err := NewCallDataWriter("postback-key", WithCallDataBaseURL(testBaseURL), WithHTTPClient(c.cfg.httpClient))
	require.NoError(t, err)
	rtb, err := NewRTBClient(WithRTBBaseURL(testRTBURL), WithHTTPClient(c.cfg.httpClient))
	require.NoError(t, err)

	receivers := map[string]any{"Client": c, "CallerLists": lists.Target(1), "CallDataWriter": writer, "RTBClient": rtb}
	cv := reflect.ValueOf(c).Elem()
	for i := 0; i < cv.NumField(); i++ {
		f := cv.Type().Field(i)
		if f.IsExported() && f.Type.Kind() == reflect.Pointer && strings.HasSuffix(f.Type.Elem().Name(), "Service") {
			receivers[f.Name] = cv.Field(i).Interface()
		}
	}
	contextType := reflect.TypeFor[context.Context]()
	methods := 0
	for name, recv := range receivers {
		v := reflect.ValueOf(recv)
		for m := 0; m < v.NumMethod(); m++ {
			method, mtype := v.Method(m), v.Type().Method(m)
			if method.Type().NumIn() == 0 || method.Type().In(0) != contextType {
				continue
			}
			methods++
			t.Run(name+"."+mtype.Name, func(t *testing.T) {
				args := []reflect.Value{reflect.Zero(contextType)} // a nil context
				for a := 1; a < method.Type().NumIn(); a++ {
					args = append(args, plausible(method.Type().In(a)))
				}
				var err error
				require.NotPanics(t, func() { err = firstError(method.Call(args)) })
				require.ErrorIs(t, err, ErrInvalidArgument)
			})
		}
	}
	require.Greater(t, methods, 100, "every service's methods were found")
	noRequests(t, mt)
}

// plausible returns a value of type t that a method would accept: an id of 1,
// a non-empty string, a function that does nothing, a zero struct behind a
// pointer.
func plausible(t reflect.Type) reflect.Value {
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		return reflect.ValueOf(1).Convert(t)
	case reflect.String:
		return reflect.ValueOf("a").Convert(t)
	case reflect.Bool:
		return reflect.ValueOf(true)
	case reflect.Pointer:
		return reflect.New(t.Elem())
	case reflect.Slice:
		return reflect.MakeSlice(t, 1, 1)
	case reflect.Map:
		return reflect.MakeMap(t)
	case reflect.Func:
		return reflect.MakeFunc(t, func([]reflect.Value) []reflect.Value {
			out := make([]reflect.Value, t.NumOut())
			for i := range out {
				out[i] = reflect.Zero(t.Out(i))
			}
			return out
		})
	case reflect.Struct:
		if t == reflect.TypeFor[time.Time]() {
			return reflect.ValueOf(time.Now())
		}
	}
	return reflect.Zero(t)
}

// firstError returns the error among a method's results, or the first error an
// iterator result yields.
func firstError(results []reflect.Value) error {
	for _, r := range results {
		switch {
		case r.Type() == reflect.TypeFor[error]():
			if !r.IsNil() {
				return r.Interface().(error)
			}
		case r.Kind() == reflect.Func && r.Type().NumIn() == 1:
			// An iter.Seq2[*T, error]: range over it by hand.
			var err error
			yield := reflect.MakeFunc(r.Type().In(0), func(args []reflect.Value) []reflect.Value {
				if e, _ := args[1].Interface().(error); e != nil {
					err = e
					return []reflect.Value{reflect.ValueOf(false)}
				}
				return []reflect.Value{reflect.ValueOf(true)}
			})
			r.Call([]reflect.Value{yield})
			if err != nil {
				return err
			}
		}
	}
	return nil
}
