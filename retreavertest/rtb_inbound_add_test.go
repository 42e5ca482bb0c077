package retreavertest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestAddRTBInboundReadsAsGiven(t *testing.T) {
	a := newAPI(t, WithDemoData())
	camp := a.idOf("/campaigns/cid/1002.json", "campaign")
	aff := a.idOf("/api/v1/affiliates/afid/0002.json", "affiliate")
	tgt := a.idOf("/targets/tid/JCC-E.json", "target")
	created := time.Date(2026, 9, 1, 14, 2, 11, 0, time.UTC)
	pct := 70.0
	id, err := a.srv.AddRTBInbound(a.srv.CompanyID, RTBInbound{
		UUID: "8f0a2d13-9d3a-4b3e-9a7a-6b8e4b9d9a21", Status: "claimed", CreatedAt: created,
		CampaignID: camp, AffiliateID: aff, TargetID: tgt, CallerNumber: "5551234567",
		Revenue: "12.5", Payout: "8.75", CallerState: "TX", CallerCity: "Austin", CallerZip: "78701", CallerCountry: "US",
		TimeToResolve: 1.2, EndedAt: created.Add(210 * time.Second), FiredPixelsCount: 2,
		PBM: &RTBInboundPBM{TableVersion: "7", RuleID: int64P(2), Bucket: intP(6231), Variant: "treatment",
			OriginalPayout: "10.00", PercentOfRevenue: &pct},
	})
	require.NoError(t, err)
	require.Equal(t, "8f0a2d13-9d3a-4b3e-9a7a-6b8e4b9d9a21", id)

	row := a.inboundsRaw("created_at_start=2026-09-01T00:00:00Z&created_at_end=2026-09-02T00:00:00Z")[0]
	callUUID := row["call_uuid"].(string)
	require.NotEqual(t, zeroUUID, callUUID)
	require.Equal(t, map[string]any{
		"call_uuid": callUUID, "uuid": id, "postback_key_id": row["postback_key_id"], "caller_number": "+15551234567",
		"affiliate_id": float64(aff), "campaign_id": float64(camp), "target_id": float64(tgt),
		"revenue": 12.5, "payout": 8.75, "status": "claimed", "duplicate_order": float64(0),
		"duplicate_original_uuid": zeroUUID, "caller_state": "TX", "caller_city": "Austin", "caller_zip": "78701",
		"caller_country": "US", "created_at": "2026-09-01T14:02:11Z", "confirmed_at": "2026-09-01T14:02:12Z",
		"ended_at": "2026-09-01T14:05:41Z", "time_to_resolve": 1.2, "fired_pixels_count": float64(2),
		"fired_pixels_error_count": float64(0), "pbm_table_version": "7", "pbm_rule_id": float64(2),
		"pbm_bucket": float64(6231), "pbm_variant": "treatment", "pbm_original_payout": 10.0,
		"pbm_percent_of_revenue": 70.0,
	}, row)
	require.NotNil(t, row["postback_key_id"], "the campaign's key")

	// The claimed row's call was added to the call log.
	call := a.obj(http.MethodGet, "/api/v2/calls/"+callUUID+".json", nil, http.StatusOK, "call")
	require.Equal(t, "+15551234567", call["caller"])
	require.Equal(t, "1002", call["cid"])
	require.Equal(t, "0002", call["afid"])
	require.Equal(t, float64(tgt), call["target_id"])
	require.Equal(t, 12.5, call["revenue"])
	require.Equal(t, "2026-09-01T14:02:12.200Z", call["created_at"])
}

func TestAddRTBInboundDefaults(t *testing.T) {
	a := newAPI(t)
	before := a.srv.CallCount(a.srv.CompanyID)
	id, err := a.srv.AddRTBInbound(a.srv.CompanyID, RTBInbound{})
	require.NoError(t, err)
	row := a.inbounds(nil)[0]
	require.Equal(t, id, row["uuid"])
	require.Equal(t, "expired", row["status"])
	require.Regexp(t, `^\+1\d{10}$`, row["caller_number"])
	require.Equal(t, zeroUUID, row["call_uuid"])
	for _, k := range []string{"campaign_id", "affiliate_id", "target_id", "postback_key_id", "caller_state", "confirmed_at", "ended_at"} {
		require.Nil(t, row[k], k)
	}
	require.Equal(t, 0.0, row["revenue"])
	require.Equal(t, before, a.srv.CallCount(a.srv.CompanyID), "only a claimed row adds a call")

	// A claimed row may name a call the company has.
	callID, err := a.srv.AddCall(a.srv.CompanyID, Call{})
	require.NoError(t, err)
	_, err = a.srv.AddRTBInbound(a.srv.CompanyID, RTBInbound{Status: "claimed", CallUUID: callID})
	require.NoError(t, err)
	require.Equal(t, callID, a.inbounds(nil)[0]["call_uuid"])
	require.Equal(t, before+1, a.srv.CallCount(a.srv.CompanyID))
}

func TestAddRTBInboundRefusesWhatTheCompanyLacks(t *testing.T) {
	a := newAPI(t)
	for _, spec := range []RTBInbound{
		{CampaignID: 1}, {AffiliateID: 1}, {TargetID: 1}, {PostbackKeyID: 1}, {CallUUID: "nope"},
		{Revenue: "12.345"}, {Payout: "x"}, {DuplicateOrder: -1}, {PBM: &RTBInboundPBM{Bucket: intP(10000)}},
	} {
		_, err := a.srv.AddRTBInbound(a.srv.CompanyID, spec)
		require.Error(t, err, "%+v", spec)
	}
	_, err := a.srv.AddRTBInbound(12345, RTBInbound{})
	require.ErrorContains(t, err, "no company 12345")
	id, err := a.srv.AddRTBInbound(a.srv.CompanyID, RTBInbound{})
	require.NoError(t, err)
	_, err = a.srv.AddRTBInbound(a.srv.CompanyID, RTBInbound{UUID: id})
	require.ErrorContains(t, err, "already has")
	require.Len(t, a.inbounds(nil), 1, "nothing is added on error")
}
