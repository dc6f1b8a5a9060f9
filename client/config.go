package client

import "time"

// Defaults of a Config field left at its zero value.
const (
	DefaultWriteWait         = 10 * time.Second
	DefaultMaxMessageSize    = 64 << 10 // 64 KiB: the hub's own inbound limit; go-wsc's 512 bytes cut real messages
	DefaultMinRecTime        = 2 * time.Second
	DefaultMaxRecTime        = 60 * time.Second
	DefaultRecFactor         = 1.5
	DefaultMessageBufferSize = 256
)

// Config holds go-wsc's client settings. Every field's zero value means its
// default, so a go-wsc `&Config{…}` literal keeps working; NewDefaultConfig
// and the With… methods build one fluently. SetConfig copies the Config:
// changing it afterwards has no effect until SetConfig is called again.
type Config struct {
	// WriteWait bounds each write of a frame. Zero (or negative) means 10 s.
	WriteWait time.Duration
	// MaxMessageSize is the largest inbound message in bytes. A bigger one
	// ends the connection (close 1009 sent to the server) and the client
	// reconnects. Zero means 64 KiB; negative means no limit.
	MaxMessageSize int64
	// MinRecTime is the shortest wait before a redial. Zero (or negative)
	// means 2 s.
	MinRecTime time.Duration
	// MaxRecTime caps the wait before a redial. Zero (or negative) means
	// 60 s; a value below MinRecTime means MinRecTime.
	MaxRecTime time.Duration
	// RecFactor multiplies the wait ceiling after each failed dial. Zero (or
	// anything below 1) means 1.5.
	RecFactor float64
	// MessageBufferSize is how many frames may wait to be written, while
	// connected or not; one more gives ErrBufferFull. Zero (or negative)
	// means 256.
	MessageBufferSize int
	// AutoReconnect redials after a lost connection. Nil means true: a
	// pointer so that a go-wsc Config literal, which has no such field, keeps
	// reconnecting. Set it with WithAutoReconnect.
	AutoReconnect *bool
}

// NewDefaultConfig returns a Config with every default spelled out.
func NewDefaultConfig() *Config {
	on := true
	return &Config{
		WriteWait:         DefaultWriteWait,
		MaxMessageSize:    DefaultMaxMessageSize,
		MinRecTime:        DefaultMinRecTime,
		MaxRecTime:        DefaultMaxRecTime,
		RecFactor:         DefaultRecFactor,
		MessageBufferSize: DefaultMessageBufferSize,
		AutoReconnect:     &on,
	}
}

// WithWriteWait sets WriteWait and returns c.
func (c *Config) WithWriteWait(d time.Duration) *Config { c.WriteWait = d; return c }

// WithMaxMessageSize sets MaxMessageSize and returns c.
func (c *Config) WithMaxMessageSize(n int64) *Config { c.MaxMessageSize = n; return c }

// WithMinRecTime sets MinRecTime and returns c.
func (c *Config) WithMinRecTime(d time.Duration) *Config { c.MinRecTime = d; return c }

// WithMaxRecTime sets MaxRecTime and returns c.
func (c *Config) WithMaxRecTime(d time.Duration) *Config { c.MaxRecTime = d; return c }

// WithRecFactor sets RecFactor and returns c.
func (c *Config) WithRecFactor(f float64) *Config { c.RecFactor = f; return c }

// WithMessageBufferSize sets MessageBufferSize and returns c.
func (c *Config) WithMessageBufferSize(n int) *Config { c.MessageBufferSize = n; return c }

// WithAutoReconnect sets AutoReconnect and returns c.
func (c *Config) WithAutoReconnect(on bool) *Config { c.AutoReconnect = &on; return c }

// settings is a Config with the defaults applied; the client reads only this.
type settings struct {
	writeWait      time.Duration
	maxMessageSize int64 // 0: no limit (gorilla's meaning)
	backoff        backoff
	bufferSize     int
	autoReconnect  bool
}

func (c *Config) resolve() settings {
	if c == nil {
		c = &Config{}
	}
	s := settings{
		writeWait:      positiveOr(c.WriteWait, DefaultWriteWait),
		maxMessageSize: c.MaxMessageSize,
		bufferSize:     positiveOr(c.MessageBufferSize, DefaultMessageBufferSize),
		autoReconnect:  c.AutoReconnect == nil || *c.AutoReconnect,
		backoff: backoff{
			min:    positiveOr(c.MinRecTime, DefaultMinRecTime),
			max:    positiveOr(c.MaxRecTime, DefaultMaxRecTime),
			factor: c.RecFactor,
		},
	}
	switch {
	case s.maxMessageSize == 0:
		s.maxMessageSize = DefaultMaxMessageSize
	case s.maxMessageSize < 0:
		s.maxMessageSize = 0 // gorilla's "no limit"
	}
	if s.backoff.max < s.backoff.min {
		s.backoff.max = s.backoff.min
	}
	if s.backoff.factor < 1 {
		s.backoff.factor = DefaultRecFactor
	}
	return s
}

// positiveOr returns v, or def when v is zero or negative.
func positiveOr[T time.Duration | int](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}
