package store_test

import (
	"testing"

	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/storetest"
)

// The memory engine keeps its maps across a DB's Close, so "again" is the
// same engine: the suite's restarts check what a DB writes, not only what it
// holds in memory.
func TestMemoryEngine(t *testing.T) {
	storetest.Run(t, func(*testing.T) (store.Engine, func() store.Engine) {
		e := store.NewMemoryEngine()
		return e, func() store.Engine { return e }
	})
}
