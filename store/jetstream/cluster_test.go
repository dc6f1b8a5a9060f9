package jetstream_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	wscjs "github.com/go-wsc/go-wsc/store/jetstream"
	"github.com/go-wsc/go-wsc/store/storetest"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func openStore(t testing.TB, nc *nats.Conn, o wscjs.Options) *wscjs.Store {
	t.Helper()
	// Asked again while the cluster settles: a leader election under way (no
	// responders), a peer not yet seen as online (no placement for three
	// replicas: it failed a run of TestServerDeathLosesNothingAcked so), or
	// a request that went unanswered (at load 20 a cluster that had just
	// lost a server left one Open waiting 15 s, once a whole minute): each
	// try gets 10 s, all of them a minute.
	deadline := time.Now().Add(time.Minute)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		s, err := wscjs.Open(ctx, nc, o)
		cancel()
		var apiErr *jetstream.APIError
		settling := errors.Is(err, nats.ErrNoResponders) || errors.Is(err, context.DeadlineExceeded) ||
			errors.As(err, &apiErr) && apiErr.ErrorCode == jsClusterNoPeers
		if !settling || time.Now().After(deadline) {
			require.NoError(t, err)
			t.Cleanup(func() { _ = s.Close() })
			return s
		}
		time.Sleep(50 * time.Millisecond) // nothing to wait on: the cluster elects in its own time
	}
}

// jsClusterNoPeers is JetStream's "no suitable peers for placement".
const jsClusterNoPeers = 10005

// streamLeader names the server leading stream.
func streamLeader(t *testing.T, nc *nats.Conn, stream string) string {
	t.Helper()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, stream)
	require.NoError(t, err)
	info, err := st.Info(ctx)
	require.NoError(t, err)
	require.NotNil(t, info.Cluster)
	return info.Cluster.Leader
}

type outcome struct {
	id, kind string
	err      error
}

// TestServerDeathLosesNothingAcked: three servers, every stream and bucket
// on three replicas; a node writes offline messages and pending acks while
// the server it is connected to, the offline stream's leader, dies. Every
// write whose Done heard nil is there afterwards, read by another node from
// the servers left.
func TestServerDeathLosesNothingAcked(t *testing.T) {
	c := startCluster(t, 3)
	p := prefix()
	opts := wscjs.Options{Prefix: p, Replicas: 3, NodeID: "a", Timeout: 2 * time.Second, MarkerTTL: time.Second}

	// find the offline stream's leader, and connect the writing node to it first
	probe := connect(t, c.srv[0].ClientURL())
	openStore(t, probe, opts).Close()
	leader := streamLeader(t, probe, strings.ToUpper(p)+"_OFFLINE")
	victim := -1
	for i, s := range c.srv {
		if s.Name() == leader {
			victim = i
		}
	}
	require.GreaterOrEqual(t, victim, 0)
	urls := []string{c.srv[victim].ClientURL()}
	for i, s := range c.srv {
		if i != victim {
			urls = append(urls, s.ClientURL())
		}
	}
	nc, err := nats.Connect(fmt.Sprint(urls[0], ",", urls[1], ",", urls[2]), nats.DontRandomize(),
		nats.MaxReconnects(-1), nats.ReconnectWait(20*time.Millisecond))
	require.NoError(t, err)
	defer nc.Close()
	a := openStore(t, nc, opts)

	// traffic paced by its own acks (at most 64 writes outstanding); the
	// server dies once 100 offline messages are acked, and the traffic goes
	// on until 100 more written after the death are acked
	outcomes := make(chan outcome, 256)
	acked := map[string]map[string]bool{"offline": {}, "pending": {}}
	failed, outstanding, killedAt, afterKill := 0, 0, -1, 0
	var killed time.Time
	record := func() {
		select {
		case o := <-outcomes:
			outstanding--
			if o.err != nil {
				failed++
				return
			}
			acked[o.kind][o.id] = true
			var n int
			if _, err := fmt.Sscanf(o.id, "m%d", &n); err == nil && killedAt >= 0 && n > killedAt && o.kind == "offline" {
				afterKill++
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a Done never came")
		}
	}
	start := time.Now()
	i := 0
	for ; afterKill < 100; i++ {
		require.Less(t, time.Since(start), 15*time.Second, "the cluster did not take writes again")
		if killedAt < 0 && len(acked["offline"]) >= 100 {
			killedAt, killed = i, time.Now()
			go c.stop[victim]() // mid-traffic: the node's server and the stream's leader
		}
		id := fmt.Sprint("m", i)
		report := func(kind string) store.Done {
			return func(err error) { outcomes <- outcome{id, kind, err} }
		}
		outstanding += 2
		if _, err := a.PutOffline(fmt.Sprint("u", i%10), store.Entry{Msg: storetest.Msg(id, "x")}, report("offline")); err != nil {
			outcomes <- outcome{id, "offline", err}
		}
		if err := a.PutPending(store.PendingAck{User: "p", Entry: store.Entry{Msg: storetest.Msg(id, "x")}}, report("pending")); err != nil {
			outcomes <- outcome{id, "pending", err}
		}
		for outstanding > 64 {
			record()
		}
	}
	for outstanding > 0 {
		record()
	}
	t.Logf("%d writes in %v, writes again %v after the death: %d offline and %d pending acked, %d failed",
		2*i, time.Since(start).Round(time.Millisecond), time.Since(killed).Round(time.Millisecond),
		len(acked["offline"]), len(acked["pending"]), failed)

	// another node, on a server that lived, reads what the cluster kept
	other := connect(t, urls[1])
	b := openStore(t, other, opts)
	kept := map[string]bool{}
	for u := range 10 {
		for _, e := range b.PeekOffline(fmt.Sprint("u", u), "", 2*i) {
			kept[e.Msg.ID] = true
		}
	}
	t.Logf("read back by another node %v after the start", time.Since(start).Round(time.Millisecond))
	missed := 0
	for id := range acked["offline"] {
		if !assert.True(t, kept[id], "offline %s was acked and is lost", id) {
			missed++
		}
	}
	if missed > 0 { // which side lost them: the read, or the cluster itself
		js, err := jetstream.New(other)
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if s, err := js.Stream(ctx, strings.ToUpper(p)+"_OFFLINE"); err == nil {
			if info, err := s.Info(ctx); err == nil {
				t.Logf("the offline stream's leader %s holds %d messages, sequences %d to %d; the read kept %d",
					info.Cluster.Leader, info.State.Msgs, info.State.FirstSeq, info.State.LastSeq, len(kept))
			}
		}
	}
	pending := map[string]bool{}
	require.NoError(t, b.LoadPending(func(p store.PendingAck) bool { pending[p.Msg.ID] = true; return true }))
	for id := range acked["pending"] {
		assert.True(t, pending[id], "pending %s was acked and is lost", id)
	}

	// one server of three left: no quorum, no PubAck; the write fails after
	// the Timeout instead of hanging, and Close still returns
	for i := range c.srv {
		if i != victim && c.srv[i].ClientURL() != urls[1] {
			c.stop[i]()
		}
	}
	lost := make(chan error, 1)
	_, err = b.PutOffline("u0", store.Entry{Msg: storetest.Msg("no-quorum", "x")}, func(err error) { lost <- err })
	require.NoError(t, err)
	select {
	case err := <-lost:
		require.Error(t, err, "acked without a quorum")
	case <-time.After(10 * time.Second):
		t.Fatal("no answer without a quorum")
	}
	require.NoError(t, b.Close())
}
