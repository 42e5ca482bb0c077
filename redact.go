package retreaver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"syscall"
	"unicode/utf8"
)

// Credentials never appear in an error, a log line or a panic. The redactor
// finds them in any text a server, a library or this package may produce: raw,
// or spelled with escapes (percent-encoding in any case, JSON \u escapes,
// backslash escapes, HTML character references), and escapes of escapes. Rather
// than listing spellings, it decodes the text (keeping, for each decoded byte,
// the bytes of the original that spelled it), finds the credential in the
// decoded text, and replaces the original bytes.

const (
	redacted = "REDACTED"
	withheld = "(withheld: holds a credential)"
	// decodeDepth is how many layers of escaping are looked through: "%2535" is
	// "%35" once decoded and "5" twice.
	decodeDepth = 3
	// redactRounds bounds the replacing: a credential that holds the marker can
	// form a new occurrence from the text around it.
	redactRounds = 4
)

// credentialParams are query parameters that carry credentials.
var credentialParams = []string{"api_key", "key"}

// redactor removes credentials from text. The credentials live in a closure, out
// of reach of fmt, slog, reflection-based printers and test diffs.
type redactor struct {
	secrets func() []string
}

func newRedactor(secrets ...string) *redactor {
	var kept []string
	for _, s := range secrets {
		if s != "" {
			kept = append(kept, s)
		}
	}
	return &redactor{secrets: func() []string { return kept }}
}

// with returns a redactor that also removes the given secrets.
func (r *redactor) with(secrets ...string) *redactor {
	if len(secrets) == 0 {
		return r
	}
	return newRedactor(append(r.list(), secrets...)...)
}

func (r *redactor) list() []string {
	if r == nil || r.secrets == nil {
		return nil
	}
	return r.secrets()
}

// decodedText is text with its escapes decoded: text[i] was spelled by
// orig[span[i].from:span[i].to].
type decodedText struct {
	text []byte
	span []span
}

type span struct{ from, to int32 }

func identity(b []byte) decodedText {
	d := decodedText{text: b, span: make([]span, len(b))}
	for i := range b {
		d.span[i] = span{int32(i), int32(i + 1)}
	}
	return d
}

// The families of escapes. Each layer decodes one family only: a credential
// may itself hold what looks like an escape of another family ("%9b" inside an
// HTML-escaped key).
const (
	percentEscapes   = iota // %XX
	backslashEscapes        // \uXXXX, \xXX, \" \\ \/ \'
	htmlEscapes             // &#NN; &#xHH; &amp; &lt; &gt; &quot; &apos;
	escapeFamilies
)

// escapeStarts are the bytes that start an escape of each family.
var escapeStarts = [escapeFamilies]byte{'%', '\\', '&'}

// decodeOnce decodes one layer of the escapes of one family. changed is false
// when there was none.
func (d decodedText) decodeOnce(family int) (out decodedText, changed bool) {
	t := d.text
	if bytes.IndexByte(t, escapeStarts[family]) < 0 {
		return d, false
	}
	out = decodedText{text: make([]byte, 0, len(t)), span: make([]span, 0, len(t))}
	emit := func(b []byte, i, j int) { // b spelled by t[i:j]
		for _, c := range b {
			out.text = append(out.text, c)
			out.span = append(out.span, span{d.span[i].from, d.span[j-1].to})
		}
	}
	for i := 0; i < len(t); {
		if b, n := unescapeAt(t[i:], family); n > 0 {
			emit(b, i, i+n)
			i += n
			changed = true
			continue
		}
		emit(t[i:i+1], i, i+1)
		i++
	}
	return out, changed
}

// unescapeAt decodes the escape of the family at the start of t, if any. n is
// the length of the escape, 0 when t does not start with one.
func unescapeAt(t []byte, family int) (b []byte, n int) {
	if len(t) < 2 {
		return nil, 0
	}
	switch {
	case family == percentEscapes && t[0] == '%':
		if len(t) >= 3 {
			if v, err := strconv.ParseUint(string(t[1:3]), 16, 8); err == nil {
				return []byte{byte(v)}, 3
			}
		}
	case family == backslashEscapes && t[0] == '\\':
		switch t[1] {
		case 'u':
			if len(t) >= 6 {
				if v, err := strconv.ParseUint(string(t[2:6]), 16, 32); err == nil {
					return utf8.AppendRune(nil, rune(v)), 6
				}
			}
		case 'x':
			if len(t) >= 4 {
				if v, err := strconv.ParseUint(string(t[2:4]), 16, 8); err == nil {
					return []byte{byte(v)}, 4
				}
			}
		case '"', '\\', '/', '\'':
			return t[1:2], 2
		}
	case family == htmlEscapes && t[0] == '&':
		end := bytes.IndexByte(t[:min(len(t), 12)], ';')
		if end < 0 {
			return nil, 0
		}
		ref := string(t[1:end])
		switch ref {
		case "amp":
			return []byte("&"), end + 1
		case "lt":
			return []byte("<"), end + 1
		case "gt":
			return []byte(">"), end + 1
		case "quot":
			return []byte(`"`), end + 1
		case "apos":
			return []byte("'"), end + 1
		}
		if len(ref) > 1 && ref[0] == '#' {
			base, digits := 10, ref[1:]
			if digits[0] == 'x' || digits[0] == 'X' {
				base, digits = 16, digits[1:]
			}
			if v, err := strconv.ParseUint(digits, base, 32); err == nil && v <= utf8.MaxRune {
				return utf8.AppendRune(nil, rune(v)), end + 1
			}
		}
	}
	return nil, 0
}

// matches returns the ranges of b that spell a secret, raw or through up to
// decodeDepth layers of escapes, of any families in any order.
func (r *redactor) matches(b []byte, secrets []string) [][2]int {
	var spans [][2]int
	layer := []decodedText{identity(b)}
	for depth := 0; ; depth++ {
		for _, d := range layer {
			for _, sec := range secrets {
				for off := 0; ; {
					i := bytes.Index(d.text[off:], []byte(sec))
					if i < 0 {
						break
					}
					i += off
					spans = append(spans, [2]int{int(d.span[i].from), int(d.span[i+len(sec)-1].to)})
					off = i + 1
				}
			}
		}
		if depth == decodeDepth {
			return spans
		}
		var next []decodedText
		for _, d := range layer {
			for family := range escapeFamilies {
				if dd, changed := d.decodeOnce(family); changed {
					next = append(next, dd)
				}
			}
		}
		if len(next) == 0 {
			return spans
		}
		layer = next
	}
}

// Bytes removes every credential from b, returning b itself when there is none.
func (r *redactor) Bytes(b []byte) []byte {
	secrets := r.list()
	if len(secrets) == 0 {
		return b
	}
	for round := 0; round < redactRounds; round++ {
		spans := r.matches(b, secrets)
		if len(spans) == 0 {
			return b
		}
		b = replaceSpans(b, spans)
	}
	if len(r.matches(b, secrets)) > 0 {
		return []byte(withheld)
	}
	return b
}

// replaceSpans replaces each of the (possibly overlapping) spans with the marker.
func replaceSpans(b []byte, spans [][2]int) []byte {
	cover := make([]bool, len(b))
	for _, s := range spans {
		for i := s[0]; i < s[1]; i++ {
			cover[i] = true
		}
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if !cover[i] {
			out = append(out, b[i])
			continue
		}
		out = append(out, redacted...)
		for i+1 < len(b) && cover[i+1] {
			i++
		}
	}
	return out
}

// String removes every credential from s.
func (r *redactor) String(s string) string {
	if len(r.list()) == 0 {
		return s
	}
	return string(r.Bytes([]byte(s)))
}

// trimPartial drops the end of b when it is the start of a credential: for a
// body cut at a size bound in the middle of one.
func (r *redactor) trimPartial(b []byte) []byte {
	cut := 0
	for _, sec := range r.list() {
		for k := min(len(sec)-1, len(b)); k > cut; k-- {
			if bytes.HasSuffix(b, []byte(sec[:k])) {
				cut = k
				break
			}
		}
	}
	return b[:len(b)-cut]
}

// URL returns u as a string with credential parameters and credentials redacted.
func (r *redactor) URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		q := c.Query()
		changed := false
		for _, p := range credentialParams {
			if _, ok := q[p]; ok {
				q.Set(p, redacted)
				changed = true
			}
		}
		if changed {
			c.RawQuery = q.Encode()
		}
	}
	return r.String(c.String())
}

// URLString redacts a URL given as text; text that does not parse is redacted as
// plain text.
func (r *redactor) URLString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return r.String(s)
	}
	return r.URL(u)
}

// redactedError wraps an error whose text holds no credential: Unwrap keeps
// errors.Is and errors.As working, and Timeout and Temporary look through the
// whole chain.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Timeout reports whether the wrapped error is a timeout.
func (e *redactedError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.err, &t) && t.Timeout()
}

// Temporary reports whether the wrapped error is temporary.
func (e *redactedError) Temporary() bool {
	var t interface{ Temporary() bool }
	return errors.As(e.err, &t) && t.Temporary()
}

// redactErr returns err with every credential removed from its text. A *url.Error
// keeps its type with its URL redacted, so callers can still use errors.As on it.
// An error whose chain quotes a credential is replaced by an [opaqueError].
func (r *redactor) redactErr(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		inner := ue.Err
		if inner != nil {
			if r.leaks(inner) {
				inner = newOpaqueError(r.String(inner.Error()), inner)
			} else {
				inner = &redactedError{msg: inner.Error(), err: inner}
			}
		}
		return &url.Error{Op: r.String(ue.Op), URL: r.URLString(ue.URL), Err: inner}
	}
	if r.leaks(err) {
		return newOpaqueError(r.String(err.Error()), err)
	}
	return err
}

// leaks reports whether the text of err, or of any error it wraps, quotes a
// credential.
func (r *redactor) leaks(err error) bool {
	for depth := 0; err != nil && depth < 32; depth++ {
		for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err)} {
			if r.String(text) != text {
				return true
			}
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if r.leaks(e) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

// keptSentinels are the errors an opaqueError still matches with errors.Is when
// the error it replaces did: what callers and the retry logic test for.
var keptSentinels = []error{
	context.Canceled, context.DeadlineExceeded, os.ErrDeadlineExceeded,
	io.EOF, io.ErrUnexpectedEOF, net.ErrClosed,
	syscall.ECONNRESET, syscall.ECONNREFUSED, syscall.ECONNABORTED, syscall.EPIPE,
	errRedirectRefused, errTooManyRedirects, ErrResponseTooLarge, ErrInvalidArgument,
}

// opaqueError replaces an error whose chain quotes a credential. It keeps the
// redacted text, whether it was a timeout or temporary, and the [keptSentinels]
// it matched, but not the error itself, which would give the credential away to
// anyone who unwraps it.
type opaqueError struct {
	msg                string
	timeout, temporary bool
	is                 []error
}

func newOpaqueError(msg string, err error) *opaqueError {
	e := &opaqueError{msg: msg}
	var t interface{ Timeout() bool }
	e.timeout = errors.As(err, &t) && t.Timeout()
	var tmp interface{ Temporary() bool }
	e.temporary = errors.As(err, &tmp) && tmp.Temporary()
	for _, s := range keptSentinels {
		if errors.Is(err, s) {
			e.is = append(e.is, s)
		}
	}
	return e
}

func (e *opaqueError) Error() string   { return e.msg }
func (e *opaqueError) Timeout() bool   { return e.timeout }
func (e *opaqueError) Temporary() bool { return e.temporary }

// Is reports whether the replaced error matched target, one of keptSentinels.
func (e *opaqueError) Is(target error) bool {
	for _, s := range e.is {
		if s == target {
			return true
		}
	}
	return false
}
