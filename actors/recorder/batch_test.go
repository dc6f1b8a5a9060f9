package recorder

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-wsc/go-wsc/protocol"
)

// A batch applies nothing until Flush, then everything in order, with the
// hooks each event would have fired alone.
func TestBatchAppliesInOrderOnFlush(t *testing.T) {
	r := newRecorder(t, Config{})
	hooks := make(chan string, 16)
	r.OnStatusUpdated(func(rec Record, from, to Status) { hooks <- fmt.Sprint(rec.ID, " ", from, ">", to) })
	r.OnRetryAttempt(func(rec Record, n int) { hooks <- fmt.Sprint(rec.ID, " attempt ", n) })

	b := r.NewBatch()
	b.Accepted(message("m-1"), "u1", "", StatusSending, "")
	b.Accepted(message("m-2"), "u1", "", StatusUserOffline, ReasonUserOffline)
	b.Status("m-1", StatusRetrying, ReasonAckTimeout, "")
	b.RetryAttempt("m-1", 1, "no ack")
	b.Status("m-1", StatusSuccess, "", "")
	b.Status("nobody", StatusSuccess, "", "")
	require.Equal(t, 6, b.Len())

	_, err := r.GetRecord(ctx(t), "m-1")
	require.ErrorIs(t, err, ErrRecordNotFound, "nothing is sent before Flush")

	b.Flush()
	assert.Equal(t, 0, b.Len())
	r.Status("m-2", StatusSuccess, "", "") // a single event after the batch comes after it
	for _, want := range []string{
		"m-1 pending>sending", "m-2 pending>user_offline", "m-1 sending>retrying",
		"m-1 attempt 1", "m-1 retrying>success", "m-2 user_offline>success",
	} {
		assert.Equal(t, want, recv(t, hooks))
	}
	rec, err := r.GetRecord(ctx(t), "m-1")
	require.NoError(t, err)
	assert.Equal(t, StatusSuccess, rec.Status)
	var path []Status
	for _, tr := range rec.History {
		path = append(path, tr.To)
	}
	assert.Equal(t, []Status{StatusPending, StatusSending, StatusRetrying, StatusSuccess}, path)
	require.Len(t, rec.Attempts, 1)
	assert.Equal(t, "no ack", rec.Attempts[0].Err)

	st, err := r.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, 2, st.ByStatus[StatusSuccess])
	assert.Equal(t, uint64(1), st.Ignored, "the unknown id")

	b.Flush() // empty: nothing to send
}

func TestBatchOfDisabledRecorderDoesNothing(t *testing.T) {
	for _, r := range []*Recorder{nil, {}} {
		b := r.NewBatch()
		b.Accepted(message("m-1"), "u1", "", StatusSuccess, "")
		b.Status("m-1", StatusFailed, ReasonUnknown, "x")
		b.RetryAttempt("m-1", 1, "")
		assert.Equal(t, 0, b.Len())
		b.Flush()
	}
}

// BenchmarkBatch: the hub's Accepted plus one Status per message, as single
// events or gathered 32 at a time, into a recorder at its cap.
func BenchmarkBatch(b *testing.B) {
	const n = 100_000
	msgs := make([]*protocol.Message, n)
	for i := range msgs {
		msgs[i] = &protocol.Message{ID: fmt.Sprintf("node-1-%08d", i), Type: protocol.TypeText, To: "bob", Content: "hello"}
	}
	for _, batched := range []bool{false, true} {
		b.Run(fmt.Sprintf("batched=%v", batched), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				b.StopTimer()
				system := newSystem()
				r, err := New(system, Config{Enabled: true})
				if err != nil {
					b.Fatal(err)
				}
				batch := r.NewBatch()
				b.StartTimer()
				for i, m := range msgs {
					if batched {
						batch.Accepted(m, "bob", "", StatusSending, "")
						batch.Status(m.ID, StatusSuccess, "", "")
						if i%32 == 31 {
							batch.Flush()
						}
						continue
					}
					r.Accepted(m, "bob", "", StatusSending, "")
					r.Status(m.ID, StatusSuccess, "", "")
				}
				batch.Flush()
				if st, err := r.Stats(context.Background()); err != nil || st.ByStatus[StatusSuccess] != DefaultMaxRecords {
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
		})
	}
}
