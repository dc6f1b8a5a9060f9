package hubs

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
)

// lockHub is the original go-wsc design: RWMutex-guarded maps read by every
// sender, one Run loop that applies registrations and fans broadcasts out, a
// per-client send channel, and a JSON encoding per recipient. A full send
// channel drops the message (go-wsc's "queue_full") and keeps the client.
type lockHub struct {
	mu      sync.RWMutex
	clients map[*lockClient]struct{}
	users   map[string]map[*lockClient]struct{}

	register   chan *lockClient
	unregister chan *lockClient
	broadcast  chan *protocol.Message
	done       chan struct{}
	closeOnce  sync.Once
	wg         sync.WaitGroup
	upgrader   websocket.Upgrader

	// Dropped counts frames refused by a full send channel.
	Dropped atomic.Int64
	// delivered counts frames handed to a writer (in-process routing only).
	delivered atomic.Int64
}

// lockClient is one connection; conn is nil for in-process clients.
type lockClient struct {
	user string
	conn *websocket.Conn
	send chan []byte
}

// NewLock starts a go-wsc style lock-based hub.
func NewLock() Hub { return newLock() }

func newLock() *lockHub {
	h := &lockHub{
		clients: map[*lockClient]struct{}{}, users: map[string]map[*lockClient]struct{}{},
		register: make(chan *lockClient), unregister: make(chan *lockClient),
		broadcast: make(chan *protocol.Message), done: make(chan struct{}), upgrader: newUpgrader(),
	}
	h.wg.Add(1)
	go h.run()
	return h
}

// run is go-wsc's Run loop.
func (h *lockHub) run() {
	defer h.wg.Done()
	for {
		select {
		case c := <-h.register:
			h.mu.Lock()
			h.clients[c] = struct{}{}
			if h.users[c.user] == nil {
				h.users[c.user] = map[*lockClient]struct{}{}
			}
			h.users[c.user][c] = struct{}{}
			h.mu.Unlock()
		case c := <-h.unregister:
			h.mu.Lock()
			if _, ok := h.clients[c]; ok {
				delete(h.clients, c)
				delete(h.users[c.user], c)
				if len(h.users[c.user]) == 0 {
					delete(h.users, c.user)
				}
				close(c.send)
			}
			h.mu.Unlock()
		case m := <-h.broadcast:
			h.mu.RLock()
			for c := range h.clients {
				h.offer(c, encode(m)) // per recipient, as go-wsc did
			}
			h.mu.RUnlock()
		case <-h.done:
			return
		}
	}
}

// offer is a non-blocking send; the caller holds mu (read or write).
func (h *lockHub) offer(c *lockClient, data []byte) {
	select {
	case c.send <- data:
	default:
		h.Dropped.Add(1)
	}
}

// sendToUser is go-wsc's SendToUser: lookup under the read lock, encode for
// each of the user's connections, non-blocking send.
func (h *lockHub) sendToUser(user string, m *protocol.Message) {
	h.mu.RLock()
	for c := range h.users[user] {
		h.offer(c, encode(m))
	}
	h.mu.RUnlock()
}

func (h *lockHub) Handler() http.Handler { return http.HandlerFunc(h.serve) }

func (h *lockHub) serve(w http.ResponseWriter, r *http.Request) {
	user := userOf(r)
	if user == "" {
		http.Error(w, "user_id required", http.StatusUnauthorized)
		return
	}
	conn, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &lockClient{user: user, conn: conn, send: make(chan []byte, QueueSize)}
	select {
	case h.register <- c:
	case <-h.done:
		conn.Close()
		return
	}
	h.wg.Add(1)
	go h.writePump(c)
	h.readPump(c)
}

func (h *lockHub) readPump(c *lockClient) {
	defer func() {
		select {
		case h.unregister <- c:
		case <-h.done:
		}
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
		h.sendToUser(m.To, m)
	}
}

func (h *lockHub) writePump(c *lockClient) {
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

func (h *lockHub) SendToUser(user string, payload []byte) error {
	h.sendToUser(user, serverMessage(user, payload))
	return nil
}

func (h *lockHub) Broadcast(payload []byte) error {
	select {
	case h.broadcast <- serverMessage("", payload):
		return nil
	case <-h.done:
		return http.ErrServerClosed
	}
}

func (h *lockHub) Connections() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.clients)
}

func (h *lockHub) Close() {
	h.closeOnce.Do(func() {
		close(h.done)
		h.mu.Lock()
		for c := range h.clients {
			if c.conn != nil {
				c.conn.Close()
			}
		}
		h.mu.Unlock()
	})
	h.wg.Wait()
}

// lockRouter is the lock hub with in-process clients whose writers count.
type lockRouter struct{ h *lockHub }

func newLockRouter(users int) *lockRouter {
	h := newLock()
	for i := range users {
		c := &lockClient{user: UserID(i), send: make(chan []byte, QueueSize)}
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
	deadline := time.Now().Add(30 * time.Second)
	for h.Connections() < users && time.Now().Before(deadline) { // the Run loop inserts just after it receives
		time.Sleep(time.Millisecond)
	}
	return &lockRouter{h: h}
}

func (r *lockRouter) Send(user string, payload []byte) {
	r.h.sendToUser(user, serverMessage(user, payload))
}
func (r *lockRouter) Delivered() int64 { return r.h.delivered.Load() }
func (r *lockRouter) Dropped() int64   { return r.h.Dropped.Load() }
func (r *lockRouter) Close()           { r.h.Close() }

// Counters reports the frames a full send channel dropped.
func (h *lockHub) Counters() string { return fmt.Sprintf("dropped %d", h.Dropped.Load()) }
