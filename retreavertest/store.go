package retreavertest

import (
	"sort"
	"time"
)

// entity is anything stored in a collection under an integer id.
type entity interface{ getID() int64 }

// collection keeps objects in id (insertion) order.
type collection[T entity] struct{ items []T }

func (c *collection[T]) add(v T) { c.items = append(c.items, v) }

func (c *collection[T]) get(id int64) (T, bool) {
	for _, v := range c.items {
		if v.getID() == id {
			return v, true
		}
	}
	var zero T
	return zero, false
}

func (c *collection[T]) find(fn func(T) bool) (T, bool) {
	for _, v := range c.items {
		if fn(v) {
			return v, true
		}
	}
	var zero T
	return zero, false
}

func (c *collection[T]) filter(fn func(T) bool) []T {
	out := make([]T, 0, len(c.items))
	for _, v := range c.items {
		if fn == nil || fn(v) {
			out = append(out, v)
		}
	}
	return out
}

func (c *collection[T]) remove(id int64) {
	for i, v := range c.items {
		if v.getID() == id {
			c.items = append(c.items[:i:i], c.items[i+1:]...)
			return
		}
	}
}

func (c *collection[T]) removeIf(fn func(T) bool) {
	kept := c.items[:0:0]
	for _, v := range c.items {
		if !fn(v) {
			kept = append(kept, v)
		}
	}
	c.items = kept
}

func (c *collection[T]) len() int { return len(c.items) }

// company holds everything one company owns; objects never leak between companies.
type company struct {
	id                       int64
	name                     string
	createdAt, updatedAt     time.Time
	embeddedKey              string
	perNumber                string
	useGlobalSuppressionList bool
	balance                  cents
	ownerUserName            string
	forbidden                bool // exists, but the server's key does not reach it

	affiliates collection[*affiliate]
	targets    collection[*target]
	groups     collection[*targetGroup]
	campaigns  collection[*campaign]
	numbers    collection[*number]
	pools      collection[*numberPool]
	contacts   collection[*contact]
	statics    collection[*staticCallerNumber]
	suppressed collection[*suppressedNumber]
	calls      callLog
	inbounds   inboundLog             // RTB inbounds (rtb_inbounds.go)
	pbmTables  collection[*pbmTable]  // payout bid modification tables (pbm_tables.go)
	exports    collection[*exportJob] // RTB inbound exports (exports.go)

	tagIDs  map[string]int64 // "key\x00value" -> tag value id
	tagKeys map[string]bool  // tag keys created in this company (indexed by reports)
}

func (c *company) getID() int64 { return c.id }

// store is the fake's whole state. Every access happens under Server.mu.
type store struct {
	companies collection[*company]
	ids       map[string]int64
	rnd       *rnd
	rtbKeys   map[string]*rtbKey
	rtbs      []*reservation
	rtbByUUID map[string]*reservation
	pb        postbacks // caller list and call data keys, caller lists
	fileKey   []byte    // signs export file URLs (exports.go)
}

// First ids per kind, so that ids look like the reference's and differ between kinds.
var idBases = map[string]int64{
	"affiliate": 3100, "target": 22590, "target_group": 1630, "campaign": 9870, "number": 4906090,
	"number_pool": 40, "company": 100, "contact": 2, "contact_number": 2, "suppressed_number": 18996940,
	"static_caller_number": 1230, "cap": 707890, "business_hour": 156830, "tag_value": 67580,
	"timer": 190, "menu_option": 60, "call": 880000,
	"conversion_group": 256480, "conversion": 263250,
	"postback_key": 450, "rtb_inbound": 0, "export": 500, "pbm_table": 9000,
}

func newStore(seed uint64) *store {
	return &store{
		ids:       map[string]int64{},
		rnd:       newRnd(seed),
		rtbKeys:   map[string]*rtbKey{},
		rtbByUUID: map[string]*reservation{},
		pb:        newPostbacks(),
	}
}

// nextID returns the next id of a kind; ids only increase.
func (s *store) nextID(kind string) int64 {
	if _, ok := s.ids[kind]; !ok {
		s.ids[kind] = idBases[kind]
	}
	s.ids[kind]++
	return s.ids[kind]
}

func (s *store) company(id int64) *company {
	c, _ := s.companies.get(id)
	return c
}

func (s *store) addCompany(id int64, name, owner string, forbidden bool, at time.Time) *company {
	if id > s.ids["company"] {
		s.ids["company"] = id
	}
	c := s.newCompany(id, name, owner, at)
	c.forbidden = forbidden
	s.companies.add(c)
	sort.Slice(s.companies.items, func(i, j int) bool { return s.companies.items[i].id < s.companies.items[j].id })
	return c
}

// newCompany builds an empty company (not yet stored); id 0 takes the next id.
func (s *store) newCompany(id int64, name, owner string, at time.Time) *company {
	if id == 0 {
		id = s.nextID("company")
	}
	return &company{
		id: id, name: name, createdAt: at, updatedAt: at,
		embeddedKey: s.rnd.hex(32), perNumber: "1.0", useGlobalSuppressionList: true,
		balance: 10000, ownerUserName: owner,
		calls: newCallLog(), tagIDs: map[string]int64{}, tagKeys: map[string]bool{},
	}
}
