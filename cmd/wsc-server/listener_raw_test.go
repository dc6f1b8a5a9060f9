package main

import (
	"errors"
	"net"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A connection from the bounded listener passes the TCP connection's raw
// access on: transport/ws's pooled writers write through it without blocking
// (a connection without it is written by a goroutine per burst). One over a
// connection that has none says so.
func TestABoundedConnectionPassesItsRawConnectionOn(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ln := newLimitListener(raw, 0, 0, false)
	defer ln.Close()
	client, err := net.Dial("tcp", raw.Addr().String())
	require.NoError(t, err)
	defer client.Close()
	c, err := ln.Accept()
	require.NoError(t, err)
	defer c.Close()

	sc, ok := c.(syscall.Conn)
	require.True(t, ok, "the bounded connection has SyscallConn")
	rc, err := sc.SyscallConn()
	require.NoError(t, err)
	var name syscall.Sockaddr
	require.NoError(t, rc.Control(func(fd uintptr) { name, err = syscall.Getsockname(int(fd)) }))
	require.NoError(t, err)
	assert.Equal(t, c.LocalAddr().(*net.TCPAddr).Port, name.(*syscall.SockaddrInet4).Port, "the accepted socket's")

	p1, p2 := net.Pipe()
	defer p1.Close()
	defer p2.Close()
	_, err = (&limitedConn{Conn: p1}).SyscallConn()
	assert.True(t, errors.Is(err, errors.ErrUnsupported))
}
