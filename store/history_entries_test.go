package store

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A history entry whose frame begins with its id is written without the id
// (the frame holds it), and one whose frame does not (no id first, an id
// JSON escapes, an empty one) with it; each reads back with its id.
func TestHistoryEntriesWriteTheIDOnce(t *testing.T) {
	entries := histEntries{
		{"u", "3a43cf801a52d1e3-1f2e3", []byte(`{"id":"3a43cf801a52d1e3-1f2e3","type":"text","content":"x"}`)},
		{"u", `q"uote`, []byte(`{"id":"q\"uote","type":"text"}`)},
		{"u", "m2", []byte(`{"type":"text","id":"m2"}`)},
		{"u", "m3", []byte(`{"id":"m3x","type":"text"}`)}, // another id's frame: written as it is
		{"u", "", []byte(`{"id":"","type":"text"}`)},
		{"v", "m4", []byte(`{"id":"m4"}`)},
	}
	var b []byte
	for i := range entries.Len() {
		n := len(b)
		b = entries.Append(b, i)
		require.Equal(t, entries.Size(i), len(b)-n, i)
	}
	assert.Equal(t, 1, bytes.Count(b, []byte("3a43cf801a52d1e3-1f2e3")), "the id once, in its frame")
	assert.Equal(t, 2, bytes.Count(b, []byte("m3")), "m3 written, its frame not framing it")
	got, ok := segmentEntries(nil, 1, b, "u")
	require.True(t, ok)
	require.Len(t, got, 5)
	for i, e := range got {
		assert.Equal(t, entries[i].id, string(e.id), i)
		assert.Equal(t, string(entries[i].data), string(e.data), i)
	}
}
