package jetstream

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
)

// Pending acks: bucket <PREFIX>_PENDING, key <node>.<user>.<id>, value
// uvarint(attempt) then the message's JSON (as store.DB writes it).

func (st *Store) pendingKey(node, user, id string) string {
	return token(node) + "." + token(user) + "." + token(id)
}

// PutPending implements store.Pending: done hears the PubAck.
func (st *Store) PutPending(p store.PendingAck, done store.Done) error {
	if err := st.check("user", p.User); err != nil {
		return err
	}
	if p.Msg == nil {
		return store.ErrInvalid
	}
	if err := st.check("message id", p.Msg.ID); err != nil {
		return err
	}
	data := p.Data
	if data == nil {
		var err error
		if data, err = protocol.Encode(p.Msg); err != nil {
			return err
		}
	}
	val := binary.AppendUvarint(make([]byte, 0, len(data)+4), uint64(max(p.Attempt, 0)))
	val = append(val, data...)
	if err := st.s.room(int64(len(val))); err != nil {
		return err
	}
	return st.s.enqueue(put(st.n.pending, st.pendingKey(st.opts.NodeID, p.User, p.Msg.ID), val, done))
}

// RemovePending implements store.Pending. It is sent once every earlier
// write is acknowledged: the hub's "offline first, then out of pending"
// holds across the two streams.
func (st *Store) RemovePending(user, id string, done store.Done) {
	st.removePending(st.opts.NodeID, user, id, done)
}

// RemovePendingOf removes a pending ack that node kept (after TakeOverPending).
func (st *Store) RemovePendingOf(node, user, id string, done store.Done) {
	if err := st.check("node", node); err != nil {
		if done != nil {
			done(err)
		}
		return
	}
	st.removePending(node, user, id, done)
}

func (st *Store) removePending(node, user, id string, done store.Done) {
	if err := errors.Join(st.check("user", user), st.check("message id", id)); err != nil {
		if done != nil {
			done(err)
		}
		return
	}
	_ = st.s.enqueue(st.purge(st.n.pending, st.pendingKey(node, user, id), done))
}

// LoadPending implements store.Pending: this node's pending acks (NodeID).
func (st *Store) LoadPending(fn func(store.PendingAck) bool) error {
	return st.loadPendingOf(st.opts.NodeID, fn)
}

// TakeOverPending calls fn for every pending ack node kept: a live node
// takes over the messages of a node that died for good (the hub's node
// expiry). Put each in the offline store, then RemovePendingOf.
func (st *Store) TakeOverPending(node string, fn func(store.PendingAck) bool) error {
	if err := st.check("node", node); err != nil {
		return err
	}
	return st.loadPendingOf(node, fn)
}

func (st *Store) loadPendingOf(node string, fn func(store.PendingAck) bool) error {
	return st.s.wait(func(ctx context.Context) error {
		return st.readKV(ctx, st.n.pending, token(node)+".>", func(key string, val []byte) (bool, error) {
			p, err := decodePending(key, val)
			if err != nil {
				return false, err
			}
			return fn(p), nil
		})
	})
}

func decodePending(key string, val []byte) (store.PendingAck, error) {
	parts := strings.Split(key, ".")
	bad := func(why any) (store.PendingAck, error) {
		return store.PendingAck{}, fmt.Errorf("%w: pending entry %q: %v", store.ErrCorrupt, key, why)
	}
	if len(parts) != 3 {
		return bad("key")
	}
	user, err := untoken(parts[1])
	if err != nil {
		return bad(err)
	}
	attempt, n := binary.Uvarint(val)
	if n <= 0 {
		return bad("attempt")
	}
	data := append([]byte(nil), val[n:]...)
	m, err := protocol.Decode(data)
	if err != nil {
		return bad(err)
	}
	return store.PendingAck{User: user, Entry: store.Entry{Msg: m, Data: data}, Attempt: int(attempt)}, nil
}
