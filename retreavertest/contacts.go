package retreavertest

import (
	"net/http"
	"slices"
	"time"
)

type contactNumber struct {
	id          int64
	number      string
	description *string
}

type contactNumberView struct {
	Number      string  `json:"number"`
	Description *string `json:"description"`
	ID          int64   `json:"id"`
}

func (n *contactNumber) view() contactNumberView {
	return contactNumberView{Number: n.number, Description: n.description, ID: n.id}
}

type contact struct {
	id                   int64
	numbers              []*contactNumber
	tags                 []tagValue
	createdAt, updatedAt time.Time
}

func (c *contact) getID() int64 { return c.id }

type contactView struct {
	ID             int64               `json:"id"`
	ContactNumbers []contactNumberView `json:"contact_numbers"`
	TagValues      []tagValue          `json:"tag_values"`
}

func renderContact(c *contact) contactView {
	nums := make([]contactNumberView, 0, len(c.numbers))
	for _, n := range c.numbers {
		nums = append(nums, n.view())
	}
	tags := c.tags
	if tags == nil {
		tags = []tagValue{}
	}
	return contactView{ID: c.id, ContactNumbers: nums, TagValues: tags}
}

// contactByNumber finds the contact owning a phone number (and that number).
func (co *company) contactByNumber(num string) (*contact, *contactNumber) {
	num = normalizePhone(num)
	for _, c := range co.contacts.items {
		for _, n := range c.numbers {
			if n.number == num {
				return c, n
			}
		}
	}
	return nil, nil
}

func contactResource() *resource[*contact] {
	return &resource[*contact]{
		root:   "contact",
		coll:   func(rc *reqCtx) *collection[*contact] { return &rc.co.contacts },
		render: func(_ *reqCtx, c *contact) any { return renderContact(c) },
		create: func(rc *reqCtx, a *attrs) (*contact, error) {
			c := &contact{createdAt: rc.now, tags: []tagValue{}}
			if !a.has("contact_numbers_attributes") {
				return nil, errBlank("contact_numbers")
			}
			if err := applyContact(rc, c, a); err != nil {
				return nil, err
			}
			c.id = rc.st.nextID("contact")
			return c, nil
		},
		update:       applyContact,
		deleteStatus: http.StatusOK,
	}
}

// applyContact handles tag_list and contact_numbers_attributes (with id to
// update or _destroy, without id to add). A contact keeps at least one number,
// and a number belongs to one contact of the company.
func applyContact(rc *reqCtx, c *contact, a *attrs) error {
	next := *c
	next.numbers = make([]*contactNumber, len(c.numbers))
	for i, n := range c.numbers {
		cp := *n
		next.numbers[i] = &cp
	}
	if list, ok := a.list("contact_numbers_attributes"); ok {
		for _, e := range list {
			var n *contactNumber
			var id int
			if e.int("id", &id) {
				i := slices.IndexFunc(next.numbers, func(x *contactNumber) bool { return x.id == int64(id) })
				if i < 0 {
					return errNotFound()
				}
				if e.destroy() {
					next.numbers = slices.Delete(next.numbers, i, i+1)
					continue
				}
				n = next.numbers[i]
			} else {
				if e.get("number") == "" {
					e.fail("number", "can't be blank")
					continue
				}
				n = &contactNumber{}
				next.numbers = append(next.numbers, n)
			}
			if e.str("number", &n.number) {
				n.number = normalizePhone(n.number)
				if n.number == "" {
					e.fail("number", "can't be blank")
				}
			}
			e.strP("description", &n.description)
		}
	}
	if len(next.numbers) == 0 {
		a.fail("contact_numbers", "can't be blank")
	}
	seen := map[string]bool{}
	for _, n := range next.numbers {
		if other, _ := rc.co.contactByNumber(n.number); (other != nil && other != c) || seen[n.number] {
			a.errs.add("contact_numbers.number", "has already been taken")
		}
		seen[n.number] = true
	}
	rc.st.applyTagList(rc.co, a, &next.tags)
	if err := a.err(); err != nil {
		return err
	}
	for _, n := range next.numbers {
		if n.id == 0 {
			n.id = rc.st.nextID("contact_number")
		}
	}
	next.updatedAt = rc.now
	*c = next
	return nil
}

// lookupContactByNumber finds the contact owning the {number} path variable,
// for contact_numbers/{number}/contact.json.
func lookupContactByNumber(rc *reqCtx) (*contact, error) {
	c, _ := rc.co.contactByNumber(rc.vars["number"])
	if c == nil {
		return nil, errNotFound()
	}
	return c, nil
}

// updateContactNumber serves PUT and PATCH contact_numbers/{number}.json: a new
// number or description for one contact number.
func updateContactNumber(rc *reqCtx) (int, any, error) {
	c, n := rc.co.contactByNumber(rc.vars["number"])
	if c == nil {
		return 0, nil, errNotFound()
	}
	a, err := rc.attrs("contact_number")
	if err != nil {
		return 0, nil, err
	}
	num, desc := n.number, n.description
	if a.str("number", &num) {
		num = normalizePhone(num)
		if num == "" {
			a.fail("number", "can't be blank")
		} else if other, _ := rc.co.contactByNumber(num); other != nil && num != n.number {
			a.fail("number", "has already been taken")
		}
	}
	a.strP("description", &desc)
	if err := a.err(); err != nil {
		return 0, nil, err
	}
	n.number, n.description, c.updatedAt = num, desc, rc.now
	return http.StatusOK, wrap("contact_number", n.view()), nil
}

// deleteContactNumber serves DELETE contact_numbers/{number}.json: 200 with an
// empty body; the last number of a contact cannot be removed (422).
func deleteContactNumber(rc *reqCtx) (int, any, error) {
	c, n := rc.co.contactByNumber(rc.vars["number"])
	if c == nil {
		return 0, nil, errNotFound()
	}
	if len(c.numbers) < 2 {
		return 0, nil, errValidation(fieldErrors{"base": {"A contact must keep at least one contact number"}})
	}
	c.numbers = slices.DeleteFunc(c.numbers, func(x *contactNumber) bool { return x == n })
	c.updatedAt = rc.now
	return http.StatusOK, nil, nil
}
