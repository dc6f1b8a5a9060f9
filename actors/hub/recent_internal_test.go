package hub

import (
	"strconv"
	"strings"
	"testing"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The ring keeps at most RecentPerUser messages and RecentBytesPerUser bytes,
// the newest; one message bigger than the bound is still kept alone.
func TestRingBoundsByCountAndBytes(t *testing.T) {
	db, err := store.OpenMemory(store.Config{})
	require.NoError(t, err)
	defer db.Close()
	a := &hubActor{cfg: Config{RecentPerUser: 4, RecentBytesPerUser: 64 << 10, Store: db}, hist: map[string]*history{}}
	for i := range 10 {
		a.remember("small", &protocol.Message{ID: string(rune('a' + i)), Content: "s"}, nil)
		a.remember("big", &protocol.Message{ID: string(rune('a' + i)), Content: strings.Repeat("b", 20<<10)}, nil)
	}
	assert.Len(t, a.hist["small"].ring, 4, "by count")
	assert.Equal(t, "j", a.hist["small"].ring[3].id, "the newest")
	big := a.hist["big"]
	assert.Len(t, big.ring, 3, "by bytes: three of 20 KiB in 64 KiB")
	assert.LessOrEqual(t, big.bytes, int64(64<<10))
	a.remember("huge", &protocol.Message{ID: "h", Content: strings.Repeat("h", 100<<10)}, nil)
	assert.Len(t, a.hist["huge"].ring, 1, "kept alone")
}

// The ring slides along one array: once it has grown to its bound, a message
// more moves it back to the array's start instead of making a new array, and
// it keeps the newest entries in order through the moves.
func TestRingSlidesWithoutAllocating(t *testing.T) {
	const bound = 64
	h := &history{}
	id := 0
	push := func() {
		id++
		h.push(recentEntry{id: strconv.Itoa(id)})
		if len(h.ring) > bound {
			h.ring[0] = recentEntry{}
			h.ring = h.ring[1:]
		}
	}
	for range 4 * bound { // grown to its bound
		push()
	}
	array := &h.base[0]
	for range 10 * bound {
		push()
		require.Same(t, array, &h.base[0], "a push made a new array")
		require.Same(t, &h.base[:cap(h.base)][cap(h.base)-1], &h.ring[:cap(h.ring)][cap(h.ring)-1], "the ring left its array")
	}
	require.Len(t, h.ring, bound)
	for i, e := range h.ring {
		assert.Equal(t, strconv.Itoa(id-bound+1+i), e.id, "entry %d", i)
	}
	for i := len(h.ring); i < cap(h.ring); i++ {
		assert.Zero(t, h.ring[:cap(h.ring)][i], "a stale entry past the ring keeps its data alive")
	}
}
