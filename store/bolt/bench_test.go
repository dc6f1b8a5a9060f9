package bolt_test

import (
	"fmt"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/go-wsc/go-wsc/store/storetest"
)

// The DB's own workloads, driven as the hub drives them: one owner goroutine
// makes every call and never waits; durable callbacks come back over a
// channel (the hub's mailbox). inFlight writes are outstanding at a time, as
// if that many senders each waited for "accepted".
//
//	go test -run '^$' -bench . -benchtime 20000x ./store/bolt
const inFlight = 64

func engines(b *testing.B) map[string]func() store.Engine {
	return map[string]func() store.Engine{
		"memory": store.NewMemoryEngine,
		"bolt": func() store.Engine {
			e, err := bolt.Open(b.TempDir(), nil)
			if err != nil {
				b.Fatal(err)
			}
			return e
		},
	}
}

type event struct {
	user, id string
	start    time.Time
	err      error
}

// BenchmarkAck: put a pending message (durable), and on its callback remove
// it (the ack, written behind).
func BenchmarkAck(b *testing.B) {
	for name, eng := range engines(b) {
		b.Run(name, func(b *testing.B) {
			benchLoop(b, eng(), func(db *store.DB, i int, done store.Done) error {
				return db.PutPending(store.PendingAck{User: fmt.Sprint("u", i%1000), Entry: store.Entry{Msg: storetest.Msg(fmt.Sprint("m", i), "hello")}}, done)
			}, func(db *store.DB, ev event) { db.RemovePending(ev.user, ev.id, nil) })
		})
	}
}

// BenchmarkOffline: put messages for 200 users (durable); every 100 durable
// puts, page one user's backlog out and remove it (written behind).
func BenchmarkOffline(b *testing.B) {
	for name, eng := range engines(b) {
		b.Run(name, func(b *testing.B) {
			n := 0
			benchLoop(b, eng(), func(db *store.DB, i int, done store.Done) error {
				_, err := db.PutOffline(fmt.Sprint("u", i%200), store.Entry{Msg: storetest.Msg(fmt.Sprint("m", i), "hello")}, done)
				return err
			}, func(db *store.DB, ev event) {
				if n++; n%100 == 0 {
					page := db.PeekOffline(ev.user, "", 100)
					ids := make([]string, len(page))
					for i, e := range page {
						ids[i] = e.Msg.ID
					}
					db.RemoveOffline(ev.user, ids, nil)
				}
			})
		})
	}
}

func benchLoop(b *testing.B, eng store.Engine, put func(*store.DB, int, store.Done) error, onDurable func(*store.DB, event)) {
	db, err := store.Open(eng, store.Config{OfflinePerUser: 1 << 20, OfflineTotal: 1 << 20, OfflineTotalBytes: 1 << 30, OfflinePerUserBytes: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	events := make(chan event, inFlight)
	lat := make([]time.Duration, 0, b.N)
	outstanding := 0
	handle := func(ev event) {
		if ev.err != nil {
			b.Fatal(ev.err)
		}
		lat = append(lat, time.Since(ev.start))
		outstanding--
		onDurable(db, ev)
	}
	commits := db.Stats().Commits
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for outstanding >= inFlight {
			handle(<-events)
		}
		ev := event{user: fmt.Sprint("u", i%1000), id: fmt.Sprint("m", i), start: time.Now()}
		if err := put(db, i, func(err error) { ev.err = err; events <- ev }); err != nil {
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
	b.ReportMetric(float64(b.N)/float64(db.Stats().Commits-commits), "ops/commit")
}

// cpuTime is the process's user+system CPU: on a shared machine it holds
// still where throughput and latency do not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkHistory: the hub's history appends (written behind, the frame's
// bytes at hand) for 1,000 users round-robin, each history past its bound of
// 64; a durable barrier every 1,000 appends keeps the queue short, so the
// time per op is the writer's cost of an append (its share of a segment).
func BenchmarkHistory(b *testing.B) {
	for name, eng := range engines(b) {
		b.Run(name, func(b *testing.B) {
			db, err := store.Open(eng(), store.Config{})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			users := make([]string, 1000)
			for i := range users {
				users[i] = fmt.Sprint("u", i)
			}
			msg := storetest.Msg("m", "hello")
			data := []byte(`{"id":"m","type":"text","from":"system","content":"hello","create_at":"2023-11-14T22:13:20Z"}`)
			done := make(chan error, 1)
			barrier := func() {
				db.JoinTicket("t", "x", func(err error) { done <- err })
				if err := <-done; err != nil {
					b.Fatal(err)
				}
			}
			for i := range 64 * len(users) { // every history full: the steady state
				db.AppendHistory(users[i%len(users)], store.Entry{Msg: msg, Data: data})
				if i%1000 == 999 {
					barrier()
				}
			}
			barrier()
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := range b.N {
				db.AppendHistory(users[i%len(users)], store.Entry{Msg: msg, Data: data})
				if i%1000 == 999 {
					barrier()
				}
			}
			barrier()
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/1000, "cpu-µs/op")
		})
	}
}

// BenchmarkRecords: the recorder's records as the hub writes them (written
// behind): a new record of about 600 bytes per message under an id that
// grows, and the record 10,000 messages older deleted (the recorder's bound);
// a durable barrier every 1,000 keeps the queue short, so the time per op is
// the writer's cost of a record.
func BenchmarkRecords(b *testing.B) {
	for name, eng := range engines(b) {
		b.Run(name, func(b *testing.B) {
			db, err := store.Open(eng(), store.Config{})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			rec := []byte(fmt.Sprintf(`{"ID":"x","Status":"sent","Message":{"content":"%0500d"}}`, 0))
			done := make(chan error, 1)
			barrier := func() {
				db.ReadHistory("x", "", 1, func(_ []store.Entry, _ bool, err error) { done <- err })
				if err := <-done; err != nil {
					b.Fatal(err)
				}
			}
			id := func(i int) string { return fmt.Sprintf("0123456789abcdef-%08d", i) }
			step := func(i int) {
				db.PutRecord(id(i), func() ([]byte, error) { return rec, nil })
				if i >= 10_000 {
					db.DeleteRecord(id(i - 10_000))
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
			cpu0 := cpuTime()
			for i := range b.N {
				step(20_000 + i)
			}
			barrier()
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/1000, "cpu-µs/op")
		})
	}
}

// BenchmarkHistoryRead: a resume the hub's ring cannot answer, read from a
// log of 200,000 messages to 10,000 users (about 20 MB, segments of 1,000):
// "recent" resumes from the user's second-to-last message (the usual case
// after a restart: the scan stops at the newest segments), "unknown" from
// an id the history does not hold (the scan goes back the whole log).
func BenchmarkHistoryRead(b *testing.B) {
	for name, eng := range engines(b) {
		db, err := store.Open(eng(), store.Config{})
		if err != nil {
			b.Fatal(err)
		}
		msg := storetest.Msg("m", "hello")
		data := []byte(fmt.Sprintf(`{"id":"m","type":"text","from":"system","content":"%040d","create_at":"2023-11-14T22:13:20Z"}`, 0))
		type res struct {
			n     int
			found bool
			err   error
		}
		ch := make(chan res, 1)
		read := func(user, after string) res {
			db.ReadHistory(user, after, 64, func(es []store.Entry, found bool, err error) { ch <- res{len(es), found, err} })
			return <-ch
		}
		const users, msgs = 10_000, 200_000
		for i := range msgs {
			m := *msg
			m.ID = fmt.Sprint("m", i)
			db.AppendHistory(fmt.Sprint("u", i%users), store.Entry{Msg: &m, Data: data})
			if i%1000 == 999 {
				read("x", "")
			}
		}
		user, last := fmt.Sprint("u", (msgs-1)%users), fmt.Sprint("m", msgs-1-users)
		for kind, after := range map[string]string{"recent": last, "unknown": "nope"} {
			b.Run(name+"/"+kind, func(b *testing.B) {
				cpu0 := cpuTime()
				for range b.N {
					r := read(user, after)
					if r.err != nil || r.found != (kind == "recent") || (r.found && r.n != 1) {
						b.Fatalf("%+v", r)
					}
				}
				b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/1000, "cpu-µs/op")
			})
		}
		_ = db.Close()
	}
}
