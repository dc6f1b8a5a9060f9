package recorder

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A flush of one event (a quiet hub) sends it as the plain event, each kind
// applied as the Recorder method would; the batch keeps its small slice, and
// a burst does not make the slices of later flushes big.
func TestBatchFlushesOneEventAlone(t *testing.T) {
	r := newRecorder(t, Config{})
	hooks := make(chan string, 16)
	r.OnStatusUpdated(func(rec Record, from, to Status) { hooks <- fmt.Sprint(rec.ID, " ", from, ">", to) })
	r.OnRetryAttempt(func(rec Record, n int) { hooks <- fmt.Sprint(rec.ID, " attempt ", n) })

	b := r.NewBatch()
	b.Accepted(message("m-1"), "u1", "", StatusSending, "")
	b.Flush()
	b.RetryAttempt("m-1", 1, "no ack")
	b.Flush()
	b.Status("m-1", StatusSuccess, "", "")
	b.Flush()
	for _, want := range []string{"m-1 pending>sending", "m-1 attempt 1", "m-1 sending>success"} {
		assert.Equal(t, want, recv(t, hooks))
	}
	rec, err := r.GetRecord(ctx(t), "m-1")
	require.NoError(t, err)
	assert.Equal(t, StatusSuccess, rec.Status)
	require.Len(t, rec.Attempts, 1)

	for i := range 100 {
		b.Status(fmt.Sprint("burst-", i), StatusSuccess, "", "")
	}
	b.Flush()
	b.Status("m-1", StatusSuccess, "", "")
	b.Status("m-1", StatusSuccess, "", "")
	b.Flush()
	assert.LessOrEqual(t, cap(b.events), 2, "the next slice is as big as the last batch, not the biggest")
}
