package main

import (
	"github.com/cockroachdb/pebble/v2"
)

type pebbleKV struct{ db *pebble.DB }

func openPebble(dir string) (kv, error) {
	db, err := pebble.Open(dir, &pebble.Options{})
	return &pebbleKV{db}, err
}

func (p *pebbleKV) apply(puts map[string][]byte, dels []string, sync bool) error {
	b := p.db.NewBatch()
	for _, k := range dels {
		if err := b.Delete([]byte(k), nil); err != nil {
			return err
		}
	}
	for k, v := range puts {
		if err := b.Set([]byte(k), v, nil); err != nil {
			return err
		}
	}
	o := pebble.NoSync
	if sync {
		o = pebble.Sync
	}
	return b.Commit(o)
}

func (p *pebbleKV) scan(prefix []byte, n int, fn func(k, v []byte)) error {
	o := &pebble.IterOptions{}
	if len(prefix) > 0 {
		upper := append([]byte(nil), prefix...)
		upper[len(upper)-1]++
		o = &pebble.IterOptions{LowerBound: prefix, UpperBound: upper}
	}
	it, err := p.db.NewIter(o)
	if err != nil {
		return err
	}
	for ok := it.First(); ok && n > 0; ok = it.Next() {
		fn(it.Key(), it.Value())
		n--
	}
	return it.Close()
}

func (p *pebbleKV) close() error { return p.db.Close() }
