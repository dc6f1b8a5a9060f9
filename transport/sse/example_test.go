package sse_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/sse"
)

// A hub serving SSE at /sse: a client opens the stream, receives a message,
// POSTs a ping and gets its pong, and the stream ends with close 1001 when the
// hub shuts down.
func Example() {
	sys := actors.NewSystem()
	h, _ := hub.New(sys, hub.Config{})
	mux := http.NewServeMux()
	mux.Handle("/sse", sse.Handler(h, sse.Options{})) // GET, POST (and OPTIONS)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	defer sys.Shutdown()
	ctx := context.Background()

	resp, err := srv.Client().Get(srv.URL + "/sse?user_id=ann")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	events := bufio.NewReader(resp.Body)
	next := func() (typ string, data string) { // one event: its type and data
		for {
			line, err := events.ReadString('\n')
			if err != nil {
				return "", ""
			}
			line = strings.TrimSpace(line)
			if v, ok := strings.CutPrefix(line, "event: "); ok {
				typ = v
			}
			if v, ok := strings.CutPrefix(line, "data: "); ok {
				data = v
			}
			if line == "" && typ != "" {
				return typ, data
			}
		}
	}
	typ, data := next()
	var s struct{ Session string }
	_ = json.Unmarshal([]byte(data), &s)
	fmt.Println(typ)

	for { // the session registers with the hub asynchronously
		if st, _ := h.Stats(ctx); st.SSEConnections == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	_ = h.SendToUser(ctx, "ann", &protocol.Message{Content: "hello"})
	typ, data = next()
	m, _ := protocol.Decode([]byte(data))
	fmt.Println(typ, m.Content)

	post, err := srv.Client().Post(srv.URL+"/sse?user_id=ann&session="+s.Session, "application/json", strings.NewReader(`{"type":"ping"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	post.Body.Close()
	fmt.Println(post.StatusCode)
	typ, _ = next()
	fmt.Println(typ)

	_ = h.Shutdown(ctx)
	typ, data = next()
	m, _ = protocol.Decode([]byte(data))
	fmt.Println(typ, m.Code)
	// Output:
	// session
	// text hello
	// 202
	// pong
	// close 1001
}
