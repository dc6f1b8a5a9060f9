package load

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-wsc/go-wsc/bench/hubs"
	"github.com/gorilla/websocket"
)

// Acker is a hub that can send a message and wait for its client's ack.
type Acker interface {
	SendWithAck(user string, payload []byte) error
}

// Ack sizes the ACK round-trip workload.
type Ack struct {
	// Clients connected; each acks every message that requires it.
	Clients int
	// Msgs sent in all, round-robin over the clients, from Senders goroutines
	// that each wait for one ack before the next send.
	Msgs, Senders int
	// Timeout bounds the run; zero: 60 s.
	Timeout time.Duration
	// OnTraffic, when set, is called (on its own goroutine) as the sends
	// start, every client connected: e.g. to profile the server.
	OnTraffic func()
}

var (
	requireAck = []byte(`"require_ack":true`)
	idKey      = []byte(`{"id":"`)
)

// AckRoundTrip measures sends that wait for the receiver's ack over loopback:
// acknowledged messages per second and the send-to-ack latency; for a hub
// served by another process (alone-ack), also that process's CPU per
// acknowledged message.
func AckRoundTrip(h hubs.Hub, cfg Ack) (res Result, err error) {
	defer h.Close()
	acker, ok := h.(Acker)
	if !ok {
		return Result{Note: "n/a: no ack support"}, nil
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Minute
	}
	url, stop, err := serve(h, 0)
	if err != nil {
		return res, err
	}
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conns, _, err := dialAll(ctx, url, cfg.Clients, 64, nil)
	if err != nil {
		return res, err
	}
	defer closeAll(conns)
	if err := waitConnections(h, cfg.Clients, time.Minute); err != nil {
		return res, err
	}
	var readers sync.WaitGroup
	for _, c := range conns {
		readers.Add(1)
		go func() {
			defer readers.Done()
			autoAck(c)
		}()
	}

	per := cfg.Msgs / cfg.Senders
	lat := make([][]int64, cfg.Senders)
	var acked, failed atomic.Int64
	deadline := time.Now().Add(cfg.Timeout)
	if cfg.OnTraffic != nil {
		go cfg.OnTraffic()
	}
	cpu := startCPU(h)
	t0 := time.Now()
	var wg sync.WaitGroup
	for s := range cfg.Senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat[s] = make([]int64, 0, per)
			for k := range per {
				if time.Now().After(deadline) {
					failed.Add(int64(per - k))
					return
				}
				start := time.Now()
				if acker.SendWithAck(hubs.UserID((s*per+k)%cfg.Clients), []byte("ack me")) != nil {
					failed.Add(1)
					continue
				}
				lat[s] = append(lat[s], int64(time.Since(start)))
				acked.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	used, wall, measured := cpu.stop()
	closeAll(conns)
	readers.Wait()

	all := slices.Concat(lat...)
	slices.Sort(all)
	res.Clients, res.Senders = cfg.Clients, cfg.Senders
	res.Expected, res.Received, res.Lost = int64(per*cfg.Senders), acked.Load(), failed.Load()
	res.Seconds = elapsed.Seconds()
	res.Throughput = float64(res.Received) / res.Seconds
	if n := len(all); n > 0 {
		res.P50ms, res.P99ms, res.MaxMs = float64(all[n/2])/1e6, float64(all[(n-1)*99/100])/1e6, float64(all[n-1])/1e6
	}
	if measured && res.Received > 0 {
		res.ServerCPUus = float64(used.Microseconds()) / float64(res.Received)
		res.ServerCores = used.Seconds() / wall.Seconds()
	}
	res.PeakRSSMB = peakRSSMB(h)
	return res, nil
}

// autoAck reads c until it closes and acks every frame that requires it.
func autoAck(c *websocket.Conn) {
	var buf []byte
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			return
		}
		if !bytes.Contains(data, requireAck) || !bytes.HasPrefix(data, idKey) {
			continue
		}
		rest := data[len(idKey):]
		end := bytes.IndexByte(rest, '"')
		if end < 0 {
			continue
		}
		buf = append(append(append(buf[:0], `{"type":"ack","message_id":"`...), rest[:end]...), `"}`...)
		if c.WriteMessage(websocket.TextMessage, buf) != nil {
			return
		}
	}
}
