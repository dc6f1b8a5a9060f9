package client

import (
	"context"
	"net/http"

	"github.com/gorilla/websocket"
)

// Option sets a per-client knob at construction (New, NewHubClient). Settings
// that can change later live in Config instead.
type Option func(*options)

type options struct {
	header    http.Header
	headerFn  func(ctx context.Context) (http.Header, error)
	dialer    *websocket.Dialer
	config    *Config
	autoAck   bool
	dedupSize int
	batch     bool
}

func buildOptions(opts []Option) options {
	o := options{dialer: websocket.DefaultDialer, autoAck: true, dedupSize: defaultDedupSize}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// WithHeader sets the HTTP headers of every upgrade request (e.g.
// Authorization). The header is copied.
func WithHeader(h http.Header) Option {
	return func(o *options) { o.header = h.Clone() }
}

// WithHeaderFunc makes the HTTP headers of each upgrade request, the first
// and every reconnection, by calling f just before the dial: a token that
// expires is fetched anew (Authorization: Bearer …) instead of being replayed.
// Its headers are added to WithHeader's. An error fails that dial like a
// network error (the client retries with backoff). f runs on the connection
// loop's goroutine, with the dial's context.
func WithHeaderFunc(f func(ctx context.Context) (http.Header, error)) Option {
	return func(o *options) { o.headerFn = f }
}

// WithDialer sets the gorilla dialer (TLS, proxy, handshake timeout, buffer
// sizes). Nil means websocket.DefaultDialer. The client never modifies it.
func WithDialer(d *websocket.Dialer) Option {
	return func(o *options) {
		if d != nil {
			o.dialer = d
		}
	}
}

// WithConfig is SetConfig at construction.
func WithConfig(c *Config) Option {
	return func(o *options) { o.config = c }
}

// WithAutoAck sets whether a HubClient acks require_ack messages by itself
// once the handler returns (default true). When off, the application calls
// Ack or Nack. Ignored by New.
func WithAutoAck(on bool) Option {
	return func(o *options) { o.autoAck = on }
}

// WithDedupSize sets how many recent message ids a HubClient remembers to
// drop redeliveries (default 1024; zero or negative keeps the default).
// Ignored by New.
func WithDedupSize(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.dedupSize = n
		}
	}
}

// WithBatch asks the server for batches (batch=1 in the URL's query,
// PROTOCOL.md): it may then send several queued messages in one text frame,
// as a JSON array of frames. A HubClient dispatches each message of an array
// in order, as if it had come alone; a plain Wsc hands the frame to
// OnTextMessageReceived as it came, array or object. What the client sends
// is not batched.
func WithBatch() Option {
	return func(o *options) { o.batch = true }
}
