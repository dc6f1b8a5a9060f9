package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"
)

// wireMessage is Message with data kept raw: encoding/json reads every other
// key, and data is then read with exact numbers, as decodeFast reads it.
type wireMessage struct {
	Message
	Data json.RawMessage `json:"data,omitempty"`
}

// decodeSlow is the reference decoder: encoding/json for the frame, and for
// data a json.Decoder with UseNumber. It reads what decodeFast leaves and
// produces every error.
func decodeSlow(b []byte) (*Message, error) {
	var w wireMessage
	if err := json.Unmarshal(b, &w); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			// the embedded struct's name is not part of the key
			field := strings.TrimPrefix(typeErr.Field, "Message.")
			return nil, decodeErr(ErrInvalidField, field, "want "+typeErr.Type.String())
		}
		return nil, decodeErr(ErrMalformedJSON, "", err.Error())
	}
	m := w.Message
	if len(w.Data) == 0 || string(w.Data) == "null" {
		return &m, nil
	}
	if w.Data[0] != '{' {
		return nil, decodeErr(ErrInvalidField, "data", "want an object")
	}
	d := json.NewDecoder(bytes.NewReader(w.Data))
	d.UseNumber()
	if err := d.Decode(&m.Data); err != nil {
		return nil, decodeErr(ErrMalformedJSON, "data", err.Error())
	}
	m.setRaw(w.Data, utf8.Valid(w.Data))
	return &m, nil
}
