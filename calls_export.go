package retreaver

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"sync"
	"time"
)

// Bounds and defaults of [ExportOptions].
const (
	// DefaultExportConcurrency is the number of pages Export fetches at once
	// when ExportOptions.Concurrency is 0. The reference benchmarks 4 concurrent
	// clients and discourages highly concurrent use.
	DefaultExportConcurrency = 4
	// MaxExportConcurrency bounds ExportOptions.Concurrency. More pages at once
	// than this only earns 429 answers from the API.
	MaxExportConcurrency = 16
	// DefaultExportPerPage is the page size Export asks for when
	// ExportOptions.PerPage is 0: 100, the most the API allows on call listings.
	DefaultExportPerPage = 100
)

// ExportOptions configures [CallsService.Export]. The zero value (or nil) exports
// every call of the client's company created up to now, 100 a page, 4 pages at once.
//
// The API takes times to the second: CreatedAtStart and CreatedAtEnd are truncated
// to whole seconds before they are sent, and the window is both ends included.
type ExportOptions struct {
	// CreatedAtStart exports calls created at or after this time (zero: from the
	// company's first call).
	CreatedAtStart time.Time
	// CreatedAtEnd exports calls created at or before this time. Zero means the
	// moment Export starts, truncated to the second: calls created later (in the
	// same second included) belong to the next export. To chain exports without a
	// gap, set it yourself and start the next export at the same time; a call
	// created exactly on that second may then come out of both.
	CreatedAtEnd time.Time
	// Concurrency is the number of pages fetched at once: 0 means
	// DefaultExportConcurrency (4); at most MaxExportConcurrency (16); 1 fetches
	// one page after the other (still pinned, ascending and deduplicated).
	Concurrency int
	// PerPage is the number of calls a page, 1 to 100 (0: DefaultExportPerPage, 100).
	PerPage int

	// Caller exports only calls from this number, such as "+13015236555".
	Caller string
	// ClientAFID exports only calls of this affiliate (its afid).
	ClientAFID string
	// ClientCID exports only calls of this campaign (its cid).
	ClientCID string
	// ClientTID exports only calls routed to this target (its tid).
	ClientTID string
	// SubID exports only calls of this affiliate sub ID.
	SubID string

	// OnProgress, when set, is called after every page whose calls have all been
	// yielded. It runs on the goroutine that ranges over the iterator, never
	// concurrently with itself or with the loop body, so it may touch the loop's
	// state without locks. It should return quickly: no page is yielded meanwhile.
	OnProgress func(ExportProgress)
}

// ExportProgress is what [ExportOptions.OnProgress] receives.
type ExportProgress struct {
	// CompanyID is the company being exported (0: the key's active company), so
	// that one OnProgress can follow the exports of several companies.
	CompanyID int64
	// PagesDone is the number of pages whose calls have all been yielded.
	PagesDone int
	// PagesTotal is the number of pages of the export as the API announced it
	// (its Link rel="last"); it grows if the last page names a next one, and
	// never shrinks. It is 0 while unknown: when the API sends no rel="last".
	PagesTotal int
	// Calls is the number of calls yielded so far, duplicates removed.
	Calls int
}

// validate checks the options before any request is made.
func (o *ExportOptions) validate() error {
	if o == nil {
		return nil
	}
	if o.Concurrency < 0 || o.Concurrency > MaxExportConcurrency {
		return invalidArg("export concurrency must be between 1 and %d (0: %d), got %d",
			MaxExportConcurrency, DefaultExportConcurrency, o.Concurrency)
	}
	if o.PerPage < 0 || o.PerPage > 100 {
		return invalidArg("export per page must be between 1 and 100 (0: %d), got %d", DefaultExportPerPage, o.PerPage)
	}
	if !o.CreatedAtStart.IsZero() && !o.CreatedAtEnd.IsZero() && o.CreatedAtEnd.Before(o.CreatedAtStart) {
		return invalidArg("export created at end %s is before created at start %s",
			o.CreatedAtEnd.Format(time.RFC3339), o.CreatedAtStart.Format(time.RFC3339))
	}
	return nil
}

// exportPlan is the validated, pinned form of the options.
type exportPlan struct {
	query       url.Values // the query of every page but its number
	concurrency int
	onProgress  func(ExportProgress)
}

// plan pins the window and fills the defaults. now is the moment Export starts.
func (o *ExportOptions) plan(now time.Time) (*exportPlan, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	var opts ExportOptions
	if o != nil {
		opts = *o
	}
	p := &exportPlan{concurrency: opts.Concurrency, onProgress: opts.OnProgress}
	if p.concurrency == 0 {
		p.concurrency = DefaultExportConcurrency
	}
	perPage := opts.PerPage
	if perPage == 0 {
		perPage = DefaultExportPerPage
	}
	end := opts.CreatedAtEnd
	if end.IsZero() {
		end = now
	}
	// The API reads times to the second; pinning to a whole second makes the
	// window that is sent the window that is documented.
	end = end.Truncate(time.Second)
	start := opts.CreatedAtStart.Truncate(time.Second)
	if !start.IsZero() && end.Before(start) {
		return nil, invalidArg("export created at start %s is after the end %s",
			start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	list := &CallListOptions{
		PerPage:        perPage,
		CreatedAtStart: start,
		CreatedAtEnd:   end,
		SortBy:         SortByCreatedAt,
		Order:          OrderAsc,
		Caller:         opts.Caller,
		ClientAFID:     opts.ClientAFID,
		ClientCID:      opts.ClientCID,
		ClientTID:      opts.ClientTID,
		SubID:          opts.SubID,
	}
	q, _, err := checkListOptions(list)
	if err != nil {
		return nil, err
	}
	p.query = q
	return p, nil
}

// Export iterates over every call of a time window, each exactly once, oldest
// first: the bulk path for pulling tens of thousands of calls. It is much faster
// than [CallsService.All] (it fetches opts.Concurrency pages at once, 100 calls
// each) and, unlike paging newest first, exact on a live account.
//
// How it stays exact: Export pins the window when it is called (CreatedAtEnd
// defaults to that moment, truncated to the second; ranging over the same
// iterator again exports the same window) and pages through it in
// ascending created_at order (sort_by=created_at, order=asc), sending the same
// window with every page. Calls that arrive during the export are created after
// the pinned end, so they are not part of the window and cannot shift its pages;
// paging newest first instead pushes every call one place down per new call, so
// that pages skip or repeat calls. The number of pages comes from the first page's
// Link rel="last"; pages 2 to last are fetched concurrently and yielded in page
// order, and any rel="next" the last page names (the window grew: a clock ahead of
// the API's) is followed one page after the other. A page before the announced
// last page that comes back empty (or cut short) is retried like a network
// failure and, if it stays so, ends the export with an error: the export never
// ends short in silence, and progress never shows a shrunk total. Without rel="last"
// on the first page Export follows rel="next" one page at a time. Calls are
// deduplicated by UUID across neighbouring pages (a shift of some calls between
// two page fetches, or ties in created_at ordered differently by two queries,
// repeats a call at a page boundary); calls with an empty UUID are never dropped.
//
// What it cannot guarantee: a call deleted, or created with (or moved to) a
// created_at inside the window while the export runs, shifts the later pages of
// the window. A deletion moves one call from a page not yet fetched onto one
// already fetched, and that call is skipped; a back-dated insertion may be missed
// (its neighbours' repetition is removed). Export has no way to notice either.
// Run a window again, or export a window that has closed, when that matters.
//
// Memory stays bounded by the pages in flight: at most opts.Concurrency pages are
// being fetched or waiting, plus the page being yielded, and the UUIDs kept for
// deduplication are those of the last opts.Concurrency+1 pages. Every page goes
// through the client's rate limit and retry policy. Breaking out of the loop or
// ending ctx cancels every request in flight, and the iterator returns only after
// its goroutines have ended. The first error (after retries) is yielded after the
// calls of the pages before the failing one, and ends the iteration; to resume,
// start a new export at the CreatedAt of the last call received (and drop the
// calls of that second you already have).
//
// Invalid options (see [ExportOptions]) yield one error wrapping
// [ErrInvalidArgument] before any request. Export uses the version of the
// calls API the client was made with (api/v2/calls.json unless
// [WithCallsVersion] chose another).
func (s *CallsService) Export(ctx context.Context, opts *ExportOptions) iter.Seq2[*Call, error] {
	if ctx == nil {
		return failed[Call](invalidArg("context is nil"))
	}
	p, err := opts.plan(time.Now())
	if err != nil {
		return failed[Call](err)
	}
	return func(yield func(*Call, error) bool) {
		ex := &exporter{c: s.client, path: s.path() + ".json", plan: p, dedupe: newPageDedupe(p.concurrency + 1)}
		ex.prog.CompanyID = s.client.companyID
		ex.run(ctx, yield)
	}
}

// exporter is the state of one run of an Export iterator. Every field but those
// of the fetch goroutines is touched by the consuming goroutine only.
type exporter struct {
	c      *Client
	path   string
	plan   *exportPlan
	dedupe *pageDedupe
	prog   ExportProgress
	last   int // the last page the API announced
}

// fetched is the outcome of one page request.
type fetched struct {
	page *Page[Call]
	err  error
}

// fetch fetches one page. A page before the last one announced must not be
// empty: an empty one is retried, then an error (it would end the export short).
func (ex *exporter) fetch(ctx context.Context, page int) (*Page[Call], error) {
	p, err := fetchPage[callElement](ctx, ex.c, ex.path, callRoot, withPage(ex.plan.query, page), page < ex.last)
	if err != nil {
		return nil, fmt.Errorf("export page %d: %w", page, err)
	}
	return p, nil
}

// emit yields the calls of a page not seen on the last pages, then reports
// progress. It returns false when the consumer stopped.
func (ex *exporter) emit(p *Page[Call], yield func(*Call, error) bool) bool {
	ex.dedupe.next()
	for _, c := range p.Items {
		if c == nil || !ex.dedupe.add(c.UUID) {
			continue
		}
		ex.prog.Calls++
		if !yield(c, nil) {
			return false
		}
	}
	ex.prog.PagesDone++
	if ex.prog.PagesTotal != 0 && ex.prog.PagesTotal < ex.prog.PagesDone {
		ex.prog.PagesTotal = ex.prog.PagesDone
	}
	if ex.plan.onProgress != nil {
		ex.plan.onProgress(ex.prog)
	}
	return true
}

func (ex *exporter) run(parent context.Context, yield func(*Call, error) bool) {
	ctx, cancel := context.WithCancel(parent)
	var wg sync.WaitGroup
	defer wg.Wait() // runs last: no goroutine outlives the iterator
	defer cancel()

	first, err := ex.fetch(ctx, 1)
	if err != nil {
		yield(nil, err)
		return
	}
	last := first.LastPage
	ex.last = last
	if last > 0 {
		ex.prog.PagesTotal = max(last, 1)
	} else if first.NextPage == 0 {
		ex.prog.PagesTotal = 1
	}
	if !ex.emit(first, yield) {
		return
	}
	page, cur := 1, first
	if last > 1 {
		cur = ex.concurrent(ctx, &wg, last, yield)
		if cur == nil {
			return
		}
		page = last
	}
	ex.sequential(ctx, page, cur, yield)
}

// concurrent fetches pages 2 to last, at most plan.concurrency at once, and
// yields them in order. It returns the last page, or nil when the iteration ended
// (consumer stopped, error yielded, or the listing ended early).
func (ex *exporter) concurrent(ctx context.Context, wg *sync.WaitGroup, last int, yield func(*Call, error) bool) *Page[Call] {
	window := make([]chan fetched, 0, ex.plan.concurrency) // pages in flight, in page order
	next := 2                                              // next page to start
	start := func() {
		ch := make(chan fetched, 1) // buffered: a fetch never blocks on an absent reader
		page := next
		next++
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := ex.fetch(ctx, page)
			ch <- fetched{p, err}
		}()
		window = append(window, ch)
	}
	for next <= last && len(window) < ex.plan.concurrency {
		start()
	}
	for page := 2; page <= last; page++ {
		var f fetched
		select {
		case f = <-window[0]:
		case <-ctx.Done():
			yield(nil, ctx.Err())
			return nil
		}
		window[0] = nil
		window = window[1:]
		if f.err != nil {
			yield(nil, f.err)
			return nil
		}
		if next <= last {
			start() // keep the window full while the consumer works through this page
		}
		if !ex.emit(f.page, yield) {
			return nil
		}
		if page == last {
			return f.page
		}
	}
	return nil
}

// sequential follows rel="next" from page (already yielded as cur), one page at
// a time: the fallback without rel="last", and the tail past the announced last page.
func (ex *exporter) sequential(ctx context.Context, page int, cur *Page[Call], yield func(*Call, error) bool) {
	for cur.NextPage != 0 {
		if cur.NextPage <= page {
			yield(nil, &paginationError{page: page, next: cur.NextPage})
			return
		}
		if err := ctx.Err(); err != nil {
			yield(nil, err)
			return
		}
		page = cur.NextPage
		p, err := ex.fetch(ctx, page)
		if err != nil {
			yield(nil, err)
			return
		}
		ex.last = max(ex.last, p.LastPage)
		switch {
		case p.NextPage == 0: // the last page: now the total is known
			ex.prog.PagesTotal = max(ex.prog.PagesTotal, ex.prog.PagesDone+1)
		case ex.prog.PagesTotal != 0 || p.LastPage != 0:
			ex.prog.PagesTotal = max(ex.prog.PagesTotal, p.LastPage, ex.prog.PagesDone+2)
		}
		if !ex.emit(p, yield) {
			return
		}
		cur = p
	}
}

// pageDedupe remembers the UUIDs of the last few pages. Pages come in ascending
// created_at order, so a call can only repeat on a neighbouring page: older
// UUIDs are forgotten, which keeps memory bounded on exports of any size.
type pageDedupe struct {
	seen  map[string]struct{}
	pages [][]string // ring of the UUIDs of the last len(pages) pages
	cur   int
}

func newPageDedupe(pages int) *pageDedupe {
	return &pageDedupe{seen: make(map[string]struct{}), pages: make([][]string, max(pages, 2)), cur: -1}
}

// next starts a new page, forgetting the oldest one.
func (d *pageDedupe) next() {
	d.cur = (d.cur + 1) % len(d.pages)
	for _, id := range d.pages[d.cur] {
		delete(d.seen, id)
	}
	d.pages[d.cur] = d.pages[d.cur][:0]
}

// add records uuid on the current page and reports whether it is new. An empty
// UUID is always new.
func (d *pageDedupe) add(uuid string) bool {
	if uuid == "" {
		return true
	}
	if _, dup := d.seen[uuid]; dup {
		return false
	}
	d.seen[uuid] = struct{}{}
	d.pages[d.cur] = append(d.pages[d.cur], uuid)
	return true
}
