package main

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/prometheus/client_golang/prometheus"
)

// limitListener bounds the open connections, in all and per client address,
// below the process's file-descriptor limit: past either bound a new
// connection is closed as soon as it is accepted (the client sees the
// connection end at once), so the accept loop keeps draining the kernel's
// backlog and the server never runs out of descriptors ("accept4: too many
// open files"), whatever one address does. A connection counts from Accept to
// its first Close, whether net/http or a WebSocket (after hijacking) closes it.
//
// Accept runs on net/http's accept goroutine; Close on whichever goroutine
// ends the connection. The map of addresses is small shared state outside the
// actors, behind a mutex.
type limitListener struct {
	net.Listener
	maxOpen, perAddr int
	// exemptLoopback leaves loopback addresses out of the per-address bound:
	// behind a reverse proxy on the same host every client comes from there.
	exemptLoopback bool

	open    atomic.Int64
	refused atomic.Int64
	mu      sync.Mutex
	byAddr  map[netip.Addr]int
}

func newLimitListener(ln net.Listener, maxOpen, perAddr int, exemptLoopback bool) *limitListener {
	return &limitListener{Listener: ln, maxOpen: maxOpen, perAddr: perAddr, exemptLoopback: exemptLoopback, byAddr: map[netip.Addr]int{}}
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr := remoteAddr(c)
		if l.acquire(addr) {
			return &limitedConn{Conn: c, l: l, addr: addr}, nil
		}
		l.refused.Add(1)
		_ = c.Close()
	}
}

func (l *limitListener) acquire(addr netip.Addr) bool {
	if l.maxOpen > 0 && l.open.Add(1) > int64(l.maxOpen) {
		l.open.Add(-1)
		return false
	} else if l.maxOpen <= 0 {
		l.open.Add(1)
	}
	if l.perAddr <= 0 || !addr.IsValid() || (l.exemptLoopback && addr.IsLoopback()) {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byAddr[addr] >= l.perAddr {
		l.open.Add(-1)
		return false
	}
	l.byAddr[addr]++
	return true
}

func (l *limitListener) release(addr netip.Addr) {
	l.open.Add(-1)
	if l.perAddr <= 0 || !addr.IsValid() || (l.exemptLoopback && addr.IsLoopback()) {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byAddr[addr]--; l.byAddr[addr] <= 0 {
		delete(l.byAddr, addr)
	}
}

// Open is the number of connections open now; Refused, how many were closed
// at Accept since the start.
func (l *limitListener) Open() int64    { return l.open.Load() }
func (l *limitListener) Refused() int64 { return l.refused.Load() }

// limitedConn gives its slot back on its first Close.
type limitedConn struct {
	net.Conn
	l      *limitListener
	addr   netip.Addr
	closed atomic.Bool
}

func (c *limitedConn) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		c.l.release(c.addr)
	}
	return c.Conn.Close()
}

// CloseWrite passes the half-close net/http uses (to let a client read an
// error answer before the connection ends) on to the TCP connection.
func (c *limitedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// SyscallConn passes the TCP connection's raw access on: the WebSocket
// writers (transport/ws) write through it without blocking, and a connection
// without it costs a writer goroutine per burst of frames.
func (c *limitedConn) SyscallConn() (syscall.RawConn, error) {
	if sc, ok := c.Conn.(syscall.Conn); ok {
		return sc.SyscallConn()
	}
	return nil, errors.ErrUnsupported
}

func remoteAddr(c net.Conn) netip.Addr {
	if ap, err := netip.ParseAddrPort(c.RemoteAddr().String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}

// defaultMaxOpen is nine tenths of the soft limit on open files: the rest is
// left for the store's files, NATS and outgoing connections (a JWKS fetch,
// the connect hook).
func defaultMaxOpen() int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur == 0 {
		return 1000
	}
	if lim.Cur > 1<<22 { // unlimited, or near it
		return 1 << 22
	}
	return int(lim.Cur) * 9 / 10
}

// watchListener exposes the listener's counts at /metrics.
func (m *metrics) watchListener(l *limitListener) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "wsc", Name: "http_open_connections",
			Help: "TCP connections open on the public listener (HTTP, WebSocket and SSE)."},
			func() float64 { return float64(l.Open()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: "wsc", Name: "http_refused_connections_total",
			Help: "Connections closed at accept: over -max-open-conns or -max-conns-per-ip."},
			func() float64 { return float64(l.Refused()) }),
	)
}
