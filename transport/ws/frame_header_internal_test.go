package ws

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A frame's length takes the fewest bytes that hold it (RFC 6455 5.2: "the
// minimal number of bytes MUST be used"): 7 bits up to 125, 16 up to 65535,
// 64 above; a peer may fail the connection otherwise.
func TestFrameLengthsUseTheShortestEncoding(t *testing.T) {
	for n, want := range map[int][]byte{
		0:       {0x81, 0},
		125:     {0x81, 125},
		126:     {0x81, 126, 0, 126},
		0xFFFF:  {0x81, 126, 0xFF, 0xFF},
		0x10000: {0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0},
	} {
		assert.Equal(t, want, appendHeader(nil, opText, n), "payload of %d bytes", n)
	}
}
