package retreavertest

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// LinkHeader returns the value of the Link header that the API sends with one
// page of a listing, exactly as the fake sends it: links to the first page,
// the previous one (when page > 1), the next one (when page < last) and the
// last one, in that order, such as
//
//	<https://api.retreaver.com/api/v1/calls.json?api_key=k&page=1>; rel="first", <https://api.retreaver.com/api/v1/calls.json?api_key=k&page=2>; rel="next", ...
//
// pageURL is the absolute URL of the listing as requested, query included.
// Each link is pageURL with its page query parameter set to N (any page
// parameter it had is replaced) and its query parameters encoded in key order.
// page is the page answered and last the number of pages (for n objects in
// pages of per_page, (n+per_page-1)/per_page); both count as 1 when below 1.
// A page past the last has a previous link to the last page.
//
// It is for tests that answer with canned responses (httpmock and the like)
// instead of a Server. It panics if pageURL does not parse.
func LinkHeader(pageURL string, page, last int) string {
	u, err := url.Parse(pageURL)
	if err != nil {
		panic("retreavertest: LinkHeader: " + err.Error())
	}
	page, last = max(page, 1), max(last, 1)
	q := u.Query()
	link := func(n int, rel string) string {
		q.Set("page", strconv.Itoa(n))
		v := *u
		v.RawQuery, v.Fragment, v.RawFragment = q.Encode(), "", ""
		return fmt.Sprintf(`<%s>; rel="%s"`, v.String(), rel)
	}
	links := []string{link(1, "first")}
	if page > 1 {
		links = append(links, link(min(page-1, last), "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"))
	}
	links = append(links, link(last, "last"))
	return strings.Join(links, ", ")
}
