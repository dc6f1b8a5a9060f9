package bolt_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/go-wsc/go-wsc/store/storetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenFaults(t *testing.T) {
	t.Run("not a directory", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "file")
		require.NoError(t, os.WriteFile(file, nil, 0o600))
		_, err := bolt.Open(filepath.Join(file, "data"), nil)
		require.ErrorIs(t, err, bolt.ErrOpen)
		assert.Contains(t, err.Error(), file)
	})
	t.Run("held by another open", func(t *testing.T) {
		dir := t.TempDir()
		e, err := bolt.Open(dir, nil)
		require.NoError(t, err)
		defer e.Close()
		start := time.Now()
		_, err = bolt.Open(dir, &bolt.Options{LockTimeout: 100 * time.Millisecond})
		require.ErrorIs(t, err, bolt.ErrLocked)
		assert.Less(t, time.Since(start), 2*time.Second)
	})
	t.Run("corrupt file", func(t *testing.T) {
		for name, content := range map[string][]byte{
			"garbage":   []byte(strings.Repeat("not a database ", 1000)),
			"truncated": {0x01, 0x02},
		} {
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				require.NoError(t, os.WriteFile(filepath.Join(dir, bolt.FileName), content, 0o600))
				_, err := bolt.Open(dir, nil)
				require.Error(t, err)
				assert.ErrorIs(t, err, store.ErrCorrupt)
				assert.Contains(t, err.Error(), dir)
			})
		}
	})
	t.Run("damaged after a write", func(t *testing.T) {
		dir := t.TempDir()
		db, err := bolt.OpenStore(dir, store.Config{}, nil)
		require.NoError(t, err)
		for i := range 50 {
			_, err := db.PutOffline("u", store.Entry{Msg: storetest.Msg(fmt.Sprint(i), "x")}, nil)
			require.NoError(t, err)
		}
		require.NoError(t, db.Close())
		f, err := os.OpenFile(filepath.Join(dir, bolt.FileName), os.O_RDWR, 0)
		require.NoError(t, err)
		// both meta pages (0 and 1, 4 KiB each here) overwritten
		_, err = f.WriteAt([]byte(strings.Repeat("\xff", 8192)), 0)
		require.NoError(t, err)
		require.NoError(t, f.Close())
		_, err = bolt.OpenStore(dir, store.Config{}, nil)
		require.ErrorIs(t, err, store.ErrCorrupt)
	})
}

// TestDiskFull writes until a 256 KiB tmpfs is full: the failing write's
// callback says so (never accepted-then-lost), the process lives, and what
// was reported durable is there after a reopen. It needs root (mount).
func TestDiskFull(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	filler := filepath.Join(dir, "filler")
	require.NoError(t, os.WriteFile(filler, make([]byte, 64<<10), 0o600))
	db, err := bolt.OpenStore(dir, store.Config{OfflineTotalBytes: 64 << 20}, nil)
	require.NoError(t, err)
	var durable []string
	var failure error
	content := strings.Repeat("x", 1000)
	for i := 0; failure == nil && i < 10_000; i++ {
		id := fmt.Sprint("m", i)
		ch := make(chan error, 1)
		_, err := db.PutOffline("u", store.Entry{Msg: storetest.Msg(id, content)}, func(err error) { ch <- err })
		require.NoError(t, err)
		if failure = <-ch; failure == nil {
			durable = append(durable, id)
		} else {
			db.RemoveOffline("u", []string{id}, nil)
		}
	}
	require.Error(t, failure, "a 256 KiB disk must fill")
	t.Logf("%d messages durable, then: %v", len(durable), failure)

	// room again: the store goes on where it was
	require.NoError(t, os.Remove(filler))
	ch := make(chan error, 1)
	_, err = db.PutOffline("u", store.Entry{Msg: storetest.Msg("after", content)}, func(err error) { ch <- err })
	require.NoError(t, err)
	require.NoError(t, <-ch)
	durable = append(durable, "after")
	require.NoError(t, db.Close())

	db, err = bolt.OpenStore(dir, store.Config{OfflineTotalBytes: 64 << 20}, nil)
	require.NoError(t, err)
	defer db.Close()
	got := db.PeekOffline("u", "", len(durable)+10)
	require.Len(t, got, len(durable))
	for i, e := range got {
		require.Equal(t, durable[i], e.Msg.ID)
	}
}

func TestReadOnlyDirectory(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	_, err := bolt.Open(dir, nil)
	require.ErrorIs(t, err, bolt.ErrOpen)
	assert.Contains(t, err.Error(), "read-only")
}
