package protocol

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fullMessage() *Message {
	return &Message{
		ID: "m-1", Type: TypeImage, From: "alice", To: "bob", TicketID: "t-9",
		Content: "héllo \"quoted\" \\ \n\t\x01 \u2028 <tag>", Data: map[string]any{"title": "x", "n": 2.5},
		CreateAt: time.Date(2026, 11, 25, 12, 0, 0, 123456789, time.UTC), MsgID: "c-7", SeqNo: 42,
		Priority: PriorityUrgent, ReplyToMsgID: "m-0", Status: StatusSent, RequireAck: true,
	}
}

func TestEncodeMatchesEncodingJSON(t *testing.T) {
	for name, m := range map[string]*Message{
		"full":  fullMessage(),
		"empty": {},
		"ack":   NewAck("m-1", AckFailed, "no room"),
		"error": NewError(CodeInvalidFrame, "bad", "m-2"),
	} {
		t.Run(name, func(t *testing.T) {
			ours, err := Encode(m)
			require.NoError(t, err)
			var fromOurs, fromStd map[string]any
			require.NoError(t, json.Unmarshal(ours, &fromOurs), string(ours))
			std, err := json.Marshal(m)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(std, &fromStd))
			assert.Equal(t, fromStd, fromOurs)
		})
	}
}

func TestRoundTrip(t *testing.T) {
	m := fullMessage()
	b, err := Encode(m)
	require.NoError(t, err)
	got, err := Decode(b)
	require.NoError(t, err)
	assert.Equal(t, json.Number("2.5"), got.Data["n"], "numbers in data come back exact")
	again, err := Encode(got)
	require.NoError(t, err)
	assert.Equal(t, string(b), string(again))
	got.SetData(m.Data) // the numbers aside, the same message
	assert.Equal(t, m, got)
}

func TestEncodeInvalidUTF8BecomesReplacementChar(t *testing.T) {
	b, err := Encode(&Message{Content: "a\xffb"})
	require.NoError(t, err)
	got, err := Decode(b)
	require.NoError(t, err)
	assert.Equal(t, "a\ufffdb", got.Content)
}

func TestEncodeRejectsUnencodableData(t *testing.T) {
	_, err := Encode(&Message{Data: map[string]any{"c": make(chan int)}})
	require.ErrorIs(t, err, ErrInvalidField)
}

func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		kind  error
		field string
	}{
		{"empty", "", ErrEmptyFrame, ""},
		{"blank", "  \n", ErrEmptyFrame, ""},
		{"not json", "{oops", ErrMalformedJSON, ""},
		{"array", `[1,2]`, ErrMalformedJSON, ""},
		{"trailing garbage", `{"to":"a"} x`, ErrMalformedJSON, ""},
		{"wrong field type", `{"seq_no":"seven"}`, ErrInvalidField, "seq_no"},
		{"unknown type", `{"type":"teleport"}`, ErrUnknownType, "type"},
		{"bad priority", `{"priority":"whenever"}`, ErrInvalidField, "priority"},
		{"ack without id", `{"type":"ack"}`, ErrMissingField, "message_id"},
		{"ack bad status", `{"type":"ack","message_id":"m","status":"maybe"}`, ErrInvalidField, "status"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode([]byte(tc.in))
			require.Nil(t, m)
			require.ErrorIs(t, err, ErrInvalidFrame)
			require.ErrorIs(t, err, tc.kind)
			var de *DecodeError
			require.True(t, errors.As(err, &de))
			assert.Equal(t, CodeInvalidFrame, de.Code)
			assert.Equal(t, tc.field, de.Field)
			assert.True(t, strings.HasPrefix(err.Error(), "wsc: "), err.Error())
		})
	}
}

func TestDecodeDefaultsAndUnknownKeys(t *testing.T) {
	m, err := Decode([]byte(`{"to":"bob","content":"hi","whatever":[1,{"x":2}]}`))
	require.NoError(t, err)
	assert.Equal(t, TypeText, m.Type)
	assert.Equal(t, "bob", m.To)

	ack, err := Decode([]byte(`{"type":"ack","message_id":"m-1"}`))
	require.NoError(t, err)
	assert.Equal(t, AckConfirmed, ack.AckStatus())
}

func TestEnumsHaveGoWscCounts(t *testing.T) {
	assert.Len(t, MessageTypes, 9)
	assert.Len(t, UserTypes, 5)
	assert.Len(t, UserRoles, 3)
	assert.Len(t, UserStatuses, 5)
	assert.Len(t, MessageStatuses, 5)
	assert.Len(t, Priorities, 5)
	for _, mt := range MessageTypes {
		assert.True(t, mt.IsValid())
	}
	assert.False(t, MessageType("x").IsValid())
	assert.False(t, TypeAck.IsContent())
	assert.True(t, UserTypeVIP.IsValid())
	assert.False(t, UserRole("boss").IsValid())
	assert.True(t, UserStatusAway.IsValid())
	assert.True(t, StatusRead.IsValid())
}

func TestShouldReconnect(t *testing.T) {
	for code, want := range map[int]bool{
		CloseNormal: false, CloseGoingAway: true, ClosePolicyViolation: false, CloseMessageTooBig: true,
		CloseReplaced: false, CloseIdleTimeout: true, CloseSlowConsumer: true, CloseRateLimited: true, 1006: true,
	} {
		assert.Equal(t, want, ShouldReconnect(code), "code %d", code)
		assert.NotEmpty(t, CloseText(code))
	}
}

func TestClone(t *testing.T) {
	m := fullMessage()
	c := m.Clone()
	c.Data["title"] = "changed"
	c.To = "carol"
	assert.Equal(t, "x", m.Data["title"])
	assert.Equal(t, "bob", m.To)
}

// FuzzDecode: Decode never panics, and whatever it accepts encodes and decodes
// back to the same frame.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"to":"bob","content":"hi"}`,
		`{"type":"ack","message_id":"m-1","status":"failed","error":"x"}`,
		`{"type":"ping"}`,
		`{"ticket_id":"t","data":{"a":[1,2,{"b":null}]},"priority":"high"}`,
		`{"create_at":"2026-01-02T03:04:05.6Z","seq_no":9007199254740993}`,
		`{"content":"\u2028\ud800"}`,
		`{"content":"q \"x\" \\ \/ \b\f\n\r\t \ud83d\ude00 \udc00 \ud800\u0041","data":{"big":9007199254740993,"f":1.50}}`,
		`{"data": { "k\n" : [ 1e400 , null, {"x":"\u00e9"} ] }, "DATA":{"a":1}}`,
		"{\"data\":{\"k\":\"\xff\"},\"to\":\"\xfe\"}",
		`[]`, `null`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := Decode(in)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidFrame)
			return
		}
		first, err := Encode(m)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidFrame)
			return
		}
		again, err := Decode(first)
		require.NoError(t, err, string(first))
		second, err := Encode(again)
		require.NoError(t, err)
		require.Equal(t, string(first), string(second))
	})
}

func BenchmarkEncode(b *testing.B) {
	m := fullMessage()
	m.Data = nil
	b.ReportAllocs()
	buf := make([]byte, 0, 512)
	for b.Loop() {
		buf, _ = AppendEncode(buf[:0], m)
	}
}

func BenchmarkEncodingJSON(b *testing.B) {
	m := fullMessage()
	m.Data = nil
	b.ReportAllocs()
	for b.Loop() {
		_, _ = json.Marshal(m)
	}
}
