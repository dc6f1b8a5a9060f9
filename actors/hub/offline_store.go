package hub

import (
	"container/list"

	"github.com/go-wsc/go-wsc/protocol"
)

// OfflineStore keeps messages for users who have no connection. The hub calls it
// from its mailbox only, so implementations need no locks; a durable store
// should keep its calls short (a local write-ahead log, not a network round trip).
type OfflineStore interface {
	// Put keeps m for user and returns the messages it dropped to stay within its
	// bounds (oldest first), so the hub can record them. A message already kept
	// for user (same id: a retry, a resend) is kept once.
	Put(user string, m *protocol.Message) (dropped []Dropped)
	// Take removes and returns every message kept for user, oldest first.
	Take(user string) []*protocol.Message
	// Peek returns, without removing, the messages kept for user, oldest first.
	Peek(user string) []*protocol.Message
	// Len is the number of messages kept in all.
	Len() int
}

// Dropped is a message an OfflineStore evicted to stay within its bounds.
type Dropped struct {
	User string
	Msg  *protocol.Message
}

// MemoryOfflineStore is the default OfflineStore: in memory, bounded per user
// and in total; past a bound the oldest message (of that user, or of all) goes.
type MemoryOfflineStore struct {
	perUser, total int
	all            *list.List // of *storedMsg, oldest first, across users
	byUser         map[string][]*list.Element
	kept           map[storedKey]struct{}
}

type storedKey struct{ user, id string }

type storedMsg struct {
	user string
	msg  *protocol.Message
}

// NewMemoryOfflineStore makes a store bounded per user and in total.
func NewMemoryOfflineStore(perUser, total int) *MemoryOfflineStore {
	return &MemoryOfflineStore{perUser: perUser, total: total, all: list.New(), byUser: map[string][]*list.Element{},
		kept: map[storedKey]struct{}{}}
}

// Put implements OfflineStore.
func (s *MemoryOfflineStore) Put(user string, m *protocol.Message) []Dropped {
	key := storedKey{user, m.ID}
	if _, dup := s.kept[key]; dup && m.ID != "" {
		return nil
	}
	s.kept[key] = struct{}{}
	var dropped []Dropped
	if q := s.byUser[user]; len(q) >= s.perUser {
		dropped = append(dropped, s.removeOldestOf(user))
	}
	if s.all.Len() >= s.total {
		oldest := s.all.Front().Value.(*storedMsg)
		dropped = append(dropped, s.removeOldestOf(oldest.user))
	}
	s.byUser[user] = append(s.byUser[user], s.all.PushBack(&storedMsg{user: user, msg: m}))
	return dropped
}

// removeOldestOf drops user's oldest message; the global list keeps per-user
// order, so it is also that user's first element there.
func (s *MemoryOfflineStore) removeOldestOf(user string) Dropped {
	q := s.byUser[user]
	e := q[0]
	s.all.Remove(e)
	delete(s.kept, storedKey{user, e.Value.(*storedMsg).msg.ID})
	if len(q) == 1 {
		delete(s.byUser, user)
	} else {
		q[0] = nil
		s.byUser[user] = q[1:]
	}
	return Dropped{User: user, Msg: e.Value.(*storedMsg).msg}
}

// Take implements OfflineStore.
func (s *MemoryOfflineStore) Take(user string) []*protocol.Message {
	q := s.byUser[user]
	if len(q) == 0 {
		return nil
	}
	out := make([]*protocol.Message, len(q))
	for i, e := range q {
		out[i] = e.Value.(*storedMsg).msg
		s.all.Remove(e)
		delete(s.kept, storedKey{user, out[i].ID})
	}
	delete(s.byUser, user)
	return out
}

// Peek implements OfflineStore.
func (s *MemoryOfflineStore) Peek(user string) []*protocol.Message {
	q := s.byUser[user]
	out := make([]*protocol.Message, len(q))
	for i, e := range q {
		out[i] = e.Value.(*storedMsg).msg
	}
	return out
}

// Len implements OfflineStore.
func (s *MemoryOfflineStore) Len() int { return s.all.Len() }
