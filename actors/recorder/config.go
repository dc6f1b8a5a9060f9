package recorder

import (
	"fmt"
	"time"
)

// Defaults applied to zero Config fields.
const (
	DefaultMaxRecords = 10000
	// DefaultMaxRecordBytes bounds the records in memory by size: 64 MiB.
	DefaultMaxRecordBytes = 64 << 20
	DefaultRetention      = 24 * time.Hour
	DefaultMaxRetry       = 3
	minCleanup            = time.Second
)

// Config configures a Recorder. The zero value is a disabled recorder.
type Config struct {
	// Enabled turns recording on (the hub's EnableMessageRecord). When false,
	// New spawns nothing and every method is a no-op or returns
	// ErrRecordingDisabled.
	Enabled bool
	// MaxRecords is the most records held at once; inserting one more evicts
	// the oldest finished record (or, when none is finished, the oldest).
	// Zero means 10 000.
	MaxRecords int
	// MaxRecordBytes bounds the records held by their approximate size (the
	// message's content and data, plus a record's own ~480 bytes): past it,
	// records are evicted as past MaxRecords, so that a few huge messages
	// cannot take the memory that a count bound allows. Zero: 64 MiB.
	MaxRecordBytes int64
	// Retention is how long a record is kept after it was created; older
	// records are removed by the clean-up timer. Zero means 24 h.
	Retention time.Duration
	// CleanupInterval is the period of the retention clean-up. Zero means
	// Retention/24, at least one second.
	CleanupInterval time.Duration
	// MaxRetry is the attempt budget of a record: a record with MaxRetry
	// attempts (resends by the ack tracker and by RetryMessage alike) has no
	// attempts left. Zero means 3.
	MaxRetry int
	// NodeID is stamped on every record.
	NodeID string
	// Store holds the records. It is called from the recorder's goroutine
	// only. Nil means an in-memory store.
	Store RecordStore
}

// withDefaults returns cfg with its zero fields defaulted, or an error
// wrapping ErrInvalidConfig when a field is negative.
func (cfg Config) withDefaults() (Config, error) {
	switch {
	case cfg.MaxRecords < 0 || cfg.MaxRecordBytes < 0:
		return cfg, fmt.Errorf("%w: MaxRecords %d", ErrInvalidConfig, cfg.MaxRecords)
	case cfg.Retention < 0:
		return cfg, fmt.Errorf("%w: Retention %s", ErrInvalidConfig, cfg.Retention)
	case cfg.CleanupInterval < 0:
		return cfg, fmt.Errorf("%w: CleanupInterval %s", ErrInvalidConfig, cfg.CleanupInterval)
	case cfg.MaxRetry < 0:
		return cfg, fmt.Errorf("%w: MaxRetry %d", ErrInvalidConfig, cfg.MaxRetry)
	}
	if cfg.MaxRecords == 0 {
		cfg.MaxRecords = DefaultMaxRecords
	}
	if cfg.MaxRecordBytes == 0 {
		cfg.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if cfg.Retention == 0 {
		cfg.Retention = DefaultRetention
	}
	if cfg.CleanupInterval == 0 {
		cfg.CleanupInterval = max(cfg.Retention/24, minCleanup)
	}
	if cfg.MaxRetry == 0 {
		cfg.MaxRetry = DefaultMaxRetry
	}
	if cfg.Store == nil {
		cfg.Store = NewMemoryStore()
	}
	return cfg, nil
}
