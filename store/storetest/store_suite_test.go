package storetest_test

import (
	"testing"

	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/go-wsc/go-wsc/store/storetest"
)

// TestStoreSuiteOnDB: the Store-level suite holds for store.DB on bbolt, the
// store the hub uses today, so the suite asks nothing the DB does not do.
func TestStoreSuiteOnDB(t *testing.T) {
	storetest.RunStore(t, func(t *testing.T) func(store.Config) (store.Store, error) {
		dir := t.TempDir()
		return func(cfg store.Config) (store.Store, error) { return bolt.OpenStore(dir, cfg, nil) }
	})
}
