package load

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/go-wsc/go-wsc/bench/hubs"
	"github.com/gorilla/websocket"
)

// slowRcvBuf is a slow client's receive buffer: small, like a stalled peer's window.
const slowRcvBuf = 4096

// dialOne connects user to the server at url; slow clients dial from SlowIP
// with a small receive buffer.
func dialOne(ctx context.Context, url, user string, slow bool) (*websocket.Conn, error) {
	d := websocket.Dialer{ReadBufferSize: 1024, WriteBufferSize: 1024, HandshakeTimeout: 10 * time.Second}
	if slow {
		d.NetDialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			nd := net.Dialer{LocalAddr: &net.TCPAddr{IP: SlowIP}}
			c, err := nd.DialContext(ctx, network, addr)
			if err == nil {
				_ = c.(*net.TCPConn).SetReadBuffer(slowRcvBuf)
			}
			return c, err
		}
	}
	sep := "?"
	if strings.Contains(url, "?") { // the hub asks for a query of its own (wsc-server-batch: batch=1)
		sep = "&"
	}
	c, resp, err := d.DialContext(ctx, url+sep+"user_id="+user, nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	return c, err
}

// dialAll connects users 0..n-1 (slow(i) says which dial as slow), conc at a
// time, and returns the connections and the connect rate. On error it closes
// what it opened.
func dialAll(ctx context.Context, url string, n, conc int, slow func(int) bool) ([]*websocket.Conn, float64, error) {
	conns := make([]*websocket.Conn, n)
	errs := make(chan error, conc)
	next := make(chan int)
	var wg sync.WaitGroup
	t0 := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c, err := dialOne(ctx, url, hubs.UserID(i), slow != nil && slow(i))
				if err != nil {
					select {
					case errs <- fmt.Errorf("dial %s: %w", hubs.UserID(i), err):
					default:
					}
					continue
				}
				conns[i] = c
			}
		}()
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-errs:
			break feed
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	rate := float64(n) / time.Since(t0).Seconds()
	var err error
	select {
	case err = <-errs:
	default:
		err = ctx.Err()
	}
	if err == nil {
		for _, c := range conns {
			if c == nil {
				err = fmt.Errorf("bench: a connection was not made")
				break
			}
		}
	}
	if err != nil {
		closeAll(conns)
		return nil, 0, err
	}
	return conns, rate, nil
}

func closeAll(conns []*websocket.Conn) {
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
}

// waitConnections polls until h has registered n connections.
func waitConnections(h hubs.Hub, n int, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		got := h.Connections()
		if got >= n {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("bench: hub registered %d of %d connections within %v", got, n, within)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitGone polls until h has no connection left.
func waitGone(h hubs.Hub, within time.Duration) error {
	deadline := time.Now().Add(within)
	for h.Connections() > 0 {
		if time.Now().After(deadline) {
			return fmt.Errorf("bench: %d connections left after %v", h.Connections(), within)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}
