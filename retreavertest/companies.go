package retreavertest

import (
	"fmt"
	"net/http"
)

type companyView struct {
	ID                       int64    `json:"id"`
	Name                     string   `json:"name"`
	CreatedAt                jsTime   `json:"created_at"`
	UpdatedAt                jsTime   `json:"updated_at"`
	EmbeddedKey              string   `json:"embedded_key"`
	PerNumber                string   `json:"per_number"`
	UseGlobalSuppressionList bool     `json:"use_global_suppression_list"`
	Balance                  moneyStr `json:"balance"`
	OwnerUserName            string   `json:"owner_user_name"`
}

func renderCompany(c *company) companyView {
	return companyView{ID: c.id, Name: c.name, CreatedAt: jsTime(c.createdAt), UpdatedAt: jsTime(c.updatedAt),
		EmbeddedKey: c.embeddedKey, PerNumber: c.perNumber, UseGlobalSuppressionList: c.useGlobalSuppressionList,
		Balance: moneyStr(c.balance), OwnerUserName: c.ownerUserName}
}

// ownerName is who owns the companies the fake's key creates.
const ownerName = "Alex Morgan"

func companyResource() *resource[*company] {
	return &resource[*company]{
		root:   "company",
		coll:   func(rc *reqCtx) *collection[*company] { return &rc.st.companies },
		render: func(_ *reqCtx, c *company) any { return renderCompany(c) },
		access: func(_ *reqCtx, c *company) error {
			if c.forbidden {
				return errStatus(http.StatusForbidden, fmt.Sprintf("You do not have access to company %d", c.id))
			}
			return nil
		},
		create: func(rc *reqCtx, a *attrs) (*company, error) {
			if a.get("name") == "" {
				return nil, errBlank("name")
			}
			c := rc.st.newCompany(0, "", ownerName, rc.now)
			if err := applyCompany(rc, c, a); err != nil {
				return nil, err
			}
			return c, nil
		},
		update: applyCompany,
		remove: func(rc *reqCtx, c *company) error {
			if c.numbers.len() > 0 || c.pools.len() > 0 {
				return errValidation(fieldErrors{"base": {"Cannot delete a company that has numbers or number pools; delete them first"}})
			}
			return nil
		},
		deleteStatus: http.StatusNoContent,
	}
}

func applyCompany(rc *reqCtx, c *company, a *attrs) error {
	name := c.name
	use := c.useGlobalSuppressionList
	if a.str("name", &name) && name == "" {
		a.fail("name", "can't be blank")
	}
	a.bool("use_global_suppression_list", &use)
	if err := a.err(); err != nil {
		return err
	}
	c.name, c.useGlobalSuppressionList, c.updatedAt = name, use, rc.now
	return nil
}

// getActiveCompany serves GET company.json: the active company, that is the
// default one, or the one named by company_id when given.
func getActiveCompany(rc *reqCtx) (int, any, error) {
	return http.StatusOK, wrap("company", renderCompany(rc.co)), nil
}
