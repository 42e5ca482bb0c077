package retreavertest

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A request whose body cannot be read in full answers 400 {"error": ...} and
// is logged with what arrived of its body; nothing is created.
func TestUnreadableBody(t *testing.T) {
	for name, raw := range map[string]string{
		// Announces 100 bytes, sends 13, then closes its side of the connection.
		"short body": "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n" + `{"affiliate":`,
		// A chunk size that is not hexadecimal.
		"bad chunk": "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + `{"affiliate":` + "\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			a := newAPI(t)
			conn, err := net.Dial("tcp", strings.TrimPrefix(a.srv.URL, "http://"))
			require.NoError(t, err)
			defer conn.Close()
			_, err = io.WriteString(conn, "POST /api/v1/affiliates.json?api_key="+a.srv.APIKey+" HTTP/1.1\r\nHost: fake\r\n"+raw)
			require.NoError(t, err)
			require.NoError(t, conn.(*net.TCPConn).CloseWrite())

			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, http.StatusBadRequest, resp.StatusCode)
			var body map[string]string
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
			require.Contains(t, body["error"], "request body")

			reqs := a.srv.Requests()
			require.Len(t, reqs, 1)
			require.Equal(t, http.MethodPost, reqs[0].Method)
			require.Equal(t, "/api/v1/affiliates.json", reqs[0].Path)
			require.Equal(t, a.srv.APIKey, reqs[0].Query.Get("api_key"))
			require.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))
			if name == "short body" {
				require.Equal(t, `{"affiliate":`, string(reqs[0].Body))
			}
			require.Empty(t, a.list("/api/v1/affiliates.json", nil, "affiliate"))
		})
	}
}
