package recordstore

import (
	"encoding/json"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
)

// wire is a record as data directories written before the binary encoding
// (binary.go) hold it: json.Marshal of this struct, the message as
// protocol.Encode writes it (so Data keeps its exact numbers). Such records
// are read at start-up and written again in binary when they next change;
// nothing writes JSON any more.
type wire struct {
	*recorder.Record
	Message json.RawMessage `json:"Message,omitempty"` // shadows Record.Message
}

// decodeJSON reads a record in the JSON encoding.
func decodeJSON(data []byte) (*recorder.Record, error) {
	rec := &recorder.Record{}
	w := wire{Record: rec}
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, err
	}
	if len(w.Message) > 0 {
		m, err := protocol.Decode(w.Message)
		if err != nil {
			return nil, err
		}
		rec.Message = m
	}
	return rec, nil
}
