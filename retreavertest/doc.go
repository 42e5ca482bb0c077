// Package retreavertest is an in-memory, stateful fake of the Retreaver Core
// API (and of the RTB host) for tests and demos. It serves every documented
// route on a loopback httptest server, keeps what clients create, scopes it per
// company, pages listings with Link headers, answers the documented error
// statuses and bodies, and can inject faults (latency, 429 with Retry-After,
// 5xx, dropped connections, truncated or slow bodies).
//
// It uses only the standard library and does not import the SDK: it speaks
// JSON, so it can test any client.
//
// # Usage
//
//	srv := retreavertest.NewServer(retreavertest.WithDemoData())
//	defer srv.Close() // in tests: t.Cleanup(srv.Close)
//	srv.SeedCalls(300) // 300 more calls in the default company
//	uuid, _ := srv.AddCall(srv.CompanyID, retreavertest.Call{CID: "1001", Revenue: "12.50"})
//	srv.FailNext(1, retreavertest.Fault{Status: 429, RetryAfter: time.Second})
//
//	client, _ := retreaver.NewClient(srv.APIKey,
//		retreaver.WithBaseURL(srv.URL), retreaver.WithRTBBaseURL(srv.URL),
//		retreaver.WithCompanyID(srv.CompanyID))
//	// ... use client; then inspect srv.Requests(), srv.CallCount(srv.CompanyID) ...
//
// # Calls
//
// SeedCalls, SeedCallsIn and SeedCallsAt add plausible generated calls (repeat
// callers, conversions, in-progress calls...) to a company: to check counts,
// paging and filters. AddCall adds one call with chosen fields (campaign,
// affiliate, target, amounts, tags, times, durations...; see Call), in any
// company, for tests that assert exact values and sums: the call reads, lists
// and reports exactly as given. Calls are kept in created_at order, so a
// listing page costs the same with a hundred calls stored or a hundred
// thousand. EndCall ends a call in progress (see Call data writing).
//
// The call log is served in five versions, each at api/v{n}/calls.json and
// api/v{n}/calls/{uuid}.json: v1 with the V1 fields and times in whole
// seconds; v2 with the V2 fields; v3 as v2 with number as {"number",
// "name"}; v4 as v3 with campaign {"id", "name"} in place of campaign_id (the
// id a string, as in the reference's example); v5 as v4. The name is the
// tracking number's: demo numbers have one; numbers created through the API
// have none (null), since the numbers API takes no name. Every version from
// v2 takes call_flow_events=true, which adds a call_flow_events array to each
// call. The reference does not document its shape; the fake's is its own
// invention: {"event", "created_at", "description"} objects, oldest first,
// with the events call_received, keys_pressed, target_dialed,
// target_answered and call_ended, as far as the call's fields tell them.
//
// # Companies and authentication
//
// Every server holds the companies of CompanyIDs (the key reaches them all;
// CompanyID is the default) and ForbiddenCompanyID (exists, 403). A request
// without the right api_key answers 401 {"error": ...}; company_id naming a
// company the key does not reach answers 403; no company_id means the default
// company, like the real API's "active company". company.json answers the
// default company (or the one named by company_id); companies.json and
// companies/{id}.json need no company_id. RTB, caller list and call data
// writing routes need no api_key: they take postback keys (see below); export
// files take a signed URL (see Exports).
//
// # Shapes
//
// Answers follow the reference: single objects wrapped in their root key
// ({"target": {...}}), lists as arrays of wrapped objects, with these
// exceptions, as in the reference: number timers are bare on reads (list and
// get) and wrapped ({"timer": ...}) in create and update answers; a
// suppressed number's create answer is not wrapped; target group "targets",
// contact "contact_numbers" and caps are not wrapped; reports, RTB, call
// data writing, export and payout bid modification table answers are not
// wrapped; the RTB inbounds log is {"rtb_inbounds": [...]} of bare rows.
// Targets take the id you choose as client_tid (the old name tid is ignored,
// as the live API ignores it); the create answer names it "client_tid", the
// other answers "tid". Every target answer lists the target's groups, kept
// current as groups change: target_group_ids and target_groups (bare group
// objects without caps or members). Timestamps are RFC 3339 with milliseconds in UTC ("Z"),
// except the V1 call log, RTB inbounds and payout bid modification tables
// (whole seconds, as in the reference). Creates answer 201.
//
// Request bodies may be JSON wrapped in the root key ({"target": {...}}) or
// unwrapped, or form-encoded (target[name]=...). Numbers given as strings
// ("1000") are accepted, as Rails does.
//
// # Conversion groups
//
// A target's conversion_groups_attributes (on update, as the reference
// shows, or on create) work like Rails nested attributes. An entry without
// id creates a group: conversion_type ("timer") and conversions_attributes
// are required, name defaults to "Default Conversion Settings",
// dedupe_seconds to 0 (it must be one of the values the reference allows),
// eval_order comes after the target's other groups. An entry with id changes
// only the fields it gives, or with "_destroy": true removes the whole group.
// Nested conversions_attributes entries with id change that conversion
// (seconds, revenue); without id they add one, with seconds 90, revenue 0,
// payout 0 and postback_timeout 600. An id the target does not have, a
// missing or unknown conversion_type or a dedupe_seconds not allowed answer
// 422, and nothing changes. Get and update answers carry conversion_groups,
// shaped as in the reference; lists and the create answer do not.
//
// # Errors
//
// Unknown object: 404 {"error": "Not found"}. Unknown path: 404, the
// unversioned calls.json, calls/{uuid}.json and affiliates routes included:
// as in the live API, calls and affiliates are served under api/v1 only
// (api/v1/calls.json, api/v1/affiliates/afid/{afid}.json...). Known path,
// wrong method: 405 with Allow. A ".xml" path: 406. A body that is not JSON:
// 400. A body that cannot be read in full (shorter than its Content-Length,
// malformed chunks): 400, before authentication and faults; the request is
// still logged. Validation failures: 422 {"errors": {"field": ["can't be blank"]}}
// (required: afid for affiliates, number for targets, name for target groups
// and companies, cid and afid for numbers (the cid must exist), cid for
// number pools, contact_numbers_attributes for contacts, number for static
// caller numbers). Deleting an affiliate or campaign that still has numbers,
// a company with numbers or pools, or a contact's last contact number
// answers 422 too.
//
// # Deletes
//
// The real API answers deletes inconsistently; the fake picks per kind:
//
//	200, empty body: affiliates, campaigns, numbers, contacts (also by number), contact_numbers,
//	                 payout bid modification tables
//	204:             targets, target_groups, number_pools, companies, suppressed_numbers, static_caller_numbers
//
// Deleting a number pool deletes its numbers; deleting a target removes it
// from its groups. reset_cap (targets and target groups) answers 200 with an
// empty body.
//
// # Listings
//
// Every listing has DefaultPageSize (WithPageSize) objects per page and a Link
// header with absolute URLs carrying every query parameter of the request
// (api_key included, as the real API does) and page=N, with rel first, prev
// (page > 1), next (not the last page) and last. A page past the end is [].
// LinkHeader builds the same header, for tests that answer with canned
// responses instead of a Server.
// Call listings accept per_page up to 100, sort_by created_at (default) or
// updated_at (always descending, as documented), order desc (default) or asc
// (ties broken by id), created_at_start and created_at_end (RFC 3339,
// inclusive; 400 when unparseable), caller, client_afid, client_cid,
// client_tid and sub_id. numbers.json filters by client_cid, client_afid and
// sub_id (the old names cid, afid and sid are ignored, as the live API
// ignores them); number_pools.json by cid and afid.
//
// # Reports
//
// api/v1/reports.json computes its rows from the stored calls. domain=calls,
// facet (publisher, buyer, campaign, number, daily, tag_value, state),
// created_at_start and created_at_end (YYYY-MM-DD, whole UTC days, both
// inclusive) are required: missing or invalid values answer 422, unparseable
// dates 400; the range may not run backwards nor span 2 years. Calls without
// a value for the facet (no affiliate for publisher, no target for buyer)
// count in no row. tag_value rows cover only tag keys the company created as
// tags (through tag_list on targets or contacts); others give an empty report.
// Counts are floats ("2.0") as in real answers; ids are strings, or integers
// for buyer and number.
//
// # RTB
//
// POST rtbs.json reserves (JSON body, form or query: key, publisher_id or
// source_id, caller_number, optional inbound_number; other fields become tags,
// see RTBReservations). PUT or PATCH rtbs/{uuid}.json with key and
// status=confirmed confirms. Answers are unwrapped. A missing or unknown key
// answers an HTML login page with status 200, as the real host does. A
// missing publisher or caller answers 422.
//
// Ping shield: a reserve for the same caller_number and key while an earlier
// reservation (reserved or confirmed) is live, that is before its expires_at
// (SetRTBReservationTTL, default 5 minutes), answers that first reservation
// again with retreaver_ping_shield true.
//
// No target: a reserve answers {"uuid", "status": "no-target"} only, when
// SetRTBNoTarget(true) is in force or when the caller_number is on the
// suppressed numbers of the key's company. Such reservations cannot be
// confirmed (422). Confirming an expired reservation answers 410, an unknown
// uuid 404.
//
// Every reservation, and every ping-shielded repeat, is also a row of the RTB
// inbounds log (below).
//
// # RTB inbounds
//
// api/v5/rtb_inbounds.json (and the same at v2, v3 and v4, as the reference
// says) answers {"rtb_inbounds": [...]}: the company's rows, newest first, 100
// a page whatever per_page says, with the Link header of every listing, and
// with_filters=true adds {"filters": {"campaigns", "publishers", "targets",
// "postback_keys": [{"id", "name"}...], "statuses": [...]}}. Rows are as in
// the reference: the UUIDs call_uuid and duplicate_original_uuid are the
// all-zero UUID when absent, never null; ids, the caller's place and times
// that do not apply are null; times are to the second; the pbm_* fields are
// there only for a ping a payout bid modification table was applied to.
//
// Each reservation is a row with its uuid: its postback key, campaign (the
// key's), affiliate (the one whose afid is the publisher_id or source_id, if
// any), target (the company's first target that is not paused; the fake does
// not route), revenue (the campaign's) and payout (as answered), caller
// state, city, zip and country from the fields of the same names (country US
// for a +1 number otherwise). Its status: "claimed" once confirmed, when a
// call is added to the company's call log (created at the confirmation,
// lasting the reservation's seconds, with its caller, campaign, affiliate,
// target, amounts and tags) whose uuid is the row's call_uuid;
// "no-target" for a no-target answer; "expired" once it lapsed unconfirmed;
// while it is live and unconfirmed, "reserved", which is none of the four
// documented statuses. A ping-shielded repeat is a row of its own, status
// "rejected" (the buyers were not pinged again), duplicate_order 1, 2, ...
// and duplicate_original_uuid the first reservation's uuid; the live API may
// give such rows one of its internal Ping Shield statuses instead.
// AddRTBInbound adds a row with chosen fields.
//
// Filters: campaign_id[], affiliate_id[], target_id[] and postback_key_id[]
// (also without brackets, and with the brackets percent-encoded; ids the
// company does not have are dropped, and a filter left with none keeps no
// row), status[] (any status), duplicate, caller_state and caller_country
// (letter case ignored), revenue[] and payout[] (two amounts: min and max,
// inclusive), and the window: created_at, a relative token (last_Nh, last_Nd,
// last_Nw, today, yesterday; it wins over the explicit bounds) or
// created_at_start and created_at_end (ISO 8601, inclusive; a start alone
// ends now). A value that does not parse answers 400; a window longer than 2
// months, or ending before it starts, 422 {"errors": {"created_at": [...]}}.
//
// # Exports
//
// POST api/v5/exports/rtb_inbounds.json {"export": {"format": "csv", "params":
// {...}}} takes the log's filters as JSON values or arrays and a window
// (created_at, or created_at_start), and answers 201 with the export, bare
// and in progress, as the reference shows it; its rows are those the filters
// keep at that moment. GET api/v5/exports/rtb_inbounds/{id}.json answers its
// state: in progress as long as SetExportRun says (DefaultExportRun: the first
// read in progress, the next done), then export_count, export_progress,
// export_percentage 100.0 and file_upload_url
// "/v2/reports/rtb_inbounds/{id}/download". Params that do not select (no
// window, a bad filter, a window over 2 months) or a format other than csv
// make an export failed at once: in_progress false, no file, errors {"field":
// [...]}. No params at all answers 422.
//
// GET v2/reports/rtb_inbounds/{id}/download (no ".json"), with the api_key,
// answers 302 to the file's own URL, export_files/{id}/rtb_inbounds_{id}.csv.gz
// with expires and signature query parameters (valid 15 minutes), on the same
// server; an export not done, failed or another company's answers 404. The
// file's URL takes no api_key: it authenticates by its signature (403 when it
// does not match or has expired), and answers 400 to a request that carries an
// api_key or a company_id. ExportFileRequests lists the requests that reached
// it. The file is gzipped CSV (Content-Type application/gzip) with a header
// of human labels (UUID, Call UUID, Postback Key ID, Caller Number, Affiliate
// ID, Campaign ID, Target ID, Revenue, Payout, Status, Duplicate Order,
// Duplicate Original UUID, Caller State, Caller City, Caller Zip, Caller
// Country, Created At, Confirmed At, Ended At, Time To Resolve, Fired Pixels
// Count, Fired Pixels Error Count, and PBM Table Version, PBM Rule ID, PBM
// Bucket, PBM Variant, PBM Original Payout, PBM Percent Of Revenue) and one
// line per row: the all-zero UUID for an absent one, times as "2026-09-01
// 14:02:11 UTC", amounts as the JSON writes them, empty cells for nulls.
//
// # Payout bid modification tables
//
// api/v5/campaigns/{campaign_id}/payout_bid_modification_tables.json lists a
// campaign's tables (a bare array, the newest first) and creates one (201,
// body wrapped in payout_bid_modification_table or not): csv_data required,
// active (default false), salt (default the company's name and the date,
// such as "northwind_health_leads_2026-09-15"), table_version (default the
// id, answered as a number, as in the reference; one given is a string,
// unique in the campaign). .../{id}.json gets one (bare), PUT or PATCH sets
// active (required; activating a table deactivates the campaign's other one),
// DELETE answers 200 with an empty body. A campaign outside the company, or a
// table outside the campaign, answers 404.
//
// Errors answer 422 {"errors": ["..."]}: "Csv data can't be blank", "Csv data
// could not be parsed into rules (...)" (the header lacks rule_id or
// payout_pct, or has one twice; a row is not the header's width; a rule_id is
// no integer; a payout_pct is neither a number nor current; a cell starts
// with an unknown operator, one other than =, !=, =~, !~, <, <=, > and >=; a
// regular expression or a number does not parse; no rules, more than 1000, or
// more than 1 MB, 1,000,000 bytes), "Table version has already been taken", "Active can't be
// blank", and "Csv data can only be set when the table is created" (and the
// same for salt and table_version) for an update that would change one.
//
// The active table of a campaign applies to its pings: rules are tried in
// order against the ping's fields and tags (caller_number, caller_state and
// the other reserve fields, revenue, pbm_bucket, system_campaign_id,
// system_affiliate_id, system_target_id, and campaign_id, affiliate_id and
// target_id as the cid, afid and tid), where a condition on a key the ping
// lacks holds only for != and !~. The first rule that matches sets the payout
// to its payout_pct of the revenue (pbm_variant "treatment"), or leaves it
// for current ("control"); the reservation answers the payout set, and its
// row carries the pbm_* fields. pbm_bucket is the fake's own: the first 8
// bytes of SHA-256 of the salt, ":" and the reservation's uuid, big-endian,
// modulo 10000.
//
// # Caller lists
//
// Caller lists live on a target or a campaign, under
// api/v2/targets/{id}/caller_lists and api/v2/campaigns/{id}/caller_lists
// (a target's list and a campaign's are independent even when they share a
// name):
//
//	POST   caller_lists.json                                 {"caller_list": {"name"}}: 201
//	GET    caller_lists/{name}.json                          {"caller_list": {"name", "caller_listable_type", "caller_listable_id"}}
//	DELETE caller_lists/{name}.json                          200, empty
//	GET    caller_lists/{name}/caller_list_numbers.json      [{"caller_list_number": {"number", "created_at"}}, ...]
//	POST   caller_lists/{name}/caller_list_numbers.json      {"caller_list_number": {"number"}}: 201
//	GET    caller_lists/{name}/caller_list_numbers/{number}.json
//	DELETE caller_lists/{name}/caller_list_numbers/{number}.json   200, empty
//	POST   caller_lists/{name}/caller_list_checks.json       {"caller_list_check": {"number"}}
//	POST   caller_lists/{name}/caller_list_uploads.json      {"caller_list_upload": {"numbers", "action", "clear_before_upload"}}
//
// Requests carry a caller list key: its UUID as the key query parameter and
// its secret as an Authorization: Bearer header. A missing or unknown key, or
// a wrong secret, answers 401 {"error": ...}. A target or campaign that does
// not exist answers 404; one outside the key's scope (another company, or
// another target or campaign than the one the key was issued on), or an
// action the key has no permission for, answers 403 {"error": "Forbidden"}.
// Every action needs caller_list__show and its own permission (see
// PermCallerListShow). CallerListKey and CallerListSecret reach the whole
// default company with every permission; AddCallerListKey issues others.
//
// Names and numbers are path segments, each unescaped on its own ("%2F" stays
// inside a name, a literal "+" stays "+"). Numbers are kept in E.164: one
// without its country code takes +1 ("5855752500" is +15855752500), in the
// body and in the path alike. A blank name or number answers 422 {"errors":
// {"name": ["can't be blank"]}}, a name the target or campaign already has or
// a number already on the list "has already been taken", a number that is no
// phone number "is invalid". A missing list or number answers 404.
//
// Numbers are listed newest first (those added together in the order given,
// last first), 25 a page (per_page, at most 100), with the Total and Per-Page
// headers and the Link header of every listing. A check always answers 200
// {"caller_list_check": {"status": "present" or "not-present"}}, unless the
// list does not exist (404). An upload holds numbers one a line, an action
// ("create", the default, or "delete"; another answers 422) and
// clear_before_upload (the list is emptied first). It is processed at once,
// skipping blank lines, numbers that are no phone numbers and numbers already
// there, though the answer says "Processing", as the API's does; its
// csv_file_url points at the fake, which does not serve it.
//
// # Call data writing
//
// POST data_writing (no ".json") takes a JSON or form body {"key",
// "caller_number" or "call_uuid", <tag>: <value>...}; GET
// data_writing/{key}?caller_number=...&<tag>=<value> does the same. The key
// is a call data key: CallDataKey, or one of AddCallDataKey. A missing or
// unknown key answers 401, neither caller_number nor call_uuid 422, a
// call_uuid the key's company does not have 404. The answer is
// {"tag_values", "caller_number" or "call_uuid" (as the request named it),
// "status"}:
//
//	call not found, tags stored          the caller has no call: its next call (AddCall, SeedCalls) takes the tags
//	completed call found, tags applied   the call (or the caller's latest) has ended: the tags are on it at once
//	in progress call found, tags stored  the call is in progress: the tags are applied when it ends (EndCall)
//
// Tags written later win over earlier ones and over the call's own.
//
// # Faults
//
// FailNext and FailRate inject a Fault into matching requests. Faults are
// chosen after a request is logged (Requests) and before it is routed.
// Latency (WithLatency, SetLatency, Fault.Latency) and slow bodies end early
// when the request is cancelled or the server closes, so Close returns
// promptly whatever latency is injected.
package retreavertest
