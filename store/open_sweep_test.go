package store_test

import (
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/require"
)

// TestASweepRightAfterOpen: the writer's first sweep may come before Open
// has returned (a short SweepInterval, or a loaded machine); it runs on the
// DB being opened, not on a writer not yet set (a nil dereference, or under
// -race an unsynchronised read, once CI's store/bolt tests hit it).
func TestASweepRightAfterOpen(t *testing.T) {
	for range 20 {
		db, err := store.OpenMemory(store.Config{SweepInterval: time.Nanosecond})
		require.NoError(t, err)
		require.NoError(t, db.Close())
	}
}
