package hub_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// slowHistory is a store whose history reads answer only once the test lets
// them: a resume the ring cannot answer is then still waiting for the store
// while the test sends. read says a read has started.
type slowHistory struct {
	*store.DB
	read    chan struct{}
	release chan struct{}
}

func (s *slowHistory) ReadHistory(user, after string, n int, done func([]store.Entry, bool, error)) {
	s.DB.ReadHistory(user, after, n, func(msgs []store.Entry, found bool, err error) {
		go func() { // not on the store's goroutine: the store goes on meanwhile
			<-s.release
			done(msgs, found, err)
		}()
	})
	s.read <- struct{}{}
}

// A connection that resumes from the store's history (the ring is empty
// after a restart) gets nothing before that history: live messages sent while
// the store is read, and the offline backlog, wait behind it, in order.
func TestAResumeFromTheStoreHoldsEverythingElse(t *testing.T) {
	t.Run("live", func(t *testing.T) {
		assert.Equal(t, []string{"h1", "h2", "h3", "live"}, resumeFromTheStore(t, 0),
			"the resumed history, then live")
	})
	t.Run("offline and live", func(t *testing.T) {
		assert.Equal(t, []string{"h1", "h2", "h3", "o0", "o1", "live"}, resumeFromTheStore(t, 2),
			"the resumed history, then the offline backlog, then live")
	})
}

// resumeFromTheStore sends r four messages (h0…h3) on a first hub, then, on a
// second one on the same store, stores `offline` messages for r (o0…),
// connects r resuming after h0 and, while the store's history is being read,
// sends one live message; it returns what the connection got, in order.
func resumeFromTheStore(t *testing.T, offline int) []string {
	db := memStore(t) // outlives both hubs: the restart keeps its history
	ctx := context.Background()
	start := func(cfg hub.Config) (*hub.Hub, func()) {
		sys := actors.NewSystem()
		h, err := hub.New(sys, cfg)
		require.NoError(t, err)
		return h, func() {
			sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			require.NoError(t, h.Shutdown(sctx))
			sys.Shutdown()
		}
	}

	h, stop := start(hub.Config{Store: db})
	tr := newMem(16)
	connect(h, session.Identity{UserID: "r"}, tr)
	online(t, h, 1)
	var ids []string
	for i := range 4 {
		require.NoError(t, h.SendToUser(ctx, "r", &protocol.Message{Content: "h" + strconv.Itoa(i)}))
		ids = append(ids, tr.next(t).Msg.ID)
	}
	stop()

	held := &slowHistory{DB: db, read: make(chan struct{}, 1), release: make(chan struct{})}
	h, stop = start(hub.Config{Store: held})
	t.Cleanup(stop)
	release := sync.OnceFunc(func() { close(held.release) })
	// runs before stop: a failed test leaves no read waiting
	t.Cleanup(release)
	// stored for r: its offline backlog
	for i := range offline {
		require.ErrorIs(t, h.SendToUser(ctx, "r", &protocol.Message{Content: "o" + strconv.Itoa(i)}), hub.ErrUserOffline)
	}
	tr = newMem(16)
	connect(h, session.Identity{UserID: "r", LastEventID: ids[0]}, tr)
	<-held.read // the ring knows nothing of ids[0]: the store is read
	require.NoError(t, h.SendToUser(ctx, "r", &protocol.Message{Content: "live"}))
	release()

	var got []string
	for range 3 + offline + 1 {
		got = append(got, tr.next(t).Msg.Content)
	}
	return got
}
