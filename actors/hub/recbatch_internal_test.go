package hub

import (
	"context"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// On a busy mailbox a lazy turn's events wait in the batch (that is the
// saving: one recorder message for many); the next eager turn, a message to
// the tracker, or recBatchMax events send them, in order.
func TestRecsGatherWhileBusy(t *testing.T) {
	sys := actors.NewSystem()
	rec, err := recorder.New(sys, recorder.Config{Enabled: true})
	require.NoError(t, err)
	defer func() {
		require.NoError(t, rec.Stop(context.Background()))
		sys.Shutdown()
	}()
	busy := 1
	r := newRecs(rec, func() int { return busy })
	has := func(id string) bool {
		_, err := rec.GetRecord(context.Background(), id)
		return err == nil
	}
	settled := func(id string, s recorder.Status) {
		t.Helper()
		require.Eventually(t, func() bool {
			got, err := rec.GetRecord(context.Background(), id)
			return err == nil && got.Status == s
		}, 5*time.Second, time.Millisecond)
	}

	r.begin(true)
	r.Accepted(&protocol.Message{ID: "a"}, "u", "", recorder.StatusSending, "")
	r.end()
	assert.Equal(t, 1, r.batch.Len(), "gathered while the mailbox has work")
	assert.False(t, has("a"))

	r.begin(false) // an eager turn: what was gathered goes first
	r.Status("a", recorder.StatusSuccess, "", "")
	r.end()
	settled("a", recorder.StatusSuccess)

	r.begin(true)
	r.Accepted(&protocol.Message{ID: "b"}, "u", "", recorder.StatusSending, "")
	r.flush() // as toTracker does
	settled("b", recorder.StatusSending)

	r.begin(true)
	for i := range recBatchMax {
		r.Accepted(&protocol.Message{ID: string(rune('A' + i))}, "u", "", recorder.StatusSuccess, "")
	}
	r.end()
	assert.Zero(t, r.batch.Len(), "a full batch goes even on a busy mailbox")
	settled(string(rune('A'+recBatchMax-1)), recorder.StatusSuccess)

	busy = 0
	r.begin(true)
	r.Accepted(&protocol.Message{ID: "c"}, "u", "", recorder.StatusSuccess, "")
	r.end()
	assert.Zero(t, r.batch.Len(), "an empty mailbox sends at once")
	settled("c", recorder.StatusSuccess)
}
