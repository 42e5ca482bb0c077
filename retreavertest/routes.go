package retreavertest

import (
	"fmt"
	"net/http"
)

// routes returns the route table: every route the fake serves, one line each.
//
// A pattern is a path without its leading "/" and its ".json" suffix; a
// segment in braces is a variable, read by handlers from reqCtx.vars. When
// several patterns match, the one with more literal segments wins
// ("suppressed_numbers/check" over "suppressed_numbers/{number}"). The scope
// says what a route needs: scopeCompany an api_key and a company the key
// reaches (company_id, or the default company), scopeKey an api_key only,
// scopeNone no api_key (RTB and call data writing, whose handlers check the
// postback key; export files, whose URLs are signed), scopeListKey a caller
// list key (key and its Bearer secret) instead of an api_key. handleBare
// adds a route whose path has no ".json" suffix.
//
// Plain CRUD kinds are resources (resource.go), defined in the file of their
// kind: onList serves GET (list) and POST (create) on the collection, onID and
// onKey GET, PUT, PATCH and DELETE on one object found by id or by its
// customer id (afid, tid, cid), less what the resource's ops leave out. Every
// other handler is a function in the file of its kind. To serve a new route,
// add its line here.
func routes() *router {
	rt := &router{}
	get, post, put, patch, del := http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete

	companies := companyResource()
	rt.handle("companies", scopeKey, companies.onList())
	rt.handle("companies/{id}", scopeKey, companies.onID())
	rt.handle("company", scopeCompany, methods{get: getActiveCompany})

	affiliates := affiliateResource()
	rt.handle("api/v1/affiliates", scopeCompany, affiliates.onList())
	rt.handle("api/v1/affiliates/{id}", scopeCompany, affiliates.onID())
	rt.handle("api/v1/affiliates/afid/{key}", scopeCompany, affiliates.onKey())

	targets := targetResource()
	rt.handle("targets", scopeCompany, targets.onList())
	rt.handle("targets/{id}", scopeCompany, targets.onID())
	rt.handle("targets/tid/{key}", scopeCompany, targets.onKey())
	rt.handle("targets/{id}/reset_cap", scopeCompany, methods{post: resetTargetCap})

	groups := targetGroupResource()
	rt.handle("target_groups", scopeCompany, groups.onList())
	rt.handle("target_groups/{id}", scopeCompany, groups.onID())
	rt.handle("target_groups/{id}/reset_cap", scopeCompany, methods{post: resetTargetGroupCap})

	campaigns := campaignResource()
	rt.handle("campaigns", scopeCompany, campaigns.onList())
	rt.handle("campaigns/{id}", scopeCompany, campaigns.onID())
	rt.handle("campaigns/cid/{key}", scopeCompany, campaigns.onKey())

	numbers := numberResource()
	rt.handle("numbers", scopeCompany, numbers.onList())
	rt.handle("numbers/{id}", scopeCompany, numbers.onID())

	pools := numberPoolResource()
	rt.handle("number_pools", scopeCompany, pools.onList())
	rt.handle("number_pools/{id}", scopeCompany, pools.onID())

	contacts := contactResource()
	rt.handle("contacts", scopeCompany, contacts.onList())
	rt.handle("contacts/{id}", scopeCompany, contacts.onID())
	rt.handle("contact_numbers/{number}/contact", scopeCompany, contacts.onObject(lookupContactByNumber))
	rt.handle("contact_numbers/{number}", scopeCompany, methods{put: updateContactNumber, patch: updateContactNumber,
		del: deleteContactNumber})

	rt.handle("suppressed_numbers", scopeCompany, methods{get: listSuppressed})
	rt.handle("suppressed_numbers/check", scopeCompany, methods{get: checkSuppressed})
	rt.handle("suppressed_numbers/{number}", scopeCompany, methods{get: getSuppressed, post: createSuppressed,
		put: updateSuppressed, patch: updateSuppressed, del: deleteSuppressed})

	statics := staticCallerResource()
	rt.handle("static_caller_numbers", scopeCompany, statics.onList())
	rt.handle("static_caller_numbers/{id}", scopeCompany, statics.onID())

	rt.handle("api/v1/calls", scopeCompany, methods{get: listCalls(renderV1)})
	rt.handle("api/v1/calls/{uuid}", scopeCompany, methods{get: getCall(renderV1)})
	for v := 2; v <= 5; v++ {
		rt.handle(fmt.Sprintf("api/v%d/calls", v), scopeCompany, methods{get: listCalls(callView(v))})
		rt.handle(fmt.Sprintf("api/v%d/calls/{uuid}", v), scopeCompany, methods{get: getCall(callView(v))})
	}

	rt.handle("api/v1/reports", scopeCompany, methods{get: report})

	rt.handle("rtbs", scopeNone, methods{post: reserve})
	rt.handle("rtbs/{uuid}", scopeNone, methods{put: confirm, patch: confirm})

	for _, owner := range []string{"targets", "campaigns"} {
		lists := "api/v2/" + owner + "/{id}/caller_lists"
		rt.handle(lists, scopeListKey, methods{post: createCallerList})
		rt.handle(lists+"/{name}", scopeListKey, methods{get: getCallerList, del: deleteCallerList})
		rt.handle(lists+"/{name}/caller_list_numbers", scopeListKey, methods{get: listCallerListNumbers, post: addCallerListNumber})
		rt.handle(lists+"/{name}/caller_list_numbers/{number}", scopeListKey, methods{get: getCallerListNumber, del: removeCallerListNumber})
		rt.handle(lists+"/{name}/caller_list_checks", scopeListKey, methods{post: checkCallerList})
		rt.handle(lists+"/{name}/caller_list_uploads", scopeListKey, methods{post: uploadCallerList})
	}
	for _, v := range []string{"v2", "v3", "v4", "v5"} {
		rt.handle("api/"+v+"/rtb_inbounds", scopeCompany, methods{get: listInbounds})
	}
	rt.handle("api/v5/exports/rtb_inbounds", scopeCompany, methods{post: createExport})
	rt.handle("api/v5/exports/rtb_inbounds/{id}", scopeCompany, methods{get: getExport})
	rt.handleBare("v2/reports/rtb_inbounds/{id}/download", scopeCompany, methods{get: downloadExport})
	rt.handleBare("export_files/{id}/{name}", scopeNone, methods{get: serveExportFile})
	pbm := "api/v5/campaigns/{campaign_id}/payout_bid_modification_tables"
	rt.handle(pbm, scopeCompany, methods{get: listPBMTables, post: createPBMTable})
	rt.handle(pbm+"/{id}", scopeCompany, methods{get: getPBMTable, put: updatePBMTable, patch: updatePBMTable, del: deletePBMTable})

	rt.handleBare("data_writing", scopeNone, methods{post: writeCallData})
	rt.handleBare("data_writing/{key}", scopeNone, methods{get: writeCallData})
	return rt
}
