package store

import (
	"slices"
	"strings"
)

// The memory engine: what the DB keeps on disk, kept in maps instead, for
// -memory and for tests. Only the DB's writer goroutine calls it. A failed
// transaction is undone from an undo log, as a disk engine's would be.

type memGroup struct {
	name string   // its key in the bucket's map, for the undo log
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

// Put looks the group up once and converts the key once: it is the
// writer's most frequent call (every history append, every record).
func (t *memTx) Put(b Bucket, group, key, val []byte) error {
	g := t.group(b, group)
	k, v := string(key), append(make([]byte, 0, len(val)), val...)
	if n := len(g.keys); n == 0 || g.keys[n-1] < k { // the usual case: keys in time order
		t.log = append(t.log, undo{b, g.name, k, nil})
		g.keys, g.vals = append(g.keys, k), append(g.vals, v)
		return nil
	}
	i, ok := slices.BinarySearch(g.keys, k)
	if ok {
		t.log = append(t.log, undo{b, g.name, k, g.vals[i]})
		g.vals[i] = v
		return nil
	}
	t.log = append(t.log, undo{b, g.name, k, nil})
	g.keys, g.vals = slices.Insert(g.keys, i, k), slices.Insert(g.vals, i, v)
	return nil
}

// group returns group of b, making it when missing.
func (t *memTx) group(b Bucket, group []byte) *memGroup {
	gs := t.e.buckets[b]
	if gs == nil {
		gs = map[string]*memGroup{}
		t.e.buckets[b] = gs
	}
	g := gs[string(group)]
	if g == nil {
		g = &memGroup{name: string(group)}
		gs[g.name] = g
	}
	return g
}

func (t *memTx) Delete(b Bucket, group, key []byte) error {
	g, i, ok := t.find(b, string(group), string(key))
	if !ok {
		return nil
	}
	t.log = append(t.log, undo{b, g.name, g.keys[i], g.vals[i]}) // the group's own strings: no copy
	t.remove(b, g, i)
	return nil
}

// set is Put without the undo log, for the undo.
func (t *memTx) set(b Bucket, group, key string, val []byte) {
	gs := t.e.buckets[b]
	if gs == nil {
		gs = map[string]*memGroup{}
		t.e.buckets[b] = gs
	}
	g := gs[group]
	if g == nil {
		g = &memGroup{name: group}
		gs[group] = g
	}
	i, ok := slices.BinarySearch(g.keys, key)
	if ok {
		g.vals[i] = val
		return
	}
	g.keys, g.vals = slices.Insert(g.keys, i, key), slices.Insert(g.vals, i, val)
}

func (t *memTx) del(b Bucket, group, key string) {
	if g, i, ok := t.find(b, group, key); ok {
		t.remove(b, g, i)
	}
}

// remove deletes g's i-th key. The first goes by reslicing, in O(1): groups
// are queues (history trimmed at the front, records evicted oldest first,
// offline messages delivered in order), and shifting a 10,000-record group
// for each eviction was most of the memory engine's time.
func (t *memTx) remove(b Bucket, g *memGroup, i int) {
	if i == 0 {
		g.keys[0], g.vals[0] = "", nil // for the GC: the array keeps the slots until an append moves it
		g.keys, g.vals = g.keys[1:], g.vals[1:]
	} else {
		g.keys, g.vals = slices.Delete(g.keys, i, i+1), slices.Delete(g.vals, i, i+1)
	}
	if len(g.keys) == 0 {
		delete(t.e.buckets[b], g.name) // a user who has nothing left leaves memory
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
