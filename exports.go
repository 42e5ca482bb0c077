package retreaver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// Export is a server-side export: a CSV file the API generates in the
// background. Create one ([ExportsService.CreateRTBInbounds]), wait until it
// is done ([ExportsService.Wait]), then read its file
// ([ExportsService.Download]); [ExportsService.RTBInbounds] does all three.
type Export struct {
	ID int64 `json:"id"`
	// Count is the number of rows of the file once the export is done; nil
	// while it is generating (export_count).
	Count *int `json:"export_count"`
	// Progress is 0 while generating and Count once done (export_progress): the
	// API reports no partial progress.
	Progress int `json:"export_progress"`
	// Percentage is 0 while generating and 100 once done (export_percentage).
	Percentage float64 `json:"export_percentage"`
	// InProgress is true while the file is generating, false once it is done
	// or has failed (see Errors).
	InProgress bool `json:"in_progress"`
	// Format is the file's format: "csv" (the file itself is always gzipped).
	Format string `json:"format"`
	// FileURL is the path to download the done file from, relative to the API
	// host (file_upload_url, such as "/v2/reports/rtb_inbounds/501/download");
	// "" until the export is done. [ExportsService.Download] reads it.
	FileURL string `json:"file_upload_url"`
	// Errors says why the export failed (a bad filter, say); empty when it has
	// not. An array of messages is kept under the key "base".
	Errors map[string]any `json:"errors"`

	kind string // the path segment of the export's type: "rtb_inbounds"
}

const exportKindRTBInbounds = "rtb_inbounds"

// UnmarshalJSON reads an export, tolerating counts written as numeric strings
// or floats, and errors sent as an array or a string rather than an object.
func (e *Export) UnmarshalJSON(b []byte) error {
	type plain Export
	var v struct {
		*plain
		Count      *looseInt       `json:"export_count"`
		Progress   looseInt        `json:"export_progress"`
		Percentage looseFloat      `json:"export_percentage"`
		Errors     json.RawMessage `json:"errors"`
	}
	v.plain = (*plain)(e)
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.Count != nil {
		e.Count = Ptr(int(*v.Count))
	}
	e.Progress = int(v.Progress)
	if v.Percentage.v != nil {
		e.Percentage = *v.Percentage.v
	}
	errs, err := exportErrors(v.Errors)
	e.Errors = errs
	return err
}

// exportErrors reads errors: an object as is, an array or a string under
// "base", null or nothing as nil.
func exportErrors(raw json.RawMessage) (map[string]any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '{' {
		var m map[string]any
		err := json.Unmarshal(raw, &m)
		return m, err
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	if s, ok := v.(string); ok && s == "" {
		return nil, nil
	}
	if l, ok := v.([]any); ok && len(l) == 0 {
		return nil, nil
	}
	return map[string]any{"base": v}, nil
}

// Done reports whether the export has finished, with a file or with errors.
func (e *Export) Done() bool { return e != nil && !e.InProgress }

// Err returns an [*ExportError] when the export has finished with errors, nil
// otherwise.
func (e *Export) Err() error {
	if e == nil || e.InProgress || len(e.Errors) == 0 {
		return nil
	}
	return &ExportError{ID: e.ID, Errors: e.Errors}
}

// ErrExportFailed is wrapped by an [*ExportError].
var ErrExportFailed = errors.New("retreaver: export failed")

// ExportError is the error of an export that finished without a file: its
// errors (a bad filter, say), or no file URL at all.
type ExportError struct {
	ID int64
	// Errors are the export's errors as the API sent them.
	Errors map[string]any
	// Message is Errors in one line, or what else went wrong.
	Message string
}

// Error implements error.
func (e *ExportError) Error() string {
	msg := e.Message
	if msg == "" {
		raw, _ := json.Marshal(e.Errors)
		msg = flattenMessage(raw)
	}
	return fmt.Sprintf("retreaver: export %d failed: %s", e.ID, truncateText(msg, 500))
}

// Unwrap returns ErrExportFailed.
func (e *ExportError) Unwrap() error { return ErrExportFailed }

// Default polling of [ExportsService.Wait]: the first wait, and the longest.
const (
	DefaultExportPollFirst = 2 * time.Second
	DefaultExportPollMax   = 30 * time.Second
)

// exportConfig tunes exports; its zero value means the defaults.
type exportConfig struct {
	pollFirst, pollMax time.Duration
	// stall ends a download that receives nothing for this long.
	stall time.Duration
}

func (x exportConfig) polling() (first, longest time.Duration) {
	first, longest = x.pollFirst, x.pollMax
	if first <= 0 {
		first = DefaultExportPollFirst
	}
	if longest <= 0 {
		longest = DefaultExportPollMax
	}
	return first, longest
}

// WithExportPolling sets how [ExportsService.Wait] polls a generating export:
// the first wait (default [DefaultExportPollFirst], 2 s), growing by half
// each poll up to longest (default [DefaultExportPollMax], 30 s), each with
// a little jitter. Waits shorter than a second only make sense against a test
// server.
func WithExportPolling(first, longest time.Duration) Option {
	return func(c *clientConfig) error {
		if first <= 0 || longest < first {
			return invalidArg("export polling needs 0 < first <= longest, got %v and %v", first, longest)
		}
		c.export.pollFirst, c.export.pollMax = first, longest
		return nil
	}
}

// ExportsService makes server-side exports (api/v5/exports). Today the API
// exports RTB inbounds only; for calls, use [CallsService.Export].
type ExportsService service

func exportPath(kind string, id ...int64) string {
	if len(id) == 0 {
		return pathJoin("api/v5/exports/" + kind)
	}
	return pathJoin("api/v5/exports/"+kind, idSeg(id[0]))
}

// checkExport rejects an answer that is not an export.
func checkExport(e *Export) error {
	if e.ID <= 0 {
		return errors.New("answer has no export id")
	}
	return nil
}

// CreateRTBInbounds starts an export of the RTB inbounds that opts selects
// (POST api/v5/exports/rtb_inbounds.json, {"export": {"format": "csv",
// "params": {...}}}). The filters are those of the log, sent as JSON values
// and arrays; opts must give a window: CreatedAt, or CreatedAtStart (and
// CreatedAtEnd, which is otherwise now), at most 2 months long. Page and
// WithFilters are ignored. An answer that already carries errors is returned
// with an [*ExportError].
func (s *ExportsService) CreateRTBInbounds(ctx context.Context, opts *RTBInboundListOptions) (*Export, error) {
	params, err := opts.exportParams(time.Now())
	if err != nil {
		return nil, err
	}
	body := map[string]any{"export": map[string]any{"format": "csv", "params": params}}
	r := s.client.newRequest(http.MethodPost, exportPath(exportKindRTBInbounds), nil, body)
	e, err := exchangeBare(ctx, s.client.cfg, r, checkExport)
	if err != nil {
		return nil, err
	}
	e.kind = exportKindRTBInbounds
	return e, s.exportErr(e)
}

// GetRTBInbounds returns the state of the RTB inbounds export id (GET
// api/v5/exports/rtb_inbounds/{id}.json).
func (s *ExportsService) GetRTBInbounds(ctx context.Context, id int64) (*Export, error) {
	if err := requireIntID("export id", id); err != nil {
		return nil, err
	}
	return s.get(ctx, exportKindRTBInbounds, id)
}

func (s *ExportsService) get(ctx context.Context, kind string, id int64) (*Export, error) {
	r := s.client.newRequest(http.MethodGet, exportPath(kind, id), nil, nil)
	e, err := exchangeBare(ctx, s.client.cfg, r, checkExport)
	if err != nil {
		return nil, err
	}
	e.kind = kind
	return e, nil
}

// exportErr is e.Err with the export's errors redacted.
func (s *ExportsService) exportErr(e *Export) error {
	err := e.Err()
	if err == nil {
		return nil
	}
	ee := err.(*ExportError)
	raw, _ := json.Marshal(ee.Errors)
	ee.Message = s.client.cfg.redact.String(flattenMessage(raw))
	return ee
}

// Wait polls the export until it is done (in_progress false) and returns it
// done. The first poll comes after 2 s, the waits grow to 30 s (see
// [WithExportPolling]); cancelling ctx ends the wait at once. An export that
// finishes with errors, or without a file, is returned with an
// [*ExportError] (wrapping ErrExportFailed). An export that is already done is
// returned without a request.
func (s *ExportsService) Wait(ctx context.Context, e *Export) (*Export, error) {
	return s.wait(ctx, e, nil)
}

// wait is Wait, calling onPoll, when set, with every state polled.
func (s *ExportsService) wait(ctx context.Context, e *Export, onPoll func(*Export)) (*Export, error) {
	if ctx == nil {
		return nil, invalidArg("context is nil")
	}
	if e == nil {
		return nil, invalidArg("export is nil")
	}
	if err := requireIntID("export id", e.ID); err != nil {
		return nil, err
	}
	kind := e.kind
	if kind == "" {
		kind = exportKindRTBInbounds
	}
	delay, maxDelay := s.client.cfg.export.polling()
	cur := e
	for polled := false; ; polled = true {
		if !cur.InProgress && (polled || cur.FileURL != "" || len(cur.Errors) > 0) {
			return s.finished(cur)
		}
		if cur.InProgress {
			if err := sleep(ctx, jitter(delay)); err != nil {
				return nil, err
			}
			delay = nextPollDelay(delay, maxDelay)
		} else if err := ctx.Err(); err != nil {
			return nil, err
		}
		next, err := s.get(ctx, kind, e.ID)
		if err != nil {
			return nil, err
		}
		cur = next
		if onPoll != nil {
			onPoll(cur)
		}
	}
}

// finished returns a done export, or its error.
func (s *ExportsService) finished(e *Export) (*Export, error) {
	if err := s.exportErr(e); err != nil {
		return e, err
	}
	if e.FileURL == "" {
		return e, &ExportError{ID: e.ID, Message: "the export is done but has no file_upload_url"}
	}
	return e, nil
}

// exportParams returns the params of an export of the rows o selects: the
// log's filters as JSON values. The window is required; an export given only
// its start ends at now.
func (o *RTBInboundListOptions) exportParams(now time.Time) (map[string]any, error) {
	if o == nil {
		return nil, invalidArg("an export needs a time window: CreatedAt (such as last_7d) or CreatedAtStart")
	}
	c := *o
	if c.CreatedAt == "" {
		if c.CreatedAtStart.IsZero() {
			return nil, invalidArg("an export needs a time window: CreatedAt (such as last_7d) or CreatedAtStart")
		}
		if c.CreatedAtEnd.IsZero() {
			c.CreatedAtEnd = now.UTC().Truncate(time.Second)
		}
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	p := map[string]any{}
	for _, f := range c.filters() {
		p[f.name] = f.json
	}
	return p, nil
}

// nextPollDelay is the wait after one of delay: half as long again, up to
// longest.
func nextPollDelay(delay, longest time.Duration) time.Duration {
	return min(delay+delay/2, longest)
}

// jitter spreads d by up to a tenth either way.
func jitter(d time.Duration) time.Duration {
	if d < 10 {
		return d
	}
	return d - d/10 + rand.N(d/5+1)
}
