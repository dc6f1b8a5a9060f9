package recordstore

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// records covers every field of a record and every escape of a string.
func records() []*recorder.Record {
	zone := time.FixedZone("x", -(3*3600 + 1800))
	return []*recorder.Record{
		{ID: "z"},
		{ID: "m-1", UserID: "ann", TicketID: "t", NodeID: "node-1", Status: recorder.StatusFailed, Reason: recorder.ReasonMaxRetry,
			Error: "gave up", CreatedAt: time.Unix(1700000000, 123456789).UTC(), UpdatedAt: time.Unix(1700000001, 0).In(zone),
			History: []recorder.Transition{{To: recorder.StatusPending, At: time.Unix(1, 0).UTC()},
				{From: recorder.StatusPending, To: recorder.StatusFailed, Reason: recorder.ReasonMaxRetry, At: time.Unix(2, 500).In(zone)}},
			Attempts:     []recorder.Attempt{{N: 1, At: time.Unix(3, 0).UTC(), Err: "no ack"}, {N: -2}},
			CustomFields: map[string]any{"b": 1.5, "a": []any{"x", nil}, "c": map[string]any{"<": true}},
			Tags:         []string{"vip", ""}, Extra: map[string]any{"n": 12345678901234567890.0}},
		{ID: "escapes", Error: "quote \" backslash \\ <b>&amp; \n\r\t\b\f \x00\x1f\x7f é 日本 \u2028\u2029 bad:\xff\xfe end",
			Tags: []string{}, History: []recorder.Transition{}, Attempts: []recorder.Attempt{}, CustomFields: map[string]any{}},
	}
}

// Without a message, the encoding is json.Marshal's, byte for byte: what
// files written before it hold, and what decode reads.
func TestEncodeIsJSONMarshal(t *testing.T) {
	for _, rec := range records() {
		want, err := json.Marshal(wire{Record: rec})
		require.NoError(t, err)
		got, err := encode(rec)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got))
	}
}

// With a message: the message as protocol.Encode writes it (json.Marshal
// compacted and escaped it, so the two agree once compacted and escaped),
// and decode gives the record back.
func TestEncodeWithMessageRoundTrips(t *testing.T) {
	m, err := protocol.Decode([]byte(`{"id":"m1","type":"text","to":"bob","content":"a <b> & \"c\"","data":{"n": 12345678901234567890, "s":"x"}}`))
	require.NoError(t, err)
	for _, rec := range records() {
		rec.Message = m
		raw, err := protocol.Encode(m)
		require.NoError(t, err)
		want, err := json.Marshal(wire{Record: rec, Message: raw})
		require.NoError(t, err)
		got, err := encode(rec)
		require.NoError(t, err)
		var compact, escaped bytes.Buffer
		require.NoError(t, json.Compact(&compact, got))
		json.HTMLEscape(&escaped, compact.Bytes())
		assert.Equal(t, string(want), escaped.String())

		back, err := decode(got)
		require.NoError(t, err)
		wantBack, err := decode(want)
		require.NoError(t, err)
		assert.Equal(t, wantBack, back)
		assert.Equal(t, m.ID, back.Message.ID)
		assert.Equal(t, `{"n":12345678901234567890,"s":"x"}`, string(back.Message.RawData()), "the data's exact numbers")
	}
}

// A value json.Marshal refuses fails the encoding, as it did.
func TestEncodeRefusesWhatJSONRefuses(t *testing.T) {
	_, err := encode(&recorder.Record{ID: "x", CustomFields: map[string]any{"c": make(chan int)}})
	assert.Error(t, err)
	_, err = encode(&recorder.Record{ID: "x", CreatedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.Error(t, err)
}

func BenchmarkEncode(b *testing.B) {
	// a record as the ACK workload leaves it: three transitions, a message
	now := time.Now()
	rec := &recorder.Record{ID: "0123456789abcdef-1a2b", UserID: "u42", NodeID: "node-10.0.0.1-8080-1", Status: recorder.StatusSuccess,
		CreatedAt: now, UpdatedAt: now, History: []recorder.Transition{{To: recorder.StatusPending, At: now},
			{From: recorder.StatusPending, To: recorder.StatusSending, At: now}, {From: recorder.StatusSending, To: recorder.StatusSuccess, At: now}},
		Message: &protocol.Message{ID: "0123456789abcdef-1a2b", Type: protocol.TypeText, From: "system", To: "u42", Content: "a message of the ack workload", CreateAt: now, RequireAck: true}}
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = encode(rec)
		}
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			raw, _ := protocol.Encode(rec.Message)
			_, _ = json.Marshal(wire{Record: rec, Message: raw})
		}
	})
}
