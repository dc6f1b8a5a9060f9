package hub_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lagging is a store whose sequence reservation lags: its next `busy` draws
// answer ErrSeqBusy (the hub's mailbox is the only caller).
type lagging struct {
	*store.DB
	busy int
}

func (s *lagging) NextSeq(stream string) (int64, error) {
	if s.busy > 0 {
		s.busy--
		return 0, store.ErrSeqBusy
	}
	return s.DB.NextSeq(stream)
}

// A send that meets a lagging reservation waits for it, again and again if
// need be (it is parked behind nothing, then parked again), and goes out
// with its number; the sends after it keep their order and numbers.
func TestASendWaitsOutALaggingReservation(t *testing.T) {
	h := newHub(t, hub.Config{Store: &lagging{DB: memStore(t), busy: 3}})
	tr := newMem(8)
	connect(h, session.Identity{UserID: "u"}, tr)
	online(t, h, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var last int64
	for i := range 3 {
		require.NoError(t, h.SendToUser(ctx, "u", &protocol.Message{Content: strconv.Itoa(i)}))
		f := tr.next(t)
		assert.Equal(t, strconv.Itoa(i), f.Msg.Content)
		assert.Greater(t, f.Msg.SeqNo, last)
		last = f.Msg.SeqNo
	}
}
