package load

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/go-wsc/go-wsc/bench/hubs"
)

// Inproc sizes the in-process routing workload.
type Inproc struct {
	// Users registered, each with one connection that only counts frames.
	Users int
	// Msgs sent in all, spread over Senders goroutines.
	Msgs    int
	Senders int
	// Wait uses the hub's confirmed send (go-wsc's facade, which waits for the
	// hub's answer) instead of fire-and-forget; hubs without one are skipped.
	Wait bool
	// Timeout bounds the run; zero: 60 s.
	Timeout time.Duration
}

// Routing measures SendToUser with no sockets: time and allocations per
// message until every frame has reached its connection's writer.
func Routing(hub string, cfg Inproc) (res Result, err error) {
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Minute
	}
	r, err := hubs.NewRouter(hub, cfg.Users)
	if err != nil {
		return res, err
	}
	if r == nil {
		return Result{Note: "n/a: no socket-free path"}, nil
	}
	defer r.Close()
	waiter, _ := r.(interface{ SendWait(string, []byte) error })
	if cfg.Wait && waiter == nil {
		return Result{Note: "n/a: no confirmed send"}, nil
	}
	users := make([]string, cfg.Users)
	for i := range users {
		users[i] = hubs.UserID(i)
	}
	payload := []byte("hello")
	per := cfg.Msgs / cfg.Senders
	total := int64(per * cfg.Senders)

	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	start := r.Delivered() + r.Dropped()
	t0 := time.Now()
	var wg sync.WaitGroup
	var sendErr error
	var errOnce sync.Once
	for s := range cfg.Senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range per {
				u := users[(s*per+k)%len(users)]
				if !cfg.Wait {
					r.Send(u, payload)
					continue
				}
				if err := waiter.SendWait(u, payload); err != nil {
					errOnce.Do(func() { sendErr = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	deadline := t0.Add(cfg.Timeout)
	for r.Delivered()+r.Dropped()-start < total && time.Now().Before(deadline) {
		time.Sleep(20 * time.Microsecond) // waiting for the queues to drain
	}
	elapsed := time.Since(t0)
	runtime.ReadMemStats(&m1)
	if sendErr != nil {
		return res, fmt.Errorf("bench: routing: %w", sendErr)
	}
	delivered := r.Delivered() - start
	res.Clients, res.Senders = cfg.Users, cfg.Senders
	res.Expected, res.Received = total, min(delivered, total)
	res.Lost = total - res.Received
	res.Seconds = elapsed.Seconds()
	res.Throughput = float64(res.Received) / res.Seconds
	res.NsPerOp = float64(elapsed.Nanoseconds()) / float64(total)
	res.AllocsPerOp = float64(m1.Mallocs-m0.Mallocs) / float64(total)
	res.BytesPerOp = float64(m1.TotalAlloc-m0.TotalAlloc) / float64(total)
	return res, nil
}
