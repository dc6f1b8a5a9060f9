package ws

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"sync/atomic"

	"github.com/gorilla/websocket"
)

// gorilla writes on its own in one case: a protocol error met by the reader
// (a frame unmasked, reserved bits set, a bad opcode...) makes it write a
// 1002 close frame under its own 1 s deadline, from the reader's goroutine.
// Beside the writer that breaks "only the writer writes", and a pooled
// writer (pool.go) writing to the connection meanwhile would wait for the
// socket's write lock up to that second, holding every connection of its
// shard. So gorilla gets the connection sealed: the handshake's answer goes
// through, any write after it fails at once, and the reader, seeing that
// gorilla tried, asks the writer for the 1002 (gorillaTried).

// errSealed is what gorilla's writes get after the handshake.
var errSealed = errors.New("ws: only the writer writes")

// sealedConn is the connection gorilla holds: writes pass until it is sealed.
type sealedConn struct {
	net.Conn
	sealed  atomic.Bool
	refused atomic.Bool // gorilla tried to write after the handshake
}

func (c *sealedConn) Write(b []byte) (int, error) {
	if c.sealed.Load() {
		c.refused.Store(true)
		return 0, errSealed
	}
	return c.Conn.Write(b)
}

// hijacker hands the upgrader a sealedConn when it hijacks the request's
// connection.
type hijacker struct {
	http.ResponseWriter
	conn *sealedConn
}

func (h *hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := h.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("ws: the response cannot be hijacked")
	}
	c, brw, err := hj.Hijack()
	if err != nil {
		return nil, nil, err
	}
	h.conn = &sealedConn{Conn: c}
	return h.conn, brw, nil
}

// upgrade is u.Upgrade with gorilla's connection sealed once the handshake's
// answer is out.
func upgrade(u *websocket.Upgrader, w http.ResponseWriter, r *http.Request, answer http.Header) (*websocket.Conn, error) {
	hj := &hijacker{ResponseWriter: w}
	c, err := u.Upgrade(hj, r, answer)
	if err != nil {
		return nil, err
	}
	hj.conn.sealed.Store(true)
	return c, nil
}

// gorillaTried reports whether gorilla tried to write on c after the
// handshake: it does so only for the 1002 of a protocol error.
func gorillaTried(c *websocket.Conn) bool {
	sc, ok := c.NetConn().(*sealedConn)
	return ok && sc.refused.Load()
}
