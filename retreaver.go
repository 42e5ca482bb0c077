// Package retreaver is a typed client for the Retreaver API: the pay-per-call
// platform's API for calls, affiliates (publishers), targets (buyers), target groups,
// campaigns, numbers, number pools, companies, contacts, suppressed and static caller
// numbers, reports, real-time bidding and its inbound log, exports, payout bid
// modification tables, caller lists and call data writing.
//
// # A tour
//
// Create a [Client] with your API key and the company you work in, then call the
// services hanging off it. Every method takes a [context.Context]; cancelling it
// stops the request, any retry wait and any iteration at once.
//
//	client, err := retreaver.NewClient(os.Getenv("RETREAVER_API_KEY"),
//		retreaver.WithCompanyID(1234)) // always name the company you work in
//	if err != nil {
//		log.Fatal(err)
//	}
//	call, err := client.Calls.Get(ctx, "f1abfb78-ab8a-4146-9946-8169fbcc6d6c")
//
// List methods return one [Page]; All methods return an iterator (iter.Seq2) that
// follows the API's Link headers page by page, and stops fetching when the loop
// breaks:
//
//	for call, err := range client.Calls.All(ctx, &retreaver.CallListOptions{SortBy: retreaver.SortByCreatedAt}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(call.UUID, call.Caller, call.Revenue)
//	}
//
// [CallsService.Export] is the bulk path: it pins a time window, pages it oldest
// first several pages at a time, and yields every call exactly once. Amounts are
// [Money], exact decimals with Add, Sub, Cmp and Cents, so sums of revenue are
// exact:
//
//	var revenue retreaver.Money
//	for call, err := range client.Calls.Export(ctx, &retreaver.ExportOptions{CreatedAtStart: weekAgo}) {
//		if err != nil {
//			return err
//		}
//		revenue = revenue.Add(call.Revenue)
//	}
//
// [ReportsService] reads aggregate statistics per publisher, buyer, campaign,
// number, day, tag or state. Publishers bid for calls in real time through
// [RTBService] (or [NewRTBClient], with only a postback key); buyers and networks
// read the log of those pings through [RTBInboundsService], pull months of it as a
// CSV file through [ExportsService], and tune payouts with rule tables through
// [PBMTablesService]. [Client.Do] sends any request the SDK does not model yet,
// with the same guarantees.
//
// # Companies
//
// One API key reaches every company (account) its user belongs to. Each request
// names one with company_id: [WithCompanyID] sets it for a client and
// [Client.WithCompany] makes a cheap copy scoped to another company that shares the
// connections, retry policy and rate limit. Without it the API uses the key's
// active company, which changes when someone switches companies in the web
// interface. [Client.ForEachCompany] runs a function for every company the key
// reaches, a few at a time; [ExportProgress] names the company it reports on.
//
// # How Retreaver fits together
//
// A caller dials a tracking [Number]. The number belongs to a [Campaign] (its cid)
// and usually to an [Affiliate], the publisher who sent the caller (its afid, plus a
// sub id). A [NumberPool] is a campaign's set of numbers handed out one per website
// visitor, so that each visit can be told apart; its numbers are Numbers like the
// others, bought and released as the pool grows and shrinks.
//
// The campaign answers with its greeting, if any, and its IVR menu: each
// [MenuOption] sends the caller to a phone number or to another campaign, and
// option "1" is the route taken when there is no greeting. Calls reach the
// [Target]s (buyers) the campaign routes to: among the targets that match the
// call's tags, are open (their business hours, in their time zone), not paused
// and below their caps, the lowest Priority is tried first, and Weight shares the
// calls among equals. A [TargetGroup] bundles targets to be dialled one after the
// other or at once (simuldial), with caps of its own. A call that lasts long
// enough converts through the target's [ConversionGroup], which says the revenue
// it earns.
//
// On a [Call], TotalDuration is the whole call in seconds: IVR, hold and the
// connected time together (the reference's examples add up so), and
// DialedCallDuration is the time connected to the target, which reports call
// connected_duration; TimeToConnectInSeconds is IVR plus hold. The reference
// does not say which of the two the web interface's call log shows as a call's
// duration: to match a figure there, compare it with both.
//
// A postback key is issued in the web interface on a campaign (the RTB key, on the
// campaign's page, for [RTBService]), or for caller list management on a target, a
// campaign or the company, with chosen permissions (for [NewCallerListClient]),
// or for call data writing (for [NewCallDataWriter]). These clients never send
// the API key or a company_id.
//
// # Errors
//
// An answer other than 2xx is an [*APIError]; errors.Is matches it against the
// sentinels ([ErrNotFound], [ErrUnauthorized], [ErrRateLimited], ...), and it tells
// the fields a validation failure names ([APIError].Fields) and how many attempts
// were made. A 2xx answer that is not the documented shape is a [*DecodeError]
// wrapping [ErrUnexpectedResponse], never a zero value. Input that is knowably
// wrong (an empty id, a missing required field) fails before any request with an
// error wrapping [ErrInvalidArgument]. No error, log line or printed Client holds
// a credential, in whatever spelling a server echoes it.
//
// # Retries and rate limits
//
// GET, PUT and DELETE are retried on 429, 500, 502, 503, 504, transient network
// errors and answers cut short; POST only on 429 and on connection errors where
// nothing was sent. See [RetryPolicy] and [WithRateLimit].
//
// # Testing
//
// Package retreavertest is an in-memory, stateful Retreaver API: [WithServer]
// points every host of a client at it, so tests never touch a real account.
package retreaver

// Version is the version of this SDK. It is sent in the User-Agent header.
const Version = "0.2.0"

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
