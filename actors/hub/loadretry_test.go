package hub_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharedBacklog is a store.DB that also loads a user's backlog from a store
// shared with other nodes (as store/jetstream does): far is what another
// node stored for the user; the first fails loads fail (a request
// unanswered). LoadOffline is called on the hub's mailbox only.
type sharedBacklog struct {
	*store.DB
	fails int
	far   map[string][]*protocol.Message
	loads chan error // each load's outcome
}

func (s *sharedBacklog) LoadOffline(user string, done store.Done) {
	if s.fails > 0 {
		s.fails--
		err := errors.New("request timed out")
		s.loads <- err
		go done(err)
		return
	}
	for _, m := range s.far[user] { // in this node's memory now
		if _, err := s.DB.PutOffline(user, store.Entry{Msg: m}, nil); err != nil {
			go done(err)
			return
		}
	}
	delete(s.far, user)
	s.loads <- nil
	go done(nil)
}

// A user's first connection here finds the shared store failing to load what
// other nodes stored for it: the hub pages what it has, asks again (twice
// here), and the other node's messages follow on the same connection. Before,
// they waited for the user's next first connection on this node.
func TestABacklogLoadThatFailedIsAskedAgain(t *testing.T) {
	db, err := store.OpenMemory(store.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() }) // after the hub's shutdown (cleanups run last first)
	st := &sharedBacklog{DB: db, fails: 2, loads: make(chan error, 16), far: map[string][]*protocol.Message{
		"u": {{ID: "far1", Content: "stored on another node"}, {ID: "far2", Content: "and another"}},
	}}
	h := newHub(t, hub.Config{Store: st})
	tr := newMem(8)
	connect(h, session.Identity{UserID: "u"}, tr)
	var outcomes []error
	for len(outcomes) < 3 {
		select {
		case err := <-st.loads:
			outcomes = append(outcomes, err)
		case <-time.After(30 * time.Second):
			t.Fatalf("loads of u's backlog: %v, and no more", outcomes)
		}
	}
	assert.Nil(t, outcomes[2], "failed twice, then loaded")
	var got []string
	for len(got) < 2 {
		if f := tr.next(t); f.Msg.Type != protocol.TypeWelcome {
			got = append(got, f.Msg.ID)
		}
	}
	assert.Equal(t, []string{"far1", "far2"}, got, "the other node's messages, on the connection that was there")
	s, err := h.Stats(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(2), s.StoreErrors, "each failed load counted")
}
