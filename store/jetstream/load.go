package jetstream

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/nats-io/nats.go"
)

// How a node sees the offline messages other nodes store: at Open it reads
// the whole stream into its mirror; after that its mirror grows with its own
// puts only. LoadOffline(user) reads user's subject again and merges it in:
// the messages other nodes stored appear, the ones other nodes delivered
// (deleted) leave. The hub calls it when a user's first connection registers
// on this node, and pages the backlog once its done hears nil.

// loaded is one user's backlog as a LoadOffline read it.
type loaded struct {
	user    string
	horizon uint64 // the stream's last sequence before the read: any message at or below it that was kept is in ents
	ents    []*offEntry
}

// loadState is a user's LoadOffline in flight (owner goroutine).
type loadState struct {
	n    int                 // loads in flight
	gone map[string]struct{} // ids removed meanwhile: not to come back
}

// LoadOffline reads user's offline messages from the stream (those any node
// stored and none has deleted) and merges them into the mirror; done hears
// when PeekOffline shows them. Owner goroutine; done runs on a goroutine of
// the store and must not block.
func (st *Store) LoadOffline(user string, done store.Done) {
	if err := st.check("user", user); err != nil {
		if done != nil {
			done(err)
		}
		return
	}
	ls := st.loading[user]
	if ls == nil {
		ls = &loadState{gone: map[string]struct{}{}}
		st.loading[user] = ls
	}
	ls.n++
	subj := st.n.offSubj + token(user)
	_ = st.s.enqueue(&op{read: func(ctx context.Context) {
		l := &loaded{user: user}
		err := retryNoResponders(ctx, func() error {
			*l = loaded{user: user}
			return st.readUser(ctx, subj, l)
		})
		st.inboxMu.Lock()
		if err != nil {
			l.ents, l.horizon = nil, 0 // merges nothing, but ends the load
		}
		st.inbox = append(st.inbox, l)
		st.inboxMu.Unlock()
		if done != nil {
			done(err)
		}
	}, after: func(err error) { // only after a close: the read never ran
		if err != nil && done != nil {
			done(err)
		}
	}})
}

// retryNoResponders runs fn again while it fails with no responder for a
// JetStream request (a leader election under way, which a loaded cluster
// has now and then), until ctx ends. A load that failed so would page a
// user's first connection without what the other nodes stored until the
// hub's next try, a backoff later.
func retryNoResponders(ctx context.Context, fn func() error) error {
	for {
		err := fn()
		if !errors.Is(err, nats.ErrNoResponders) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// readUser reads one user's subject into l, deleting later copies of a
// message kept twice.
func (st *Store) readUser(ctx context.Context, subj string, l *loaded) error {
	seen := map[string]bool{}
	var dups []uint64
	horizon, err := st.readSubject(ctx, st.off, subj, func(m rawMsg) error {
		ent, err := st.entry(l.user, m)
		if err != nil {
			return err
		}
		if seen[ent.Msg.ID] {
			dups = append(dups, m.seq)
			return nil
		}
		seen[ent.Msg.ID] = true
		l.ents = append(l.ents, ent)
		return nil
	})
	l.horizon = horizon
	for _, seq := range dups {
		_ = st.off.DeleteMsg(ctx, seq)
	}
	return err
}

// entry decodes a stream message of user's subject.
func (st *Store) entry(user string, m rawMsg) (*offEntry, error) {
	data := append([]byte(nil), m.data...)
	msg, err := protocol.Decode(data)
	if err != nil || msg.ID == "" {
		return nil, fmt.Errorf("%w: offline message %d of %q: %v", store.ErrCorrupt, m.seq, user, err)
	}
	ent := &offEntry{user: user, size: int64(len(data) + len(user)), Entry: store.Entry{Msg: msg, Data: data}}
	ent.seq.Store(m.seq)
	return ent, nil
}

// drain merges the backlogs LoadOffline read (owner goroutine, at the start
// of every Offline method).
func (st *Store) drain() {
	st.inboxMu.Lock()
	in := st.inbox
	st.inbox = nil
	st.inboxMu.Unlock()
	for _, l := range in {
		st.merge(l)
	}
}

// merge: the mirror's messages of l.user that the stream no longer holds
// (delivered or evicted by another node) leave; the ones it holds that the
// mirror lacks come in, unless removed here since the load began.
func (st *Store) merge(l *loaded) {
	ls := st.loading[l.user]
	gone := map[string]struct{}{}
	if ls != nil {
		gone = ls.gone
		if ls.n--; ls.n == 0 {
			delete(st.loading, l.user)
		}
	}
	m := st.mir
	in := make(map[string]bool, len(l.ents))
	for _, e := range l.ents {
		in[e.Msg.ID] = true
	}
	if u := m.users[l.user]; u != nil {
		for _, el := range append([]*list.Element(nil), u.q...) {
			e := el.Value.(*offEntry)
			if seq := e.seq.Load(); seq != 0 && seq <= l.horizon && !in[e.Msg.ID] {
				m.remove(el)
			}
		}
	}
	var removed []*offEntry
	for _, e := range l.ents {
		if _, g := gone[e.Msg.ID]; g {
			removed = append(removed, e) // removed here while the read ran: off the stream too
			continue
		}
		if m.ids[offKey{l.user, e.Msg.ID}] != nil {
			continue
		}
		m.add(e)
	}
	m.sortUser(l.user)
	if len(removed) > 0 {
		_ = st.s.enqueue(st.deleteOp(removed, nil))
	}
}

// loadAll reads the whole offline stream into the mirror (Open).
func (st *Store) loadAll(ctx context.Context) error {
	var dups []uint64
	_, err := st.readSubject(ctx, st.off, st.n.offSubj+">", func(msg rawMsg) error {
		user, err := untoken(strings.TrimPrefix(msg.subj, st.n.offSubj))
		if err != nil {
			return fmt.Errorf("%w: offline subject %q", store.ErrCorrupt, msg.subj)
		}
		ent, err := st.entry(user, msg)
		if err != nil {
			return err
		}
		if st.mir.ids[offKey{user, ent.Msg.ID}] != nil { // kept twice (a put retried): once is enough
			dups = append(dups, msg.seq)
			return nil
		}
		st.mir.add(ent)
		return nil
	})
	for _, seq := range dups {
		_ = st.off.DeleteMsg(ctx, seq)
	}
	return err
}
