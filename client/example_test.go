package client_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/go-wsc/go-wsc/client"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
)

// An echo server stands in for the hub.
func echoServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			kind, data, err := conn.ReadMessage()
			if err != nil {
				return
			}
			if conn.WriteMessage(kind, data) != nil {
				return
			}
		}
	}))
}

// The go-wsc way: callbacks, Connect, send, close.
func Example() {
	srv := echoServer()
	defer srv.Close()

	ws := client.New("ws"+strings.TrimPrefix(srv.URL, "http"), client.WithConfig(
		client.NewDefaultConfig().WithMaxMessageSize(1<<20).WithMessageBufferSize(64)))
	echoed := make(chan string, 1)
	ws.OnConnected(func() { fmt.Println("connected") })
	ws.OnTextMessageReceived(func(message string) { echoed <- message })
	ws.OnClose(func(code int, text string) { fmt.Println("closed:", code, text) })
	ws.OnDisconnected(func(err error) { fmt.Println("disconnected:", err) })

	ws.Connect() // blocks until connected; OnConnected has run
	if err := ws.SendTextMessage("hello"); err != nil {
		fmt.Println(err)
	}
	fmt.Println("echo:", <-echoed)
	ws.CloseWithMsg("bye") // waits for the callbacks and goroutines to finish
	fmt.Println(ws.Closed(), ws.SendTextMessage("late"))

	// Output:
	// connected
	// echo: hello
	// closed: 1000 bye
	// disconnected: wsc: client closed
	// true wsc: client closed
}

// A stand-in hub: it sends one message that requires an ack, and reports the
// ack it gets back.
func fakeHub(acks chan<- string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.WriteMessage(websocket.TextMessage,
			[]byte(`{"id":"m-1","type":"text","from":"alice","content":"hi","require_ack":true}`))
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				return
			}
			if m, err := protocol.Decode(data); err == nil && m.Type == protocol.TypeAck {
				acks <- m.MessageID + " " + string(m.AckStatus())
			}
		}
	}))
}

// Hub mode: typed messages, acks sent after the handler returns.
func ExampleHubClient() {
	acks := make(chan string, 1)
	srv := fakeHub(acks)
	defer srv.Close()

	hub := client.NewHubClient("ws" + strings.TrimPrefix(srv.URL, "http") + "/ws?user_id=bob")
	hub.OnMessage(protocol.TypeText, func(m *protocol.Message) {
		fmt.Printf("%s from %s\n", m.Content, m.From)
	})
	hub.Connect()
	fmt.Println("hub got ack:", <-acks)
	hub.Close()

	// Output:
	// hi from alice
	// hub got ack: m-1 confirmed
}
