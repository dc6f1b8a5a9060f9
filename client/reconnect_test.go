package client

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestReconnectAfterDropWithJitteredBackoff(t *testing.T) {
	const (
		minRec  = 40 * time.Millisecond
		maxRec  = 120 * time.Millisecond
		factor  = 2.0
		refused = 8
		// Scheduling under -race on a loaded machine: a dial seen late by the
		// server lengthens its gap (by 446 ms once at load 20). Uncapped, the
		// last waits would reach 1.3, 2.6, 5.1 and 10.2 s: all of them this
		// close to the 120 ms cap has a chance under one in a hundred, and
		// their sum would outlast the wait for the reconnection.
		slack = time.Second
	)
	dropped := make(chan time.Time, 1)
	s := newServer(t, func(s *wsServer, conn *websocket.Conn, n int) {
		if n == 0 {
			// Refuse the next dials, then crash the connection.
			s.refusing.Store(true)
			dropped <- time.Now()
			_ = conn.NetConn().Close()
			return
		}
		_ = s.collect(conn)
	})
	c := newTestClient(t, s.url(), NewDefaultConfig().WithMinRecTime(minRec).WithMaxRecTime(maxRec).WithRecFactor(factor))
	var rec recorder
	rec.watch(c)
	c.OnConnectError(func(error) {
		rec.add("connect-error")
		if rec.count("connect-error") == refused {
			s.refusing.Store(false)
		}
	})

	require.NoError(t, c.ConnectContext(context.Background()))
	rec.waitCount(t, "connected", 2)

	dials := s.dialTimes()
	require.Len(t, dials, 2+refused)
	// Gap k is the wait before redial k: from the drop to the first redial,
	// then between redials. Each time is taken before the client can see the
	// event it marks (the drop, the refusal of a dial), so a gap is never
	// shorter than the wait, however late the server runs.
	prev := recv(t, dropped)
	b := backoff{min: minRec, max: maxRec, factor: factor}
	var gaps []time.Duration
	for k, at := range dials[1:] {
		gap := at.Sub(prev)
		prev = at
		gaps = append(gaps, gap)
		assert.GreaterOrEqual(t, gap, minRec-2*time.Millisecond, "gap %d", k)
		assert.LessOrEqual(t, gap, b.ceiling(k)+slack, "gap %d", k)
	}
	spread := func() time.Duration {
		lo, hi := gaps[0], gaps[0]
		for _, g := range gaps {
			lo, hi = min(lo, g), max(hi, g)
		}
		return hi - lo
	}()
	assert.Greater(t, spread, 3*time.Millisecond, "jittered gaps %v", gaps)

	assert.Equal(t, refused, rec.count("connect-error"), "OnConnectError once per failed dial")
	assert.Equal(t, 1, rec.count("disconnected"))
	assert.False(t, c.Closed())
	require.NoError(t, c.SendTextMessage("back"))
	assert.Equal(t, "back", s.next(t))
}

func TestScriptedJitterShowsInDialTimes(t *testing.T) {
	// With the random source fixed, the measured waits follow it: proof that
	// the jitter is applied to real dials, not only computed. A gap is never
	// shorter than its wait (each dial time is taken before the client hears
	// the refusal), but may be longer on a loaded machine: the short wait is
	// told from the long ones by a margin of hundreds of milliseconds.
	const minRec, maxRec = 30 * time.Millisecond, 500 * time.Millisecond
	s := newServer(t, collectHandler)
	s.refusing.Store(true)
	c := newTestClient(t, s.url(), NewDefaultConfig().WithMinRecTime(minRec).WithMaxRecTime(maxRec).WithRecFactor(20))
	script := []float64{1, 0, 1} // waits: 500 ms, 30 ms, 500 ms
	c.rnd = func() float64 { v := script[0]; script = append(script[1:], v); return v }
	var rec recorder
	rec.watch(c)
	c.OnConnectError(func(error) {
		rec.add("connect-error")
		if rec.count("connect-error") == 4 {
			s.refusing.Store(false)
		}
	})
	require.NoError(t, c.ConnectContext(context.Background()))
	d := s.dialTimes()
	require.Len(t, d, 5)
	long1, short, long2 := d[1].Sub(d[0]), d[2].Sub(d[1]), d[3].Sub(d[2])
	assert.GreaterOrEqual(t, long1, maxRec)
	assert.GreaterOrEqual(t, short, minRec)
	assert.Less(t, short, maxRec-100*time.Millisecond, "%v %v", short, long1)
	assert.GreaterOrEqual(t, long2, maxRec)
}

func TestNoReconnectAfterTerminalCloseCode(t *testing.T) {
	for _, tc := range []struct {
		code      int
		reconnect bool
	}{
		{protocol.CloseNormal, false},
		{protocol.ClosePolicyViolation, false},
		{protocol.CloseReplaced, false},
		{protocol.CloseGoingAway, true},
		{protocol.CloseIdleTimeout, true},
	} {
		t.Run(protocol.CloseText(tc.code), func(t *testing.T) {
			s := newServer(t, func(s *wsServer, conn *websocket.Conn, n int) {
				if n == 0 {
					msg := websocket.FormatCloseMessage(tc.code, protocol.CloseText(tc.code))
					_ = conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
				}
				_ = s.collect(conn)
			})
			c := newTestClient(t, s.url(), fast())
			var rec recorder
			rec.watch(c)
			var cause error
			c.OnDisconnected(func(err error) { cause = err; rec.add("disconnected") })
			require.NoError(t, c.ConnectContext(context.Background()))
			rec.waitCount(t, "disconnected", 1)

			var ce *websocket.CloseError
			require.ErrorAs(t, cause, &ce)
			assert.Equal(t, tc.code, ce.Code)
			assert.Contains(t, rec.log(), "close:"+itoa(tc.code)+":"+protocol.CloseText(tc.code))
			if tc.reconnect {
				rec.waitCount(t, "connected", 2)
				assert.False(t, c.Closed())
				return
			}
			assert.True(t, c.Closed())
			require.ErrorIs(t, c.SendTextMessage("x"), ErrClose)
			require.ErrorIs(t, c.ConnectContext(context.Background()), ErrClose)
			// Several maximum backoffs pass without a dial.
			require.Never(t, func() bool { return s.dialCount() > 1 }, 200*time.Millisecond, tick)
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestNoReconnectAfterClose(t *testing.T) {
	serverSaw := make(chan *websocket.CloseError, 1)
	s := newServer(t, func(s *wsServer, conn *websocket.Conn, _ int) {
		err := s.collect(conn)
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			serverSaw <- ce
		}
	})
	c := newTestClient(t, s.url(), fast())
	var rec recorder
	rec.watch(c)
	var cause error
	c.OnDisconnected(func(err error) { cause = err; rec.add("disconnected") })
	require.NoError(t, c.ConnectContext(context.Background()))

	c.CloseWithMsg("done here")
	// Close waited: the callbacks have run.
	assert.Equal(t, []string{"connected", "close:1000:done here", "disconnected"}, rec.log())
	assert.ErrorIs(t, cause, ErrClose)
	ce := recv(t, serverSaw)
	assert.Equal(t, websocket.CloseNormalClosure, ce.Code)
	assert.Equal(t, "done here", ce.Text)
	assert.True(t, c.Closed())
	c.Close() // idempotent
	assert.Len(t, rec.log(), 3)
	require.Never(t, func() bool { return s.dialCount() > 1 }, 150*time.Millisecond, tick)
}

func TestAutoReconnectOffClosesOnLoss(t *testing.T) {
	s := newServer(t, func(s *wsServer, conn *websocket.Conn, _ int) { _ = conn.NetConn().Close() })
	c := newTestClient(t, s.url(), fast().WithAutoReconnect(false))
	var rec recorder
	rec.watch(c)
	require.NoError(t, c.ConnectContext(context.Background()))
	rec.waitCount(t, "disconnected", 1)
	require.Eventually(t, c.Closed, waitFor, tick)
	require.Never(t, func() bool { return s.dialCount() > 1 }, 100*time.Millisecond, tick)
}

func TestCloseDuringDialLoopReturnsQuickly(t *testing.T) {
	refusing := newServer(t, collectHandler)
	refusing.refusing.Store(true)

	for name, url := range map[string]string{
		"server refusing":     refusing.url(),
		"handshake hanging":   hangingListener(t),
		"nothing listening":   "ws://127.0.0.1:1/",
		"backoff of a minute": refusing.url(),
	} {
		t.Run(name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			cfg := fast()
			if name == "backoff of a minute" {
				cfg = NewDefaultConfig().WithMinRecTime(time.Minute)
			}
			c := New(url, WithConfig(cfg))
			var rec recorder
			rec.watch(c)
			connected := connectAsync(context.Background(), c)
			if name == "handshake hanging" {
				require.Eventually(t, func() bool { return c.currentState() == stateConnecting }, waitFor, tick)
			} else {
				rec.waitCount(t, "connect-error", 1)
			}

			done := c.currentLoopDone()
			start := time.Now()
			c.CloseWithMsg("stop")
			// Close stops waiting for the loop after 2·closeTimeout: the loop
			// must have ended by then, not be waiting out the minute's
			// backoff or the 45 s handshake timeout.
			assert.Less(t, time.Since(start), 2*closeTimeout)
			assertClosed(t, done, "the dial loop went on after Close")
			require.ErrorIs(t, recv(t, connected), ErrClose)
			assert.True(t, c.Closed())
			assert.Contains(t, rec.log(), "close:1000:stop")
			assert.NotContains(t, rec.log(), "disconnected", "never connected")
			goleak.VerifyNone(t, ignore)
		})
	}
}

func TestConnectContextCancel(t *testing.T) {
	t.Run("deadline during a hanging handshake", func(t *testing.T) {
		ignore := goleak.IgnoreCurrent()
		c := New(hangingListener(t), WithConfig(fast()))
		var rec recorder
		rec.watch(c)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := c.ConnectContext(ctx)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 5*time.Second, "gorilla alone would wait 45 s")
		assert.False(t, c.Closed(), "cancelling a connect does not close the client")
		assert.Empty(t, rec.log(), "a cancelled dial is not a connect error")
		goleak.VerifyNone(t, ignore)
		c.Close()
		assert.Equal(t, []string{"close:1000:"}, rec.log())
	})
	t.Run("cancel during backoff, then connect again", func(t *testing.T) {
		s := newServer(t, collectHandler)
		s.refusing.Store(true)
		ignore := goleak.IgnoreCurrent()
		c := newTestClient(t, s.url(), NewDefaultConfig().WithMinRecTime(time.Minute))
		var rec recorder
		rec.watch(c)
		ctx, cancel := context.WithCancel(context.Background())
		connected := connectAsync(ctx, c)
		rec.waitCount(t, "connect-error", 1)
		cancel()
		require.ErrorIs(t, recv(t, connected), context.Canceled)
		goleak.VerifyNone(t, ignore)

		s.refusing.Store(false)
		require.NoError(t, c.ConnectContext(context.Background()))
		require.NoError(t, c.SendTextMessage("hi"))
		assert.Equal(t, "hi", s.next(t))
	})
	t.Run("cancel after connecting changes nothing", func(t *testing.T) {
		s := newServer(t, collectHandler)
		c := newTestClient(t, s.url(), fast())
		ctx, cancel := context.WithCancel(context.Background())
		require.NoError(t, c.ConnectContext(ctx))
		cancel()
		require.NoError(t, c.SendTextMessage("after cancel"))
		assert.Equal(t, "after cancel", s.next(t))
		assert.True(t, c.IsConnected())
	})
}
