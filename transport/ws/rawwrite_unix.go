//go:build unix

package ws

import "syscall"

// rawWrite is a pool worker's non-blocking write(2) through a connection's
// syscall.RawConn. Its function is made once per shard (a closure made per
// write would be an allocation per write).
type rawWrite struct {
	fn  func(fd uintptr) bool
	out []byte
	n   int
	err error
}

// try writes b with one write(2) that does not wait: n bytes went; an error
// when the socket is full (EAGAIN), closed or past a write deadline, or the
// write failed.
func (w *rawWrite) try(rc syscall.RawConn, b []byte) (n int, err error) {
	if w.fn == nil {
		w.fn = func(fd uintptr) bool {
			w.n, w.err = syscall.Write(int(fd), w.out)
			return true // done, whatever came of it: never wait
		}
	}
	w.out = b
	if err = rc.Write(w.fn); err == nil {
		n, err = max(w.n, 0), w.err
	}
	w.out, w.n, w.err = nil, 0, nil
	return n, err
}

// rawConn is the connection's syscall.RawConn, or nil when it has none (a
// TLS connection, a test's wrapper): that connection's writes go through
// writeLoop.
func (t *transport) rawConn() syscall.RawConn {
	if !t.rawChecked {
		t.rawChecked = true
		if sc, ok := t.nc.(syscall.Conn); ok {
			t.raw, _ = sc.SyscallConn()
		}
	}
	return t.raw
}
