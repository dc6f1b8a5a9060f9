package jetstream

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/storetest"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gatedJS is the real client, except that the PubAcks of subjects starting
// with gated reach the store only once the gate opens: a replication that
// takes its time. It notes the subjects published, in order.
type gatedJS struct {
	jetstream.JetStream
	gated string
	gate  chan struct{}
	once  sync.Once

	mu   sync.Mutex
	subj []string
}

type gatedFuture struct {
	jetstream.PubAckFuture
	ok  chan *jetstream.PubAck
	err chan error
}

func (f *gatedFuture) Ok() <-chan *jetstream.PubAck { return f.ok }
func (f *gatedFuture) Err() <-chan error            { return f.err }

func (g *gatedJS) PublishMsgAsync(m *nats.Msg, opts ...jetstream.PublishOpt) (jetstream.PubAckFuture, error) {
	g.mu.Lock()
	g.subj = append(g.subj, m.Subject)
	g.mu.Unlock()
	fut, err := g.JetStream.PublishMsgAsync(m, opts...)
	if err != nil || !strings.HasPrefix(m.Subject, g.gated) {
		return fut, err
	}
	h := &gatedFuture{PubAckFuture: fut, ok: make(chan *jetstream.PubAck, 1), err: make(chan error, 1)}
	go func() {
		<-g.gate
		select {
		case a := <-fut.Ok():
			h.ok <- a
		case err := <-fut.Err():
			h.err <- err
		}
	}()
	return h, nil
}

// open lets the held PubAcks through (idempotent).
func (g *gatedJS) open() { g.once.Do(func() { close(g.gate) }) }

func (g *gatedJS) published() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.subj...)
}

func startServer(t *testing.T) *nats.Conn {
	t.Helper()
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true,
		StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	require.NoError(t, err)
	go s.Start()
	require.True(t, s.ReadyForConnections(10*time.Second))
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	nc, err := nats.Connect(s.ClientURL())
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	return nc
}

func openGated(t *testing.T, nc *nats.Conn, o Options, gated string) (*Store, *gatedJS) {
	t.Helper()
	g := &gatedJS{gated: gated, gate: make(chan struct{})}
	o.wrapJS = func(js jetstream.JetStream) jetstream.JetStream { g.JetStream = js; return g }
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := Open(ctx, nc, o)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	t.Cleanup(g.open) // runs first: a failed test does not leave Close waiting for a held PubAck
	return st, g
}

func wait(t *testing.T, ch chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("no Done within 5 s")
		return nil
	}
}

// TestDeleteWaitsForEarlierWrites: the give-up path (PutOffline, then
// RemovePending, neither waited for) never has the pending ack deleted
// while the offline put is not yet acknowledged: the two are in different
// streams, which JetStream does not order.
func TestDeleteWaitsForEarlierWrites(t *testing.T) {
	nc := startServer(t)
	st, g := openGated(t, nc, Options{Prefix: "b"}, "b.off.")
	pend := make(chan error, 1)
	require.NoError(t, st.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: storetest.Msg("g", "x")}},
		func(err error) { pend <- err }))
	require.NoError(t, wait(t, pend))

	off, rm := make(chan error, 1), make(chan error, 1)
	_, err := st.PutOffline("u", store.Entry{Msg: storetest.Msg("g", "x")}, func(err error) { off <- err })
	require.NoError(t, err)
	st.RemovePending("u", "g", func(err error) { rm <- err })
	require.Eventually(t, func() bool { return st.s.barrierWaits.Load() > 0 }, 5*time.Second, time.Millisecond,
		"the delete went out without waiting")
	key := kvSubject("B_PENDING", st.pendingKey("default", "u", "g")) // the put, then the delete
	offSubj := "b.off." + token("u")
	assert.Equal(t, []string{key, offSubj}, g.published(), "deleted while the offline put is unacknowledged")

	g.open()
	require.NoError(t, wait(t, off))
	require.NoError(t, wait(t, rm))
	assert.Equal(t, []string{key, offSubj, key}, g.published())
}

// TestOwnerNeverWaits: with PubAcks that do not come, puts fail at once
// with ErrBusy once MaxQueueBytes are queued, instead of blocking the owner;
// deletes are still taken.
func TestOwnerNeverWaits(t *testing.T) {
	nc := startServer(t)
	st, _ := openGated(t, nc, Options{Prefix: "w", MaxInflight: 8, Config: store.Config{MaxQueueBytes: 4 << 10}}, "w.off.")
	var err error
	start := time.Now()
	i := 0
	for ; i < 10_000 && err == nil; i++ {
		_, err = st.PutOffline("u", store.Entry{Msg: storetest.Msg(fmt.Sprint(i), "some content")}, func(error) {})
	}
	require.ErrorIs(t, err, store.ErrBusy, "a stuck cluster refuses new puts instead of blocking")
	// some tens of puts in memory: milliseconds, with room for a loaded
	// machine; puts that waited on the stuck PubAcks even briefly would not
	assert.Less(t, time.Since(start), 3*time.Second)
	st.RemoveOffline("u", []string{"0"}, nil)
}
