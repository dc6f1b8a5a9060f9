package jetstream

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Offline messages: stream <PREFIX>_OFFLINE, subject <prefix>.off.<user>,
// the message's JSON as the payload; one stream message per stored message,
// deleted (DeleteMsg, by stream sequence) when delivered or evicted.

// PutOffline implements store.Offline. done hears the PubAck: the message
// is on a quorum's disk.
func (st *Store) PutOffline(user string, e store.Entry, done store.Done) ([]store.Dropped, error) {
	st.drain()
	if err := st.check("user", user); err != nil {
		return nil, err
	}
	if e.Msg == nil || e.Msg.ID == "" || len(e.Msg.ID) > st.opts.MaxKey {
		return nil, store.ErrInvalid
	}
	m, cfg := st.mir, st.opts.Config
	if m.ids[offKey{user, e.Msg.ID}] != nil {
		// kept already: done hears when the writes before are acknowledged
		return nil, st.s.enqueue(&op{after: done})
	}
	data := e.Data
	if data == nil {
		var err error
		if data, err = protocol.Encode(e.Msg); err != nil {
			return nil, err
		}
	}
	e.Data = data
	size := int64(len(data) + len(user))
	if size > cfg.OfflinePerUserBytes || size > cfg.OfflineTotalBytes {
		return nil, store.ErrTooLarge
	}
	if err := st.s.room(size); err != nil {
		return nil, err
	}
	// how many of user's oldest go for the per-user bounds, then whether the
	// total bounds still need the oldest of all (as store.DB does)
	u := m.users[user]
	evictOwn, freed := 0, int64(0)
	if u != nil {
		for len(u.q)-evictOwn >= cfg.OfflinePerUser || u.bytes-freed+size > cfg.OfflinePerUserBytes {
			freed += u.q[evictOwn].Value.(*offEntry).size
			evictOwn++
		}
	}
	if cfg.RefuseWhenFull && (m.all.Len()-evictOwn >= cfg.OfflineTotal || m.bytes-freed+size > cfg.OfflineTotalBytes) {
		return nil, store.ErrFull
	}
	var dropped []*offEntry
	for range evictOwn {
		dropped = append(dropped, m.remove(m.users[user].q[0]))
	}
	for m.all.Len() >= cfg.OfflineTotal || m.bytes+size > cfg.OfflineTotalBytes {
		dropped = append(dropped, m.remove(m.all.Front()))
	}
	ent := &offEntry{user: user, size: size, Entry: e}
	m.add(ent)
	if ls := st.loading[user]; ls != nil {
		delete(ls.gone, e.Msg.ID) // stored again after a remove: the load must not forget it
	}
	out := make([]store.Dropped, len(dropped))
	for i, x := range dropped {
		out[i] = store.Dropped{User: x.user, Msg: x.Msg}
		st.noteGone(x)
	}
	err := st.s.enqueue(&op{msg: &nats.Msg{Subject: st.n.offSubj + token(user), Data: data}, stream: st.n.offStream, after: done, bytes: size,
		acked: func(a *jetstream.PubAck) { ent.seq.Store(a.Sequence) }})
	if err == nil && len(dropped) > 0 {
		_ = st.s.enqueue(st.deleteOp(dropped, nil))
	}
	return out, err
}

// deleteOp deletes ents from the stream once every earlier write is
// acknowledged (so each put's sequence is known). A message already gone
// (another node delivered it) is not an error.
func (st *Store) deleteOp(ents []*offEntry, done store.Done) *op {
	return &op{after: done, run: func(ctx context.Context) error {
		// DeleteMsg is a request: deleting a page of 100 one after the other
		// would hold every write behind it for 100 round trips
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			errs []error
			sem  = make(chan struct{}, parallelDeletes)
		)
		for _, e := range ents {
			seq := e.seq.Load()
			if seq == 0 { // its put failed: nothing on the server
				continue
			}
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				if err := st.off.DeleteMsg(ctx, seq); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) && !isNoMsg(err) {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		return errors.Join(errs...)
	}}
}

// parallelDeletes bounds the DeleteMsg requests of one op in flight at once.
const parallelDeletes = 32

// isNoMsg: JetStream's answer to deleting a message that is not there.
func isNoMsg(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode == jetstream.JSErrCodeMessageNotFound || apiErr.Code == 404 || apiErr.ErrorCode == 10057)
}

// PeekOffline implements store.Offline: the mirror, never the network.
func (st *Store) PeekOffline(user, after string, n int) []store.Entry {
	st.drain()
	m := st.mir
	u := m.users[user]
	if u == nil || n <= 0 {
		return nil
	}
	start := 0
	if after != "" {
		if el := m.ids[offKey{user, after}]; el != nil {
			start = slices.Index(u.q, el) + 1
		}
	}
	end := min(start+n, len(u.q))
	out := make([]store.Entry, 0, end-start)
	for _, el := range u.q[start:end] {
		out = append(out, el.Value.(*offEntry).Entry)
	}
	return out
}

// RemoveOffline implements store.Offline. The deletes are sent once every
// earlier write is acknowledged; done hears when they are.
func (st *Store) RemoveOffline(user string, ids []string, done store.Done) {
	st.drain()
	var gone []*offEntry
	for _, id := range ids {
		if el := st.mir.ids[offKey{user, id}]; el != nil {
			ent := st.mir.remove(el)
			gone = append(gone, ent)
			st.noteGone(ent)
		} else if ls := st.loading[user]; ls != nil {
			ls.gone[id] = struct{}{} // may be in the backlog a load is reading
		}
	}
	if len(gone) == 0 && done == nil {
		return
	}
	_ = st.s.enqueue(st.deleteOp(gone, done))
}

// noteGone tells a load of ent's user in flight that ent left meanwhile.
func (st *Store) noteGone(ent *offEntry) {
	if ls := st.loading[ent.user]; ls != nil {
		ls.gone[ent.Msg.ID] = struct{}{}
	}
}

// OfflineLen implements store.Offline: what the mirror holds.
func (st *Store) OfflineLen(user string) (int, int64) {
	st.drain()
	if user == "" {
		return st.mir.all.Len(), st.mir.bytes
	}
	if u := st.mir.users[user]; u != nil {
		return len(u.q), u.bytes
	}
	return 0, 0
}
