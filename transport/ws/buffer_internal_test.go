package ws

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A buffer of up to maxIdleBuffer bytes is kept, emptied, for the next frame;
// a bigger one is let go (keepSmall: the reader's frame buffer and the
// writer's batch buffer).
func TestABufferUpToMaxIdleBufferIsKept(t *testing.T) {
	b := make([]byte, 100, maxIdleBuffer)
	kept := keepSmall(b)
	assert.Empty(t, kept)
	require.Equal(t, maxIdleBuffer, cap(kept))
	assert.Same(t, &b[0], &kept[:1][0], "the same buffer")
	assert.Nil(t, keepSmall(make([]byte, 100, maxIdleBuffer+1)), "one byte more: let go")
	assert.NotNil(t, keepSmall(make([]byte, 0, 1)))
}

// readFrame reads into the buffer it is given when that has room: the reader
// reuses one buffer from frame to frame, so a frame costs no buffer of its
// own. Without one it makes its own, and it reads up to max bytes.
func TestReadFrameReadsIntoTheBufferItIsGiven(t *testing.T) {
	msg := []byte(`{"content":"hello"}`)
	buf := make([]byte, 0, 64)
	got, err := readFrame(bytes.NewReader(msg), buf, 1<<20)
	require.NoError(t, err)
	require.Equal(t, msg, got)
	assert.Same(t, &buf[:1][0], &got[0], "read into the buffer given")

	big := []byte(strings.Repeat("x", 10_000))
	got, err = readFrame(bytes.NewReader(big), nil, 1<<20)
	require.NoError(t, err)
	assert.Equal(t, big, got, "no buffer given")
	got, err = readFrame(bytes.NewReader(big), buf, 5000)
	require.NoError(t, err)
	assert.Equal(t, big[:5000], got, "up to max bytes")
}

// A frame shared by many connections is framed once, in one allocation (the
// buffer has room for the longest header), and framed as appendFrame does.
func TestASharedFrameIsFramedInOneAllocation(t *testing.T) {
	for _, n := range []int{10, 125, 126, 65535, 65536} {
		p := bytes.Repeat([]byte("x"), n)
		assert.Equal(t, appendFrame(nil, opText, p), frameText(p), "%d bytes", n)
		assert.Equal(t, 1.0, testing.AllocsPerRun(20, func() { _ = frameText(p) }), "%d bytes", n)
	}
}
