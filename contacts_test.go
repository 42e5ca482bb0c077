package retreaver

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// wantContact is the contact of the reference's examples, with its one number
// and its one tag.
func wantContact(number, tagValue string, tagID int64) *Contact {
	return &Contact{
		ID:             2,
		ContactNumbers: []ContactNumber{{ID: 2, Number: number, Description: "Landline"}},
		TagValues:      []TagValue{{ID: tagID, Key: "name", Value: tagValue, Operator: "=="}},
	}
}

func TestContactsList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "contacts.json", 200, fixture(t, "contacts_list.json"),
		"Link", `<https://api.retreaver.com/contacts.json?page=1>; rel="first", <https://api.retreaver.com/contacts.json?page=1>; rel="prev"`)
	page, err := c.Contacts.List(context.Background(), &ContactListOptions{ListOptions{Page: 2}})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "GET", "contacts.json", url.Values{"page": {"2"}}, false)
	assertNoBody(t, got)
	require.Equal(t, 1, page.PrevPage)
	require.Equal(t, 1, page.FirstPage)
	require.False(t, page.HasNext())
	require.Equal(t, []*Contact{wantContact("+18668987878", "Retreaver Support", 154060720)}, page.Items)
}

func TestContactsAll(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "contacts.json", 200, fixture(t, "contacts_list.json"))
	var got []*Contact
	for ct, err := range c.Contacts.All(context.Background(), nil) {
		require.NoError(t, err)
		got = append(got, ct)
	}
	require.Equal(t, []*Contact{wantContact("+18668987878", "Retreaver Support", 154060720)}, got)
	assertWire(t, rec.only(t), "GET", "contacts.json", url.Values{"page": {"1"}}, false)
}

func TestContactsGet(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "GET", "contacts/2.json", 200, fixture(t, "contact_get.json"))
	ct, err := c.Contacts.Get(context.Background(), 2)
	require.NoError(t, err)
	assertWire(t, rec.only(t), "GET", "contacts/2.json", nil, false)
	assertNoBody(t, rec.only(t))
	require.Equal(t, wantContact("+18668987878", "Retreaver Support", 154060720), ct)
}

func TestContactsCreateSendsTheReferenceBody(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "POST", "contacts.json", 200, fixture(t, "contact_create.json"))
	ct, err := c.Contacts.Create(context.Background(), &ContactParams{
		Tags:           []Tag{{Key: "name", Value: "Retreaver Support"}},
		ContactNumbers: []ContactNumberParams{{Number: Ptr("8668987878"), Description: Ptr("Landline")}},
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "POST", "contacts.json", nil, false)
	assertJSONBody(t, got, `{"contact":{"tag_list":"<<<name:Retreaver Support>>>","contact_numbers_attributes":[{"number":"8668987878", "description":"Landline"}]}}`)
	require.Equal(t, wantContact("+18668987878", "Retreaver Support", 154060720), ct)
}

func TestContactsUpdate(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "contacts/2.json", 200, fixture(t, "contact_update.json"))
	ctx := context.Background()
	ct, err := c.Contacts.Update(ctx, 2, &ContactParams{
		ContactNumbers: []ContactNumberParams{{ID: Ptr[int64](2), Number: Ptr("+18001234567")}},
	})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "contacts/2.json", nil, false)
	assertJSONBody(t, got, `{"contact":{"contact_numbers_attributes":[{"id":2,"number":"+18001234567"}]}}`)
	require.Equal(t, wantContact("+18001234567", "Retreaver Support", 154060720), ct)
}

func TestContactsUpdateClearsTagsWithAnEmptyList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "contacts/2.json", 200, fixture(t, "contact_update.json"))
	_, err := c.Contacts.Update(context.Background(), 2, &ContactParams{Tags: []Tag{}})
	require.NoError(t, err)
	assertJSONBody(t, rec.only(t), `{"contact":{"tag_list":""}}`)
}

func TestContactsByNumber(t *testing.T) {
	c, mt := newTestClient(t)
	const path = "contact_numbers/+18001234567/contact.json"
	getRec := stub(t, mt, "GET", path, 200, fixture(t, "contact_by_number.json"))
	putRec := stub(t, mt, "PUT", path, 200, fixture(t, "contact_update_by_number.json"))
	delRec := stub(t, mt, "DELETE", path, 200, "")
	ctx := context.Background()

	ct, err := c.Contacts.GetByNumber(ctx, "+18001234567")
	require.NoError(t, err)
	got := getRec.only(t)
	assertWire(t, got, "GET", "/contact_numbers/+18001234567/contact.json", nil, false)
	require.Equal(t, "/contact_numbers/+18001234567/contact.json", got.Path, "the + stays literal")
	assertNoBody(t, got)
	require.Equal(t, wantContact("+18001234567", "Retreaver Support", 154060720), ct)

	ct, err = c.Contacts.UpdateByNumber(ctx, "+18001234567", &ContactParams{Tags: []Tag{{Key: "name", Value: "Invalid Number"}}})
	require.NoError(t, err)
	got = putRec.only(t)
	assertWire(t, got, "PUT", "/contact_numbers/+18001234567/contact.json", nil, false)
	assertJSONBody(t, got, `{"contact":{"tag_list":"<<<name:Invalid Number>>>"}}`)
	require.Equal(t, wantContact("+18001234567", "Invalid Number", 154060721), ct)

	require.NoError(t, c.Contacts.DeleteByNumber(ctx, "+18001234567"))
	got = delRec.only(t)
	assertWire(t, got, "DELETE", "/contact_numbers/+18001234567/contact.json", nil, false)
	assertNoBody(t, got)
}

func TestContactsByNumberEscapesSIPEndpoints(t *testing.T) {
	c, mt := newTestClient(t)
	rec := recordAll(mt, nil)
	_, err := c.Contacts.GetByNumber(context.Background(), "sip:user@domain.com/x")
	require.Error(t, err)
	require.Equal(t, "/contact_numbers/sip:user@domain.com%2Fx/contact.json", rec.only(t).Path)
}

func TestContactsDelete(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "DELETE", "contacts/2.json", 204, "")
	require.NoError(t, c.Contacts.Delete(context.Background(), 2))
	assertWire(t, rec.only(t), "DELETE", "contacts/2.json", nil, false)
	assertNoBody(t, rec.only(t))
}

func TestContactNumbersUpdate(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "PUT", "contact_numbers/+18001234567.json", 200, fixture(t, "contact_number_update.json"))
	n, err := c.ContactNumbers.Update(context.Background(), "+18001234567", &ContactNumberParams{Number: Ptr("+18005551234")})
	require.NoError(t, err)
	got := rec.only(t)
	assertWire(t, got, "PUT", "/contact_numbers/+18001234567.json", nil, false)
	assertJSONBody(t, got, `{"contact_number":{"number":"+18005551234"}}`)
	require.Equal(t, &ContactNumber{ID: 2, Number: "+18005551234", Description: "Landline"}, n)
}

func TestContactNumbersDelete(t *testing.T) {
	c, mt := newTestClient(t)
	rec := stub(t, mt, "DELETE", "contact_numbers/+18668987878.json", 200, "")
	require.NoError(t, c.ContactNumbers.Delete(context.Background(), "+18668987878"))
	got := rec.only(t)
	assertWire(t, got, "DELETE", "/contact_numbers/+18668987878.json", nil, false)
	assertNoBody(t, got)
}

func TestContactParamsMarshalJSON(t *testing.T) {
	b, err := json.Marshal(ContactParams{})
	require.NoError(t, err)
	require.JSONEq(t, `{}`, string(b), "nil lists send nothing")

	b, err = json.Marshal(&ContactParams{Tags: []Tag{{Key: "a", Value: "1"}, {Key: "b", Value: ""}}})
	require.NoError(t, err)
	require.JSONEq(t, `{"tag_list":"<<<a:1>>>,<<<b:>>>"}`, string(b))

	_, err = json.Marshal(ContactParams{Tags: []Tag{{Key: "a:b"}}})
	require.ErrorIs(t, err, ErrInvalidArgument)
}

func TestContactsRejectBadInputBeforeSending(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()
	one := []ContactNumberParams{{Number: Ptr("+18668987878")}}
	tooMany := make([]Tag, MaxTags+1)
	for i := range tooMany {
		tooMany[i] = Tag{Key: "k" + strings.Repeat("x", i), Value: "v"}
	}
	create := func(p *ContactParams) func() error {
		return func() error { _, err := c.Contacts.Create(ctx, p); return err }
	}
	cases := map[string]func() error{
		"nil create params":     create(nil),
		"no contact numbers":    create(&ContactParams{Tags: []Tag{{Key: "a", Value: "b"}}}),
		"empty contact numbers": create(&ContactParams{ContactNumbers: []ContactNumberParams{}}),
		"new number w/o number": create(&ContactParams{ContactNumbers: []ContactNumberParams{{Description: Ptr("Home")}}}),
		"blank number":          create(&ContactParams{ContactNumbers: []ContactNumberParams{{Number: Ptr(" ")}}}),
		"zero number id":        create(&ContactParams{ContactNumbers: []ContactNumberParams{{ID: Ptr[int64](0), Number: Ptr("+1")}}}),
		"empty tag key":         create(&ContactParams{ContactNumbers: one, Tags: []Tag{{Value: "v"}}}),
		"tag breaks framing":    create(&ContactParams{ContactNumbers: one, Tags: []Tag{{Key: "k", Value: "a>>>b"}}}),
		"too many tags":         create(&ContactParams{ContactNumbers: one, Tags: tooMany}),
		"nil update params":     func() error { _, err := c.Contacts.Update(ctx, 2, nil); return err },
		"zero id update":        func() error { _, err := c.Contacts.Update(ctx, 0, &ContactParams{}); return err },
		"zero id get":           func() error { _, err := c.Contacts.Get(ctx, 0); return err },
		"zero id delete":        func() error { return c.Contacts.Delete(ctx, 0) },
		"empty number get":      func() error { _, err := c.Contacts.GetByNumber(ctx, ""); return err },
		"blank number update":   func() error { _, err := c.Contacts.UpdateByNumber(ctx, "  ", &ContactParams{}); return err },
		"nil params by number":  func() error { _, err := c.Contacts.UpdateByNumber(ctx, "+18001234567", nil); return err },
		"bad tags by number": func() error {
			_, err := c.Contacts.UpdateByNumber(ctx, "+18001234567", &ContactParams{Tags: []Tag{{Key: ""}}})
			return err
		},
		"empty number delete":    func() error { return c.Contacts.DeleteByNumber(ctx, "") },
		"negative page":          func() error { _, err := c.Contacts.List(ctx, &ContactListOptions{ListOptions{Page: -1}}); return err },
		"cn update empty number": func() error { _, err := c.ContactNumbers.Update(ctx, "", &ContactNumberParams{}); return err },
		"cn update nil params":   func() error { _, err := c.ContactNumbers.Update(ctx, "+18001234567", nil); return err },
		"cn update with id": func() error {
			_, err := c.ContactNumbers.Update(ctx, "+18001234567", &ContactNumberParams{ID: Ptr[int64](2)})
			return err
		},
		"cn update blank new number": func() error {
			_, err := c.ContactNumbers.Update(ctx, "+18001234567", &ContactNumberParams{Number: Ptr("")})
			return err
		},
		"cn delete empty number": func() error { return c.ContactNumbers.Delete(ctx, " ") },
		"all negative page": func() error {
			for _, err := range c.Contacts.All(ctx, &ContactListOptions{ListOptions{Page: -1}}) {
				return err
			}
			return nil
		},
	}
	for name, fn := range cases {
		t.Run(name, func(t *testing.T) {
			require.ErrorIs(t, fn(), ErrInvalidArgument)
		})
	}
	noRequests(t, mt)
}
