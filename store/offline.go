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
	// tot is shared by every partition of one DB (views.go): the total bounds
	// are over all of them, and arrival numbers are one order across them
	tot *offTotals
}

// offTotals are the offline store's totals over every partition: atomics,
// because each partition has its own owner goroutine.
type offTotals struct {
	count, size atomic.Int64  // messages and bytes kept, all partitions (the bounds, Stats)
	next        atomic.Uint64 // the last arrival number handed out
}

func newOffline(tot *offTotals) *offline {
	return &offline{all: list.New(), users: map[string]*offUser{}, ids: map[offKey]*list.Element{}, tot: tot}
}

// PutOffline implements Offline.
func (d *DB) PutOffline(user string, e Entry, done Done) ([]Dropped, error) {
	return d.viewOf(user).PutOffline(user, e, done)
}

// PutOffline implements Offline, in v's partition.
func (v *View) PutOffline(user string, e Entry, done Done) ([]Dropped, error) {
	d := v.DB
	if err := d.check("user", user); err != nil {
		return nil, err
	}
	if e.Msg == nil || len(e.Msg.ID) > d.cfg.MaxKey {
		return nil, ErrInvalid
	}
	o := v.off
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
	// The total bounds count every partition (views.go); eviction takes this
	// partition's oldest, the only ones this owner may touch. A partition
	// with none keeps the message: the total may then pass its bound by one
	// message per other partition until they evict their own.
	overTotal := func() bool {
		return o.all.Len() > 0 && (int(o.tot.count.Load()) >= d.cfg.OfflineTotal || o.tot.size.Load()+size > d.cfg.OfflineTotalBytes)
	}
	if d.cfg.RefuseWhenFull && (int(o.tot.count.Load())-evictOwn >= d.cfg.OfflineTotal || o.tot.size.Load()-freed+size > d.cfg.OfflineTotalBytes) {
		return nil, ErrFull
	}
	var dropped []*offEntry
	for range evictOwn {
		dropped = append(dropped, o.remove(o.users[user].q[0]))
	}
	for overTotal() {
		dropped = append(dropped, o.remove(o.all.Front()))
	}
	ent := &offEntry{user: user, arrival: o.tot.next.Add(1), size: size, Entry: e}
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
	o.tot.count.Add(1)
	o.tot.size.Add(ent.size)
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
	o.tot.count.Add(-1)
	o.tot.size.Add(-ent.size)
	return ent
}

// PeekOffline implements Offline.
func (d *DB) PeekOffline(user, after string, n int) []Entry {
	return d.viewOf(user).PeekOffline(user, after, n)
}

// PeekOffline implements Offline, in v's partition.
func (v *View) PeekOffline(user, after string, n int) []Entry {
	u := v.off.users[user]
	if u == nil || n <= 0 {
		return nil
	}
	start := 0
	if after != "" {
		if el := v.off.ids[offKey{user, after}]; el != nil {
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
	d.viewOf(user).RemoveOffline(user, ids, done)
}

// RemoveOffline implements Offline, in v's partition.
func (v *View) RemoveOffline(user string, ids []string, done Done) {
	var gone []uint64
	for _, id := range ids {
		if el := v.off.ids[offKey{user, id}]; el != nil {
			gone = append(gone, v.off.remove(el).arrival)
		}
	}
	if len(gone) == 0 && done == nil {
		return
	}
	_ = v.w.enqueue(&op{urgent: done != nil, after: done, apply: func(tx Tx) error {
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
	if user == "" && d.of != nil {
		return int(d.tot.count.Load()), d.tot.size.Load()
	}
	return d.viewOf(user).OfflineLen(user)
}

// OfflineLen implements Offline, in v's partition ("": every user's in it).
func (v *View) OfflineLen(user string) (int, int64) {
	if user == "" {
		return v.off.all.Len(), v.off.bytes
	}
	if u := v.off.users[user]; u != nil {
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
		o.tot.next.Store(e.arrival)
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
