package recordstore

import (
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// records covers every field of a record, nil and empty slices and maps, and
// strings no JSON writes as they are.
func records() []*recorder.Record {
	zone := time.FixedZone("x", -(3*3600 + 1800))
	return []*recorder.Record{
		{ID: "z"},
		{ID: "m-1", UserID: "ann", TicketID: "t", NodeID: "node-1", Status: recorder.StatusFailed, Reason: recorder.ReasonMaxRetry,
			Error: "gave up", CreatedAt: time.Unix(1700000000, 123456789).UTC(), UpdatedAt: time.Unix(1700000001, 0).In(zone),
			History: []recorder.Transition{{To: recorder.StatusPending, At: time.Unix(1, 0).UTC()},
				{From: recorder.StatusPending, To: recorder.StatusFailed, Reason: recorder.ReasonMaxRetry, At: time.Unix(-2, 500).In(zone)}},
			Attempts:     []recorder.Attempt{{N: 1, At: time.Unix(3, 0).UTC(), Err: "no ack"}, {N: -2}},
			CustomFields: map[string]any{"b": 1.5, "a": []any{"x", nil}, "c": map[string]any{"<": true}},
			Tags:         []string{"vip", ""}, Extra: map[string]any{"n": 12345678901234567890.0}},
		// made and delivered at once, as the hub's Accepted makes it: the
		// message's id and receiver are the record's, the times the same,
		// the transitions chained (message() is m1 to bob)
		{ID: "m1", UserID: "bob", NodeID: "node-1", Status: recorder.StatusSuccess,
			CreatedAt: time.Unix(1700000000, 5).UTC(), UpdatedAt: time.Unix(1700000000, 5).UTC(),
			History: []recorder.Transition{{To: recorder.StatusPending, At: time.Unix(1700000000, 5).UTC()},
				{From: recorder.StatusPending, To: recorder.StatusSuccess, At: time.Unix(1700000000, 5).UTC()}},
			Attempts: []recorder.Attempt{{N: 1, At: time.Unix(1700000000, 5).UTC()}}, Tags: []string{"text"}},
		// statuses no recorder writes (a later one's) go as strings
		{ID: "n", Status: "later", Reason: "why", History: []recorder.Transition{{From: "a", To: "later", Reason: "x"}}},
		{ID: "escapes", Error: "quote \" backslash \\ <b>&amp; \n\r\t\b\f \x00\x1f\x7f é 日本 \u2028\u2029 end",
			Tags: []string{}, History: []recorder.Transition{}, Attempts: []recorder.Attempt{}, CustomFields: map[string]any{}, Extra: map[string]any{}},
	}
}

// utc is rec with every time in UTC: the encoding keeps the instant, not
// the zone (read back in the local one).
func utc(rec *recorder.Record) *recorder.Record {
	c := rec.Clone()
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	for i := range c.History {
		c.History[i].At = c.History[i].At.UTC()
	}
	for i := range c.Attempts {
		c.Attempts[i].At = c.Attempts[i].At.UTC()
	}
	c.Message = nil // compared on its own: its raw data is not comparable
	return &c
}

func message(t *testing.T) *protocol.Message {
	m, err := protocol.Decode([]byte(`{"id":"m1","type":"text","to":"bob","content":"a <b> & \"c\"","data":{"n": 12345678901234567890, "s":"x"},"create_at":"2026-01-02T03:04:05.123+01:00"}`))
	require.NoError(t, err)
	return m
}

// A record reads back as it was written, with and without its message
// (whose data keeps its exact numbers).
func TestBinaryRoundTrips(t *testing.T) {
	m := message(t)
	for _, withMessage := range []bool{false, true} {
		for _, rec := range records() {
			if withMessage {
				rec.Message = m
			}
			data, err := appendBinary(nil, rec)
			require.NoError(t, err)
			back, err := decode(rec.ID, data)
			require.NoError(t, err)
			assert.Equal(t, utc(rec), utc(back))
			if !withMessage {
				assert.Nil(t, back.Message)
				continue
			}
			require.NotNil(t, back.Message)
			want, err := protocol.Encode(m)
			require.NoError(t, err)
			got, err := protocol.Encode(back.Message)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))
			assert.Equal(t, `{"n":12345678901234567890,"s":"x"}`, string(back.Message.RawData()), "the data's exact numbers")
		}
	}
}

// Records written before the binary encoding (JSON) read as they did.
func TestJSONRecordsStillRead(t *testing.T) {
	m := message(t)
	raw, err := protocol.Encode(m)
	require.NoError(t, err)
	for _, rec := range records() {
		for _, msg := range []json.RawMessage{nil, raw} {
			data, err := json.Marshal(wire{Record: rec, Message: msg})
			require.NoError(t, err)
			back, err := decode(rec.ID, data)
			require.NoError(t, err)
			assert.Equal(t, utc(rec), utc(back))
			if msg != nil {
				require.NotNil(t, back.Message)
				assert.Equal(t, `{"n":12345678901234567890,"s":"x"}`, string(back.Message.RawData()))
			}
		}
	}
}

// v1 holds records() in the first binary encoding (binVersion1), each
// without and with message(): written before the second, they read as
// they did.
var v1 = []string{
	"01017a000000000000ffdb8ff9ce0300ffdb8ff9ce0300000000000000",
	"01017a000000000000ffdb8ff9ce0300ffdb8ff9ce0300000000000001026d3104746578740003626f62000b61203c623e202620226322000000000000aa9eb9950dc0a9d33aa038000000227b226e223a31323334353637383930313233343536373839302c2273223a2278227d",
	"01036d2d3103616e6e0174066e6f64652d31066661696c6564096d61785f7265747279076761766520757080c49fd50c959aef3a82c49fd50c0003000770656e64696e670002000770656e64696e67066661696c6564096d61785f726574727903f40303020600066e6f2061636b03ffdb8ff9ce0300002c7b2261223a5b2278222c6e756c6c5d2c2262223a312e352c2263223a7b225c7530303363223a747275657d7d0303766970001a7b226e223a31323334353637383930313233343536373030307d00",
	"01036d2d3103616e6e0174066e6f64652d31066661696c6564096d61785f7265747279076761766520757080c49fd50c959aef3a82c49fd50c0003000770656e64696e670002000770656e64696e67066661696c6564096d61785f726574727903f40303020600066e6f2061636b03ffdb8ff9ce0300002c7b2261223a5b2278222c6e756c6c5d2c2262223a312e352c2263223a7b225c7530303363223a747275657d7d0303766970001a7b226e223a31323334353637383930313233343536373030307d01026d3104746578740003626f62000b61203c623e202620226322000000000000aa9eb9950dc0a9d33aa038000000227b226e223a31323334353637383930313233343536373839302c2273223a2278227d",
	"01076573636170657300000000003b71756f74652022206261636b736c617368205c203c623e26616d703b200a0d09080c20001f7f20c3a920e697a5e69cac20e280a8e280a920656e64ffdb8ff9ce0300ffdb8ff9ce03000101027b7d01027b7d00",
	"01076573636170657300000000003b71756f74652022206261636b736c617368205c203c623e26616d703b200a0d09080c20001f7f20c3a920e697a5e69cac20e280a8e280a920656e64ffdb8ff9ce0300ffdb8ff9ce03000101027b7d01027b7d01026d3104746578740003626f62000b61203c623e202620226322000000000000aa9eb9950dc0a9d33aa038000000227b226e223a31323334353637383930313233343536373839302c2273223a2278227d",
}

func TestFirstBinaryRecordsStillRead(t *testing.T) {
	olderBinaryRecordsRead(t, binVersion1, v1)
}

// v2 holds records() as v1 does, in the second binary encoding
// (binVersion2: the record's id in full, written by main at b23db92).
var v2 = []string{
	"02057a000000000000ffdb8ff9ce030000000000000000",
	"02057a000000000000ffdb8ff9ce030000000000000001076d311e0009626f62001961203c623e202620226322000000000000aa9eb9950dc0a9d33aa038000000227b226e223a31323334353637383930313233343536373839302c2273223a2278227d",
	"02096d2d3109616e6e05740f6e6f64652d31081c116761766520757080c49fd50c959aef3a0282c49fd50c000300020002020001011c0203f40303020206000f6e6f2061636b0300002c7b2261223a5b2278222c6e756c6c5d2c2262223a312e352c2263223a7b225c7530303363223a747275657d7d0309766970001a7b226e223a31323334353637383930313233343536373030307d00",
	"02096d2d3109616e6e05740f6e6f64652d31081c116761766520757080c49fd50c959aef3a0282c49fd50c000300020002020001011c0203f40303020206000f6e6f2061636b0300002c7b2261223a5b2278222c6e756c6c5d2c2262223a312e352c2263223a7b225c7530303363223a747275657d7d0309766970001a7b226e223a31323334353637383930313233343536373030307d01076d311e0009626f62001961203c623e202620226322000000000000aa9eb9950dc0a9d33aa038000000227b226e223a31323334353637383930313233343536373839302c2273223a2278227d",
	"02116573636170657300000000007971756f74652022206261636b736c617368205c203c623e26616d703b200a0d09080c20001f7f20c3a920e697a5e69cac20e280a8e280a920656e64ffdb8ff9ce0300000101027b7d01027b7d00",
	"02116573636170657300000000007971756f74652022206261636b736c617368205c203c623e26616d703b200a0d09080c20001f7f20c3a920e697a5e69cac20e280a8e280a920656e64ffdb8ff9ce0300000101027b7d01027b7d01076d311e0009626f62001961203c623e202620226322000000000000aa9eb9950dc0a9d33aa038000000227b226e223a31323334353637383930313233343536373839302c2273223a2278227d",
}

func TestSecondBinaryRecordsStillRead(t *testing.T) {
	olderBinaryRecordsRead(t, binVersion2, v2)
}

// v3 holds records() as v1 does, in the third binary encoding
// (binVersion3: the message's time in full, written by main at 0c0ff93).
var v3 = []string{
	"0301000000000000ffdb8ff9ce030000000000000000",
	"0301000000000000ffdb8ff9ce030000000000000001076d311e0009626f62001961203c623e202620226322000000000000aa9eb9950dc0a9d33aa038000000227b226e223a31323334353637383930313233343536373839302c2273223a2278227d",
	"030109616e6e05740f6e6f64652d31081c116761766520757080c49fd50c959aef3a0282c49fd50c000300020002020001011c0203f40303020206000f6e6f2061636b0300002c7b2261223a5b2278222c6e756c6c5d2c2262223a312e352c2263223a7b225c7530303363223a747275657d7d0309766970001a7b226e223a31323334353637383930313233343536373030307d00",
	"030109616e6e05740f6e6f64652d31081c116761766520757080c49fd50c959aef3a0282c49fd50c000300020002020001011c0203f40303020206000f6e6f2061636b0300002c7b2261223a5b2278222c6e756c6c5d2c2262223a312e352c2263223a7b225c7530303363223a747275657d7d0309766970001a7b226e223a31323334353637383930313233343536373030307d01076d311e0009626f62001961203c623e202620226322000000000000aa9eb9950dc0a9d33aa038000000227b226e223a31323334353637383930313233343536373839302c2273223a2278227d",
	"030100000000007971756f74652022206261636b736c617368205c203c623e26616d703b200a0d09080c20001f7f20c3a920e697a5e69cac20e280a8e280a920656e64ffdb8ff9ce0300000101027b7d01027b7d00",
	"030100000000007971756f74652022206261636b736c617368205c203c623e26616d703b200a0d09080c20001f7f20c3a920e697a5e69cac20e280a8e280a920656e64ffdb8ff9ce0300000101027b7d01027b7d01076d311e0009626f62001961203c623e202620226322000000000000aa9eb9950dc0a9d33aa038000000227b226e223a31323334353637383930313233343536373839302c2273223a2278227d",
}

func TestThirdBinaryRecordsStillRead(t *testing.T) {
	olderBinaryRecordsRead(t, binVersion3, v3)
}

// olderBinaryRecordsRead checks that records()' first two and last, each
// without and with message(), in an older encoding (hexes, in that order),
// read as they were written. Before the third encoding each is read under
// a key that is not its id: those hold the id in full, and that is the one
// read; from the third on, under its id (the key's).
func olderBinaryRecordsRead(t *testing.T, version byte, hexes []string) {
	m := message(t)
	recs := records()
	for i, rec := range []*recorder.Record{recs[0], recs[1], recs[len(recs)-1]} {
		for j, withMessage := range []bool{false, true} {
			data, err := hex.DecodeString(hexes[2*i+j])
			require.NoError(t, err)
			require.Equal(t, version, data[0])
			key := "another"
			if version >= binVersion3 {
				key = rec.ID
			}
			back, err := decode(key, data)
			require.NoError(t, err)
			assert.Equal(t, utc(rec), utc(back))
			if withMessage {
				require.NotNil(t, back.Message)
				want, err := protocol.Encode(m)
				require.NoError(t, err)
				got, err := protocol.Encode(back.Message)
				require.NoError(t, err)
				assert.Equal(t, string(want), string(got))
			} else {
				assert.Nil(t, back.Message)
			}
		}
	}
}

// The third encoding does not repeat the record's id (the store writes it
// before the record): a record is read as the record of the key it is
// read under, and its bytes hold the id nowhere.
func TestRecordsDoNotRepeatTheirID(t *testing.T) {
	rec := records()[2] // m1, made and delivered at once
	rec.ID, rec.UserID = "3a43cf801a52d1e3-1f2e3", "u124"
	m := message(t)
	m.ID, m.To = rec.ID, rec.UserID
	rec.Message = m
	data, err := appendBinary(nil, rec)
	require.NoError(t, err)
	assert.NotContains(t, string(data), rec.ID)
	back, err := decode(rec.ID, data)
	require.NoError(t, err)
	assert.Equal(t, rec.ID, back.ID)
	assert.Equal(t, rec.ID, back.Message.ID)
	back, err = decode("other", data)
	require.NoError(t, err)
	assert.Equal(t, "other", back.ID, "the key's id")
}

// A message stamped with its record's instant (the hub stamps both from one
// clock reading) costs one byte for its time, not ten (a code and the time
// in full, as any other instant: the third encoding wrote nine, the time
// alone), and reads back with its own zone offset.
func TestAMessageAtItsRecordsInstantCostsAByte(t *testing.T) {
	at := time.Unix(1700000000, 123456789)
	rec := &recorder.Record{ID: "m1", UserID: "bob", CreatedAt: at.UTC(), UpdatedAt: at.UTC(),
		Message: &protocol.Message{ID: "m1", Type: protocol.TypeText, To: "bob", CreateAt: at.In(time.FixedZone("", 3600))}}
	same, err := appendBinary(nil, rec)
	require.NoError(t, err)
	rec.Message.CreateAt = at.Add(time.Millisecond).In(time.FixedZone("", 3600))
	other, err := appendBinary(nil, rec)
	require.NoError(t, err)
	assert.Equal(t, len(other)-9, len(same), "the time as a code: 1 byte against code and time, 10")
	back, err := decode("m1", same)
	require.NoError(t, err)
	assert.True(t, at.Equal(back.Message.CreateAt))
	_, offset := back.Message.CreateAt.Zone()
	assert.Equal(t, 3600, offset)
}

// What JSON cannot hold fails the encoding (the record stays in memory
// only, counted by the store), as it did.
func TestEncodeRefusesWhatJSONRefuses(t *testing.T) {
	_, err := appendBinary(nil, &recorder.Record{ID: "x", CustomFields: map[string]any{"c": make(chan int)}})
	assert.Error(t, err)
	_, err = appendBinary(nil, &recorder.Record{ID: "x", Message: &protocol.Message{ID: "x", Data: map[string]any{"c": make(chan int)}}})
	assert.Error(t, err)
}

// A damaged record is an error, never a panic nor a record: every
// truncation of a full one, and every byte of it changed.
func TestDamagedRecordsAreErrors(t *testing.T) {
	rec := records()[1]
	rec.Message = message(t)
	data, err := appendBinary(nil, rec)
	require.NoError(t, err)
	for n := range len(data) {
		_, err := decode(rec.ID, data[:n])
		assert.Error(t, err, "cut at %d of %d", n, len(data))
	}
	for i := range data {
		for _, v := range []byte{0, 0x7f, 0x80, 0xff} {
			bad := append([]byte(nil), data...)
			bad[i] = v
			_, _ = decode(rec.ID, bad) // may read as another record: only no panic
		}
	}
}

func FuzzDecode(f *testing.F) {
	rec := records()[1]
	rec.Message, _ = protocol.Decode([]byte(`{"id":"m1","to":"bob","data":{"n":1}}`))
	data, _ := appendBinary(nil, rec)
	f.Add(data)
	f.Add([]byte{binVersion})
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := decode("x", data)
		if err == nil && rec == nil {
			t.Fatal("no record and no error")
		}
	})
}

func BenchmarkEncode(b *testing.B) {
	// a record as the ACK workload leaves it: three transitions, a message
	now := time.Now()
	rec := &recorder.Record{ID: "0123456789abcdef-1a2b", UserID: "u42", NodeID: "node-10.0.0.1-8080-1", Status: recorder.StatusSuccess,
		CreatedAt: now, UpdatedAt: now, History: []recorder.Transition{{To: recorder.StatusPending, At: now},
			{From: recorder.StatusPending, To: recorder.StatusSending, At: now}, {From: recorder.StatusSending, To: recorder.StatusSuccess, At: now}},
		Message: &protocol.Message{ID: "0123456789abcdef-1a2b", Type: protocol.TypeText, From: "system", To: "u42", Content: "a message of the ack workload", CreateAt: now, RequireAck: true}}
	b.Run("binary", func(b *testing.B) { // as Put does: into a buffer reused
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf, _ = appendBinary(buf[:0], rec)
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

// wordOf finds each of words at its place, and nothing else.
func TestWordsAndWordOfAgree(t *testing.T) {
	for i, w := range words {
		k, ok := wordOf(w)
		assert.True(t, ok, w)
		assert.Equal(t, i, k, w)
	}
	for _, w := range []string{"", "Pending", "pending ", "x", "user-offline"} {
		_, ok := wordOf(w)
		assert.False(t, ok, w)
	}
}
