package retreaver_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/retreaver-go/retreaver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Lifecycles of the caller-side resources: contacts and their numbers,
// suppressed numbers, static caller numbers.

func e2eContactNumbers(c *retreaver.Contact) map[string]string {
	m := map[string]string{}
	for _, n := range c.ContactNumbers {
		m[n.Number] = n.Description
	}
	return m
}

func TestE2EContactLifecycle(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)

	c, err := client.Contacts.Create(ctx, &retreaver.ContactParams{
		ContactNumbers: []retreaver.ContactNumberParams{
			{Number: retreaver.Ptr("+15555550111"), Description: retreaver.Ptr("Home")},
			{Number: retreaver.Ptr("+15555550112"), Description: retreaver.Ptr("Mobile")},
		},
		Tags: []retreaver.Tag{{Key: "name", Value: "Dana Whitfield"}, {Key: "vip", Value: "yes"}},
	})
	require.NoError(t, err)
	require.Positive(t, c.ID)
	assert.Equal(t, map[string]string{"+15555550111": "Home", "+15555550112": "Mobile"}, e2eContactNumbers(c))
	assert.Equal(t, map[string]string{"name": "Dana Whitfield", "vip": "yes"}, e2eTags(c.TagValues))
	for _, n := range c.ContactNumbers {
		assert.Positive(t, n.ID)
	}

	got, err := client.Contacts.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c, got)
	got, err = client.Contacts.GetByNumber(ctx, "+15555550112")
	require.NoError(t, err)
	assert.Equal(t, c.ID, got.ID)
	// The '+' reached the server as part of the path, not as a space.
	assert.Equal(t, 1, e2eCount(srv, http.MethodGet, "/contact_numbers/+15555550112/contact.json"))

	other, err := client.Contacts.Create(ctx, &retreaver.ContactParams{
		ContactNumbers: []retreaver.ContactNumberParams{{Number: retreaver.Ptr("+15555550119")}},
	})
	require.NoError(t, err)
	page, err := client.Contacts.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	all := e2eCollect(t, client.Contacts.All(ctx, nil))
	found := e2eFind(all, func(x *retreaver.Contact) bool { return x.ID == c.ID })
	require.NotNil(t, found)
	assert.Equal(t, e2eContactNumbers(c), e2eContactNumbers(found))

	// Changing the tags leaves the numbers alone.
	up, err := client.Contacts.Update(ctx, c.ID, &retreaver.ContactParams{Tags: []retreaver.Tag{{Key: "name", Value: "Dana W."}}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"name": "Dana W."}, e2eTags(up.TagValues))
	assert.Equal(t, e2eContactNumbers(c), e2eContactNumbers(up))

	// Adding a number by one of the others; the tags stay.
	up, err = client.Contacts.UpdateByNumber(ctx, "+15555550111", &retreaver.ContactParams{
		ContactNumbers: []retreaver.ContactNumberParams{{Number: retreaver.Ptr("+15555550113"), Description: retreaver.Ptr("Work")}},
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"+15555550111": "Home", "+15555550112": "Mobile", "+15555550113": "Work"}, e2eContactNumbers(up))
	assert.Equal(t, map[string]string{"name": "Dana W."}, e2eTags(up.TagValues))

	// An empty, non-nil tag list clears the tags; the numbers stay.
	up, err = client.Contacts.Update(ctx, c.ID, &retreaver.ContactParams{Tags: []retreaver.Tag{}})
	require.NoError(t, err)
	assert.Empty(t, up.TagValues)
	assert.Len(t, up.ContactNumbers, 3)

	// One contact number changed on its own.
	n, err := client.ContactNumbers.Update(ctx, "+15555550111", &retreaver.ContactNumberParams{Description: retreaver.Ptr("Landline")})
	require.NoError(t, err)
	assert.Equal(t, "+15555550111", n.Number)
	assert.Equal(t, "Landline", n.Description)
	n, err = client.ContactNumbers.Update(ctx, "+15555550113", &retreaver.ContactNumberParams{Number: retreaver.Ptr("+15555550114")})
	require.NoError(t, err)
	assert.Equal(t, "+15555550114", n.Number)
	assert.Equal(t, "Work", n.Description, "description kept")
	got, err = client.Contacts.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"+15555550111": "Landline", "+15555550112": "Mobile", "+15555550114": "Work"}, e2eContactNumbers(got))
	_, err = client.ContactNumbers.Update(ctx, "+15555550113", &retreaver.ContactNumberParams{Description: retreaver.Ptr("x")})
	e2eRequireGone(t, err)

	// A number belongs to one contact.
	_, err = client.ContactNumbers.Update(ctx, "+15555550114", &retreaver.ContactNumberParams{Number: retreaver.Ptr("+15555550119")})
	apiErr := e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Equal(t, "number has already been taken", apiErr.Message)

	// Numbers go one by one; the last one cannot.
	require.NoError(t, client.ContactNumbers.Delete(ctx, "+15555550114"))
	require.NoError(t, client.ContactNumbers.Delete(ctx, "+15555550112"))
	_, err = client.Contacts.GetByNumber(ctx, "+15555550112")
	e2eRequireGone(t, err)
	err = client.ContactNumbers.Delete(ctx, "+15555550111")
	apiErr = e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Contains(t, apiErr.Message, "at least one contact number")
	got, err = client.Contacts.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"+15555550111": "Landline"}, e2eContactNumbers(got))

	require.NoError(t, client.Contacts.DeleteByNumber(ctx, "+15555550111"))
	_, err = client.Contacts.Get(ctx, c.ID)
	e2eRequireGone(t, err)
	_, err = client.Contacts.GetByNumber(ctx, "+15555550111")
	e2eRequireGone(t, err)
	e2eRequireGone(t, client.ContactNumbers.Delete(ctx, "+15555550111"))

	require.NoError(t, client.Contacts.Delete(ctx, other.ID))
	_, err = client.Contacts.Get(ctx, other.ID)
	e2eRequireGone(t, err)
	assert.Empty(t, e2eCollect(t, client.Contacts.All(ctx, nil)))
}

func TestE2ESuppressedNumberLifecycle(t *testing.T) {
	t.Parallel()
	srv, client := e2eSetup(t)
	ctx := e2eCtx(t)

	exists, err := client.SuppressedNumbers.Exists(ctx)
	require.NoError(t, err)
	assert.False(t, exists)

	// Without params: the API's defaults.
	s, err := client.SuppressedNumbers.Create(ctx, "+15555550120", nil)
	require.NoError(t, err)
	require.Positive(t, s.ID)
	assert.Equal(t, "+15555550120", s.Number)
	assert.True(t, s.CanResubscribe)
	assert.Equal(t, srv.CompanyID, s.CompanyID)
	assert.Nil(t, s.CampaignID)
	assert.False(t, s.CreatedAt.IsZero())

	exists, err = client.SuppressedNumbers.Exists(ctx)
	require.NoError(t, err)
	assert.True(t, exists)

	// With params: tied to a campaign given by its cid.
	camp, err := client.Campaigns.Create(ctx, &retreaver.CampaignParams{CID: retreaver.Ptr("supp-camp")})
	require.NoError(t, err)
	s2, err := client.SuppressedNumbers.Create(ctx, "+15555550121", &retreaver.SuppressedNumberParams{
		CanResubscribe: retreaver.Ptr(false), CampaignID: retreaver.Ptr(camp.CID),
	})
	require.NoError(t, err)
	assert.False(t, s2.CanResubscribe)
	require.NotNil(t, s2.CampaignID)
	assert.Equal(t, camp.ID, *s2.CampaignID)

	_, err = client.SuppressedNumbers.Create(ctx, "+15555550121", nil)
	apiErr := e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Equal(t, "number has already been taken", apiErr.Message)

	got, err := client.SuppressedNumbers.Get(ctx, "+15555550121")
	require.NoError(t, err)
	assert.Equal(t, s2.ID, got.ID)
	assert.False(t, got.CanResubscribe)
	assert.Equal(t, fmt.Sprint(camp.ID), got.CID, "reads name the campaign by its id, under cid")

	up, err := client.SuppressedNumbers.Update(ctx, "+15555550120", &retreaver.SuppressedNumberParams{CanResubscribe: retreaver.Ptr(false)})
	require.NoError(t, err)
	assert.False(t, up.CanResubscribe)
	assert.Equal(t, s.ID, up.ID)
	// Changing can_resubscribe leaves the campaign alone.
	up, err = client.SuppressedNumbers.Update(ctx, "+15555550121", &retreaver.SuppressedNumberParams{CanResubscribe: retreaver.Ptr(true)})
	require.NoError(t, err)
	assert.True(t, up.CanResubscribe)
	assert.Equal(t, fmt.Sprint(camp.ID), up.CID)

	page, err := client.SuppressedNumbers.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	all := e2eCollect(t, client.SuppressedNumbers.All(ctx, nil))
	found := e2eFind(all, func(x *retreaver.SuppressedNumber) bool { return x.Number == "+15555550120" })
	require.NotNil(t, found)
	assert.False(t, found.CanResubscribe)
	assert.Equal(t, "", found.CID)

	require.NoError(t, client.SuppressedNumbers.Delete(ctx, "+15555550120"))
	_, err = client.SuppressedNumbers.Get(ctx, "+15555550120")
	e2eRequireGone(t, err)
	e2eRequireGone(t, client.SuppressedNumbers.Delete(ctx, "+15555550120"))
	exists, err = client.SuppressedNumbers.Exists(ctx)
	require.NoError(t, err)
	assert.True(t, exists)
	require.NoError(t, client.SuppressedNumbers.Delete(ctx, "+15555550121"))
	exists, err = client.SuppressedNumbers.Exists(ctx)
	require.NoError(t, err)
	assert.False(t, exists)
	assert.Empty(t, e2eCollect(t, client.SuppressedNumbers.All(ctx, nil)))
}

func TestE2EStaticCallerNumberLifecycle(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t)
	ctx := e2eCtx(t)

	s, err := client.StaticCallerNumbers.Create(ctx, "+15555550130")
	require.NoError(t, err)
	require.Positive(t, s.ID)
	assert.Equal(t, "+15555550130", s.Number)
	assert.False(t, s.CreatedAt.IsZero())

	for i := range 26 {
		_, err := client.StaticCallerNumbers.Create(ctx, fmt.Sprintf("+1555555%04d", 2000+i))
		require.NoError(t, err)
	}
	page, err := client.StaticCallerNumbers.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, page.Items, 25)
	assert.Equal(t, 2, page.NextPage)
	all := e2eCollect(t, client.StaticCallerNumbers.All(ctx, nil))
	require.Len(t, all, 27)
	found := e2eFind(all, func(x *retreaver.StaticCallerNumber) bool { return x.ID == s.ID })
	require.NotNil(t, found)
	assert.Equal(t, "+15555550130", found.Number)

	_, err = client.StaticCallerNumbers.Create(ctx, "+15555550130")
	apiErr := e2eRequireStatus(t, err, http.StatusUnprocessableEntity, retreaver.ErrUnprocessable)
	assert.Equal(t, "number has already been taken", apiErr.Message)

	require.NoError(t, client.StaticCallerNumbers.Delete(ctx, s.ID))
	all = e2eCollect(t, client.StaticCallerNumbers.All(ctx, nil))
	assert.Len(t, all, 26)
	assert.Nil(t, e2eFind(all, func(x *retreaver.StaticCallerNumber) bool { return x.ID == s.ID }))
	e2eRequireGone(t, client.StaticCallerNumbers.Delete(ctx, s.ID))
}

// Contact numbers may be SIP addresses, and may be written loosely: the
// server normalizes them, the SDK keeps the path intact.
func TestE2EContactNumbersSIPAndLooseFormats(t *testing.T) {
	t.Parallel()
	_, client := e2eSetup(t)
	ctx := e2eCtx(t)

	c, err := client.Contacts.Create(ctx, &retreaver.ContactParams{ContactNumbers: []retreaver.ContactNumberParams{
		{Number: retreaver.Ptr("sip:dana@sip.example.com"), Description: retreaver.Ptr("Softphone")},
		{Number: retreaver.Ptr("1-866-898-7878")},
	}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"sip:dana@sip.example.com": "Softphone", "+18668987878": ""}, e2eContactNumbers(c))

	for _, n := range []string{"sip:dana@sip.example.com", "+18668987878", "8668987878"} {
		got, err := client.Contacts.GetByNumber(ctx, n)
		require.NoError(t, err, n)
		assert.Equal(t, c.ID, got.ID, n)
	}
	n, err := client.ContactNumbers.Update(ctx, "sip:dana@sip.example.com", &retreaver.ContactNumberParams{Description: retreaver.Ptr("Desk")})
	require.NoError(t, err)
	assert.Equal(t, "Desk", n.Description)
	require.NoError(t, client.ContactNumbers.Delete(ctx, "sip:dana@sip.example.com"))
	got, err := client.Contacts.GetByNumber(ctx, "+18668987878")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"+18668987878": ""}, e2eContactNumbers(got))

	// Suppressed numbers are E.164 only: the SDK refuses a loose spelling itself.
	_, err = client.SuppressedNumbers.Create(ctx, "+13216065590", nil)
	require.NoError(t, err)
	_, err = client.SuppressedNumbers.Get(ctx, "3216065590")
	require.ErrorIs(t, err, retreaver.ErrInvalidArgument)
}
