package client

import (
	"errors"
	"fmt"
)

// Sentinel errors, usable with errors.Is.
var (
	// ErrClose is returned by sends and ConnectContext once the client is closed:
	// by Close, by a server close code that forbids reconnecting, or by a lost
	// connection when AutoReconnect is off. It is also the cause OnDisconnected
	// reports when Close ended the connection.
	ErrClose = errors.New("wsc: client closed")
	// ErrBufferFull is returned by a send when MessageBufferSize frames are
	// already waiting to be written.
	ErrBufferFull = errors.New("wsc: send buffer full")
	// ErrConnecting is returned by ConnectContext while another call is still
	// dialling: one connection loop per client.
	ErrConnecting = errors.New("wsc: connect already in progress")
	// ErrBadURL is returned when the URL is not a ws:// or wss:// URL; such a
	// URL can never connect, so it is not retried.
	ErrBadURL = errors.New("wsc: bad url")
	// ErrDial matches every *DialError.
	ErrDial = errors.New("wsc: dial failed")
	// ErrServer matches every *ServerError.
	ErrServer = errors.New("wsc: server error")
	// ErrNilMessage is returned by HubClient.SendMessage(nil).
	ErrNilMessage = errors.New("wsc: nil message")
)

// DialError is a failed dial, as passed to OnConnectError. It matches ErrDial
// and unwraps to the transport's error (e.g. websocket.ErrBadHandshake). The
// URL is left out of the message on purpose: it often carries a token.
type DialError struct {
	// StatusCode is the HTTP status of a refused upgrade (401, 403, 503…),
	// or 0 when no HTTP response came back.
	StatusCode int
	Err        error
}

func (e *DialError) Error() string {
	if e.StatusCode != 0 {
		return fmt.Sprintf("wsc: dial failed: HTTP %d: %v", e.StatusCode, e.Err)
	}
	return fmt.Sprintf("wsc: dial failed: %v", e.Err)
}

// Unwrap lets errors.Is match both ErrDial and the underlying error.
func (e *DialError) Unwrap() []error { return []error{ErrDial, e.Err} }

// ServerError is an `error` frame from the hub (PROTOCOL.md, "Control
// frames"): a refused or malformed frame. The connection stays open.
type ServerError struct {
	Code      int    // protocol.CodeInvalidFrame, protocol.CodeForbidden, …
	Text      string // the frame's content
	MessageID string // the id of the frame it refers to, if any
}

func (e *ServerError) Error() string {
	if e.MessageID != "" {
		return fmt.Sprintf("wsc: server error %d: %s (message %s)", e.Code, e.Text, e.MessageID)
	}
	return fmt.Sprintf("wsc: server error %d: %s", e.Code, e.Text)
}

// Unwrap lets errors.Is(err, ErrServer) match.
func (e *ServerError) Unwrap() error { return ErrServer }
