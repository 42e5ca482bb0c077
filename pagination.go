package retreaver

import (
	"context"
	"errors"
	"hash/maphash"
	"iter"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/google/go-querystring/query"
)

// Page is one page of a list. The page numbers come from the answer's Link header;
// each is 0 when the header names no such relation. Total and PerPage come from
// the Total and Per-Page headers, which some listings send (caller list numbers);
// they are 0 when absent.
type Page[T any] struct {
	Items     []*T
	NextPage  int
	PrevPage  int
	FirstPage int
	LastPage  int
	// Total is the number of items of the whole list, every page together.
	Total int
	// PerPage is the number of items a page.
	PerPage int

	sum uint64 // hash of the body, to notice a server that ignores the page asked for
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
					for _, r := range strings.Fields(val) {
						l.rels = append(l.rels, strings.ToLower(r))
					}
				}
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
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil && len(q) == 0 {
		return 0
	}
	p := q.Get("page")
	if p == "" {
		return 1
	}
	n, err := strconv.Atoi(p)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// headerInt reads a numeric header such as Total; 0 when absent or not a number.
func headerInt(h http.Header, name string) int {
	v := strings.TrimSpace(h.Get(name))
	if v == "" {
		return 0 // most listings send neither header: no error value to build
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// errEmptyPage marks an empty page before the last page the listing announced:
// a fault of the server or the network, retried like one.
var errEmptyPage = errors.New("empty page before the announced last page")

// fetchPage fetches one page of a list at path, whose elements are E. wantItems
// says that an earlier page announced more pages than this one: an empty answer
// is then a fault.
func fetchPage[E element[T], T any](ctx context.Context, c *Client, path, root string, query url.Values, wantItems bool) (*Page[T], error) {
	return fetchPageOf(ctx, c.cfg, c.newRequest(http.MethodGet, path, query, nil), wantItems, listOf[E](root))
}

// listOf decodes the usual list: [{"root": {...}}, ...], of elements E.
func listOf[E element[T], T any](root string) func(body []byte) ([]*T, error) {
	return func(body []byte) ([]*T, error) { return decodeList[E](body, root) }
}

// fetchPageOf sends r, a GET of one page of a list, and reads the page with its
// Link, Total and Per-Page headers; decodeItems reads the items of the body.
// It serves the lists of other shapes and the clients whose requests carry
// other credentials than the api_key.
func fetchPageOf[T any](ctx context.Context, cfg *clientConfig, r *request, wantItems bool, decodeItems func(body []byte) ([]*T, error)) (*Page[T], error) {
	var p *Page[T]
	r.decode = func(resp *response) error {
		items, err := decodeItems(resp.body)
		if err != nil {
			return err
		}
		if wantItems && len(items) == 0 {
			return errEmptyPage
		}
		p = &Page[T]{Items: items, Total: headerInt(resp.header, "Total"), PerPage: headerInt(resp.header, "Per-Page"),
			sum: maphash.Bytes(pageSeed, resp.body)}
		p.FirstPage, p.PrevPage, p.NextPage, p.LastPage = pageNumbers(resp.header)
		return nil
	}
	if _, err := cfg.do(ctx, r); err != nil {
		return nil, err
	}
	return p, nil
}

var pageSeed = maphash.MakeSeed()

// pageFunc fetches page number page; wantItems as for fetchPage.
type pageFunc[T any] func(ctx context.Context, page int, wantItems bool) (*Page[T], error)

// paginate yields every item of every page, starting at page start (0 or 1: the
// first), following NextPage. It ends with ErrPagination when a next page does
// not advance, or when a page answers exactly what the page before it did (a
// server that ignores the page asked for). An empty page before the last page
// announced is retried, then an error. fetch is called with the page number
// only: the key and every other parameter stay those of the caller's request, so
// a Link header can never send them to another host.
func paginate[T any](ctx context.Context, start int, fetch pageFunc[T]) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		if ctx == nil {
			yield(nil, invalidArg("context is nil"))
			return
		}
		page, last := max(start, 1), 0
		var prevSum uint64
		for {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			p, err := fetch(ctx, page, page < last)
			if err != nil {
				yield(nil, err)
				return
			}
			if page > max(start, 1) && p.sum == prevSum && len(p.Items) > 0 {
				yield(nil, &paginationError{page: page, repeated: true})
				return
			}
			prevSum = p.sum
			last = max(last, p.LastPage)
			for _, item := range p.Items {
				if !yield(item, nil) {
					return
				}
			}
			if p.NextPage == 0 {
				if page >= last {
					return
				}
				// An earlier page announced more: a page without its Link
				// header does not end the listing short.
				p.NextPage = page + 1
			}
			if p.NextPage <= page {
				yield(nil, &paginationError{page: page, next: p.NextPage})
				return
			}
			page = p.NextPage
		}
	}
}

type paginationError struct {
	page, next int
	repeated   bool
}

func (e *paginationError) Error() string {
	if e.repeated {
		return "retreaver: pagination does not advance: page " + strconv.Itoa(e.page) + " answered what the page before it did"
	}
	return "retreaver: pagination does not advance: page " + strconv.Itoa(e.page) + " names page " + strconv.Itoa(e.next) + " as next"
}

func (e *paginationError) Unwrap() error { return ErrPagination }

// lister lists one kind of object at one path; E is its list element.
type lister[E element[T], T any] struct {
	c    *Client
	path string
	root string
}

// listOptions is satisfied by every XListOptions through the ListOptions it
// embeds (an options type with filters to check defines its own validate).
type listOptions interface {
	base() *ListOptions
	validate() error
}

// utcOptions is implemented by the options that hold times: inUTC returns a
// copy with its times in UTC, which checkListOptions encodes instead.
type utcOptions interface {
	inUTC() listOptions
}

// queryOptions is implemented by the options whose query is not the one their
// url tags give (RTB inbounds: key[] arrays, times in UTC to the second): query
// returns it, without its page.
type queryOptions interface {
	query() url.Values
}

func (o *ListOptions) base() *ListOptions { return o }

// checkListOptions validates opts, which may be a nil pointer, and returns its
// query (without its page) and the page it starts from.
func checkListOptions(opts listOptions) (q url.Values, start int, err error) {
	if opts == nil || reflect.ValueOf(opts).IsNil() {
		return url.Values{}, 0, nil
	}
	if err := opts.validate(); err != nil {
		return nil, 0, err
	}
	if qo, ok := opts.(queryOptions); ok {
		return qo.query(), opts.base().Page, nil
	}
	if u, ok := opts.(utcOptions); ok {
		opts = u.inUTC()
	}
	if q, err = query.Values(opts); err != nil {
		return nil, 0, invalidArg("cannot encode options: %v", err)
	}
	q.Del("page")
	return q, opts.base().Page, nil
}

// withPage returns q with page set (page 0: none).
func withPage(q url.Values, page int) url.Values {
	out := make(url.Values, len(q)+1)
	for k, v := range q {
		out[k] = v
	}
	if page > 0 {
		out.Set("page", strconv.Itoa(page))
	}
	return out
}

// list is every service's List: check the options, fetch one page.
func (l lister[E, T]) list(ctx context.Context, opts listOptions) (*Page[T], error) {
	q, start, err := checkListOptions(opts)
	if err != nil {
		return nil, err
	}
	return fetchPage[E](ctx, l.c, l.path, l.root, withPage(q, start), false)
}

// iterate is every service's All: check the options, then page from theirs on.
func (l lister[E, T]) iterate(ctx context.Context, opts listOptions) iter.Seq2[*T, error] {
	q, start, err := checkListOptions(opts)
	if err != nil {
		return failed[T](err)
	}
	return paginate(ctx, start, func(ctx context.Context, page int, wantItems bool) (*Page[T], error) {
		return fetchPage[E](ctx, l.c, l.path, l.root, withPage(q, page), wantItems)
	})
}

// failed returns an iterator that yields err once: how All reports invalid options.
func failed[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}
