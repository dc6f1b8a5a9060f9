package hubs

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serve runs h behind a loopback test server; cleanup closes the clients
// first, then the hub, then the server.
func serve(t *testing.T, name string) (Hub, func(user string) *websocket.Conn) {
	t.Helper()
	h, err := New(name)
	require.NoError(t, err)
	srv := httptest.NewServer(h.Handler())
	var conns []*websocket.Conn
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
		h.Close()
		srv.Close()
	})
	dial := func(user string) *websocket.Conn {
		c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/?user_id="+user, nil)
		require.NoError(t, err)
		resp.Body.Close()
		conns = append(conns, c)
		return c
	}
	return h, dial
}

func waitFor(t *testing.T, h Hub, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return h.Connections() == n }, 5*time.Second, 5*time.Millisecond)
}

func read(t *testing.T, c *websocket.Conn) protocol.Message {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, data, err := c.ReadMessage()
	require.NoError(t, err)
	var m protocol.Message
	require.NoError(t, json.Unmarshal(data, &m), string(data))
	return m
}

func TestEveryHubRoutesTheSameProtocol(t *testing.T) {
	for _, name := range Names {
		t.Run(name, func(t *testing.T) {
			h, dial := serve(t, name)
			alice, bob, bobPhone := dial("alice"), dial("bob"), dial("bob")
			waitFor(t, h, 3)

			// a client's message reaches every connection of its addressee, from its true sender
			require.NoError(t, alice.WriteMessage(websocket.TextMessage, []byte(`{"to":"bob","from":"mallory","content":"hi bob"}`)))
			for _, c := range []*websocket.Conn{bob, bobPhone} {
				m := read(t, c)
				assert.Equal(t, "hi bob", m.Content)
				assert.Equal(t, "alice", m.From)
				assert.Equal(t, protocol.TypeText, m.Type)
				assert.NotEmpty(t, m.ID)
			}

			// the application's SendToUser
			require.NoError(t, h.SendToUser("alice", []byte("from the app")))
			m := read(t, alice)
			assert.Equal(t, "from the app", m.Content)
			assert.Equal(t, "alice", m.To)

			// broadcast reaches everyone, in order
			for _, p := range []string{"one", "two"} {
				require.NoError(t, h.Broadcast([]byte(p)))
			}
			for _, c := range []*websocket.Conn{alice, bob, bobPhone} {
				assert.Equal(t, "one", read(t, c).Content)
				assert.Equal(t, "two", read(t, c).Content)
			}
		})
	}
}

func TestClosingAClientUnregistersIt(t *testing.T) {
	for _, name := range Names {
		t.Run(name, func(t *testing.T) {
			h, dial := serve(t, name)
			c := dial("carol")
			waitFor(t, h, 1)
			require.NoError(t, c.Close())
			waitFor(t, h, 0)
		})
	}
}

func TestRoutersCountEveryFrame(t *testing.T) {
	for _, name := range Names {
		t.Run(name, func(t *testing.T) {
			r, err := NewRouter(name, 10)
			require.NoError(t, err)
			if r == nil {
				assert.Equal(t, "melody", name, "only melody has no socket-free path")
				return
			}
			defer r.Close()
			for i := range 100 {
				r.Send(UserID(i%10), []byte("x"))
			}
			require.Eventually(t, func() bool { return r.Delivered()+r.Dropped() == 100 }, 5*time.Second, time.Millisecond)
			assert.EqualValues(t, 100, r.Delivered())
		})
	}
}

func TestUnknownHub(t *testing.T) {
	_, err := New("nope")
	assert.ErrorContains(t, err, "unknown hub")
}
