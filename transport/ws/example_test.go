package ws_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
)

// A hub behind the WebSocket handler; a client connects as alice (development
// identity from the query string) and gets what the application sends her.
func Example() {
	system := actors.NewSystem()
	h, _ := hub.New(system, hub.Config{})
	srv := httptest.NewServer(ws.Handler(h, ws.Options{}))
	defer func() {
		h.Shutdown(context.Background())
		srv.Close()
		system.Shutdown()
	}()

	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/?user_id=alice", nil)
	if err != nil {
		panic(err)
	}
	defer c.Close()
	for range 10_000 { // wait (boundedly) until the hub has registered her
		if users, _ := h.OnlineUsers(context.Background()); len(users) == 1 {
			break
		}
	}

	_ = h.SendToUser(context.Background(), "alice", &protocol.Message{Type: protocol.TypeNotice, Content: "welcome aboard"})
	_, data, _ := c.ReadMessage()
	m, _ := protocol.Decode(data)
	fmt.Println(m.Type, m.From, m.To, m.Content)
	// Output: notice system alice welcome aboard
}
