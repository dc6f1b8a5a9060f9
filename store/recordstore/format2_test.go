package recordstore_test

import (
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/go-wsc/go-wsc/store/recordstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bbolt "go.etcd.io/bbolt"
)

// The data directory's format 4 (store/bolt/engine.go) against format 2:
// here rather than in store/bolt, whose tests (the heap test's baseline)
// would otherwise link this package and the recorder.

// boltFormat reads (v == 0) or writes the format version of the file in
// dir, as another version of the engine would have.
func boltFormat(t *testing.T, dir string, v uint32) uint32 {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(dir, bolt.FileName), 0o600, nil)
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Update(func(tx *bbolt.Tx) error {
		meta := tx.Bucket([]byte(store.BucketMeta.String()))
		if v == 0 {
			v = binary.BigEndian.Uint32(meta.Get([]byte("format")))
			return nil
		}
		return meta.Put([]byte("format"), binary.BigEndian.AppendUint32(nil, v))
	}))
	return v
}

// TestFormat2Upgrade: a file of format 2 (history entries with their id
// written before the frame, records with theirs in full) opens, is marked
// 4 (the current format), and reads as it did: a resume from an old entry
// finds the entries after it, old and new alike, and the record loads
// under its id.
func TestFormat2Upgrade(t *testing.T) {
	dir := t.TempDir()
	e, err := bolt.Open(dir, nil)
	require.NoError(t, err)
	frame := func(id string) []byte {
		return []byte(`{"id":"` + id + `","type":"text","from":"system","to":"u","content":"x","create_at":"2023-11-14T22:13:20Z"}`)
	}
	h := fnv.New32a() // the segment's index: its users' hashes (store/histlog.go's userHash)
	h.Write([]byte("u"))
	seg := binary.AppendUvarint(nil, 2) // entries
	seg = binary.AppendUvarint(seg, 1)  // users
	seg = binary.BigEndian.AppendUint32(seg, h.Sum32())
	for _, id := range []string{"h1", "h2"} { // user, id, frame
		seg = append(binary.AppendUvarint(seg, 1), 'u')
		seg = append(binary.AppendUvarint(seg, uint64(len(id))), id...)
		seg = append(binary.AppendUvarint(seg, uint64(len(frame(id)))), frame(id)...)
	}
	// m1 to bob, delivered, in the second binary encoding (main at b23db92)
	rec, err := hex.DecodeString("02076d3109626f62002f6e6f64652d3139322e302e322e322d33353130352d3106000080c49fd50c05010300020001010100010000000000")
	require.NoError(t, err)
	recs := append(binary.AppendUvarint(nil, 2), "m1"...)
	recs = append(binary.AppendUvarint(recs, uint64(len(rec))+1), rec...)
	chunk := func(seg uint64) []byte {
		return binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint64(nil, seg), 0)
	}
	require.NoError(t, e.Update(func(tx store.Tx) error {
		if err := tx.Put(store.BucketHistory, []byte{}, chunk(uint64(time.Now().UnixNano())), seg); err != nil {
			return err
		}
		return tx.Put(store.BucketRecords, []byte("log"), chunk(0), recs)
	}))
	require.NoError(t, e.Close())
	boltFormat(t, dir, 2)

	db, err := bolt.OpenStore(dir, store.Config{}, nil)
	require.NoError(t, err)
	db.AppendHistory("u", store.Entry{Msg: &protocol.Message{ID: "h3", Type: protocol.TypeText}, Data: frame("h3")})
	type read struct {
		es    []store.Entry
		found bool
	}
	ch := make(chan read, 1)
	db.ReadHistory("u", "h1", 10, func(es []store.Entry, found bool, err error) { assert.NoError(t, err); ch <- read{es, found} })
	r := <-ch
	require.True(t, r.found, "h1, an entry of format 2")
	require.Len(t, r.es, 2)
	assert.Equal(t, "h2", r.es[0].Msg.ID)
	assert.Equal(t, "h3", r.es[1].Msg.ID)
	db.ReadHistory("u", "h2", 10, func(es []store.Entry, found bool, err error) { assert.NoError(t, err); ch <- read{es, found} })
	r = <-ch
	require.True(t, r.found)
	require.Len(t, r.es, 1)
	assert.Equal(t, string(frame("h3")), string(r.es[0].Data))

	rs, skipped, err := recordstore.New(db)
	require.NoError(t, err)
	assert.Zero(t, skipped)
	got, ok := rs.Get("m1")
	require.True(t, ok)
	assert.Equal(t, "bob", got.UserID)
	assert.Equal(t, recorder.StatusSuccess, got.Status)
	require.NoError(t, db.Close())
	assert.EqualValues(t, 4, boltFormat(t, dir, 0))
}
