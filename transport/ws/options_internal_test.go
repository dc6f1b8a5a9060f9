package ws

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// gorilla's buffers are 1024 bytes unless the options say otherwise (gorilla's
// own default would be 4096).
func TestBufferSizesDefaultTo1024(t *testing.T) {
	s := Handler(nil, Options{})
	assert.Equal(t, 1024, s.upgrader.ReadBufferSize)
	assert.Equal(t, 1024, s.upgrader.WriteBufferSize)
	s = Handler(nil, Options{ReadBufferSize: 4096, WriteBufferSize: 512})
	assert.Equal(t, 4096, s.upgrader.ReadBufferSize)
	assert.Equal(t, 512, s.upgrader.WriteBufferSize)
}
