package protocol

import (
	"encoding/json"
	"strings"
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
		`{}`: true,
		`{"content":"a\nb \"q\" \u00e9 \ud83d\ude00"}`: true, // escapes are read here now
		`{"to":null,"seq_no":null,"data":null}`:        true,
		`{"x":"\\\/\b\f\r\t\u12aB","y":null}`:          true,
		`{"data":{},"data":{"a":1}}`:                   true,  // the last one wins
		"{\"content\":\"\xff\"}":                       true,  // U+FFFD, as encoding/json
		`{"content":"\xff"}`:                           false, // \x is no JSON escape
		`{"seq_no":1.0}`:                               false,
		`{"TO":"bob"}`:                                 false, // case-insensitive match of a known key
		`{"t\u006f":"bob"}`:                            false, // an escaped key
		`{"content":"a\qb"}`:                           false, // an unknown escape
		`{"content":"a\u12"}`:                          false,
		"{\"content\":\"a\x01b\"}":                     false, // a raw control character
		`{"create_at":"2026-01-02T03:04:05\u002e6Z"}`:  false,
		`{"data":[1]}`:                                 false,
		`{"data":` + strings.Repeat(`{"a":`, 70) + `1` + strings.Repeat(`}`, 70) + `}`: false,
		`{"to":"x"} trailing`: false,
		`[1]`:                 false,
	} {
		var m Message
		assert.Equal(t, fast, decodeFast([]byte(in), &m), in)
	}
}

// The strings encoding/json unquotes in its own way: escapes, surrogate pairs
// and their failures, invalid UTF-8.
func TestDecodeStringsAsEncodingJSON(t *testing.T) {
	for _, s := range []string{
		`plain`, `quote \" and \\ and \/`, `\b\f\n\r\t`, `\u0041\u00e9\u4e2d`, `\uD83D\uDE00 emoji`,
		`lone high \ud800 x`, `lone low \udc00`, `high then plain \ud800\u0041`, `two highs \ud800\ud800\udc00`,
		`at the end \ud83d`, "invalid \xff\xfe utf-8", "cut \xe4\xb8", "encoded surrogate \xed\xa0\x80",
		`é 日本 \u2028`,
	} {
		in := `{"content":"` + s + `","data":{"k":"` + s + `"}}`
		m, err := Decode([]byte(in))
		require.NoError(t, err, s)
		var want struct {
			Content string         `json:"content"`
			Data    map[string]any `json:"data"`
		}
		require.NoError(t, json.Unmarshal([]byte(in), &want))
		assert.Equal(t, want.Content, m.Content, s)
		assert.Equal(t, want.Data, m.Data, s)
	}
}

// FuzzDecodeFast: whatever decodeFast accepts, decodeSlow (encoding/json, with
// exact numbers in data) reads the same, raw data included.
func FuzzDecodeFast(f *testing.F) {
	for _, s := range []string{
		`{"to":"bob","content":"hi","seq_no":3}`,
		`{"type":"ack","message_id":"m-1","status":"failed","error":"x"}`,
		`{"data":{"a":[1,2,{"b":null}]},"priority":"high","require_ack":false}`,
		`{"create_at":"2026-01-02T03:04:05.6+02:00","code":-7,"unknown":{"k":[true,false,1e9]}}`,
		`{"id":"é","from":"日本"}`, `{}`, `{"":""}`,
		`{"content":"say \"hi\"\n\ttab \\ \/ \u00e9 \ud83d\ude00 \ud800 \udc00x \ud800\u0041"}`,
		`{"data":{"big":9007199254740993,"f":1.50,"e":-1E+400,"s":"\"q\"","n":null,"a":[ 1 , "x" ]}}`,
		`{"to":null,"data":{"x":1},"data":null,"code":null,"require_ack":null,"create_at":null}`,
		"{\"content\":\"\xff\xfe\",\"data\":{\"k\":\"\xff\"}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var fast Message
		if !decodeFast(in, &fast) {
			return
		}
		slow, err := decodeSlow(in)
		require.NoError(t, err, "decodeFast took what encoding/json refuses: %q", in)
		require.Equal(t, *slow, fast, "%q", in)
	})
}

// a client's usual frame: a routed text message
var commonFrame = []byte(`{"type":"text","to":"bob","content":"hello there, how are you today?","msg_id":"c-1234","priority":"normal"}`)

// the same with chat text that needs escapes
var escapedFrame = []byte(`{"type":"text","to":"bob","content":"she said \"hi\"\nand left \ud83d\ude00 \u00e9t\u00e9","msg_id":"c-1234","priority":"normal"}`)

// a frame with extension data
var dataFrame = []byte(`{"type":"text","to":"bob","content":"hi","data":{"order":9007199254740993,"title":"x","tags":["a","b"],"price":12.50},"msg_id":"c-1"}`)

func benchDecode(b *testing.B, frame []byte) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(frame); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B)        { benchDecode(b, commonFrame) }
func BenchmarkDecodeEscaped(b *testing.B) { benchDecode(b, escapedFrame) }
func BenchmarkDecodeData(b *testing.B)    { benchDecode(b, dataFrame) }

// BenchmarkRouteData is what the hub does with a data frame: decode, stamp,
// encode.
func BenchmarkRouteData(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 512)
	for b.Loop() {
		m, err := Decode(dataFrame)
		if err != nil {
			b.Fatal(err)
		}
		m.From, m.ID = "alice", "m-1"
		if buf, err = AppendEncode(buf[:0], m); err != nil {
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
