package jetstream_test

import (
	"fmt"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	wscjs "github.com/go-wsc/go-wsc/store/jetstream"
	"github.com/go-wsc/go-wsc/store/storetest"
	"github.com/nats-io/nats.go"
)

// The workloads of store/bolt's benchmarks, driven as the hub drives a
// store: one owner goroutine, 64 writes outstanding, Done callbacks back
// over a channel. "r1" is one server, "r3" three servers in a cluster with
// three replicas; the servers run in this process, so cpu-µs/op is the
// client's and the servers' CPU together.
//
//	go test -run '^$' -bench . -benchtime 5000x ./store/jetstream
const inFlight = 64

func backends(b *testing.B) map[string]func() (*nats.Conn, int) {
	return map[string]func() (*nats.Conn, int){
		"r1": func() (*nats.Conn, int) { return connect(b, shared(b).ClientURL()), 1 },
		"r3": func() (*nats.Conn, int) {
			c := startCluster(b, 3)
			return connect(b, c.srv[0].ClientURL(), c.srv[1].ClientURL(), c.srv[2].ClientURL()), 3
		},
	}
}

type event struct {
	user, id string
	start    time.Time
	err      error
}

// BenchmarkAck: put a pending message (durable); on its Done, remove it
// (the ack, written behind; it waits for the puts before it).
func BenchmarkAck(b *testing.B) {
	for name, be := range backends(b) {
		b.Run(name, func(b *testing.B) {
			benchLoop(b, be, func(s *wscjs.Store, i int, done store.Done) error {
				return s.PutPending(store.PendingAck{User: fmt.Sprint("u", i%1000), Entry: store.Entry{Msg: storetest.Msg(fmt.Sprint("m", i), "hello")}}, done)
			}, func(s *wscjs.Store, ev event) { s.RemovePending(ev.user, ev.id, nil) })
		})
	}
}

// BenchmarkOffline: put messages for 200 users (durable); every 100 durable
// puts, page one user's backlog out and remove it.
func BenchmarkOffline(b *testing.B) {
	for name, be := range backends(b) {
		b.Run(name, func(b *testing.B) {
			n := 0
			benchLoop(b, be, func(s *wscjs.Store, i int, done store.Done) error {
				_, err := s.PutOffline(fmt.Sprint("u", i%200), store.Entry{Msg: storetest.Msg(fmt.Sprint("m", i), "hello")}, done)
				return err
			}, func(s *wscjs.Store, ev event) {
				if n++; n%100 == 0 {
					page := s.PeekOffline(ev.user, "", 100)
					ids := make([]string, len(page))
					for i, e := range page {
						ids[i] = e.Msg.ID
					}
					s.RemoveOffline(ev.user, ids, nil)
				}
			})
		})
	}
}

func benchLoop(b *testing.B, be func() (*nats.Conn, int), put func(*wscjs.Store, int, store.Done) error, onDurable func(*wscjs.Store, event)) {
	nc, replicas := be()
	s := openStore(b, nc, wscjs.Options{Prefix: prefix(), Replicas: replicas,
		Config: store.Config{OfflinePerUser: 1 << 20, OfflineTotal: 1 << 20, OfflineTotalBytes: 1 << 30, OfflinePerUserBytes: 1 << 30}})
	events := make(chan event, inFlight)
	lat := make([]time.Duration, 0, b.N)
	outstanding := 0
	handle := func(ev event) {
		if ev.err != nil {
			b.Fatal(ev.err)
		}
		lat = append(lat, time.Since(ev.start))
		outstanding--
		onDurable(s, ev)
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for outstanding >= inFlight {
			handle(<-events)
		}
		ev := event{user: fmt.Sprint("u", i%1000), id: fmt.Sprint("m", i), start: time.Now()}
		if err := put(s, i, func(err error) { ev.err = err; events <- ev }); err != nil {
			b.Fatal(err)
		}
		outstanding++
	}
	for outstanding > 0 {
		handle(<-events)
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/1000, "cpu-µs/op")
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// cpuTime is the process's user+system CPU.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
