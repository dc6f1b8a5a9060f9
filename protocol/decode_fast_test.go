package protocol

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeFastTakesCommonFramesAndLeavesTheRest(t *testing.T) {
	for in, fast := range map[string]bool{
		`{"to":"bob","content":"hi"}`:                                                  true,
		` {"type":"ack","message_id":"m-1","status":"failed"} `:                        true,
		`{"seq_no":-12,"code":4000,"require_ack":true,"x":[1,{"y":"z"},-0.5e3,false]}`: true,
		`{"data":{"n":1.5,"s":"x"},"create_at":"2026-01-02T03:04:05.6Z"}`:              true,
		`{}`:                         true,
		`{"content":"a\nb"}`:         false, // an escape: encoding/json unquotes
		`{"to":null}`:                false,
		`{"TO":"bob"}`:               false, // case-insensitive match of a known key
		`{"data":{},"data":{"a":1}}`: false, // repeated maps merge
		`{"seq_no":1.0}`:             false,
		`{"to":"x"} trailing`:        false,
		`{"content":"\xff"}`:         false,
		`[1]`:                        false,
	} {
		var m Message
		assert.Equal(t, fast, decodeFast([]byte(in), &m), in)
	}
}

// FuzzDecodeFast: whatever decodeFast accepts, encoding/json reads the same.
func FuzzDecodeFast(f *testing.F) {
	for _, s := range []string{
		`{"to":"bob","content":"hi","seq_no":3}`,
		`{"type":"ack","message_id":"m-1","status":"failed","error":"x"}`,
		`{"data":{"a":[1,2,{"b":null}]},"priority":"high","require_ack":false}`,
		`{"create_at":"2026-01-02T03:04:05.6+02:00","code":-7,"unknown":{"k":[true,false,1e9]}}`,
		`{"id":"é","from":"日本"}`, `{}`, `{"":""}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var fast Message
		if !decodeFast(in, &fast) {
			return
		}
		var slow Message
		require.NoError(t, json.Unmarshal(in, &slow), "decodeFast took what encoding/json refuses: %q", in)
		require.Equal(t, slow, fast, "%q", in)
	})
}

// a client's usual frame: a routed text message
var commonFrame = []byte(`{"type":"text","to":"bob","content":"hello there, how are you today?","msg_id":"c-1234","priority":"normal"}`)

func BenchmarkDecode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(commonFrame); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeEncodingJSON(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var m Message
		if err := json.Unmarshal(commonFrame, &m); err != nil {
			b.Fatal(err)
		}
	}
}
