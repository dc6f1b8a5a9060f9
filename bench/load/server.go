package load

import (
	"errors"
	"net"
	"net/http"
	"time"
)

// SlowIP is the loopback address slow clients dial from.
var SlowIP = net.IPv4(127, 0, 0, 2)

// server is an HTTP server on 127.0.0.1 with an ephemeral port.
type server struct {
	url string
	srv *http.Server
	ln  net.Listener
}

// startServer serves h on loopback. Connections from SlowIP get a send buffer
// of slowSndBuf bytes (when > 0): loopback would otherwise let the kernel
// absorb about 4 MB per connection and no hub would ever see a slow client.
func startServer(h http.Handler, slowSndBuf int) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &server{url: "ws://" + ln.Addr().String() + "/", ln: &slowListener{Listener: ln, sndbuf: slowSndBuf},
		srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	go func() {
		if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the listener was closed: nothing to report
		}
	}()
	return s, nil
}

func (s *server) close() { _ = s.srv.Close() }

type slowListener struct {
	net.Listener
	sndbuf int
}

func (l *slowListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil || l.sndbuf <= 0 {
		return c, err
	}
	if tc, ok := c.(*net.TCPConn); ok {
		if a, ok := tc.RemoteAddr().(*net.TCPAddr); ok && a.IP.Equal(SlowIP) {
			_ = tc.SetWriteBuffer(l.sndbuf)
		}
	}
	return c, nil
}
