package recordstore

import (
	"reflect"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// messageFields are protocol.Message's exported fields appendMessage writes.
var messageFields = []string{"ID", "Type", "From", "To", "TicketID", "Content", "Data", "CreateAt", "MsgID", "SeqNo",
	"Priority", "ReplyToMsgID", "Status", "RequireAck", "MessageID", "Code", "Error"}

// A field added to protocol.Message must be added to the binary encoding
// (message.go) and here.
func TestMessageFieldsAreAllWritten(t *testing.T) {
	var got []string
	for f := range reflect.TypeFor[protocol.Message]().Fields() {
		if f.IsExported() {
			got = append(got, f.Name)
		}
	}
	assert.Equal(t, messageFields, got)
}

// Every field reads back as it was: the data's exact numbers and raw bytes,
// the time's instant and zone offset; data set by hand (no raw bytes) too.
func TestMessageRoundTrips(t *testing.T) {
	full, err := protocol.Decode([]byte(`{"id":"m1","type":"ack","from":"a\"<","to":"b","ticket_id":"t","content":"x\n\u2028é","data":{"n":12345678901234567890,"s":[1,{"k":null}]},"create_at":"2026-01-02T03:04:05.123456789+05:30","msg_id":"q","seq_no":-7,"priority":"high","reply_to_msg_id":"r","status":"failed","require_ack":true,"message_id":"m0","code":4001,"error":"e"}`))
	require.NoError(t, err)
	byHand := &protocol.Message{ID: "m2", Type: protocol.TypeText, Data: map[string]any{"a": 1.5, "b": "c"},
		CreateAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	for _, m := range []*protocol.Message{full, byHand, {ID: "m3", Type: protocol.TypeText}} {
		data, err := appendMessage(nil, m, none)
		require.NoError(t, err)
		r := &binReader{b: data, v2: true, v4: true}
		back, err := r.message(none)
		require.NoError(t, err)
		want, err := protocol.Encode(m)
		require.NoError(t, err)
		got, err := protocol.Encode(back)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "the frame as the protocol writes it")
		assert.True(t, m.CreateAt.Equal(back.CreateAt))
	}
	r := &binReader{b: must(appendMessage(nil, full, none)), v2: true, v4: true}
	back, err := r.message(none)
	require.NoError(t, err)
	assert.Equal(t, `{"n":12345678901234567890,"s":[1,{"k":null}]}`, string(back.RawData()), "the raw data kept")
	assert.Equal(t, full.Data, back.Data)
}

// none is a record with nothing a message could refer to.
var none = &recorder.Record{}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
