package main

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

var bucket = []byte("b")

type boltKV struct{ db *bolt.DB }

func openBolt(path string) (kv, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{NoFreelistSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return nil, err
	}
	err = db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucketIfNotExists(bucket); return err })
	return &boltKV{db}, err
}

func (b *boltKV) apply(puts map[string][]byte, dels []string, _ bool) error {
	return b.db.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucket)
		for _, k := range dels {
			if err := bk.Delete([]byte(k)); err != nil {
				return err
			}
		}
		for k, v := range puts {
			if err := bk.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
}

func (b *boltKV) scan(prefix []byte, n int, fn func(k, v []byte)) error {
	return b.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucket).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && n > 0; k, v = c.Next() {
			fn(k, v)
			n--
		}
		return nil
	})
}

func (b *boltKV) close() error { return b.db.Close() }
