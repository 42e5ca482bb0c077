package retreaver

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The request helpers: every method of every service goes through these, so
// that credentials, retries, bounds, redaction and decoding are written once.

// pathJoin builds a request path, the one way paths are built: prefix is literal
// ("api/v2/calls"), each of ids is escaped as one path segment (a "+" stays
// literal), and ".json" ends it.
func pathJoin(prefix string, ids ...string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, id := range ids {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(id))
	}
	b.WriteString(".json")
	return b.String()
}

// idSeg formats a numeric id as a path segment.
func idSeg(id int64) string { return strconv.FormatInt(id, 10) }

// get fetches the object at path, answered as {"root": {...}} (an E).
func get[E element[T], T any](ctx context.Context, c *Client, path, root string) (*T, error) {
	return exchange[E](ctx, c.cfg, c.newRequest(http.MethodGet, path, nil, nil), root, nil)
}

// send sends params as {"root": params} and reads the object answered the same
// way (an E). A nil params sends no body.
func send[E element[T], T any](ctx context.Context, c *Client, method, path, root string, params any) (*T, error) {
	var body any
	if params != nil {
		body = map[string]any{root: params}
	}
	return exchange[E](ctx, c.cfg, c.newRequest(method, path, nil, body), root, nil)
}

// exchange sends r and decodes the object answered, wrapped in root (an E).
// check, when set, rejects an answer that lacks what the endpoint always sends.
func exchange[E element[T], T any](ctx context.Context, cfg *clientConfig, r *request, root string, check func(*T) error) (*T, error) {
	return roundTrip(ctx, cfg, r, func(body []byte) (*T, error) { return decodeObject[E](body, root) }, check)
}

// exchangeBare sends r and decodes its answer, an object without a root key;
// check as for exchange.
func exchangeBare[T any](ctx context.Context, cfg *clientConfig, r *request, check func(*T) error) (*T, error) {
	return roundTrip(ctx, cfg, r, decodeBare[T], check)
}

// roundTrip sends r and reads its answer with decode, then check when set. Both
// run inside the retry loop, so that an answer they reject is a *DecodeError.
func roundTrip[T any](ctx context.Context, cfg *clientConfig, r *request, decode func(body []byte) (*T, error), check func(*T) error) (*T, error) {
	var out *T
	r.decode = func(resp *response) (err error) {
		if out, err = decode(resp.body); err == nil && check != nil {
			err = check(out)
		}
		return err
	}
	if _, err := cfg.do(ctx, r); err != nil {
		return nil, err
	}
	return out, nil
}

// do sends a request whose answer carries nothing to read: a delete (200 with
// an empty body, or 204) or an action such as reset_cap.
func (c *Client) do(ctx context.Context, method, path string) error {
	_, err := c.cfg.do(ctx, c.newRequest(method, path, nil, nil))
	return err
}

// del deletes the object at path.
func (c *Client) del(ctx context.Context, path string) error {
	return c.do(ctx, http.MethodDelete, path)
}
