package recordstore_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/go-wsc/go-wsc/store/recordstore"
)

// BenchmarkP2P is what the store does for each message of bench/'s
// alone-p2p on a durable server, without the hub: the message's frame
// appended to its receiver's history, its record made (created and
// delivered at once, as the hub's Accepted makes it) and the record 10,000
// messages older evicted (the recorder's bound). 1,000 users; a durable
// barrier every 1,000 messages keeps the queue short. It reports the
// process's CPU per message and, on disk, the bytes the process wrote per
// message (/proc/self/io: the logs' share of a commit, bbolt's pages and
// meta included).
//
//	go test -run '^$' -bench P2P -benchtime 100000x ./store/recordstore
func BenchmarkP2P(b *testing.B) {
	engines := map[string]func() store.Engine{
		"memory": store.NewMemoryEngine,
		"bolt": func() store.Engine {
			e, err := bolt.Open(b.TempDir(), nil)
			if err != nil {
				b.Fatal(err)
			}
			return e
		},
	}
	for name, eng := range engines {
		b.Run(name, func(b *testing.B) {
			db, err := store.Open(eng(), store.Config{})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			rs, _, err := recordstore.New(db)
			if err != nil {
				b.Fatal(err)
			}
			done := make(chan error, 1)
			barrier := func() {
				db.ReadHistory("x", "", 1, func(_ []store.Entry, _ bool, err error) { done <- err })
				if err := <-done; err != nil {
					b.Fatal(err)
				}
			}
			id := func(i int) string { return fmt.Sprintf("3a43cf801a52d1e3-%x", i) }
			step := func(i int) {
				now := time.Now()
				from, to := fmt.Sprint("u", i%1000), fmt.Sprint("u", (i+1)%1000)
				m := &protocol.Message{ID: id(i), Type: protocol.TypeText, From: from, To: to,
					Content: strconv.Itoa(i) + `.1796129277035772391.she said "hi"` + "\n", CreateAt: now,
					SeqNo: int64(i/1000 + 1), Priority: protocol.PriorityNormal, Status: protocol.StatusSent}
				frame, err := protocol.Encode(m)
				if err != nil {
					b.Fatal(err)
				}
				db.AppendHistory(to, store.Entry{Msg: m, Data: frame})
				rec := &recorder.Record{ID: m.ID, Message: m, UserID: to, NodeID: "node-192.0.2.2-35105-1",
					Status: recorder.StatusSuccess, CreatedAt: now, UpdatedAt: now,
					History: []recorder.Transition{{To: recorder.StatusPending, At: now},
						{From: recorder.StatusPending, To: recorder.StatusSuccess, At: now}}}
				rs.Put(rec)
				if i >= 10_000 {
					rs.Delete(id(i - 10_000))
				}
				if i%1000 == 999 {
					barrier()
				}
			}
			for i := range 20_000 { // the bound reached: the steady state
				step(i)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0, w0 := cpuTime(), writtenBytes()
			for i := range b.N {
				step(20_000 + i)
			}
			barrier()
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/1000, "cpu-µs/msg")
			if name == "bolt" {
				b.ReportMetric(float64(writtenBytes()-w0)/float64(b.N), "disk-B/msg")
			}
		})
	}
}

// cpuTime is the process's user+system CPU.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// writtenBytes is what the process has sent to the storage layer
// (write_bytes of /proc/self/io; 0 where there is none).
func writtenBytes() int64 {
	f, err := os.Open("/proc/self/io")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "write_bytes: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// BenchmarkRecorderP2P is the records' part of bench/'s alone-p2p, the
// recorder included: the hub's batches of Accepted events (delivered at
// once, 32 a batch) to a recorder at its cap of 10,000, over this store on
// bolt ("disk") and over recorder.MemoryStore ("memory", -memory's), with
// the process's CPU per message, the store's writer included. The disk's
// cost is the difference of the two in one run.
//
//	go test -run '^$' -bench RecorderP2P -benchtime 200000x ./store/recordstore
func BenchmarkRecorderP2P(b *testing.B) {
	for _, disk := range []bool{true, false} {
		name := map[bool]string{true: "disk", false: "memory"}[disk]
		b.Run(name, func(b *testing.B) {
			cfg := recorder.Config{Enabled: true, NodeID: "node-192.0.2.2-35105-1"}
			var db *store.DB
			if disk {
				var err error
				if db, err = bolt.OpenStore(b.TempDir(), store.Config{}, nil); err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				rs, _, err := recordstore.New(db)
				if err != nil {
					b.Fatal(err)
				}
				cfg.Store = rs
			}
			sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
				return slog.New(slog.DiscardHandler)
			}))
			defer sys.Shutdown()
			r, err := recorder.New(sys, cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer r.Stop(context.Background())
			batch := r.NewBatch()
			msg := func(i int) *protocol.Message {
				return &protocol.Message{ID: fmt.Sprintf("3a43cf801a52d1e3-%x", i), Type: protocol.TypeText,
					From: fmt.Sprint("u", i%1000), To: fmt.Sprint("u", (i+1)%1000),
					Content: strconv.Itoa(i) + `.1796129277035772391.she said "hi"` + "\n", CreateAt: time.Now(),
					SeqNo: int64(i/1000 + 1), Priority: protocol.PriorityNormal, Status: protocol.StatusSent}
			}
			msgs := make([]*protocol.Message, 20_000+b.N)
			for i := range msgs {
				msgs[i] = msg(i)
			}
			send := func(from, to int) {
				for i := from; i < to; i++ {
					batch.Accepted(msgs[i], msgs[i].To, "", recorder.StatusSuccess, "")
					if i%32 == 31 {
						batch.Flush()
					}
				}
				batch.Flush()
				if _, err := r.Stats(context.Background()); err != nil { // after every event above
					b.Fatal(err)
				}
				if db != nil {
					done := make(chan error, 1)
					db.ReadHistory("x", "", 1, func(_ []store.Entry, _ bool, err error) { done <- err })
					if err := <-done; err != nil {
						b.Fatal(err)
					}
				}
			}
			send(0, 20_000) // the cap reached: the steady state
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 20_000; i < len(msgs); i += 5000 { // a barrier per 5,000: about a commit of alone-p2p
				send(i, min(i+5000, len(msgs)))
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/1000, "cpu-µs/msg")
		})
	}
}
