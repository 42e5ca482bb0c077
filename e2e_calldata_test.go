package retreaver_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
	"github.com/stretchr/testify/require"
)

// e2eWriter makes a call data writer for srv with a postback key.
func e2eWriter(t *testing.T, srv *retreavertest.Server, key string) *retreaver.CallDataWriter {
	t.Helper()
	w, err := retreaver.NewCallDataWriter(key, retreaver.WithServer(srv.URL), retreaver.WithRetryPolicy(e2eRetries))
	require.NoError(t, err)
	return w
}

// Tags written before the caller calls show on the call once it comes in.
func TestE2ECallDataBeforeTheCall(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	w := e2eWriter(t, srv, srv.CallDataKey)

	res, err := w.WriteTags(ctx, &retreaver.CallDataParams{
		CallerNumber: "+15855752500",
		Tags:         map[string]string{"age": "39", "utm_campaign": "auto"},
	})
	require.NoError(t, err)
	require.Equal(t, &retreaver.CallDataResult{
		TagValues:    map[string]string{"age": "39", "utm_campaign": "auto"},
		CallerNumber: "+15855752500",
		Status:       retreaver.CallDataStatusCallNotFound,
	}, res)
	require.Equal(t, 1, e2eCount(srv, http.MethodPost, "/data_writing"))

	uuid, err := srv.AddCall(srv.CompanyID, retreavertest.Call{Caller: "5855752500", Tags: map[string]string{"source": "tv"}})
	require.NoError(t, err)
	call, err := client.Calls.Get(ctx, uuid)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"age": "39", "utm_campaign": "auto", "source": "tv"}, call.Tags)

	uuid, err = srv.AddCall(srv.CompanyID, retreavertest.Call{Caller: "+15855752500"})
	require.NoError(t, err)
	call, err = client.Calls.Get(ctx, uuid)
	require.NoError(t, err)
	require.Empty(t, call.Tags, "the caller's next call took them")
}

// Tags written for an ended call show on it at once, whether the call is
// named or is the caller's latest.
func TestE2ECallDataCompletedCall(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	w := e2eWriter(t, srv, srv.CallDataKey)
	uuid, err := srv.AddCall(srv.CompanyID, retreavertest.Call{Caller: "+15855752500", CreatedAt: time.Now().Add(-time.Hour), Duration: 120})
	require.NoError(t, err)

	res, err := w.WriteTags(ctx, &retreaver.CallDataParams{CallUUID: uuid, Tags: map[string]string{"age": "39"}})
	require.NoError(t, err)
	require.Equal(t, &retreaver.CallDataResult{TagValues: map[string]string{"age": "39"}, CallUUID: uuid,
		Status: retreaver.CallDataStatusCompletedCallFound}, res)
	call, err := client.Calls.Get(ctx, uuid)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"age": "39"}, call.Tags)

	res, err = w.WriteTags(ctx, &retreaver.CallDataParams{CallerNumber: "+15855752500", Tags: map[string]string{"sold": "yes"}})
	require.NoError(t, err)
	require.Equal(t, retreaver.CallDataStatusCompletedCallFound, res.Status)
	call, err = client.Calls.Get(ctx, uuid)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"age": "39", "sold": "yes"}, call.Tags)
}

// Tags written during a call are stored, and show once the call has ended.
func TestE2ECallDataInProgressCall(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)
	w := e2eWriter(t, srv, srv.CallDataKey)
	uuid, err := srv.AddCall(srv.CompanyID, retreavertest.Call{Caller: "+15855752500", Status: "in-progress"})
	require.NoError(t, err)

	res, err := w.WriteTags(ctx, &retreaver.CallDataParams{CallUUID: uuid, Tags: map[string]string{"age": "39"}})
	require.NoError(t, err)
	require.Equal(t, "in progress call found, tags stored", res.Status)
	require.Equal(t, uuid, res.CallUUID)
	call, err := client.Calls.Get(ctx, uuid)
	require.NoError(t, err)
	require.Empty(t, call.Tags, "not applied during the call")

	require.NoError(t, srv.EndCall(srv.CompanyID, uuid))
	call, err = client.Calls.Get(ctx, uuid)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"age": "39"}, call.Tags)
	require.Equal(t, "finished", call.Status)
}

func TestE2ECallDataErrorsShowNoKey(t *testing.T) {
	t.Parallel()
	srv, _ := e2eSetup(t)
	ctx := e2eCtx(t)
	const unknown = "7d1f0c4e-8a2b-4c3d-9e5f-6a7b8c9d0e1f"
	_, err := e2eWriter(t, srv, unknown).WriteTags(ctx, &retreaver.CallDataParams{CallerNumber: "+15855752500", Tags: map[string]string{"a": "1"}})
	e2eRequireStatus(t, err, http.StatusUnauthorized, retreaver.ErrUnauthorized)
	e2eRequireRedacted(t, err, unknown)

	_, err = e2eWriter(t, srv, srv.CallDataKey).WriteTags(ctx, &retreaver.CallDataParams{CallUUID: "9b653cf0-4835-493b-860c-aed9b7af2a4a", Tags: map[string]string{"a": "1"}})
	e2eRequireGone(t, err)
	e2eRequireRedacted(t, err, srv.CallDataKey)
}
