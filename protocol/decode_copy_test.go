package protocol

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Decode keeps nothing of its input, on the fast path and the slow one
// (escapes, a data object kept raw): a reader reuses one buffer for every
// frame, and a message must not change when the next frame overwrites it.
func TestDecodeKeepsNothingOfItsInput(t *testing.T) {
	for name, frame := range map[string]string{
		"fast":    `{"type":"text","to":"bob","content":"hello","data":{"n":12345678901234567890,"s":"x"}}`,
		"escapes": `{"type":"text","to":"bob","content":"say \"hi\"\n","data":{"s":"\u00e9\""}}`,
		"slow":    `{"type":"text","to":"bob","content":"hello","data":{"n":1},"extra":[1,{"a":"b"}], "msg_id" : "m1"}`,
	} {
		t.Run(name, func(t *testing.T) {
			buf := []byte(frame)
			m, err := Decode(buf)
			require.NoError(t, err)
			want, err := Encode(m)
			require.NoError(t, err)
			copy(buf, bytes.Repeat([]byte{'#'}, len(buf))) // the next frame
			got, err := Encode(m)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))
		})
	}
}
