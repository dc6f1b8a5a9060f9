package store

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Pending acks on disk: group user, key message id, value uvarint(attempt)
// followed by the message's JSON.

// PutPending implements Pending.
func (d *DB) PutPending(p PendingAck, done Done) error {
	if err := d.check("user", p.User); err != nil {
		return err
	}
	if p.Msg == nil {
		return ErrInvalid
	}
	if err := d.check("message id", p.Msg.ID); err != nil {
		return err
	}
	data, err := encode(p.Msg, p.Data)
	if err != nil {
		return err
	}
	val := binary.AppendUvarint(make([]byte, 0, len(data)+4), uint64(max(p.Attempt, 0)))
	val = append(val, data...)
	if err := d.w.room(int64(len(val))); err != nil {
		return err
	}
	user, id := []byte(p.User), []byte(p.Msg.ID)
	return d.w.enqueue(&op{urgent: done != nil, after: done, bytes: int64(len(val)),
		apply: func(tx Tx) error { return tx.Put(BucketPending, user, id, val) }})
}

// RemovePending implements Pending.
func (d *DB) RemovePending(user, id string, done Done) {
	if err := errors.Join(d.check("user", user), d.check("message id", id)); err != nil {
		if done != nil {
			done(err)
		}
		return
	}
	_ = d.w.enqueue(&op{urgent: done != nil, after: done,
		apply: func(tx Tx) error { return tx.Delete(BucketPending, []byte(user), []byte(id)) }})
}

// LoadPending implements Pending.
func (d *DB) LoadPending(fn func(PendingAck) bool) error {
	return d.w.wait(func(tx Tx) error {
		return tx.ScanAll(BucketPending, nil, func(group, key, val []byte) (bool, error) {
			attempt, n := binary.Uvarint(val)
			if n <= 0 {
				return false, fmt.Errorf("%w: pending entry %q of %q", ErrCorrupt, key, group)
			}
			data := append([]byte(nil), val[n:]...)
			m, err := decodeAt(BucketPending, string(group), data)
			if err != nil {
				return false, err
			}
			return fn(PendingAck{User: string(group), Entry: Entry{Msg: m, Data: data}, Attempt: int(attempt)}), nil
		})
	})
}
