package jetstream

import (
	"container/list"
	"slices"
	"sync/atomic"

	"github.com/go-wsc/go-wsc/store"
)

// The mirror: the offline messages this node knows of, in memory, so that
// PeekOffline and OfflineLen never wait for the network. Per user in stream
// order, and all users' in one list (its front is the oldest of all) for the
// total bound. Owned by the owner goroutine, except seq, which the sender
// writes when the PubAck comes.

type offEntry struct {
	user string
	size int64
	store.Entry
	seq atomic.Uint64 // stream sequence; 0 until the PubAck (or a failed put)
}

type offUser struct {
	q     []*list.Element // of *offEntry, oldest first
	bytes int64
}

type offKey struct{ user, id string }

type mirror struct {
	all   *list.List
	users map[string]*offUser
	ids   map[offKey]*list.Element
	bytes int64

	count, size atomic.Int64 // copies of all.Len() and bytes, for Stats
}

func newMirror() *mirror {
	return &mirror{all: list.New(), users: map[string]*offUser{}, ids: map[offKey]*list.Element{}}
}

// add appends ent to the lists.
func (m *mirror) add(ent *offEntry) {
	u := m.users[ent.user]
	if u == nil {
		u = &offUser{}
		m.users[ent.user] = u
	}
	el := m.all.PushBack(ent)
	u.q = append(u.q, el)
	u.bytes += ent.size
	m.bytes += ent.size
	m.ids[offKey{ent.user, ent.Msg.ID}] = el
	m.stats()
}

// remove takes el out of the lists and returns its entry.
func (m *mirror) remove(el *list.Element) *offEntry {
	ent := el.Value.(*offEntry)
	u := m.users[ent.user]
	if i := slices.Index(u.q, el); i == 0 { // the usual case: delivered oldest first
		u.q[0] = nil
		u.q = u.q[1:]
	} else if i > 0 {
		u.q = slices.Delete(u.q, i, i+1)
	}
	u.bytes -= ent.size
	if len(u.q) == 0 {
		delete(m.users, ent.user)
	}
	m.all.Remove(el)
	m.bytes -= ent.size
	if m.ids[offKey{ent.user, ent.Msg.ID}] == el {
		delete(m.ids, offKey{ent.user, ent.Msg.ID})
	}
	m.stats()
	return ent
}

func (m *mirror) stats() {
	m.count.Store(int64(m.all.Len()))
	m.size.Store(m.bytes)
}

// sortUser puts user's queue in stream order (a load merges older messages
// in); entries still waiting for their PubAck stay last, in put order.
func (m *mirror) sortUser(user string) {
	u := m.users[user]
	if u == nil {
		return
	}
	key := func(el *list.Element) uint64 {
		if s := el.Value.(*offEntry).seq.Load(); s != 0 {
			return s
		}
		return ^uint64(0)
	}
	slices.SortStableFunc(u.q, func(a, b *list.Element) int {
		ka, kb := key(a), key(b)
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
}
