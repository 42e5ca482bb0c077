package retreavertest

import (
	"net/http"
	"time"
)

type staticCallerNumber struct {
	id        int64
	number    string
	createdAt time.Time
}

func (n *staticCallerNumber) getID() int64 { return n.id }

type staticCallerView struct {
	ID        int64  `json:"id"`
	Number    string `json:"number"`
	CreatedAt jsTime `json:"created_at"`
}

// staticCallerResource: list, create and delete only, as documented.
func staticCallerResource() *resource[*staticCallerNumber] {
	return &resource[*staticCallerNumber]{
		root: "static_caller_number", ops: "lcd",
		coll: func(rc *reqCtx) *collection[*staticCallerNumber] { return &rc.co.statics },
		render: func(_ *reqCtx, n *staticCallerNumber) any {
			return staticCallerView{ID: n.id, Number: n.number, CreatedAt: jsTime(n.createdAt)}
		},
		create: func(rc *reqCtx, a *attrs) (*staticCallerNumber, error) {
			num := normalizePhone(a.get("number"))
			if num == "" {
				return nil, errBlank("number")
			}
			if _, taken := rc.co.statics.find(func(x *staticCallerNumber) bool { return x.number == num }); taken {
				return nil, errValidation(fieldErrors{"number": {"has already been taken"}})
			}
			return &staticCallerNumber{id: rc.st.nextID("static_caller_number"), number: num, createdAt: rc.now}, nil
		},
		deleteStatus: http.StatusNoContent,
	}
}
