package protocol

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A client's data goes back on the wire as it came: integers above 2^53, a
// trailing zero, an exponent, key order; only the white space goes.
func TestDataPassesThroughExactly(t *testing.T) {
	for _, decode := range []struct {
		name string
		in   string
	}{
		{"fast", `{"to":"bob","data": { "id" : 9007199254740993, "z":1.50, "a":[1e400, -0.0], "s":"\"é\u00e9\"" } }`},
		// an escaped key sends the frame to encoding/json: the same result
		{"slow", `{"t\u006f":"bob","data": { "id" : 9007199254740993, "z":1.50, "a":[1e400, -0.0], "s":"\"é\u00e9\"" } }`},
	} {
		t.Run(decode.name, func(t *testing.T) {
			m, err := Decode([]byte(decode.in))
			require.NoError(t, err)
			assert.Equal(t, "bob", m.To)
			assert.Equal(t, json.Number("9007199254740993"), m.Data["id"])
			assert.Equal(t, []any{json.Number("1e400"), json.Number("-0.0")}, m.Data["a"])
			assert.Equal(t, `"éé"`, m.Data["s"])
			want := `{"id":9007199254740993,"z":1.50,"a":[1e400,-0.0],"s":"\"é\u00e9\""}`
			assert.Equal(t, want, string(m.RawData()))

			// the hub's way: clone, stamp, encode
			c := m.Clone()
			c.From, c.ID = "alice", "m-1"
			out, err := Encode(c)
			require.NoError(t, err)
			assert.Contains(t, string(out), `"data":`+want+`,`)
		})
	}
}

// Encode notices a replaced Data, or a key added or removed, and marshals
// Data then; SetData covers a value changed in place.
func TestEncodeWritesChangedData(t *testing.T) {
	decoded := func() *Message {
		m, err := Decode([]byte(`{"to":"bob","data":{"n":9007199254740993,"k":"v"}}`))
		require.NoError(t, err)
		return m
	}
	encodedData := func(m *Message) map[string]any {
		b, err := Encode(m)
		require.NoError(t, err)
		var got struct{ Data map[string]any }
		require.NoError(t, json.Unmarshal(b, &got))
		return got.Data
	}
	m := decoded()
	m.Data["added"] = true
	assert.Nil(t, m.RawData())
	assert.Equal(t, true, encodedData(m)["added"])

	m = decoded()
	delete(m.Data, "k")
	assert.NotContains(t, encodedData(m), "k")

	m = decoded()
	m.Data = map[string]any{"other": "map"}
	assert.Equal(t, map[string]any{"other": "map"}, encodedData(m))

	m = decoded()
	m.Data = nil
	assert.Nil(t, encodedData(m))

	m = decoded()
	m.Data["k"] = "in place"
	m.SetData(m.Data)
	assert.Equal(t, "in place", encodedData(m)["k"])

	m = decoded()
	c := m.Clone()
	c.Data["added"] = 1
	assert.NotNil(t, m.RawData(), "a clone's change leaves the original's raw data alone")
	assert.Nil(t, c.RawData())
}

// Data with invalid UTF-8 keeps no raw bytes: the frame that goes out holds
// U+FFFD, never the bad bytes (a browser fails a WebSocket on them).
func TestInvalidUTF8DataIsReencoded(t *testing.T) {
	for _, in := range []string{"{\"data\":{\"k\":\"a\xffb\"}}", "{\"data\":{\"k\\n\":\"\\u00e9\xff\"}}", "{\"DATA\":{\"k\":\"\xff\"}}"} {
		m, err := Decode([]byte(in))
		require.NoError(t, err, in)
		assert.Nil(t, m.RawData(), in)
		out, err := Encode(m)
		require.NoError(t, err)
		assert.True(t, utf8.Valid(out), "%q", out)
	}
}

func TestDataMustBeAnObject(t *testing.T) {
	for _, in := range []string{`{"data":[1]}`, `{"data":"x"}`, `{"data":1}`, `{"data":{"a":}}`} {
		_, err := Decode([]byte(in))
		require.ErrorIs(t, err, ErrInvalidFrame, in)
	}
	m, err := Decode([]byte(`{"data":{"a":1},"data":null}`))
	require.NoError(t, err)
	assert.Nil(t, m.Data)
	assert.Nil(t, m.RawData())
}
