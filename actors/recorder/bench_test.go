package recorder

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
)

// BenchmarkRecorder records 100k messages per op, each with Created and three
// status updates (sending, retrying, success), from one goroutine as the hub
// would, and waits until the recorder has applied them all. It reports the
// time and allocations per message and the heap held per record.
func BenchmarkRecorder(b *testing.B) {
	const n = 100_000
	msgs := make([]*protocol.Message, n)
	now := time.Now()
	for i := range msgs {
		msgs[i] = &protocol.Message{
			ID: fmt.Sprintf("node-1-%08d", i), Type: protocol.TypeText, From: "alice", To: "bob",
			Content: "hello, this is a message of typical size", CreateAt: now, Priority: protocol.PriorityNormal,
		}
	}
	b.ReportAllocs()
	var heap, mallocs uint64
	for range b.N {
		b.StopTimer()
		system := newSystem()
		r, err := New(system, Config{Enabled: true, MaxRecords: n})
		if err != nil {
			b.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()

		for _, m := range msgs {
			r.Created(m, "bob", "")
			r.Status(m.ID, StatusSending, "", "")
			r.Status(m.ID, StatusRetrying, "", "")
			r.Status(m.ID, StatusSuccess, "", "")
		}
		st, err := r.Stats(context.Background()) // answered after every event above
		if err != nil || st.ByStatus[StatusSuccess] != n {
			b.Fatalf("stats %+v, %v", st, err)
		}

		b.StopTimer()
		runtime.ReadMemStats(&after)
		mallocs += after.Mallocs - before.Mallocs
		runtime.GC()
		runtime.ReadMemStats(&after)
		// The largest delta of the iterations: a previous iteration's
		// recorder freed during this one can only make a delta smaller.
		if after.HeapAlloc > before.HeapAlloc {
			heap = max(heap, after.HeapAlloc-before.HeapAlloc)
		}
		if err := r.Stop(context.Background()); err != nil {
			b.Fatal(err)
		}
		system.Shutdown()
		b.StartTimer()
	}
	records := float64(b.N * n)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/records, "ns/msg")
	b.ReportMetric(float64(mallocs)/records, "allocs/msg")
	b.ReportMetric(float64(heap)/n, "B/record")
}

// BenchmarkAcceptedAtCap is the hub's usual call, Accepted (created and
// delivered in one event), 100k messages into a recorder capped at the
// default 10,000 records: from the 10,001st on, every insert evicts.
func BenchmarkAcceptedAtCap(b *testing.B) {
	const n = 100_000
	msgs := make([]*protocol.Message, n)
	for i := range msgs {
		msgs[i] = &protocol.Message{ID: fmt.Sprintf("node-1-%08d", i), Type: protocol.TypeText, To: "bob", Content: "hello"}
	}
	b.ReportAllocs()
	for range b.N {
		b.StopTimer()
		system := newSystem()
		r, err := New(system, Config{Enabled: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, m := range msgs {
			r.Accepted(m, "bob", "", StatusSuccess, "")
		}
		st, err := r.Stats(context.Background())
		if err != nil || st.Evicted != n-DefaultMaxRecords {
			b.Fatalf("stats %+v, %v", st, err)
		}
		b.StopTimer()
		if err := r.Stop(context.Background()); err != nil {
			b.Fatal(err)
		}
		system.Shutdown()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/msg")
}
