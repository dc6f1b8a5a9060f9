package bolt_test

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/go-wsc/go-wsc/store/storetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestACommitDoesNotWriteThePreviousOnesAgain: commits of about 35 KB of
// history each (100 messages) make bbolt write about what they carry, not
// again the chunks of the commits before (a leaf of big chunks that the next
// commit's first keys joined: store's chunks.go, tailEntries). Measured as
// the bytes the process sent to the disk (/proc/self/io), so Linux only.
func TestACommitDoesNotWriteThePreviousOnesAgain(t *testing.T) {
	if _, err := os.Stat("/proc/self/io"); err != nil {
		t.Skip("no /proc/self/io")
	}
	db, err := bolt.OpenStore(t.TempDir(), store.Config{}, nil)
	require.NoError(t, err)
	defer db.Close()
	done := make(chan error, 1)
	commit := func() { // a history read writes the appends queued before it, in its commit
		db.ReadHistory("x", "", 1, func(_ []store.Entry, _ bool, err error) { done <- err })
		require.NoError(t, <-done)
	}
	logical := int64(0)
	round := func(r int) {
		for i := range 100 {
			m := storetest.Msg(fmt.Sprint("m", r, "-", i), strings.Repeat("x", 200))
			data, err := protocol.Encode(m)
			require.NoError(t, err)
			db.AppendHistory("u", store.Entry{Msg: m, Data: data})
			logical += int64(len(data))
		}
		commit()
	}
	for r := range 10 { // the file's first pages, bbolt's branch pages
		round(r)
	}
	logical = 0
	before := writtenBytes(t)
	const rounds = 50
	for r := range rounds {
		round(10 + r)
	}
	written := writtenBytes(t) - before
	// Besides the history, each commit writes bbolt's meta page, branch
	// pages, the previous commit's last leaf, and rounds nodes up to whole
	// pages: about 2× here, where the chunks written again made it about 6×.
	t.Logf("%d bytes of history in %d commits: %d bytes written (%.2f×)", logical, rounds, written, float64(written)/float64(logical))
	assert.Less(t, written, 3*logical, "no commit writes the previous ones' chunks again")
}

// writtenBytes is what the process has sent to the storage layer.
func writtenBytes(t *testing.T) int64 {
	f, err := os.Open("/proc/self/io")
	require.NoError(t, err)
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "write_bytes: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			require.NoError(t, err)
			return n
		}
	}
	t.Fatal("no write_bytes in /proc/self/io")
	return 0
}
