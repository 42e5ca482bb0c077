package retreaver

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
)

// Page is one page of a list. The page numbers come from the answer's Link header;
// each is 0 when the header names no such relation.
type Page[T any] struct {
	Items     []*T
	NextPage  int
	PrevPage  int
	FirstPage int
	LastPage  int
}

// HasNext reports whether a next page exists.
func (p *Page[T]) HasNext() bool { return p != nil && p.NextPage > 0 }

// ListOptions is embedded in every list's options. The API returns 25 items a page.
type ListOptions struct {
	// Page is the page to fetch, from 1 (0: the first). All starts from it.
	Page int `url:"page,omitempty"`
}

func (o *ListOptions) validate() error {
	if o != nil && o.Page < 0 {
		return invalidArg("page must not be negative, got %d", o.Page)
	}
	return nil
}

// link is one entry of a Link header.
type link struct {
	uri  string
	rels []string
}

// parseLinks parses RFC 8288 Link header values. It accepts several header lines,
// several links per line, quoted and unquoted parameters, several relations in one
// rel, and odd white space; malformed entries are skipped, never a panic.
func parseLinks(values []string) []link {
	var out []link
	for _, v := range values {
		s := v
		for {
			s = strings.TrimLeft(s, " \t,")
			if s == "" {
				break
			}
			if s[0] != '<' {
				// Garbage: skip to the next top-level comma.
				s = skipEntry(s)
				continue
			}
			end := strings.IndexByte(s, '>')
			if end < 0 {
				break
			}
			l := link{uri: strings.TrimSpace(s[1:end])}
			s = s[end+1:]
			// Parameters: ; name [= value]
			for {
				s = strings.TrimLeft(s, " \t")
				if s == "" || s[0] == ',' {
					break
				}
				if s[0] != ';' {
					s = skipEntry(s)
					break
				}
				s = strings.TrimLeft(s[1:], " \t")
				i := 0
				for i < len(s) && s[i] != '=' && s[i] != ';' && s[i] != ',' && s[i] != ' ' && s[i] != '\t' {
					i++
				}
				name := strings.ToLower(s[:i])
				s = strings.TrimLeft(s[i:], " \t")
				var val string
				if s != "" && s[0] == '=' {
					s = strings.TrimLeft(s[1:], " \t")
					val, s = parseParamValue(s)
				}
				if name == "rel" {
					if !hasSpaceOrNonASCII(val) {
						if val != "" { // one relation, the common case: no Fields slice
							l.rels = append(l.rels, strings.ToLower(val))
						}
					} else {
						for _, r := range strings.Fields(val) {
							l.rels = append(l.rels, strings.ToLower(r))
						}
					}
				}
			}
			if out == nil {
				out = make([]link, 0, 4) // first, prev, next, last
			}
			out = append(out, l)
		}
	}
	return out
}

// parseParamValue reads a quoted string or a token.
func parseParamValue(s string) (val, rest string) {
	if s != "" && s[0] == '"' {
		if end := strings.IndexAny(s[1:], `"\`); end >= 0 && s[1+end] == '"' {
			return s[1 : 1+end], s[2+end:] // no escapes: no copy
		}
		var b strings.Builder
		i := 1
		for ; i < len(s); i++ {
			c := s[i]
			if c == '\\' && i+1 < len(s) {
				i++
				b.WriteByte(s[i])
				continue
			}
			if c == '"' {
				return b.String(), s[i+1:]
			}
			b.WriteByte(c)
		}
		return b.String(), ""
	}
	i := 0
	for i < len(s) && s[i] != ';' && s[i] != ',' {
		i++
	}
	return strings.TrimSpace(s[:i]), s[i:]
}

// skipEntry skips to just after the next comma that is outside <> and quotes.
func skipEntry(s string) string {
	inQuote, inAngle := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' && !inAngle:
			inQuote = !inQuote
		case c == '<' && !inQuote:
			inAngle = true
		case c == '>' && !inQuote:
			inAngle = false
		case c == ',' && !inQuote && !inAngle:
			return s[i+1:]
		}
	}
	return ""
}

// pageNumbers reads the page numbers of the first, prev, next and last relations.
// Only the page parameter of each link is used: the link's host is ignored.
func pageNumbers(h http.Header) (first, prev, next, last int) {
	for _, l := range parseLinks(h.Values("Link")) {
		n := linkPage(l.uri)
		if n <= 0 {
			continue
		}
		for _, rel := range l.rels {
			switch rel {
			case "first":
				first = n
			case "prev", "previous":
				prev = n
			case "next":
				next = n
			case "last":
				last = n
			}
		}
	}
	return
}

// linkPage returns the page parameter of a link, 1 when it has none, 0 when the
// link does not parse or the page is not a positive number.
func linkPage(uri string) int {
	u, err := url.Parse(uri)
	if err != nil {
		return 0
	}
	p := queryGet(u.RawQuery, "page")
	if p == "" {
		return 1
	}
	n, err := strconv.Atoi(p)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// queryGet is url.ParseQuery(rawQuery).Get(key) without building the map: the
// first value of key among the pairs ParseQuery keeps (not those with a
// semicolon, nor those that do not unescape).
func queryGet(rawQuery, key string) string {
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := url.QueryUnescape(k)
		if err != nil || k != key {
			continue
		}
		if v, err = url.QueryUnescape(v); err != nil {
			continue
		}
		return v
	}
	return ""
}

// hasSpaceOrNonASCII reports whether s holds ASCII white space or a byte outside
// ASCII (where Unicode white space could hide).
func hasSpaceOrNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '\n', '\v', '\f', '\r':
			return true
		default:
			if c >= 0x80 {
				return true
			}
		}
	}
	return false
}

// listPage fetches one page of a list.
func listPage[T any](ctx context.Context, c *Client, r *request, root string) (*Page[T], error) {
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	items, err := decodeList[T](resp.body, root)
	if err != nil {
		return nil, resp.decodeError(err)
	}
	p := &Page[T]{Items: items}
	p.FirstPage, p.PrevPage, p.NextPage, p.LastPage = pageNumbers(resp.header)
	return p, nil
}

// paginate yields every item of every page, starting at page start (0 or 1: the
// first), following NextPage. A next page that does not advance ends the iteration
// with ErrPagination. fetch is called with the page number to request; the key and
// every other parameter stay those of the caller's request, so a Link header can
// never send them to another host.
func paginate[T any](ctx context.Context, start int, fetch func(ctx context.Context, page int) (*Page[T], error)) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		if ctx == nil {
			yield(nil, invalidArg("context is nil"))
			return
		}
		page := max(start, 1)
		for {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			p, err := fetch(ctx, page)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, item := range p.Items {
				if !yield(item, nil) {
					return
				}
			}
			if p.NextPage == 0 {
				return
			}
			if p.NextPage <= page {
				yield(nil, &paginationError{page: page, next: p.NextPage})
				return
			}
			page = p.NextPage
		}
	}
}

type paginationError struct{ page, next int }

func (e *paginationError) Error() string {
	return "retreaver: pagination does not advance: page " + strconv.Itoa(e.page) + " names page " + strconv.Itoa(e.next) + " as next"
}

func (e *paginationError) Unwrap() error { return ErrPagination }

// lister lists one kind of object at one path.
type lister[T any] struct {
	c         *Client
	path      string
	root      string
	noCompany bool
}

// page fetches one page. opts is a go-querystring struct (may be a nil pointer);
// page > 0 overrides its page.
func (l lister[T]) page(ctx context.Context, opts any, page int) (*Page[T], error) {
	r := &request{method: http.MethodGet, path: l.path, opts: opts, noCompany: l.noCompany}
	if page > 0 {
		r.query = url.Values{"page": {strconv.Itoa(page)}}
	}
	return listPage[T](ctx, l.c, r, l.root)
}

// all iterates from the options' page on.
func (l lister[T]) all(ctx context.Context, opts any, start int) iter.Seq2[*T, error] {
	return paginate(ctx, start, func(ctx context.Context, page int) (*Page[T], error) {
		return l.page(ctx, opts, page)
	})
}

// listOptions is satisfied by every XListOptions through the ListOptions it
// embeds (an options type with filters to check defines its own validate).
type listOptions interface {
	base() *ListOptions
	validate() error
}

func (o *ListOptions) base() *ListOptions { return o }

// checkListOptions validates opts, which may be a nil pointer, and returns the
// page All starts from.
func checkListOptions(opts listOptions) (start int, err error) {
	if opts == nil || reflect.ValueOf(opts).IsNil() {
		return 0, nil
	}
	if err := opts.validate(); err != nil {
		return 0, err
	}
	return opts.base().Page, nil
}

// list is every service's List: check the options, fetch one page.
func (l lister[T]) list(ctx context.Context, opts listOptions) (*Page[T], error) {
	if _, err := checkListOptions(opts); err != nil {
		return nil, err
	}
	return l.page(ctx, opts, 0)
}

// iterate is every service's All: check the options, then page from theirs on.
func (l lister[T]) iterate(ctx context.Context, opts listOptions) iter.Seq2[*T, error] {
	start, err := checkListOptions(opts)
	if err != nil {
		return failed[T](err)
	}
	return l.all(ctx, opts, start)
}

// failed returns an iterator that yields err once: how All reports invalid options.
func failed[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}
