package load

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/go-wsc/go-wsc/bench/hubs"
	"github.com/gorilla/websocket"
)

// Traffic sizes a p2p or broadcast workload.
type Traffic struct {
	// Clients connected; p2p pairs client 2k with 2k+1, so it must be even.
	Clients int
	// Msgs is what each p2p client sends its partner, or the number of broadcasts.
	Msgs int
	// Payload is the content size in bytes; zero: just "<seq>.<nanos>" (~22 B).
	Payload int
	// SlowEvery makes every SlowEvery-th client one that never reads (100: 1%);
	// zero: none.
	SlowEvery int
	// SlowSndBuf is the server-side send buffer of slow clients' connections;
	// zero: 4096.
	SlowSndBuf int
	// Timeout bounds the traffic; a message not received by then is lost. Zero: 30 s.
	Timeout time.Duration
	// Drain bounds how long slow clients read after the traffic (they stop
	// earlier after 1 s without a message); zero: 5 s.
	Drain time.Duration
	// Stall ends the wait early when, after the last send, nothing has arrived
	// for this long (what is missing then is lost); zero: 3 s.
	Stall time.Duration
	// Window is how many messages a sender keeps in flight to a healthy
	// receiver (sent, not yet received) before it waits; for broadcast, the
	// average over the healthy receivers. Messages to slow clients are not
	// windowed. Zero: 64.
	Window int
	// Dial is how many connections are dialled at a time; zero: 64.
	Dial int
	// Rate paces each p2p sender at this many messages per second (the
	// window still applies); zero: as fast as the window allows.
	Rate float64
	// Callers is how many goroutines broadcast at once (each its share of
	// the sequence numbers, windowed together); zero: 1.
	Callers int
	// Chat adds a line of chat text with a quote and a newline (escaped in
	// JSON) to every message's content.
	Chat bool
	// OnTraffic, when set, is called (on its own goroutine) as the traffic
	// starts, once every client is connected: e.g. to profile the server.
	OnTraffic func()
}

func (t Traffic) withDefaults() Traffic {
	if t.SlowSndBuf == 0 {
		t.SlowSndBuf = 4096
	}
	if t.Timeout == 0 {
		t.Timeout = 30 * time.Second
	}
	if t.Drain == 0 {
		t.Drain = 5 * time.Second
	}
	if t.Stall == 0 {
		t.Stall = 3 * time.Second
	}
	if t.Dial == 0 {
		t.Dial = 64
	}
	if t.Window == 0 {
		t.Window = 64
	}
	if t.Callers == 0 {
		t.Callers = 1
	}
	return t
}

func (t Traffic) slow(i int) bool { return t.SlowEvery > 0 && i%t.SlowEvery == t.SlowEvery-1 }

// P2P: every client sends Msgs messages through the hub to its partner. A
// slow client reads nothing and sends nothing (a stalled peer; with its
// receive window shut, its own writes would stall in the kernel anyway), so
// its partner expects nothing and only sends, unwindowed.
func P2P(h hubs.Hub, t Traffic) (Result, error) {
	if t.Clients%2 != 0 {
		return Result{}, fmt.Errorf("bench: p2p needs an even number of clients, not %d", t.Clients)
	}
	t = t.withDefaults()
	expect := func(i int) int {
		if t.slow(i ^ 1) {
			return 0
		}
		return t.Msgs
	}
	return run(h, t, expect, func(conns []*websocket.Conn, rs []*receiver, _ *tally, deadline time.Time) {
		var wg sync.WaitGroup
		for i, c := range conns {
			if t.slow(i) {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = c.SetWriteDeadline(deadline)
				to, partner := hubs.UserID(i^1), rs[i^1]
				var buf []byte
				pace := newPacer(t.Rate, i, t.Clients)
				defer pace.stop()
				for seq := range t.Msgs {
					if !pace.wait(deadline) {
						return
					}
					if !t.slow(i^1) && !partner.await(seq, t.Window, t.Stall, deadline) {
						return
					}
					buf = frameTo(buf, to, seq, t.Payload, t.Chat)
					if c.WriteMessage(websocket.TextMessage, buf) != nil {
						return
					}
					partner.sent.Add(1)
				}
			}()
		}
		wg.Wait()
	})
}

// Broadcast: Callers senders (one by default) broadcast Msgs messages to
// every client, each sender its share of the sequence numbers.
func Broadcast(h hubs.Hub, t Traffic) (Result, error) {
	t = t.withDefaults()
	return run(h, t, func(int) int { return t.Msgs }, func(_ []*websocket.Conn, _ []*receiver, tl *tally, deadline time.Time) {
		healthy := int64(t.Clients)
		for i := range t.Clients {
			if t.slow(i) {
				healthy--
			}
		}
		var wg sync.WaitGroup
		for c := range t.Callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for seq := c; seq < t.Msgs; seq += t.Callers {
					if !tl.await(int64(seq-t.Window)*healthy, t.Stall, deadline) {
						return
					}
					if h.Broadcast(contentOf(seq, t.Payload, t.Chat)) != nil {
						return
					}
					tl.broadcasts.Add(1)
				}
			}()
		}
		wg.Wait()
	})
}

// run connects the clients, starts the healthy ones reading, runs send, waits
// for every expected message (client i expects expect(i)) or the deadline,
// drains the slow clients, and closes everything, the hub included.
func run(h hubs.Hub, t Traffic, expect func(int) int, send func([]*websocket.Conn, []*receiver, *tally, time.Time)) (res Result, err error) {
	t = t.withDefaults()
	defer h.Close()
	url, stopServer, err := serve(h, t.SlowSndBuf)
	if err != nil {
		return res, err
	}
	defer stopServer()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conns, _, err := dialAll(ctx, url, t.Clients, t.Dial, t.slow)
	if err != nil {
		return res, err
	}
	defer closeAll(conns) // before h.Close (defers run last first)
	if err := waitConnections(h, t.Clients, time.Minute); err != nil {
		return res, err
	}

	var healthy, slow []*receiver
	all := make([]*receiver, len(conns))
	waiting := 0
	for i, c := range conns {
		r := newReceiver(c, t.Msgs, expect(i))
		all[i] = r
		switch {
		case t.slow(i):
			slow = append(slow, r)
		default:
			healthy = append(healthy, r)
			if r.expected > 0 {
				waiting++
			}
		}
	}
	tl := newTally(waiting)
	waitReaders := startReceivers(healthy, tl)
	mem := startSampler()
	cpu := startCPU(h)
	if t.OnTraffic != nil {
		go t.OnTraffic()
	}
	t0 := time.Now()
	deadline := t0.Add(t.Timeout)
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		send(conns, all, tl, deadline)
	}()
	waitTraffic(tl, sent, deadline, t.Stall)
	<-sent // bounded: the writers' deadline is the traffic's
	res.HeapGrowthMB = mem.stop()
	serverCPU, cpuWall, cpuOK := cpu.stop()

	if len(slow) > 0 {
		res.Slow = drainSlow(slow, t.Drain)
	}
	closeAll(conns)
	waitReaders()

	res.Clients = t.Clients
	for _, r := range healthy {
		res.Expected += int64(r.expected)
	}
	res.Received, res.Dups = count(healthy)
	for _, r := range healthy {
		res.Frames += int64(r.frames)
	}
	res.Unsent = unsent(healthy, tl.broadcasts.Load())
	res.Lost = res.Expected - res.Unsent - res.Received
	var last int64
	for _, r := range healthy {
		last = max(last, r.last)
	}
	if last > 0 {
		res.Seconds = since(t0, last)
		res.Throughput = float64(res.Received) / res.Seconds
	}
	if cpuOK && res.Received > 0 {
		res.ServerCPUus = float64(serverCPU.Microseconds()) / float64(res.Received)
		res.ServerCores = serverCPU.Seconds() / cpuWall.Seconds()
	}
	res.P50ms, res.P99ms, res.MaxMs = latencies(healthy)
	res.PeakRSSMB = peakRSSMB(h)
	// Once every connection is gone, each hub has settled its accounts (go-wsc
	// hands the frames a closed session never wrote to the offline path then).
	_ = waitGone(h, 5*time.Second)
	if c, ok := h.(interface{ Counters() string }); ok {
		res.Note = c.Counters()
	}
	return res, nil
}

// unsent is what the healthy receivers expected that nobody sent them: the
// p2p partner's messages (sent) plus the broadcasts made (each to all).
func unsent(healthy []*receiver, broadcasts int64) int64 {
	var n int64
	for _, r := range healthy {
		n += max(0, int64(r.expected)-r.sent.Load()-broadcasts)
	}
	return n
}

// waitTraffic returns when every healthy receiver has all it expects, at the
// deadline, or when nothing has arrived for stall since sending ended.
func waitTraffic(tl *tally, sent <-chan struct{}, deadline time.Time, stall time.Duration) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	last, lastChange := tl.received.Load(), time.Now()
	for {
		select {
		case <-tl.done:
			return
		case now := <-tick.C:
			if now.After(deadline) {
				return
			}
			if n := tl.received.Load(); n != last {
				last, lastChange = n, now
				continue
			}
			select {
			case <-sent:
				if now.Sub(lastChange) >= stall {
					return
				}
			default:
			}
		}
	}
}

// drainSlow lets the slow clients read at last and reports what reached them.
func drainSlow(slow []*receiver, max time.Duration) *SlowReport {
	var wg sync.WaitGroup
	for _, r := range slow {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.drain(time.Second, max)
		}()
	}
	wg.Wait()
	rep := &SlowReport{Clients: len(slow), Closed: map[string]int{}}
	for _, r := range slow {
		rep.Expected += int64(r.expected)
		rep.Received += int64(r.n)
		if o := r.outcome(); o == "" {
			rep.Open++
		} else {
			rep.Closed[o]++
		}
	}
	return rep
}
