package retreaver_test

import (
	"context"
	"fmt"
	"log"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
)

// Keep a target's suppression list: a caller list of the numbers not to send
// to it. Upload the numbers in one request, then check a caller before
// routing.
func ExampleCallerLists_Upload() {
	srv, client := newFake()
	defer srv.Close()
	ctx := context.Background()
	target, err := client.Targets.Create(ctx, &retreaver.TargetParams{Number: retreaver.Ptr("+18668987878")})
	if err != nil {
		log.Fatal(err)
	}

	// Real programs pass the UUID and the secret of a "Caller List
	// Management" postback key, and no WithServer.
	lists, err := retreaver.NewCallerListClient(srv.CallerListKey, srv.CallerListSecret, retreaver.WithServer(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	suppressed := lists.Target(target.ID)
	if _, err := suppressed.Create(ctx, "suppressed"); err != nil {
		log.Fatal(err)
	}
	upload, err := suppressed.Upload(ctx, "suppressed", &retreaver.CallerListUpload{
		Numbers: []string{"+15855752500", "5855752501", "+15855752502"}, // NANP numbers take +1
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(upload.Status)

	// The API processes an upload in the background: a check right after it
	// may not see the numbers yet (the fake processes it at once). A real
	// program checks later, or adds a few numbers one by one with AddNumber.
	for _, caller := range []string{"+15855752501", "+15855759999"} {
		onList, err := suppressed.Check(ctx, "suppressed", caller)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(caller, "suppressed:", onList)
	}
	// Output:
	// Processing
	// +15855752501 suppressed: true
	// +15855759999 suppressed: false
}

// Tag a caller before the call comes in: the tags wait for the caller's next
// call, and read back on it.
func ExampleCallDataWriter_WriteTags() {
	srv, client := newFake()
	defer srv.Close()
	ctx := context.Background()

	// Real programs pass a postback key that allows data writing, and no
	// WithServer.
	w, err := retreaver.NewCallDataWriter(srv.CallDataKey, retreaver.WithServer(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	res, err := w.WriteTags(ctx, &retreaver.CallDataParams{
		CallerNumber: "+15855752500",
		Tags:         map[string]string{"age": "39", "utm_campaign": "auto"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status)

	// The caller calls (in the fake, AddCall stands for the call).
	uuid, err := srv.AddCall(srv.CompanyID, retreavertest.Call{Caller: "+15855752500"})
	if err != nil {
		log.Fatal(err)
	}
	call, err := client.Calls.Get(ctx, uuid)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(call.Tags["age"], call.Tags["utm_campaign"])
	// Output:
	// call not found, tags stored
	// 39 auto
}
