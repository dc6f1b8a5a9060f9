package hub

import (
	"strings"
	"testing"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A client's message counts its data against RecentBytesPerUser as well as
// its content: the data a client sent is kept as it came (RawData).
func TestRingBytesCountAClientsData(t *testing.T) {
	db, err := store.OpenMemory(store.Config{})
	require.NoError(t, err)
	defer db.Close()
	a := &hubActor{cfg: Config{RecentPerUser: 100, RecentBytesPerUser: 64 << 10, Store: db}, hist: map[string]*history{}}
	frame := `{"type":"text","to":"u","content":"c","data":{"pad":"` + strings.Repeat("d", 20<<10) + `"}}`
	for i := range 10 {
		m, err := protocol.Decode([]byte(frame))
		require.NoError(t, err)
		require.NotEmpty(t, m.RawData())
		m.ID = string(rune('a' + i))
		a.remember("u", m, nil)
	}
	h := a.hist["u"]
	assert.Len(t, h.ring, 3, "three of 20 KiB of data in 64 KiB")
	assert.LessOrEqual(t, h.bytes, int64(64<<10))
}
