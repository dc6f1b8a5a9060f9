package store

import (
	"fmt"
	"time"
)

// Config bounds a DB. Every zero value means the default in its comment.
type Config struct {
	// OfflinePerUser bounds one user's offline messages; zero: 1000.
	OfflinePerUser int
	// OfflinePerUserBytes bounds one user's offline bytes (encoded); zero: 1 MiB.
	OfflinePerUserBytes int64
	// OfflineTotal bounds all offline messages; zero: 100 000.
	OfflineTotal int
	// OfflineTotalBytes bounds all offline bytes; zero: 64 MiB.
	OfflineTotalBytes int64
	// RefuseWhenFull: past a total bound, refuse the new message (ErrFull)
	// instead of evicting the oldest message of all users (today's behaviour,
	// the default), so that one user's flood never evicts another's messages.
	RefuseWhenFull bool

	// HistoryPerUser bounds a user's history in messages; zero: 64.
	HistoryPerUser int
	// HistoryTTL is how long a message stays in the history; zero: 1 h.
	HistoryTTL time.Duration
	// HistoryMaxBytes bounds the history of all users together (the log's
	// bytes, histlog.go): past it the oldest messages go before their TTL.
	// Zero: 64 MiB, the full HistoryPerUser of about 3,400 users at 300-byte
	// messages, or about 20 s of the p2p benchmark's rate (11k messages/s),
	// whichever ends first; a resume reads at most that much.
	HistoryMaxBytes int64

	// SweepInterval is how often the writer deletes the history's expired
	// segments; zero: 1 s.
	SweepInterval time.Duration

	// SeqBlock is how many numbers a stream reserves on disk at a time; the
	// next block is reserved when half is used. Zero: 1000.
	SeqBlock int64

	// FlushInterval is how long a write-behind write (nil Done) may wait for a
	// commit; it is the crash window of records and history. Zero: 50 ms.
	FlushInterval time.Duration
	// MaxQueueBytes bounds the bytes waiting for the writer; past it puts
	// fail with ErrBusy. Zero: 64 MiB.
	MaxQueueBytes int64
	// MaxKey bounds users, streams, tickets and ids in bytes; zero: 1024.
	MaxKey int
}

func (c Config) withDefaults() (Config, error) {
	if c.OfflinePerUser < 0 || c.OfflinePerUserBytes < 0 || c.OfflineTotal < 0 || c.OfflineTotalBytes < 0 ||
		c.HistoryPerUser < 0 || c.HistoryTTL < 0 || c.HistoryMaxBytes < 0 || c.SeqBlock < 0 || c.SweepInterval < 0 || c.FlushInterval < 0 || c.MaxQueueBytes < 0 || c.MaxKey < 0 {
		return c, fmt.Errorf("wsc: store config: negative bound")
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def64 := func(v *int64, d int64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.OfflinePerUser, 1000)
	def64(&c.OfflinePerUserBytes, 1<<20)
	def(&c.OfflineTotal, 100_000)
	def64(&c.OfflineTotalBytes, 64<<20)
	def(&c.HistoryPerUser, 64)
	def64(&c.HistoryMaxBytes, 64<<20)
	def(&c.MaxKey, 1024)
	def64(&c.SeqBlock, 1000)
	c.SeqBlock = max(c.SeqBlock, 2) // half a block ahead must be at least one number
	def64(&c.MaxQueueBytes, 64<<20)
	if c.HistoryTTL == 0 {
		c.HistoryTTL = time.Hour
	}
	if c.SweepInterval == 0 {
		c.SweepInterval = time.Second
	}
	if c.FlushInterval == 0 {
		c.FlushInterval = 50 * time.Millisecond
	}
	return c, nil
}
