// Package retreaver is a typed client for the Retreaver Core API: the pay-per-call
// platform's API for calls, affiliates (publishers), targets (buyers), target groups,
// campaigns, numbers, number pools, companies, contacts, suppressed and static caller
// numbers, reports, real-time bidding, caller lists and call data writing.
//
// # Getting started
//
// Create a [Client] with your API key and the company you work in, then call the
// services hanging off it:
//
//	client, err := retreaver.NewClient(os.Getenv("RETREAVER_API_KEY"),
//		retreaver.WithCompanyID(1234))
//	if err != nil {
//		log.Fatal(err)
//	}
//	call, err := client.Calls.Get(ctx, "f1abfb78-ab8a-4146-9946-8169fbcc6d6c")
//
// Every method takes a [context.Context]; cancelling it stops the request, any retry
// wait and any iteration at once.
//
// # Companies
//
// One API key reaches every company its user belongs to. Each request names one with
// the company_id query parameter: [WithCompanyID] sets it for a client and
// [Client.WithCompany] makes a cheap copy scoped to another company that shares the
// transport, retry policy and rate limit. [Client.ForEachCompany] runs a function for
// every company the key reaches, a few at a time.
//
// # Pagination
//
// List methods return one [Page]; All methods return an iterator (iter.Seq2) that
// follows the API's Link headers page by page. The key is only ever sent to the
// configured base URL, never to a host named in a Link header, and a next link that
// does not advance ends the iteration with an error instead of looping:
//
//	for call, err := range client.Calls.All(ctx, &retreaver.CallListOptions{SortBy: "created_at", Order: "asc"}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(call.UUID, call.Caller)
//	}
//
// Breaking out of the loop stops fetching at once.
//
// # Postback keys
//
// Two APIs authenticate with a postback key instead of the API key:
// [NewCallerListClient] manages the caller lists of targets and campaigns, and
// [NewCallDataWriter] writes tags on callers and calls. [NewRTBClient] serves
// publishers who hold only an RTB key. Their requests never carry the API key
// or a company_id.
//
// # Errors
//
// An answer other than 2xx is an [*APIError]; errors.Is matches it against the
// sentinels ([ErrNotFound], [ErrUnauthorized], [ErrRateLimited], ...). Input that is
// knowably wrong (an empty id, a missing required field) fails before any request
// with an error wrapping [ErrInvalidArgument]. No error, log line or panic contains
// the API key: URLs are redacted everywhere.
//
// # Retries and rate limits
//
// GET, PUT and DELETE are retried on 429, 500, 502, 503, 504 and transient network
// errors; POST only on 429 and on connection errors where nothing was sent. See
// [RetryPolicy] and [WithRateLimit].
//
// # Testing
//
// Package retreavertest is an in-memory Retreaver API: point [WithBaseURL] at it to
// test code that uses this package without touching a real account.
package retreaver

// Version is the version of this SDK. It is sent in the User-Agent header.
const Version = "0.1.0"

// DefaultBaseURL is the base URL of the Retreaver Core API.
const DefaultBaseURL = "https://api.retreaver.com/"

// DefaultRTBBaseURL is the base URL of Retreaver's real-time bidding host.
const DefaultRTBBaseURL = "https://rtb.retreaver.com/"

// DefaultCallDataBaseURL is the base URL of Retreaver's call data writing host.
// (The reference's curl examples misspell it; its text names it right.)
const DefaultCallDataBaseURL = "https://retreaverdata.com/"

// Ptr returns a pointer to v. It makes optional fields of the Params structs easy to
// set: retreaver.AffiliateParams{FirstName: retreaver.Ptr("Nancy")}.
func Ptr[T any](v T) *T { return &v }
