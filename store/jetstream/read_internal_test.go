package jetstream

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/storetest"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A read's consumer may sit on a follower that has not applied the last
// writes yet (JetStream places a one-replica consumer on any replica; seen
// in a three-server cluster: a consumer created right after a PubAck on a
// follower counted 0 of the 1 message its leader held, about 1 in 40).
// Every read then takes the rest from the leader: here each consumer's
// replica lags by the last three writes, and every read still sees every
// acknowledged write. Without the leader's part, b's loads miss a's last
// messages and pending acks, and a's own load of w takes its last three
// acknowledged puts out of its mirror.
func TestReadsTakeWhatTheReplicaLacksFromTheLeader(t *testing.T) {
	testReadsAgainstALaggingReplica(t, Options{replicaLag: 3})
}

// A replica's copy may also start later than the leader's (a follower that
// caught up from a snapshot): a read after the death of a stream's leader
// once gave none of the 129 offline messages stored before it. Here each
// consumer's replica lacks every stream's first four messages, and every
// read still sees them: without the leader's head, b's Open misses u0, v0,
// u1 and v1, and the pending acks and the history their first ones.
func TestReadsTakeTheHeadTheReplicaLacksFromTheLeader(t *testing.T) {
	testReadsAgainstALaggingReplica(t, Options{replicaHead: 4})
}

func testReadsAgainstALaggingReplica(t *testing.T, lag Options) {
	dir := t.TempDir()
	srv, err := server.NewServer(&server.Options{ServerName: "lag", Host: "127.0.0.1", Port: server.RANDOM_PORT,
		JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true})
	require.NoError(t, err)
	go srv.Start()
	require.True(t, srv.ReadyForConnections(10*time.Second))
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	open := func(node string) *Store {
		nc, err := nats.Connect(srv.ClientURL())
		require.NoError(t, err)
		t.Cleanup(nc.Close)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s, err := Open(ctx, nc, Options{Prefix: "lag", NodeID: node, replicaLag: lag.replicaLag, replicaHead: lag.replicaHead})
		require.NoError(t, err)
		t.Cleanup(func() { _ = s.Close() }) // before nc's close (cleanups run last first)
		return s
	}
	wait := func(ch chan error) {
		t.Helper()
		select {
		case err := <-ch:
			require.NoError(t, err)
		case <-time.After(10 * time.Second):
			t.Fatal("no Done within 10 s")
		}
	}
	a := open("a")
	dones := make(chan error, 64)
	for i := range 10 { // u's and v's interleaved: a filter's last messages are not the stream's
		for _, user := range []string{"u", "v"} {
			_, err := a.PutOffline(user, store.Entry{Msg: storetest.Msg(fmt.Sprint(user, i), "x")}, func(err error) { dones <- err })
			require.NoError(t, err)
		}
	}
	for i := range 5 {
		require.NoError(t, a.PutPending(store.PendingAck{User: "p", Entry: store.Entry{Msg: storetest.Msg(fmt.Sprint("p", i), "x")}},
			func(err error) { dones <- err }))
		a.AppendHistory("h", store.Entry{Msg: storetest.Msg(fmt.Sprint("h", i), "x")})
	}
	for range 25 {
		wait(dones)
	}
	want := func(user string, n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprint(user, i))
		}
		return out
	}
	peek := func(s *Store, user string) []string {
		var out []string
		for _, e := range s.PeekOffline(user, "", 100) {
			out = append(out, e.Msg.ID)
		}
		return out
	}

	b := open("b") // Open reads the whole offline stream
	assert.Equal(t, want("u", 10), peek(b, "u"), "b's Open")
	assert.Equal(t, want("v", 10), peek(b, "v"), "b's Open")

	for i := range 5 { // what a stores now, b sees only when it loads the user
		_, err := a.PutOffline("u", store.Entry{Msg: storetest.Msg(fmt.Sprint("u", 10+i), "x")}, func(err error) { dones <- err })
		require.NoError(t, err)
		wait(dones)
	}
	ch := make(chan error, 1)
	b.LoadOffline("u", func(err error) { ch <- err })
	wait(ch)
	assert.Equal(t, want("u", 15), peek(b, "u"), "b's load of u")

	a.LoadOffline("u", func(err error) { ch <- err }) // a's own puts stay in a's mirror
	wait(ch)
	assert.Equal(t, want("u", 15), peek(a, "u"), "a's load of its own u")

	var taken []string
	require.NoError(t, b.TakeOverPending("a", func(p store.PendingAck) bool { taken = append(taken, p.Msg.ID); return true }))
	assert.Equal(t, want("p", 5), taken, "b's take-over of a's pending acks")

	hist := make(chan []store.Entry, 1)
	a.ReadHistory("h", "", 10, func(es []store.Entry, _ bool, err error) { ch <- err; hist <- es })
	wait(ch)
	var read []string
	for _, e := range <-hist {
		read = append(read, e.Msg.ID)
	}
	assert.Equal(t, want("h", 5), read, "a's history")
	assert.Positive(t, b.fromLeader.Load())
	if testing.Verbose() {
		fmt.Fprintln(os.Stderr, "from the leader: a", a.fromLeader.Load(), "b", b.fromLeader.Load())
	}
}
