package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-wsc/go-wsc/store/jetstream"
	"github.com/nats-io/nats.go"
)

// sharedStore is the state kept in NATS JetStream (-jetstream): one store for
// every node, on a connection of its own.
type sharedStore struct {
	nc *nats.Conn
	st *jetstream.Store
}

// openShared connects to cfg.NATSURL and opens the JetStream store. The
// node's id names its pending acks: without -node-id it is made stable from
// the host name and the port, so that a restarted node finds its own again.
func openShared(cfg *serverConfig) (*sharedStore, error) {
	if cfg.Hub.NodeID == "" {
		host, _ := os.Hostname()
		cfg.Hub.NodeID = fmt.Sprintf("%s-%d", strings.ReplaceAll(host, ".", "-"), cfg.Port)
	}
	nc, err := nats.Connect(cfg.NATSURL, nats.Name("wsc store "+cfg.Hub.NodeID), nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond))
	if err != nil {
		return nil, fmt.Errorf("-jetstream: nats connect %s: %w", cfg.NATSURL, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := jetstream.Open(ctx, nc, jetstream.Options{Config: cfg.Data.Store, Replicas: cfg.JetStreamReplicas,
		NodeID: cfg.Hub.NodeID})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("-jetstream: %w (is JetStream on in the NATS server, with room for %d replicas?)", err, cfg.JetStreamReplicas)
	}
	return &sharedStore{nc: nc, st: st}, nil
}

// close closes the store, then its connection; nil-safe. After the hub.
func (s *sharedStore) close() error {
	if s == nil {
		return nil
	}
	err := s.st.Close()
	s.nc.Close()
	return err
}
