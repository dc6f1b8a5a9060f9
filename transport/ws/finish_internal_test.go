package ws

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heldConn is a server connection whose first Write waits until the test
// lets it go, then fails without writing anything: a writer stuck on a peer
// that is gone.
type heldConn struct {
	net.Conn
	writing chan struct{} // closed when the first Write has started
	release chan struct{}
	first   bool
}

func (c *heldConn) Write(b []byte) (int, error) {
	if !c.first { // the writer's goroutine only: one writer at a time
		c.first = true
		close(c.writing)
		<-c.release
		return 0, errors.New("held write failed")
	}
	return c.Conn.Write(b)
}

// When the reader ends first (the peer is gone) while the writer is still
// writing a batch that then fails, TransportDone waits for the writer: the
// session's Gone makes the hub drain the outbox once, so the batch must be
// back in it by then, or it is lost.
func TestTransportDoneWaitsForTheWritersBatch(t *testing.T) {
	conns := make(chan *websocket.Conn, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err == nil {
			conns <- c
		}
	}))
	defer srv.Close()
	client, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	require.NoError(t, err)
	c := <-conns

	sys := actors.NewSystem()
	defer sys.Shutdown()
	s := &Server{opts: Options{}.withDefaults()}
	tr := newTransport(s, c, session.NewOutbox(16, 1<<20), 1<<20)
	held := &heldConn{Conn: c.NetConn(), writing: make(chan struct{}), release: make(chan struct{})}
	tr.nc = held
	drained := make(chan int, 2) // frames the outbox gave back, at each TransportDone
	tr.root = sys.Root
	tr.pid = sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if _, ok := ctx.Message().(*session.TransportDone); ok {
			drained <- len(tr.Drain()) // what the hub does once the session is gone
		}
	}))
	go tr.readLoop()

	for i := range 3 {
		require.True(t, tr.Send(&session.Frame{Msg: &protocol.Message{ID: string(rune('a' + i))}, Data: []byte(`{}`)}))
	}
	<-held.writing // the writer holds the batch
	require.NoError(t, client.UnderlyingConn().Close())
	<-tr.readerDone // the reader has ended, first
	close(held.release)

	select {
	case n := <-drained:
		assert.Equal(t, 3, n, "the failed batch is back in the outbox when the transport says it is done")
	case <-time.After(5 * time.Second):
		t.Fatal("no TransportDone")
	}
	<-tr.writerDone
}
