package jetstream

import (
	"fmt"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/nats-io/nats.go/jetstream"
)

// Options configure a Store. Every zero value means the default in its comment.
type Options struct {
	// Config bounds the offline messages, the history and the sequences as
	// for a store.DB (its zero values, its defaults). FlushInterval is how
	// long a record may wait to be written (coalesced); SweepInterval is
	// unused: JetStream trims the history itself (MaxAge, MaxMsgsPerSubject).
	store.Config

	// Replicas is each stream's and bucket's replica count; zero: 1. Use 3
	// in a three-server cluster: a PubAck then means "on a quorum's disk".
	Replicas int
	// Prefix names this store's streams (<PREFIX>_OFFLINE…), buckets and
	// subjects (<prefix>.off.…), so that several stores share one account;
	// zero: "wsc".
	Prefix string
	// NodeID keeps this node's pending acks apart from other nodes' (keys
	// <node>.<user>.<id>): LoadPending reads this node's only, so a node that
	// starts never takes over messages another live node is tracking. Zero:
	// "default" (every node without an id shares it).
	NodeID string
	// Timeout bounds each JetStream request and each PubAck; zero: 5 s.
	Timeout time.Duration
	// MaxInflight bounds the publishes waiting for their PubAck; zero: 4096.
	MaxInflight int
	// RecordTTL is how long a record is kept (the records bucket's TTL);
	// zero: until deleted.
	RecordTTL time.Duration
	// MarkerTTL is how long the marker of a deleted pending ack, membership
	// or record stays in its bucket (other nodes' watchers see the delete
	// meanwhile); zero: 1 min. At least 1 s.
	MarkerTTL time.Duration

	// replicaLag, when set (tests), has each read's consumer give only the
	// messages up to the stream's last sequence minus replicaLag: a follower
	// that has not applied the last replicaLag writes (read.go).
	replicaLag uint64
	// replicaHead, when set (tests), has each read's consumer leave out the
	// stream's first replicaHead messages: a follower whose copy starts
	// later than the leader's (read.go).
	replicaHead uint64
	// wrapJS, when set (tests), wraps the client the sender publishes with.
	wrapJS func(jetstream.JetStream) jetstream.JetStream
}

// withDefaults fills the zero values and checks the rest.
func (o Options) withDefaults() (Options, error) {
	if o.Replicas < 0 || o.Timeout < 0 || o.MaxInflight < 0 || o.RecordTTL < 0 || o.MarkerTTL < 0 {
		return o, fmt.Errorf("wsc: jetstream store options: negative value")
	}
	if o.Replicas == 0 {
		o.Replicas = 1
	}
	if o.Prefix == "" {
		o.Prefix = "wsc"
	}
	if o.NodeID == "" {
		o.NodeID = "default"
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	if o.MaxInflight == 0 {
		o.MaxInflight = 4096
	}
	if o.MarkerTTL == 0 {
		o.MarkerTTL = time.Minute
	}
	o.MarkerTTL = max(o.MarkerTTL, time.Second)
	// the store's own defaults, through a DB-independent copy of its rules
	cfg, err := defaults(o.Config)
	if err != nil {
		return o, err
	}
	o.Config = cfg
	return o, nil
}

// defaults applies store.Config's documented zero-value defaults (the
// method doing it in package store is unexported).
func defaults(c store.Config) (store.Config, error) {
	if c.OfflinePerUser < 0 || c.OfflinePerUserBytes < 0 || c.OfflineTotal < 0 || c.OfflineTotalBytes < 0 ||
		c.HistoryPerUser < 0 || c.HistoryTTL < 0 || c.SeqBlock < 0 || c.FlushInterval < 0 || c.MaxQueueBytes < 0 || c.MaxKey < 0 {
		return c, fmt.Errorf("wsc: store config: negative bound")
	}
	set := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	set64 := func(v *int64, d int64) {
		if *v == 0 {
			*v = d
		}
	}
	set(&c.OfflinePerUser, 1000)
	set64(&c.OfflinePerUserBytes, 1<<20)
	set(&c.OfflineTotal, 100_000)
	set64(&c.OfflineTotalBytes, 64<<20)
	set(&c.HistoryPerUser, 64)
	set(&c.MaxKey, 1024)
	set64(&c.SeqBlock, 1000)
	c.SeqBlock = max(c.SeqBlock, 2)
	set64(&c.MaxQueueBytes, 64<<20)
	if c.HistoryTTL == 0 {
		c.HistoryTTL = time.Hour
	}
	// JetStream refuses a MaxAge under 100 ms
	c.HistoryTTL = max(c.HistoryTTL, 100*time.Millisecond)
	if c.FlushInterval == 0 {
		c.FlushInterval = 50 * time.Millisecond
	}
	return c, nil
}
