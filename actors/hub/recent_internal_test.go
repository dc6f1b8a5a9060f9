package hub

import (
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
