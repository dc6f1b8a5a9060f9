package protocol

import (
	"errors"
	"fmt"
)

// Sentinel errors of the codec, usable with errors.Is. Every *DecodeError
// unwraps to ErrInvalidFrame and to one of the more precise sentinels.
var (
	ErrInvalidFrame  = errors.New("wsc: invalid frame")
	ErrEmptyFrame    = errors.New("wsc: empty frame")
	ErrMalformedJSON = errors.New("wsc: malformed JSON")
	ErrUnknownType   = errors.New("wsc: unknown message type")
	ErrInvalidField  = errors.New("wsc: invalid field value")
	ErrMissingField  = errors.New("wsc: missing required field")
)

// DecodeError says why a frame was refused. Code is the error-frame code to
// answer with (always CodeInvalidFrame for the codec).
type DecodeError struct {
	Kind   error  // one of the sentinels above
	Field  string // the JSON key at fault, when there is one
	Detail string // a human-readable detail
	Code   int
}

func (e *DecodeError) Error() string {
	msg := e.Kind.Error()
	if e.Field != "" {
		msg += " " + fmt.Sprintf("%q", e.Field)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap lets errors.Is match both ErrInvalidFrame and the precise kind.
func (e *DecodeError) Unwrap() []error { return []error{ErrInvalidFrame, e.Kind} }

func decodeErr(kind error, field, detail string) *DecodeError {
	return &DecodeError{Kind: kind, Field: field, Detail: detail, Code: CodeInvalidFrame}
}
