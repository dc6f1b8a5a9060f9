package ack

import "time"

// Config of the tracker; zero values mean the defaults in the comments.
type Config struct {
	// Timeout is the first wait for an ack; zero: 5 s.
	Timeout time.Duration
	// MaxRetry is the number of resends; zero: 3; negative: none.
	MaxRetry int
	// MaxBackoff caps each wait; zero: 1 min.
	MaxBackoff time.Duration
	// Observer, when set, sees every outcome. It runs on the tracker's mailbox:
	// it must be quick and must not block (count, or send to a buffered channel).
	Observer func(Outcome)
}

func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = 5 * time.Second
	}
	if c.MaxRetry == 0 {
		c.MaxRetry = 3
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = time.Minute
	}
	return c
}
