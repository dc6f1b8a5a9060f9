package bolt_test

import (
	"encoding/binary"
	"runtime"
	"testing"

	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/stretchr/testify/require"
)

// TestNodesOfSeveralPagesReuseTheirBuffers: the logs write chunks of 32 KiB,
// each a node of nine pages. Upstream bbolt makes a fresh buffer for every
// node longer than a page, each commit; the copy in third_party/bbolt pools
// them (PATCH.md there). Without the pool a commit here allocates the node's
// 36 KiB and 8 KiB of transaction state (48.6 KB measured); with it, the
// state only (7.9 KB; 25 KB under -race, which makes a sync.Pool drop a
// quarter of what it is given and allocates more besides).
func TestNodesOfSeveralPagesReuseTheirBuffers(t *testing.T) {
	e, err := bolt.Open(t.TempDir(), nil)
	require.NoError(t, err)
	defer e.Close()
	chunk := make([]byte, 32<<10)
	key := func(i int) []byte { return binary.BigEndian.AppendUint64(nil, uint64(i)) }
	commit := func(i int) {
		require.NoError(t, e.Update(func(tx store.Tx) error {
			if i > 0 {
				if err := tx.Delete(store.BucketRecords, []byte("g"), key(i-1)); err != nil {
					return err
				}
			}
			return tx.Put(store.BucketRecords, []byte("g"), key(i), chunk)
		}))
	}
	for i := range 10 { // the file and its free list sized
		commit(i)
	}
	const commits = 200
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range commits {
		commit(10 + i)
	}
	runtime.ReadMemStats(&after)
	perCommit := (after.TotalAlloc - before.TotalAlloc) / commits
	t.Logf("%d bytes allocated a commit", perCommit)
	node := uint64(len(chunk) + 4096) // nine pages: the chunk and its page header
	require.Less(t, perCommit, node, "a node of several pages was made afresh")
}
