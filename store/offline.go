package store

import (
	"container/list"
	"encoding/binary"
	"slices"
	"sync/atomic"
)

// The offline messages in memory: per user in arrival order, and all users'
// in one list for the total bound (its front is the oldest of all). Owned by
// the DB's owner goroutine; on disk each is a key be64(arrival) in its user's
// group, so that a restart rebuilds both orders.

type offEntry struct {
	user    string
	arrival uint64
	size    int64
	Entry
}

type offUser struct {
	q     []*list.Element // of *offEntry, oldest first
	bytes int64
}

type offKey struct{ user, id string }

type offline struct {
	all   *list.List
	users map[string]*offUser
	ids   map[offKey]*list.Element // messages with an id, for de-duplication
	bytes int64
	next  uint64 // next arrival number

	count, size atomic.Int64 // copies of all.Len() and bytes, for Stats
}

func newOffline() *offline {
	return &offline{all: list.New(), users: map[string]*offUser{}, ids: map[offKey]*list.Element{}, next: 1}
}

// PutOffline implements Offline.
func (d *DB) PutOffline(user string, e Entry, done Done) ([]Dropped, error) {
	if err := d.check("user", user); err != nil {
		return nil, err
	}
	if e.Msg == nil || len(e.Msg.ID) > d.cfg.MaxKey {
		return nil, ErrInvalid
	}
	o := d.off
	if el := o.ids[offKey{user, e.Msg.ID}]; el != nil {
		// kept already: done hears when that write is durable (writes are in order)
		return nil, d.w.enqueue(&op{after: done, urgent: done != nil})
	}
	data, err := encode(e.Msg, e.Data)
	if err != nil {
		return nil, err
	}
	e.Data = data
	size := int64(len(data) + len(user))
	if size > d.cfg.OfflinePerUserBytes || size > d.cfg.OfflineTotalBytes {
		return nil, ErrTooLarge
	}
	if err := d.w.room(size); err != nil {
		return nil, err
	}
	// How many of user's oldest go for the per-user bounds, then whether the
	// total bounds still need the oldest of all.
	u := o.users[user]
	evictOwn, freed := 0, int64(0)
	if u != nil {
		for len(u.q)-evictOwn >= d.cfg.OfflinePerUser || u.bytes-freed+size > d.cfg.OfflinePerUserBytes {
			freed += u.q[evictOwn].Value.(*offEntry).size
			evictOwn++
		}
	}
	overTotal := func() bool {
		return o.all.Len() >= d.cfg.OfflineTotal || o.bytes+size > d.cfg.OfflineTotalBytes
	}
	if d.cfg.RefuseWhenFull && (o.all.Len()-evictOwn >= d.cfg.OfflineTotal || o.bytes-freed+size > d.cfg.OfflineTotalBytes) {
		return nil, ErrFull
	}
	var dropped []*offEntry
	for range evictOwn {
		dropped = append(dropped, o.remove(o.users[user].q[0]))
	}
	for overTotal() {
		dropped = append(dropped, o.remove(o.all.Front()))
	}
	ent := &offEntry{user: user, arrival: o.next, size: size, Entry: e}
	o.next++
	o.add(ent)
	out := make([]Dropped, len(dropped))
	for i, x := range dropped {
		out[i] = Dropped{User: x.user, Msg: x.Msg}
	}
	return out, d.w.enqueue(&op{urgent: done != nil, after: done, bytes: size, apply: func(tx Tx) error {
		for _, x := range dropped {
			if err := tx.Delete(BucketOffline, []byte(x.user), be64(x.arrival)); err != nil {
				return err
			}
		}
		return tx.Put(BucketOffline, []byte(user), be64(ent.arrival), data)
	}})
}

// add appends ent to the lists (arrival order is append order).
func (o *offline) add(ent *offEntry) {
	u := o.users[ent.user]
	if u == nil {
		u = &offUser{}
		o.users[ent.user] = u
	}
	el := o.all.PushBack(ent)
	u.q = append(u.q, el)
	u.bytes += ent.size
	o.bytes += ent.size
	if ent.Msg.ID != "" {
		o.ids[offKey{ent.user, ent.Msg.ID}] = el
	}
	o.count.Store(int64(o.all.Len()))
	o.size.Store(o.bytes)
}

// remove takes el out of the lists and returns its entry.
func (o *offline) remove(el *list.Element) *offEntry {
	ent := el.Value.(*offEntry)
	u := o.users[ent.user]
	if i := slices.Index(u.q, el); i == 0 { // the usual case: delivered oldest first
		u.q[0] = nil
		u.q = u.q[1:]
	} else if i > 0 {
		u.q = slices.Delete(u.q, i, i+1)
	}
	u.bytes -= ent.size
	if len(u.q) == 0 {
		delete(o.users, ent.user)
	}
	o.all.Remove(el)
	o.bytes -= ent.size
	if ent.Msg.ID != "" && o.ids[offKey{ent.user, ent.Msg.ID}] == el {
		delete(o.ids, offKey{ent.user, ent.Msg.ID})
	}
	o.count.Store(int64(o.all.Len()))
	o.size.Store(o.bytes)
	return ent
}

// PeekOffline implements Offline.
func (d *DB) PeekOffline(user, after string, n int) []Entry {
	u := d.off.users[user]
	if u == nil || n <= 0 {
		return nil
	}
	start := 0
	if after != "" {
		if el := d.off.ids[offKey{user, after}]; el != nil {
			start = slices.Index(u.q, el) + 1
		}
	}
	end := min(start+n, len(u.q))
	out := make([]Entry, 0, end-start)
	for _, el := range u.q[start:end] {
		out = append(out, el.Value.(*offEntry).Entry)
	}
	return out
}

// RemoveOffline implements Offline.
func (d *DB) RemoveOffline(user string, ids []string, done Done) {
	var gone []uint64
	for _, id := range ids {
		if el := d.off.ids[offKey{user, id}]; el != nil {
			gone = append(gone, d.off.remove(el).arrival)
		}
	}
	if len(gone) == 0 && done == nil {
		return
	}
	_ = d.w.enqueue(&op{urgent: done != nil, after: done, apply: func(tx Tx) error {
		for _, a := range gone {
			if err := tx.Delete(BucketOffline, []byte(user), be64(a)); err != nil {
				return err
			}
		}
		return nil
	}})
}

// OfflineLen implements Offline.
func (d *DB) OfflineLen(user string) (int, int64) {
	if user == "" {
		return d.off.all.Len(), d.off.bytes
	}
	if u := d.off.users[user]; u != nil {
		return len(u.q), u.bytes
	}
	return 0, 0
}

// load rebuilds the lists from disk (Open, on the writer goroutine while the
// owner waits).
func (o *offline) load(tx Tx) error {
	var ents []*offEntry
	err := tx.ScanAll(BucketOffline, nil, func(group, key, val []byte) (bool, error) {
		if len(key) != 8 {
			return false, ErrCorrupt
		}
		m, err := decodeAt(BucketOffline, string(group), val)
		if err != nil {
			return false, err
		}
		ents = append(ents, &offEntry{user: string(group), arrival: binary.BigEndian.Uint64(key),
			size: int64(len(val) + len(group)), Entry: Entry{Msg: m, Data: append([]byte(nil), val...)}})
		return true, nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(ents, func(a, b *offEntry) int { return cmpU64(a.arrival, b.arrival) })
	for _, e := range ents {
		o.next = e.arrival + 1
		if e.Msg.ID != "" && o.ids[offKey{e.user, e.Msg.ID}] != nil {
			// kept twice (a crash between two writes of one message): once is enough
			if err := tx.Delete(BucketOffline, []byte(e.user), be64(e.arrival)); err != nil {
				return err
			}
			continue
		}
		o.add(e)
	}
	return nil
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
