package client

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRecentIDsEvictsLeastRecentlySeen(t *testing.T) {
	r := newRecentIDs(2)
	r.add("a")
	r.add("b")
	_, ok := r.lookup("a") // a is now more recent than b
	assert.True(t, ok)
	r.add("c")
	assert.Equal(t, 2, r.len())
	_, ok = r.lookup("b")
	assert.False(t, ok, "b was the least recently seen")
	for _, id := range []string{"a", "c"} {
		_, ok = r.lookup(id)
		assert.True(t, ok, id)
	}
	assert.Same(t, r.add("a"), r.add("a"), "adding a known id keeps its entry")
}

func TestRecentIDsBoundHolds(t *testing.T) {
	r := newRecentIDs(defaultDedupSize)
	for i := range 5 * defaultDedupSize {
		r.add(string(rune(i)))
	}
	assert.Equal(t, defaultDedupSize, r.len())
	assert.Len(t, r.byID, defaultDedupSize)
}

func TestWithDedupSize(t *testing.T) {
	h := NewHubClient("ws://127.0.0.1:1/", WithDedupSize(1))
	defer h.Close()
	assert.Equal(t, 1, h.seen.size)
	d := NewHubClient("ws://127.0.0.1:1/", WithDedupSize(0))
	defer d.Close()
	assert.Equal(t, defaultDedupSize, d.seen.size)
}
