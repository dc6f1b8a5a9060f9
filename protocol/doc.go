// Package protocol is go-wsc's wire protocol, version 1 (PROTOCOL.md): the
// frame type, the enums with go-wsc's names and values, the close and error
// codes, and the codec.
//
// Concurrency: everything here is a value or a pure function. A *Message may be
// read by many goroutines at once, but must not be changed after it has been
// handed to the hub or encoded; the hub copies a message before stamping it.
//
// # Decoding
//
// Decode reads a frame without reflection (decode_fast.go), strings with
// escapes included (decode_string.go: the same values encoding/json gives,
// invalid UTF-8 and lone surrogates as U+FFFD); what it is not sure of, and
// every error, goes to encoding/json (decode_slow.go). FuzzDecodeFast holds
// the two to the same Message.
//
// # Data: exact, and passed through
//
// Decode gives every number in Data as a json.Number (its exact text; before,
// encoding/json made it a float64 and rounded integers above 2^53), and keeps
// the data object's bytes, white space removed (RawData). Encode writes those
// bytes back instead of marshalling Data while Data is still the decoded map
// with as many keys, so a message the hub routes carries its data out as it
// came in. Replacing Data, or adding or removing a key, makes Encode marshal
// Data again; a value changed in place under an existing key is not noticed:
// call SetData(m.Data) after such a change. Clone keeps the raw data. Data
// holding invalid UTF-8 keeps no raw bytes (Encode marshals it, with U+FFFD).
//
// The package is shared by the server (actors, transports) and the client, and
// imports nothing of either.
package protocol
