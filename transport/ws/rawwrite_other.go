//go:build !unix

package ws

import "syscall"

// rawWrite is unused where write(2) is not: every connection writes through
// writeLoop.
type rawWrite struct{}

func (*rawWrite) try(syscall.RawConn, []byte) (int, error) { panic("ws: no raw writes here") }

func (t *transport) rawConn() syscall.RawConn { return nil }
