package hub_test

import (
	"context"
	"errors"
	"testing"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failingDisk is a store whose offline writes for one user never become
// durable: PutOffline accepts them, then tells done of a disk error (the
// hub's mailbox is the only caller, so no lock is needed).
type failingDisk struct {
	*store.DB
	user string
}

func (s *failingDisk) PutOffline(user string, e store.Entry, done store.Done) ([]store.Dropped, error) {
	if user != s.user || done == nil {
		return s.DB.PutOffline(user, e, done)
	}
	dropped, err := s.DB.PutOffline(user, e, nil)
	if err == nil {
		go done(errors.New("disk on fire"))
	}
	return dropped, err
}

// A ticket message is answered once every write it needs is durable: when
// one member's offline write fails, the send fails (ErrStoreFailed), however
// many others succeed, and the failed copy is not kept as if accepted.
func TestATicketSendFailsWhenOneWriteFails(t *testing.T) {
	db, err := store.OpenMemory(store.Config{OfflinePerUser: 100, OfflineTotal: 100})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() }) // after the hub's shutdown (cleanups run last first)
	h := newHub(t, hub.Config{Store: &failingDisk{DB: db, user: "burnt"}})
	ctx := context.Background()
	for _, u := range []string{"fine", "burnt", "also-fine"} {
		require.NoError(t, h.JoinTicket(ctx, "T", u))
	}
	err = h.SendToTicket(ctx, "T", &protocol.Message{Content: "c"})
	assert.ErrorIs(t, err, hub.ErrStoreFailed)
	kept, err := h.OfflineMessages(ctx, "burnt")
	require.NoError(t, err)
	assert.Empty(t, kept, "not kept as if accepted")
}
