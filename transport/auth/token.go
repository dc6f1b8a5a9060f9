package auth

import (
	"net/http"
	"strings"

	"github.com/gorilla/websocket"
)

// Where a token may come from, in the order TokenFrom looks:
//   - the Authorization header, "Bearer <token>" (any HTTP client; fetch for
//     the SSE POST path);
//   - an entry "bearer.<token>" of Sec-WebSocket-Protocol (a browser's
//     WebSocket cannot set headers, but can name subprotocols);
//   - the query parameter token (EventSource can set nothing else).

// SubprotocolPrefix starts the Sec-WebSocket-Protocol entry that carries a
// token. A JWT's characters (base64url and dots) are all allowed in one.
const SubprotocolPrefix = "bearer."

// Subprotocol is what a WebSocket client offers beside its token entry, and
// what the server then answers: a browser fails a handshake whose answer
// names none of the subprotocols it offered, and the token is best not
// echoed back.
const Subprotocol = "wsc"

// TokenFrom returns the token the request carries, or "".
func TokenFrom(r *http.Request) string {
	if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	for _, p := range websocket.Subprotocols(r) {
		if strings.HasPrefix(p, SubprotocolPrefix) {
			return p[len(SubprotocolPrefix):]
		}
	}
	return r.URL.Query().Get("token")
}

// AnswerSubprotocol is the Sec-WebSocket-Protocol to answer: Subprotocol
// when offered; else, when the only thing offered is a token entry, that
// entry (a browser needs one of its own back); else none.
func AnswerSubprotocol(r *http.Request) string {
	var token string
	for _, p := range websocket.Subprotocols(r) {
		if p == Subprotocol {
			return p
		}
		if token == "" && strings.HasPrefix(p, SubprotocolPrefix) {
			token = p
		}
	}
	return token
}
