package client

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// dialFunc is the shape of websocket.Dialer's NetDialContext.
type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// dial opens one connection, or returns ctx.Err() if ctx ended first, or a
// *DialError.
//
// gorilla's DialContext honours ctx only while the TCP connection is being
// made; during the HTTP upgrade it waits until HandshakeTimeout (45 s by
// default). A server that accepts and never answers would then hold Close
// and ConnectContext hostage. So dial runs on a copy of the dialer whose
// connections are closed as soon as ctx ends, which fails the handshake at
// once.
func (c *Wsc) dial(ctx context.Context) (*websocket.Conn, error) {
	var (
		mu    sync.Mutex
		stops []func() bool
	)
	watch := func(base dialFunc) dialFunc {
		return func(dctx context.Context, network, addr string) (net.Conn, error) {
			nc, err := base(dctx, network, addr)
			if err != nil {
				return nil, err
			}
			// Registered on our ctx, not dctx: gorilla cancels dctx (its
			// handshake timeout) when DialContext returns, even on success.
			stop := context.AfterFunc(ctx, func() { _ = nc.Close() })
			mu.Lock()
			stops = append(stops, stop)
			mu.Unlock()
			return nc, nil
		}
	}

	d := *c.dialer // a shallow copy: only the dial functions are replaced
	base := d.NetDialContext
	if base == nil {
		if nd := d.NetDial; nd != nil {
			base = func(_ context.Context, network, addr string) (net.Conn, error) { return nd(network, addr) }
		} else {
			base = (&net.Dialer{}).DialContext
		}
	}
	d.NetDialContext = watch(base)
	if d.NetDialTLSContext != nil {
		d.NetDialTLSContext = watch(d.NetDialTLSContext)
	}

	header, err := c.dialHeader(ctx)
	if err != nil {
		return nil, &DialError{Err: err}
	}
	conn, resp, err := d.DialContext(ctx, c.url, header)
	mu.Lock()
	cut := false
	for _, stop := range stops {
		if !stop() {
			cut = true // ctx ended and the net.Conn was closed under gorilla
		}
	}
	mu.Unlock()
	if err == nil && cut {
		_ = conn.Close()
		err = ctx.Err()
	}
	if err != nil {
		if err := stopped(ctx); err != nil {
			return nil, err
		}
		de := &DialError{Err: err}
		if resp != nil {
			de.StatusCode = resp.StatusCode
		}
		return nil, de
	}
	return conn, nil
}

// stopped returns ctx's error once it has ended. A passed deadline counts
// before ctx says so: gorilla turns the deadline into a socket deadline,
// whose timeout can be seen a moment before ctx's own timer fires, and that
// is a stop, not a failed dial.
func stopped(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}

// dialHeader is WithHeader's headers plus, when set, WithHeaderFunc's, made
// for this dial.
func (c *Wsc) dialHeader(ctx context.Context) (http.Header, error) {
	if c.headerFn == nil {
		return c.header, nil
	}
	more, err := c.headerFn(ctx)
	if err != nil {
		return nil, fmt.Errorf("wsc: WithHeaderFunc: %w", err)
	}
	h := c.header.Clone()
	if h == nil {
		h = http.Header{}
	}
	for k, v := range more {
		h[http.CanonicalHeaderKey(k)] = v
	}
	return h, nil
}
