package retreavertest

import (
	"net/http"
	"time"
)

type affiliate struct {
	id                             int64
	afid                           string
	firstName, lastName, companyNm *string
	createdAt, updatedAt           time.Time
}

func (a *affiliate) getID() int64 { return a.id }

// displayName is how reports and calls name the affiliate.
func (a *affiliate) displayName() string {
	name := ""
	if a.firstName != nil {
		name = *a.firstName
	}
	if a.lastName != nil {
		if name != "" {
			name += " "
		}
		name += *a.lastName
	}
	if name == "" && a.companyNm != nil {
		name = *a.companyNm
	}
	if name == "" {
		name = a.afid
	}
	return name
}

type affiliateView struct {
	ID          int64   `json:"id"`
	AFID        string  `json:"afid"`
	FirstName   *string `json:"first_name"`
	LastName    *string `json:"last_name"`
	CompanyName *string `json:"company_name"`
	UpdatedAt   jsTime  `json:"updated_at"`
	CreatedAt   jsTime  `json:"created_at"`
}

func affiliateResource() *resource[*affiliate] {
	return &resource[*affiliate]{
		root: "affiliate",
		coll: func(rc *reqCtx) *collection[*affiliate] { return &rc.co.affiliates },
		render: func(_ *reqCtx, a *affiliate) any {
			return affiliateView{ID: a.id, AFID: a.afid, FirstName: a.firstName, LastName: a.lastName,
				CompanyName: a.companyNm, UpdatedAt: jsTime(a.updatedAt), CreatedAt: jsTime(a.createdAt)}
		},
		create: func(rc *reqCtx, a *attrs) (*affiliate, error) {
			v := &affiliate{createdAt: rc.now, updatedAt: rc.now}
			if err := applyAffiliate(rc, v, a, true); err != nil {
				return nil, err
			}
			v.id = rc.st.nextID("affiliate")
			return v, nil
		},
		update: func(rc *reqCtx, v *affiliate, a *attrs) error { return applyAffiliate(rc, v, a, false) },
		remove: func(rc *reqCtx, v *affiliate) error {
			if _, ok := rc.co.numbers.find(func(n *number) bool { return n.afid != nil && *n.afid == v.afid }); ok {
				return errValidation(fieldErrors{"base": {"Cannot delete an affiliate that has numbers; delete its numbers first"}})
			}
			return nil
		},
		key:          func(a *affiliate) string { return a.afid },
		deleteStatus: http.StatusOK,
	}
}

func applyAffiliate(rc *reqCtx, v *affiliate, a *attrs, creating bool) error {
	next := *v
	a.str("afid", &next.afid)
	a.strP("first_name", &next.firstName)
	a.strP("last_name", &next.lastName)
	a.strP("company_name", &next.companyNm)
	if next.afid == "" && (creating || a.has("afid")) {
		a.fail("afid", "can't be blank")
	}
	if next.afid != "" && next.afid != v.afid {
		if _, taken := rc.co.affiliates.find(func(o *affiliate) bool { return o.afid == next.afid && o != v }); taken {
			a.fail("afid", "has already been taken")
		}
	}
	if err := a.err(); err != nil {
		return err
	}
	if v.afid != "" && next.afid != v.afid {
		// Numbers and pools refer to their affiliate by afid: follow the rename.
		for _, n := range rc.co.numbers.items {
			if n.afid != nil && *n.afid == v.afid {
				n.afid = strP(next.afid)
			}
		}
		for _, p := range rc.co.pools.items {
			if p.afid != nil && *p.afid == v.afid {
				p.afid = strP(next.afid)
			}
		}
	}
	next.updatedAt = rc.now
	*v = next
	return nil
}

// ensureAffiliate finds the affiliate with afid, creating it when missing (as
// number creation does).
func (st *store) ensureAffiliate(co *company, afid string, at time.Time) *affiliate {
	if a, ok := co.affiliates.find(func(a *affiliate) bool { return a.afid == afid }); ok {
		return a
	}
	a := &affiliate{id: st.nextID("affiliate"), afid: afid, createdAt: at, updatedAt: at}
	co.affiliates.add(a)
	return a
}
