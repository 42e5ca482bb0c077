package retreaver

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// rtbInboundColumn is one field of RTBInbound as an export's CSV names it.
type rtbInboundColumn struct {
	label   string   // the label the field's JSON name makes ("call_uuid": "Call UUID")
	aliases []string // other labels the column may carry
	set     func(r *RTBInbound, cell string) bool
}

// rtbInboundColumns is the table of an RTB inbounds export's CSV: which column
// fills which field of RTBInbound. [RTBInboundReader]'s documentation lists it
// and says how cells read; a test holds the two together.
var rtbInboundColumns = []rtbInboundColumn{
	{"UUID", []string{"RTB Inbound UUID", "Reservation UUID", "RTB UUID"}, cell(cellText, func(r *RTBInbound) *string { return &r.UUID })},
	{"Call UUID", nil, cell(cellUUID, func(r *RTBInbound) *string { return &r.CallUUID })},
	{"Postback Key ID", []string{"RTB Key ID"}, cell(cellInt, func(r *RTBInbound) *int64 { return &r.PostbackKeyID })},
	{"Caller Number", []string{"Caller", "Caller ID"}, cell(cellText, func(r *RTBInbound) *string { return &r.CallerNumber })},
	{"Affiliate ID", []string{"Publisher ID", "Source ID"}, cell(cellInt, func(r *RTBInbound) *int64 { return &r.AffiliateID })},
	{"Campaign ID", nil, cell(cellInt, func(r *RTBInbound) *int64 { return &r.CampaignID })},
	{"Target ID", []string{"Buyer ID", "Call Endpoint ID"}, cell(cellInt, func(r *RTBInbound) *int64 { return &r.TargetID })},
	{"Revenue", nil, cell(cellMoney, func(r *RTBInbound) *Money { return &r.Revenue })},
	{"Payout", nil, cell(cellMoney, func(r *RTBInbound) *Money { return &r.Payout })},
	{"Status", nil, cell(cellText, func(r *RTBInbound) *string { return &r.Status })},
	{"Duplicate Order", nil, cell(cellCount, func(r *RTBInbound) *int { return &r.DuplicateOrder })},
	{"Duplicate Original UUID", []string{"Original UUID"}, cell(cellUUID, func(r *RTBInbound) *string { return &r.DuplicateOriginalUUID })},
	{"Caller State", nil, cell(cellText, func(r *RTBInbound) *string { return &r.CallerState })},
	{"Caller City", nil, cell(cellText, func(r *RTBInbound) *string { return &r.CallerCity })},
	{"Caller Zip", []string{"Caller Zip Code", "Caller Postal Code"}, cell(cellText, func(r *RTBInbound) *string { return &r.CallerZip })},
	{"Caller Country", nil, cell(cellText, func(r *RTBInbound) *string { return &r.CallerCountry })},
	{"Created At", nil, cell(cellTime, func(r *RTBInbound) *time.Time { return &r.CreatedAt })},
	{"Confirmed At", nil, ptrCell(cellTime, func(r *RTBInbound) **time.Time { return &r.ConfirmedAt })},
	{"Ended At", nil, ptrCell(cellTime, func(r *RTBInbound) **time.Time { return &r.EndedAt })},
	{"Time To Resolve", []string{"Time To Resolve (s)", "Time To Resolve Seconds"}, cell(cellFloat, func(r *RTBInbound) *float64 { return &r.TimeToResolve })},
	{"Fired Pixels Count", []string{"Fired Pixels"}, cell(cellCount, func(r *RTBInbound) *int { return &r.FiredPixelsCount })},
	{"Fired Pixels Error Count", []string{"Fired Pixel Errors", "Fired Pixels Errors"}, cell(cellCount, func(r *RTBInbound) *int { return &r.FiredPixelsErrorCount })},
	{"PBM Table Version", nil, cell(cellText, func(r *RTBInbound) *string { return &r.PBMTableVersion })},
	{"PBM Rule ID", nil, ptrCell(cellInt, func(r *RTBInbound) **int64 { return &r.PBMRuleID })},
	{"PBM Bucket", nil, ptrCell(cellCount, func(r *RTBInbound) **int { return &r.PBMBucket })},
	{"PBM Variant", nil, cell(cellText, func(r *RTBInbound) *string { return &r.PBMVariant })},
	{"PBM Original Payout", nil, cell(cellMoney, func(r *RTBInbound) *Money { return &r.PBMOriginalPayout })},
	{"PBM Percent Of Revenue", []string{"PBM % Of Revenue"}, ptrCell(cellFloat, func(r *RTBInbound) **float64 { return &r.PBMPercentOfRevenue })},
}

// labelKey is how labels are compared: lower-case letters and digits only.
func labelKey(label string) string {
	var b strings.Builder
	for _, r := range label {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// rtbInboundLabels maps each label's key to its column in rtbInboundColumns.
var rtbInboundLabels = func() map[string]int {
	m := map[string]int{}
	for i, c := range rtbInboundColumns {
		for _, l := range append([]string{c.label}, c.aliases...) {
			if _, dup := m[labelKey(l)]; dup {
				panic("retreaver: RTB inbound CSV label " + l + " is in the table twice")
			}
			m[labelKey(l)] = i
		}
	}
	return m
}()

// cell makes the setter of a field that parse reads a cell as. A cell parse
// rejects leaves the field zero.
func cell[T any](parse func(string) (T, bool), field func(*RTBInbound) *T) func(*RTBInbound, string) bool {
	return func(r *RTBInbound, s string) bool {
		v, ok := parse(s)
		if ok {
			*field(r) = v
		}
		return ok
	}
}

// ptrCell is cell for a field that is nil unless its cell is set.
func ptrCell[T any](parse func(string) (T, bool), field func(*RTBInbound) **T) func(*RTBInbound, string) bool {
	return func(r *RTBInbound, s string) bool {
		v, ok := parse(s)
		if ok {
			*field(r) = &v
		}
		return ok
	}
}

// cellText reads a cell as it is.
func cellText(s string) (string, bool) { return s, true }

// cellUUID reads a UUID, the all-zero one as "".
func cellUUID(s string) (string, bool) { return absentUUID(strings.TrimSpace(s)), true }

// cellInt reads "456" or "456.0".
func cellInt(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) || f > 1<<53 || f < -(1<<53) {
		return 0, false
	}
	return int64(f), true
}

// cellCount reads a count as cellInt does, one that fits an int.
func cellCount(s string) (int, bool) {
	n, ok := cellInt(s)
	return int(n), ok && n == int64(int(n))
}

// cellFloat reads a number, a trailing "%" allowed.
func cellFloat(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	return f, err == nil && f-f == 0 // finite
}

// cellMoney reads an amount, a leading "$" and thousands commas allowed.
func cellMoney(s string) (Money, bool) {
	m, err := NewMoney(strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(s), "$"), ",", ""))
	return m, err == nil
}

// cellTime reads RFC 3339 or one of the lenient forms.
func cellTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	return parseLenientTime(s)
}

// RTBInboundReader reads the rows of an RTB inbounds export's CSV (what
// [ExportsService.Download] streams) into RTBInbound values, one at a time,
// by the columns' labels. Columns it does not know are kept in
// [RTBInbound.Extra].
//
// The export labels its columns for people ("Call UUID", "Status", ...) where
// the JSON log names them for programs (call_uuid, status): the reference
// prints two labels, Call UUID and Status, and the JSON names of every field.
// Each field's label is its JSON name in words; the other labels are the names
// Retreaver's interface gives the same things (an affiliate is a publisher or
// a source, a target a buyer or a call endpoint). The columns, as label (or
// other labels): field:
//
//   - UUID (or RTB Inbound UUID, Reservation UUID, RTB UUID): UUID
//   - Call UUID: CallUUID
//   - Postback Key ID (or RTB Key ID): PostbackKeyID
//   - Caller Number (or Caller, Caller ID): CallerNumber
//   - Affiliate ID (or Publisher ID, Source ID): AffiliateID
//   - Campaign ID: CampaignID
//   - Target ID (or Buyer ID, Call Endpoint ID): TargetID
//   - Revenue: Revenue
//   - Payout: Payout
//   - Status: Status
//   - Duplicate Order: DuplicateOrder
//   - Duplicate Original UUID (or Original UUID): DuplicateOriginalUUID
//   - Caller State: CallerState
//   - Caller City: CallerCity
//   - Caller Zip (or Caller Zip Code, Caller Postal Code): CallerZip
//   - Caller Country: CallerCountry
//   - Created At: CreatedAt
//   - Confirmed At: ConfirmedAt
//   - Ended At: EndedAt
//   - Time To Resolve (or Time To Resolve (s), Time To Resolve Seconds): TimeToResolve
//   - Fired Pixels Count (or Fired Pixels): FiredPixelsCount
//   - Fired Pixels Error Count (or Fired Pixel Errors, Fired Pixels Errors): FiredPixelsErrorCount
//   - PBM Table Version: PBMTableVersion
//   - PBM Rule ID: PBMRuleID
//   - PBM Bucket: PBMBucket
//   - PBM Variant: PBMVariant
//   - PBM Original Payout: PBMOriginalPayout
//   - PBM Percent Of Revenue (or PBM % Of Revenue): PBMPercentOfRevenue
//
// A header cell matches a label when, lower-cased and stripped of everything
// but letters and digits, it equals the label stripped the same way: "Call
// UUID", "call_uuid" and "CALL-UUID" all match Call UUID. The first column to
// match a field fills it; a later one, like every column that matches none,
// goes to Extra under its label. So does a cell that does not read as its
// field's type; the field is then left zero.
//
// How cells read: ids and counts as integers ("456", "456.0"); amounts as
// decimals, a leading "$" and thousands commas allowed; percentages and
// seconds as numbers, a trailing "%" allowed; times as RFC 3339 or the
// Rails-style forms the JSON API also sends ("2026-09-01 14:02:11 UTC"); the
// all-zero UUID as "". An empty cell is the field's zero value (nil for the
// pointer fields).
type RTBInboundReader struct {
	csv     *csv.Reader
	header  []string
	columns []int    // per CSV column: its index in rtbInboundColumns, or -1
	extra   []string // per CSV column: its key in Extra
	err     error
}

// NewRTBInboundReader reads the header row of r and returns a reader of the
// rows after it. A UTF-8 byte order mark before the header is skipped. An
// empty r has no rows.
func NewRTBInboundReader(r io.Reader) (*RTBInboundReader, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF { // returned as is, never wrapped
		return &RTBInboundReader{csv: cr, err: io.EOF}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("retreaver: RTB inbounds CSV header: %w", err)
	}
	rr := &RTBInboundReader{csv: cr, header: make([]string, len(head)), columns: make([]int, len(head)), extra: make([]string, len(head))}
	copy(rr.header, head)
	rr.header[0] = strings.TrimPrefix(rr.header[0], "\ufeff")
	taken := map[int]bool{}
	used := map[string]bool{}
	for i, label := range rr.header {
		rr.columns[i] = -1
		if c, ok := rtbInboundLabels[labelKey(label)]; ok && !taken[c] {
			rr.columns[i], taken[c] = c, true
		}
		key := label
		for n := 2; used[key]; n++ {
			key = label + " (" + strconv.Itoa(n) + ")"
		}
		rr.extra[i], used[key] = key, true
	}
	return rr, nil
}

// Header returns the CSV's header row (a copy).
func (r *RTBInboundReader) Header() []string { return append([]string(nil), r.header...) }

// Read returns the next row, or io.EOF after the last. A row that is not the
// header's width, or CSV that does not parse, is an error, and so is every
// later Read.
func (r *RTBInboundReader) Read() (*RTBInbound, error) {
	if r.err != nil {
		return nil, r.err
	}
	rec, err := r.csv.Read()
	if err != nil {
		if err != io.EOF { // a wrapped EOF is a cut, not the end
			err = fmt.Errorf("retreaver: RTB inbounds CSV: %w", err)
		}
		r.err = err
		return nil, err
	}
	row := &RTBInbound{}
	for i, cell := range rec {
		if c := r.columns[i]; c >= 0 && (strings.TrimSpace(cell) == "" || rtbInboundColumns[c].set(row, cell)) {
			continue
		}
		if row.Extra == nil {
			row.Extra = map[string]string{}
		}
		row.Extra[r.extra[i]] = cell
	}
	return row, nil
}

// RTBInbounds exports the RTB inbounds that opts selects and yields them
// typed: it creates the export ([ExportsService.CreateRTBInbounds]; opts needs
// a window), waits for it ([ExportsService.Wait]), downloads its file
// ([ExportsService.Download]) and reads its rows ([RTBInboundReader]) as they
// stream in, so memory stays flat however many rows there are. onPoll, when
// set, is called with the export as created and with every state polled
// after; it runs on the goroutine that ranges. Breaking out of the loop ends
// the download. The first error ends the iteration.
func (s *ExportsService) RTBInbounds(ctx context.Context, opts *RTBInboundListOptions, onPoll func(*Export)) iter.Seq2[*RTBInbound, error] {
	return func(yield func(*RTBInbound, error) bool) {
		if ctx == nil {
			yield(nil, invalidArg("context is nil"))
			return
		}
		e, err := s.CreateRTBInbounds(ctx, opts)
		if err != nil {
			yield(nil, err)
			return
		}
		if onPoll != nil {
			onPoll(e)
		}
		if e, err = s.wait(ctx, e, onPoll); err != nil {
			yield(nil, err)
			return
		}
		file, err := s.Download(ctx, e)
		if err != nil {
			yield(nil, err)
			return
		}
		defer file.Close()
		rows, err := NewRTBInboundReader(file)
		if err != nil {
			yield(nil, err)
			return
		}
		for {
			row, err := rows.Read()
			if err == io.EOF {
				return
			}
			if !yield(row, err) || err != nil {
				return
			}
		}
	}
}
