package hub_test

import (
	"fmt"
	"testing"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
)

func msg(s string) *protocol.Message { return &protocol.Message{ID: s, Content: s} }

func contents(ms []*protocol.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Content
	}
	return out
}

func TestMemoryOfflineStoreBoundsPerUserAndInTotal(t *testing.T) {
	s := hub.NewMemoryOfflineStore(3, 5)
	for i := 1; i <= 3; i++ {
		assert.Empty(t, s.Put("a", msg(fmt.Sprint("a", i))))
	}
	dropped := s.Put("a", msg("a4"))
	assert.Equal(t, []hub.Dropped{{User: "a", Msg: msg("a1")}}, dropped, "per-user bound drops that user's oldest")
	assert.Empty(t, s.Put("b", msg("b1")))
	assert.Empty(t, s.Put("b", msg("b2")))
	dropped = s.Put("c", msg("c1"))
	assert.Equal(t, []hub.Dropped{{User: "a", Msg: msg("a2")}}, dropped, "total bound drops the oldest of all")
	assert.Equal(t, 5, s.Len())
	assert.Equal(t, []string{"a3", "a4"}, contents(s.Peek("a")))
	assert.Equal(t, []string{"a3", "a4"}, contents(s.Take("a")))
	assert.Empty(t, s.Take("a"))
	assert.Equal(t, 3, s.Len())
	assert.Equal(t, []string{"b1", "b2"}, contents(s.Take("b")))
	assert.Equal(t, []string{"c1"}, contents(s.Take("c")))
	assert.Zero(t, s.Len())

	assert.Empty(t, s.Put("d", msg("d1")))
	assert.Empty(t, s.Put("d", msg("d1")), "the same id again (a retry) is kept once")
	assert.Equal(t, []string{"d1"}, contents(s.Peek("d")))
	s.Take("d")
	s.Put("d", msg("d1"))
	assert.Equal(t, []string{"d1"}, contents(s.Peek("d")), "after a Take it may be kept again")
}
