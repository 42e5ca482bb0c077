package retreavertest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

type numberPool struct {
	id                                  int64
	typ, country                        string
	maxPoolSize, bufferSeconds, reserve int
	googleAnalytics, hideEmbedded       bool
	afid                                *string
	cid                                 string
	gaPaths                             [2]string
	createdAt, updatedAt                time.Time
}

func (p *numberPool) getID() int64 { return p.id }

type gaPathView struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

type numberPoolView struct {
	ID                   int64        `json:"id"`
	NumbersCount         int          `json:"numbers_count"`
	Type                 string       `json:"type"`
	Country              string       `json:"country"`
	MaxPoolSize          int          `json:"max_pool_size"`
	BufferSeconds        int          `json:"buffer_seconds"`
	UpdatedAt            jsTime       `json:"updated_at"`
	CreatedAt            jsTime       `json:"created_at"`
	GoogleAnalytics      bool         `json:"google_analytics"`
	HideEmbeddedAccess   bool         `json:"hide_embedded_access"`
	AFID                 *string      `json:"afid"`
	CID                  string       `json:"cid"`
	ReserveSize          int          `json:"reserve_size"`
	GoogleAnalyticsPaths []gaPathView `json:"google_analytics_paths,omitempty"`
}

func numberPoolResource() *resource[*numberPool] {
	return &resource[*numberPool]{
		root: "number_pool",
		coll: func(rc *reqCtx) *collection[*numberPool] { return &rc.co.pools },
		render: func(rc *reqCtx, p *numberPool) any {
			v := numberPoolView{ID: p.id, NumbersCount: len(rc.co.numbers.filter(func(n *number) bool { return n.poolID == p.id })),
				Type: p.typ, Country: p.country, MaxPoolSize: p.maxPoolSize, BufferSeconds: p.bufferSeconds,
				UpdatedAt: jsTime(p.updatedAt), CreatedAt: jsTime(p.createdAt), GoogleAnalytics: p.googleAnalytics,
				HideEmbeddedAccess: p.hideEmbedded, AFID: p.afid, CID: p.cid, ReserveSize: p.reserve}
			if p.googleAnalytics {
				v.GoogleAnalyticsPaths = []gaPathView{{"Network timer (always)", p.gaPaths[0]}, {"Network timer (connect)", p.gaPaths[1]}}
			}
			return v
		},
		filter: func(rc *reqCtx, p *numberPool) bool {
			return matchParam(rc, "cid", p.cid) && matchParamP(rc, "afid", p.afid)
		},
		create: func(rc *reqCtx, a *attrs) (*numberPool, error) {
			p := &numberPool{typ: "Toll-free", country: "US", maxPoolSize: 10, reserve: 1, createdAt: rc.now,
				gaPaths: [2]string{"/callpixels/" + rc.st.rnd.uuid(), "/callpixels/" + rc.st.rnd.uuid()}}
			if a.get("cid") == "" {
				a.fail("cid", "can't be blank")
			}
			if err := applyNumberPool(rc, p, a); err != nil {
				return nil, err
			}
			p.id = rc.st.nextID("number_pool")
			return p, nil
		},
		update: applyNumberPool,
		remove: func(rc *reqCtx, p *numberPool) error {
			rc.co.numbers.removeIf(func(n *number) bool { return n.poolID == p.id })
			return nil
		},
		deleteStatus: http.StatusNoContent,
	}
}

func applyNumberPool(rc *reqCtx, p *numberPool, a *attrs) error {
	next := *p
	if a.str("cid", &next.cid) && next.cid != "" && rc.co.campaignByCID(next.cid) == nil {
		a.fail("cid", "does not exist")
	}
	if a.strP("afid", &next.afid) && next.afid != nil {
		if _, ok := rc.co.affiliates.find(func(x *affiliate) bool { return x.afid == *next.afid }); !ok {
			a.fail("afid", "does not exist")
		}
	}
	if a.str("type", &next.typ) && next.typ != "Toll-free" && next.typ != "Local" {
		a.fail("type", "is not included in the list")
	}
	if a.str("country", &next.country) {
		next.country = strings.ToUpper(next.country)
		if !slices.Contains(numberCountries, next.country) {
			a.fail("country", "is not included in the list")
		}
	}
	a.int("max_pool_size", &next.maxPoolSize)
	a.int("buffer_seconds", &next.bufferSeconds)
	a.int("reserve_size", &next.reserve)
	a.bool("google_analytics", &next.googleAnalytics)
	a.bool("hide_embedded_access", &next.hideEmbedded)
	if next.googleAnalytics && next.afid != nil {
		a.fail("google_analytics", "is incompatible with a number pool that has an affiliate")
	}
	if next.maxPoolSize < 1 {
		a.fail("max_pool_size", "must be greater than 0")
	}
	if err := a.err(); err != nil {
		return err
	}
	next.updatedAt = rc.now
	*p = next
	return nil
}
