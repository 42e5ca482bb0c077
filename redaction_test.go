package retreaver

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The redactor's own rules: every form and spelling of a key is replaced, and
// replacing never forms the key again.

func TestRedactorReplacesEveryForm(t *testing.T) {
	r := newRedactor("a+b/c=d")
	u, _ := url.Parse("https://x.test/p?api_key=a%2Bb%2Fc%3Dd&company_id=1&key=other")
	require.Equal(t, "https://x.test/p?api_key=REDACTED&company_id=1&key=REDACTED", r.URL(u))
	require.Equal(t, "k=REDACTED and REDACTED and REDACTED", r.String("k=a+b/c=d and a%2Bb%2Fc%3Dd and a+b%2Fc=d"))
	require.Equal(t, "x", string(r.Bytes([]byte("x"))))
	require.Equal(t, "https://x.test/?api_key=REDACTED", r.URLString("https://user:pw@x.test/?api_key=zzz"))
}

func TestRedactionFindsEverySpellingInAnErrorBody(t *testing.T) {
	for i := 0; i < 20; i++ {
		key := keyN(t, i)
		for _, spelling := range otherSpellings(key) {
			c, mt := newTestClient(t)
			c, err := NewClient(key, WithHTTPClient(c.cfg.httpClient), WithBaseURL(testBaseURL), WithRetryPolicy(NoRetries))
			require.NoError(t, err)
			stub(t, mt, "GET", "company.json", http.StatusUnauthorized,
				`{"error":"bad key `+strings.ReplaceAll(spelling, `"`, `\"`)+`"}`)
			_, err = c.Companies.Active(context.Background())
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			for _, text := range []string{err.Error(), apiErr.Message, string(apiErr.Body), fmt.Sprintf("%+v", apiErr)} {
				require.NotContains(t, text, spelling, "key %q spelled %q", key, spelling)
				require.NotContains(t, text, key)
			}
			require.Contains(t, string(apiErr.Body), "REDACTED")
		}
	}
}

func TestRedactorCoversEscapedForms(t *testing.T) {
	for i := 0; i < 40; i++ {
		key := keyN(t, i)
		r := newRedactor(key)
		for _, form := range secretForms(key) {
			out := r.String("before " + form + " after")
			require.Equal(t, "before REDACTED after", out, "form %q of %q", form, key)
		}
	}
}

func TestRedactionNeverFormsTheKeyAgain(t *testing.T) {
	// A key that holds the marker: replacing it must not leave the key behind.
	r := newRedactor("xxxxREDACTEDyyyy")
	out := r.String("a xxxxxxxxREDACTEDyyyyyyyy b")
	require.NotContains(t, out, "xxxxREDACTEDyyyy")
	require.NotContains(t, string(r.Bytes([]byte("xxxxxxxxREDACTEDyyyyyyyy"))), "xxxxREDACTEDyyyy")
	// A key the marker itself holds cannot be redacted by replacing: the text is
	// withheld whole.
	for _, key := range []string{"REDACTED", "DACT"} {
		r := newRedactor(key)
		require.NotContains(t, r.String("the key is "+key), key)
		require.NotContains(t, string(r.Bytes([]byte("the key is "+key))), key)
	}
	require.Equal(t, "plain text", newRedactor("k3y-0123456789").String("plain text"))
}
