// Package protocol is go-wsc's wire protocol, version 1 (PROTOCOL.md): the
// frame type, the enums with go-wsc's names and values, the close and error
// codes, and the codec.
//
// Concurrency: everything here is a value or a pure function. A *Message may be
// read by many goroutines at once, but must not be changed after it has been
// handed to the hub or encoded; the hub copies a message before stamping it.
//
// The package is shared by the server (actors, transports) and the client, and
// imports nothing of either.
package protocol
