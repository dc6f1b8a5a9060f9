package hubs

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// chanHub is the gorilla/websocket chat example's design: one goroutine owns
// the maps and everything else talks to it over unbuffered channels. Readers
// decode, stamp and encode a message once, then hand the bytes to the hub; a
// client whose send channel is full is dropped (its channel closed), as in
// the example. Unlike the example, each message is its own frame (the protocol
// has one message per frame), so queued messages are not merged.
type chanHub struct {
	// owned by run
	clients map[*chanClient]struct{}
	users   map[string]map[*chanClient]struct{}

	register   chan *chanClient
	unregister chan *chanClient
	direct     chan envelope
	broadcast  chan []byte
	count      chan chan int
	done       chan struct{}
	closeOnce  sync.Once
	wg         sync.WaitGroup
	upgrader   websocket.Upgrader

	// Dropped counts frames lost with a dropped client; Kicked, the clients dropped.
	Dropped   atomic.Int64
	Kicked    atomic.Int64
	delivered atomic.Int64
}

type chanClient struct {
	user string
	conn *websocket.Conn // nil in process
	send chan []byte
}

type envelope struct {
	to   string
	data []byte
}

// NewChannel starts a chat-example style channel hub.
func NewChannel() Hub { return newChannel() }

func newChannel() *chanHub {
	h := &chanHub{
		clients: map[*chanClient]struct{}{}, users: map[string]map[*chanClient]struct{}{},
		register: make(chan *chanClient), unregister: make(chan *chanClient), direct: make(chan envelope),
		broadcast: make(chan []byte), count: make(chan chan int), done: make(chan struct{}), upgrader: newUpgrader(),
	}
	h.wg.Add(1)
	go h.run()
	return h
}

func (h *chanHub) run() {
	defer h.wg.Done()
	for {
		select {
		case c := <-h.register:
			h.clients[c] = struct{}{}
			if h.users[c.user] == nil {
				h.users[c.user] = map[*chanClient]struct{}{}
			}
			h.users[c.user][c] = struct{}{}
		case c := <-h.unregister:
			h.drop(c)
		case e := <-h.direct:
			for c := range h.users[e.to] {
				h.offer(c, e.data)
			}
		case data := <-h.broadcast:
			for c := range h.clients {
				h.offer(c, data)
			}
		case reply := <-h.count:
			reply <- len(h.clients)
		case <-h.done:
			return
		}
	}
}

func (h *chanHub) offer(c *chanClient, data []byte) {
	select {
	case c.send <- data:
	default:
		h.Dropped.Add(1 + int64(len(c.send)))
		h.Kicked.Add(1)
		h.drop(c)
	}
}

func (h *chanHub) drop(c *chanClient) {
	if _, ok := h.clients[c]; !ok {
		return
	}
	delete(h.clients, c)
	delete(h.users[c.user], c)
	if len(h.users[c.user]) == 0 {
		delete(h.users, c.user)
	}
	close(c.send)
}

func (h *chanHub) Handler() http.Handler { return http.HandlerFunc(h.serve) }

func (h *chanHub) serve(w http.ResponseWriter, r *http.Request) {
	user := userOf(r)
	if user == "" {
		http.Error(w, "user_id required", http.StatusUnauthorized)
		return
	}
	conn, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &chanClient{user: user, conn: conn, send: make(chan []byte, QueueSize)}
	if !h.put(h.register, c) {
		conn.Close()
		return
	}
	h.wg.Add(1)
	go h.writePump(c)
	h.readPump(c)
}

func (h *chanHub) put(ch chan *chanClient, c *chanClient) bool {
	select {
	case ch <- c:
		return true
	case <-h.done:
		return false
	}
}

func (h *chanHub) readPump(c *chanClient) {
	defer func() {
		h.put(h.unregister, c)
		c.conn.Close()
	}()
	c.conn.SetReadLimit(maxMessageSize)
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		m, err := decodeInbound(data)
		if err != nil {
			continue
		}
		stamp(m, c.user)
		if !h.send(envelope{to: m.To, data: encode(m)}) {
			return
		}
	}
}

func (h *chanHub) send(e envelope) bool {
	select {
	case h.direct <- e:
		return true
	case <-h.done:
		return false
	}
}

func (h *chanHub) writePump(c *chanClient) {
	defer h.wg.Done()
	defer c.conn.Close()
	for {
		select {
		case data, ok := <-c.send:
			if !ok {
				_ = c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
				return
			}
			_ = c.conn.SetWriteDeadline(time.Now().Add(WriteWait))
			if c.conn.WriteMessage(websocket.TextMessage, data) != nil {
				return
			}
		case <-h.done:
			return
		}
	}
}

func (h *chanHub) SendToUser(user string, payload []byte) error {
	if !h.send(envelope{to: user, data: encode(serverMessage(user, payload))}) {
		return http.ErrServerClosed
	}
	return nil
}

func (h *chanHub) Broadcast(payload []byte) error {
	select {
	case h.broadcast <- encode(serverMessage("", payload)):
		return nil
	case <-h.done:
		return http.ErrServerClosed
	}
}

func (h *chanHub) Connections() int {
	reply := make(chan int, 1)
	select {
	case h.count <- reply:
		return <-reply
	case <-h.done:
		return 0
	}
}

// Close stops the hub goroutine, then closes every connection (the maps are
// the hub goroutine's, read here only after it has returned).
func (h *chanHub) Close() {
	h.closeOnce.Do(func() {
		close(h.done)
		h.wg.Wait()
		for c := range h.clients {
			if c.conn != nil {
				c.conn.Close()
			}
		}
	})
	h.wg.Wait()
}

// chanRouter is the channel hub with in-process clients whose writers count.
type chanRouter struct{ h *chanHub }

func newChannelRouter(users int) *chanRouter {
	h := newChannel()
	for i := range users {
		c := &chanClient{user: UserID(i), send: make(chan []byte, QueueSize)}
		h.register <- c
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			for {
				select {
				case _, ok := <-c.send:
					if !ok {
						return
					}
					h.delivered.Add(1)
				case <-h.done:
					return
				}
			}
		}()
	}
	return &chanRouter{h: h}
}

func (r *chanRouter) Send(user string, payload []byte) {
	r.h.send(envelope{to: user, data: encode(serverMessage(user, payload))})
}
func (r *chanRouter) Delivered() int64 { return r.h.delivered.Load() }
func (r *chanRouter) Dropped() int64   { return r.h.Dropped.Load() }
func (r *chanRouter) Close()           { r.h.Close() }

// Counters reports the clients dropped for a full send channel and their lost frames.
func (h *chanHub) Counters() string {
	return fmt.Sprintf("clients dropped %d, frames lost with them %d", h.Kicked.Load(), h.Dropped.Load())
}
