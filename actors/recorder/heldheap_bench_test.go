package recorder

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
)

// BenchmarkHeldRecords: what a recorder at its cap costs the garbage
// collector: the heap it must scan (/gc/scan/heap:bytes) and the live heap,
// per record held, with the messages the records keep (the hub's, decoded
// from a client's frame, are kept by their record alone) and, for
// comparison, the messages alone. Each cycle's marking is proportional to the
// scannable heap, and a message routed during a cycle waits on it.
func BenchmarkHeldRecords(b *testing.B) {
	const n = DefaultMaxRecords
	content := `a line of chat with "quotes" and a newline` + "\n"
	newMsgs := func() []*protocol.Message {
		msgs := make([]*protocol.Message, n)
		now := time.Now()
		for i := range msgs {
			msgs[i] = &protocol.Message{ID: fmt.Sprintf("node-1-%08d", i), Type: protocol.TypeText, From: fmt.Sprint("u", i%1000),
				To: fmt.Sprint("u", (i+1)%1000), Content: content, CreateAt: now, MsgID: fmt.Sprint("c-", i), SeqNo: int64(i)}
		}
		return msgs
	}
	heap := func() (scan, live uint64) {
		runtime.GC()
		s := []metrics.Sample{{Name: "/gc/scan/heap:bytes"}, {Name: "/gc/heap/live:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64(), s[1].Value.Uint64()
	}
	report := func(b *testing.B, scan0, live0, scan1, live1 uint64) {
		b.ReportMetric(float64(int64(scan1)-int64(scan0))/n, "scan-B/held")
		b.ReportMetric(float64(int64(live1)-int64(live0))/n, "live-B/held")
	}
	b.Run("messages", func(b *testing.B) {
		var scan0, live0, scan1, live1 uint64
		for b.Loop() {
			scan0, live0 = heap()
			msgs := newMsgs()
			scan1, live1 = heap()
			runtime.KeepAlive(msgs)
		}
		report(b, scan0, live0, scan1, live1)
	})
	b.Run("records", func(b *testing.B) {
		var scan0, live0, scan1, live1 uint64
		for b.Loop() {
			system := newSystem()
			r, err := New(system, Config{Enabled: true})
			if err != nil {
				b.Fatal(err)
			}
			batch := r.NewBatch()
			for _, m := range newMsgs()[:64] { // warm the batches up
				batch.Accepted(m, m.To, "", StatusSuccess, "")
			}
			batch.Flush()
			if _, err := r.Stats(context.Background()); err != nil {
				b.Fatal(err)
			}
			scan0, live0 = heap()
			for i, m := range newMsgs() {
				batch.Accepted(m, m.To, "", StatusSuccess, "")
				if i%32 == 31 {
					batch.Flush()
				}
			}
			batch.Flush()
			if _, err := r.Stats(context.Background()); err != nil {
				b.Fatal(err)
			}
			scan1, live1 = heap()
			if err := r.Stop(context.Background()); err != nil {
				b.Fatal(err)
			}
			system.Shutdown()
		}
		report(b, scan0, live0, scan1, live1)
	})
}
