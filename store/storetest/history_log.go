package storetest

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oldHistory writes an entry in the history's old layout (one key per
// message: group user, key be64(unix nanos), value uvarint(len(id)), id, JSON).
func oldHistory(t *testing.T, eng store.Engine, user, id string, at time.Time) {
	t.Helper()
	data, err := protocol.Encode(Msg(id, "x"))
	require.NoError(t, err)
	val := append(binary.AppendUvarint(nil, uint64(len(id))), id...)
	val = append(val, data...)
	key := binary.BigEndian.AppendUint64(nil, uint64(at.UnixNano()))
	require.NoError(t, eng.Update(func(tx store.Tx) error { return tx.Put(store.BucketHistory, []byte(user), key, val) }))
}

// historyGroups lists the groups of the history bucket, and how many keys each.
func historyGroups(t *testing.T, eng store.Engine) map[string]int {
	t.Helper()
	groups := map[string]int{}
	require.NoError(t, eng.Update(func(tx store.Tx) error {
		return tx.ScanAll(store.BucketHistory, nil, func(group, _, _ []byte) (bool, error) {
			groups[string(group)]++
			return true, nil
		})
	}))
	return groups
}

// testHistoryOldLayout: a data directory written with one key per history
// message is moved into the log at Open, in time order (not key order:
// users' keys interleave), without the expired entries and those that do
// not parse; the old keys are gone and a resume reads the moved entries.
func testHistoryOldLayout(t *testing.T, f Factory) {
	eng, again := f(t)
	now := time.Now()
	oldHistory(t, eng, "u", "expired", now.Add(-2*time.Hour))
	for i := range 5 {
		oldHistory(t, eng, "u", fmt.Sprint("u", i), now.Add(time.Duration(i*2-20)*time.Millisecond))
		oldHistory(t, eng, "v", fmt.Sprint("v", i), now.Add(time.Duration(i*2-19)*time.Millisecond))
	}
	require.NoError(t, eng.Update(func(tx store.Tx) error { // a value that does not parse
		return tx.Put(store.BucketHistory, []byte("w"), binary.BigEndian.AppendUint64(nil, uint64(now.UnixNano())), []byte{0xff})
	}))
	require.Len(t, historyGroups(t, eng), 3)

	db, err := store.Open(eng, store.Config{HistoryPerUser: 4})
	require.NoError(t, err)
	got, found := readHistory(t, db, "u", "u1", 10)
	assert.True(t, found)
	assert.Equal(t, []string{"u2", "u3", "u4"}, got)
	got, found = readHistory(t, db, "v", "", 10)
	assert.True(t, found)
	assert.Equal(t, []string{"v1", "v2", "v3", "v4"}, got, "the per-user bound holds as read")
	_, found = readHistory(t, db, "u", "expired", 10)
	assert.False(t, found)
	db.AppendHistory("u", store.Entry{Msg: Msg("u5", "x")})
	got, _ = readHistory(t, db, "u", "u3", 10)
	assert.Equal(t, []string{"u4", "u5"}, got, "new entries come after the moved ones")
	require.NoError(t, db.Close())

	eng = again()
	groups := historyGroups(t, eng)
	assert.Len(t, groups, 1, "only the log is left: %v", groups)
	assert.Contains(t, groups, "")
	db = open(t, eng, store.Config{HistoryPerUser: 4})
	got, _ = readHistory(t, db, "u", "", 10)
	assert.Equal(t, []string{"u2", "u3", "u4", "u5"}, got, "kept across a restart")
}

// testHistoryMaxBytes: the log stays within HistoryMaxBytes (plus the newest
// segment) whatever the number of users: the oldest segments go first, and
// are counted; what is left is still read.
func testHistoryMaxBytes(t *testing.T, f Factory) {
	eng, _ := f(t)
	const maxBytes = 16 << 10
	db := open(t, eng, store.Config{HistoryMaxBytes: maxBytes, FlushInterval: time.Hour, SweepInterval: time.Hour})
	segment := 0
	for c := range 40 { // 40 commits of 10 users × 1 message (~130 bytes each): segments of one size
		for u := range 10 {
			db.AppendHistory(fmt.Sprintf("user%03d", c*10+u), store.Entry{Msg: Msg(fmt.Sprintf("m%02d", c), "x")})
		}
		got, found := readHistory(t, db, fmt.Sprintf("user%03d", c*10), "", 10) // commits the appends: one segment
		require.True(t, found)
		require.Equal(t, []string{fmt.Sprintf("m%02d", c)}, got)
		if segment == 0 {
			require.NoError(t, eng.Update(func(tx store.Tx) error {
				return tx.ScanAll(store.BucketHistory, nil, func(_, _, val []byte) (bool, error) { segment += len(val); return true, nil })
			}))
		}
	}
	total := 0
	require.NoError(t, eng.Update(func(tx store.Tx) error {
		return tx.ScanAll(store.BucketHistory, nil, func(_, _, val []byte) (bool, error) { total += len(val); return true, nil })
	}))
	assert.LessOrEqual(t, total, maxBytes, "the log within its bound")
	assert.Greater(t, total, maxBytes-2*segment, "only what the bound requires goes")
	capped := db.Stats().HistoryCapped
	assert.Equal(t, int64(400-10*(total/segment)), capped, "every entry of a segment that went is counted")
	_, found := readHistory(t, db, "user000", "m00", 10)
	assert.False(t, found, "the oldest went first")
}

// testHistoryBadSegment: a segment whose bytes do not parse fails the reads
// that reach it (ErrCorrupt), never the writes: appends and durable writes go
// on, and reads that stop before it answer.
func testHistoryBadSegment(t *testing.T, f Factory) {
	eng, _ := f(t)
	require.NoError(t, eng.Update(func(tx store.Tx) error {
		return tx.Put(store.BucketHistory, nil, binary.BigEndian.AppendUint64(nil, uint64(time.Now().UnixNano())), []byte{0xff, 0xff})
	}))
	db := open(t, eng, store.Config{HistoryPerUser: 2})
	for i := range 3 {
		db.AppendHistory("u", store.Entry{Msg: Msg(fmt.Sprint("m", i), "x")})
	}
	got, found := readHistory(t, db, "u", "m1", 10) // met m1 before the bad segment
	assert.True(t, found)
	assert.Equal(t, []string{"m2"}, got)
	ch := make(chan error, 1)
	db.ReadHistory("v", "", 10, func(_ []store.Entry, _ bool, err error) { ch <- err })
	require.ErrorIs(t, waitDone(t, ch), store.ErrCorrupt)
	done, dch := durable()
	_, err := db.PutOffline("u", store.Entry{Msg: Msg("ok", "x")}, done)
	require.NoError(t, err)
	require.NoError(t, waitDone(t, dch))
}

// testHistoryOldLayoutTimes: a conversion longer than one segment keeps each
// message's age: a segment goes by the TTL only when every entry in it is
// that old. Here one user's old messages fill more than a segment and
// another's recent ones sort before them by key (the user's name) but after
// them by time: once a segment of the old ones has expired, the recent ones
// are still read (moved in key order, they would have gone with it).
func testHistoryOldLayoutTimes(t *testing.T, f Factory) {
	eng, _ := f(t)
	const ttl, old = 20 * time.Second, 18 * time.Second
	now := time.Now()
	content := string(make([]byte, 300))
	data := func(id string) []byte {
		b, err := protocol.Encode(Msg(id, content))
		require.NoError(t, err)
		return b
	}
	require.NoError(t, eng.Update(func(tx store.Tx) error {
		put := func(user, id string, at time.Time) error {
			val := append(binary.AppendUvarint(nil, uint64(len(id))), id...)
			return tx.Put(store.BucketHistory, []byte(user), binary.BigEndian.AppendUint64(nil, uint64(at.UnixNano())), append(val, data(id)...))
		}
		for i := range 5000 { // about 2 MB: more than one converted segment
			if err := put("b-old", fmt.Sprint("o", i), now.Add(-old+time.Duration(i))); err != nil {
				return err
			}
		}
		for i := range 10 {
			if err := put("a-new", fmt.Sprint("n", i), now.Add(time.Duration(i))); err != nil {
				return err
			}
		}
		return nil
	}))
	db := open(t, eng, store.Config{HistoryTTL: ttl, SweepInterval: 10 * time.Millisecond})
	if got, _ := readHistory(t, db, "b-old", "", 1); len(got) == 0 {
		t.Skip("the old messages expired before Open moved them: the machine took over 2 s")
	}
	require.Eventually(t, func() bool { return db.Stats().HistorySwept > 0 }, 10*time.Second, 10*time.Millisecond,
		"a segment of old messages expires")
	got, found := readHistory(t, db, "a-new", "", 100)
	assert.True(t, found)
	assert.Len(t, got, 10, "the recent ones stay")
}
