package recorder

import (
	"context"
	"fmt"
	"runtime/metrics"
	"testing"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The recorder's mailbox runs on a goroutine of its own (actors.OwnGoroutine):
// events that each find it idle, as after most of the hub's turns, start no
// goroutine (protoactor's default starts one per run).
func TestTheRecorderStartsNoGoroutinePerRun(t *testing.T) {
	r := newRecorder(t, Config{})
	ctx := context.Background()
	created := func() uint64 {
		s := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	const n = 200
	before := created()
	for i := range n {
		id := fmt.Sprint("m", i)
		r.Accepted(&protocol.Message{ID: id, Content: "hi"}, "u", "", StatusSuccess, "")
		_, err := r.GetRecord(ctx, id) // the recorder has run, and is idle again
		require.NoError(t, err)
	}
	assert.Less(t, created()-before, uint64(n/4), "goroutines started for %d runs", n)
}
