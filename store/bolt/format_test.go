package bolt_test

import (
	"encoding/binary"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bbolt "go.etcd.io/bbolt"
)

// setFormat writes the format version of the file in dir, as another
// version of the engine would have.
func setFormat(t *testing.T, dir string, v uint32) {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(dir, bolt.FileName), 0o600, nil)
	require.NoError(t, err)
	require.NoError(t, db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte(store.BucketMeta.String())).Put([]byte("format"), binary.BigEndian.AppendUint32(nil, v))
	}))
	require.NoError(t, db.Close())
}

func format(t *testing.T, dir string) uint32 {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(dir, bolt.FileName), 0o600, nil)
	require.NoError(t, err)
	defer db.Close()
	var v uint32
	require.NoError(t, db.View(func(tx *bbolt.Tx) error {
		v = binary.BigEndian.Uint32(tx.Bucket([]byte(store.BucketMeta.String())).Get([]byte("format")))
		return nil
	}))
	return v
}

// TestFormatUpgrade: a file of format 1 (history one key per message)
// opens, is marked as the current format, and its history is read from the
// log; a file of a newer format is refused, not misread.
func TestFormatUpgrade(t *testing.T) {
	dir := t.TempDir()
	e, err := bolt.Open(dir, nil)
	require.NoError(t, err)
	data := []byte(`{"id":"h1","type":"text","from":"system","content":"x","create_at":"2023-11-14T22:13:20Z"}`)
	val := append(binary.AppendUvarint(nil, 2), "h1"...)
	val = append(val, data...)
	require.NoError(t, e.Update(func(tx store.Tx) error {
		return tx.Put(store.BucketHistory, []byte("u"), binary.BigEndian.AppendUint64(nil, uint64(time.Now().UnixNano())), val)
	}))
	require.NoError(t, e.Close())
	setFormat(t, dir, 1)

	db, err := bolt.OpenStore(dir, store.Config{}, nil)
	require.NoError(t, err)
	ch := make(chan []store.Entry, 1)
	db.ReadHistory("u", "", 10, func(es []store.Entry, _ bool, err error) { assert.NoError(t, err); ch <- es })
	es := <-ch
	require.Len(t, es, 1)
	assert.Equal(t, "h1", es[0].Msg.ID)
	require.NoError(t, db.Close())
	assert.EqualValues(t, 4, format(t, dir))

	setFormat(t, dir, 5)
	_, err = bolt.Open(dir, nil)
	require.ErrorIs(t, err, store.ErrCorrupt)
}
