package protocol

import (
	"encoding/json"
	"reflect"
)

// rawData is the data object of a decoded message as it came on the wire
// (compacted), and the Data map it was decoded into. Encode writes the bytes
// instead of marshalling Data as long as Data is still that map with as many
// keys: a message the hub routes carries a client's data out exactly as it came
// in (numbers above 2^53 included), without encoding/json.
type rawData struct {
	bytes []byte
	of    map[string]any
	keys  int
}

// current reports whether the raw bytes still stand for m.Data.
func (m *Message) rawCurrent() bool {
	r := &m.raw
	return r.bytes != nil && len(m.Data) == r.keys && m.Data != nil &&
		reflect.ValueOf(m.Data).UnsafePointer() == reflect.ValueOf(r.of).UnsafePointer()
}

// RawData is the data object as Decode read it (white space removed), while
// Data has not been replaced since; nil otherwise. It is what Encode writes.
// The caller must not change the bytes.
func (m *Message) RawData() json.RawMessage {
	if !m.rawCurrent() {
		return nil
	}
	return m.raw.bytes
}

// SetData replaces Data and drops the raw data, so that Encode marshals the new
// map. Replacing Data or adding or removing a key is noticed by Encode on its
// own; changing the value under an existing key of a decoded message's Data in
// place is not: call SetData(m.Data) after it.
func (m *Message) SetData(data map[string]any) {
	m.Data, m.raw = data, rawData{}
}
