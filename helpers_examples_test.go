package retreaver_test

import (
	"log"

	"github.com/retreaver-go/retreaver"
	"github.com/retreaver-go/retreaver/retreavertest"
)

// The helper of the runnable examples (example_*_test.go).

// newFake starts the in-memory Retreaver API and a client for it. Real programs
// call retreaver.NewClient(apiKey, retreaver.WithCompanyID(id)) instead.
func newFake(opts ...retreavertest.Option) (*retreavertest.Server, *retreaver.Client) {
	srv := retreavertest.NewServer(opts...)
	client, err := retreaver.NewClient(srv.APIKey,
		retreaver.WithServer(srv.URL), // every host: the API, RTB and call data
		retreaver.WithCompanyID(srv.CompanyID))
	if err != nil {
		log.Fatal(err)
	}
	return srv, client
}
