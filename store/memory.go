package store

import (
	"slices"
	"strings"
)

// The memory engine: what the DB keeps on disk, kept in maps instead, for
// -memory and for tests. Only the DB's writer goroutine calls it. A failed
// transaction is undone from an undo log, as a disk engine's would be.

type memGroup struct {
	keys []string // sorted
	vals [][]byte
}

type memEngine struct {
	buckets map[Bucket]map[string]*memGroup
}

// NewMemoryEngine returns an empty in-memory Engine.
func NewMemoryEngine() Engine { return &memEngine{buckets: map[Bucket]map[string]*memGroup{}} }

func (e *memEngine) Close() error { return nil }

type undo struct {
	b          Bucket
	group, key string
	val        []byte // nil: the key was absent
}

type memTx struct {
	e   *memEngine
	log []undo
}

func (e *memEngine) Update(fn func(Tx) error) error {
	tx := &memTx{e: e}
	err := fn(tx)
	if err != nil {
		for i := len(tx.log) - 1; i >= 0; i-- {
			u := tx.log[i]
			if u.val == nil {
				tx.del(u.b, u.group, u.key)
			} else {
				tx.set(u.b, u.group, u.key, u.val)
			}
		}
	}
	return err
}

func (t *memTx) find(b Bucket, group, key string) (*memGroup, int, bool) {
	g := t.e.buckets[b][group]
	if g == nil {
		return nil, 0, false
	}
	i, ok := slices.BinarySearch(g.keys, key)
	return g, i, ok
}

func (t *memTx) Get(b Bucket, group, key []byte) []byte {
	if g, i, ok := t.find(b, string(group), string(key)); ok {
		return g.vals[i]
	}
	return nil
}

func (t *memTx) Put(b Bucket, group, key, val []byte) error {
	t.log = append(t.log, undo{b, string(group), string(key), t.Get(b, group, key)})
	t.set(b, string(group), string(key), append(make([]byte, 0, len(val)), val...))
	return nil
}

func (t *memTx) Delete(b Bucket, group, key []byte) error {
	if old := t.Get(b, group, key); old != nil {
		t.log = append(t.log, undo{b, string(group), string(key), old})
		t.del(b, string(group), string(key))
	}
	return nil
}

func (t *memTx) set(b Bucket, group, key string, val []byte) {
	gs := t.e.buckets[b]
	if gs == nil {
		gs = map[string]*memGroup{}
		t.e.buckets[b] = gs
	}
	g := gs[group]
	if g == nil {
		g = &memGroup{}
		gs[group] = g
	}
	if n := len(g.keys); n == 0 || g.keys[n-1] < key { // the usual case: keys in time order
		g.keys, g.vals = append(g.keys, key), append(g.vals, val)
		return
	}
	i, ok := slices.BinarySearch(g.keys, key)
	if ok {
		g.vals[i] = val
		return
	}
	g.keys, g.vals = slices.Insert(g.keys, i, key), slices.Insert(g.vals, i, val)
}

func (t *memTx) del(b Bucket, group, key string) {
	g, i, ok := t.find(b, group, key)
	if !ok {
		return
	}
	g.keys, g.vals = slices.Delete(g.keys, i, i+1), slices.Delete(g.vals, i, i+1)
	if len(g.keys) == 0 {
		delete(t.e.buckets[b], group) // a user who has nothing left leaves memory
	}
}

func (t *memTx) Scan(b Bucket, group, from []byte, fn func(key, val []byte) (bool, error)) error {
	g := t.e.buckets[b][string(group)]
	if g == nil {
		return nil
	}
	i, _ := slices.BinarySearch(g.keys, string(from))
	for ; i < len(g.keys); i++ {
		if more, err := fn([]byte(g.keys[i]), g.vals[i]); err != nil || !more {
			return err
		}
	}
	return nil
}

func (t *memTx) ScanAll(b Bucket, from []byte, fn func(group, key, val []byte) (bool, error)) error {
	groups := make([]string, 0, len(t.e.buckets[b]))
	for g := range t.e.buckets[b] {
		if g >= string(from) {
			groups = append(groups, g)
		}
	}
	slices.SortFunc(groups, strings.Compare)
	for _, name := range groups {
		g := t.e.buckets[b][name]
		for i := range g.keys {
			if more, err := fn([]byte(name), []byte(g.keys[i]), g.vals[i]); err != nil || !more {
				return err
			}
		}
	}
	return nil
}
