package hubs

import (
	"bytes"
	"errors"
	"net/http"
	"sync"

	"github.com/gorilla/websocket"
)

// ceilingHub is the no-hub ceiling: each connection's reader finds the "to"
// of a frame with a byte search and writes the frame, as it came, straight to
// the partner's socket (under that socket's write lock). No decoding, no
// stamping, no queue, no goroutine but the reader: what a server cannot go
// below for p2p over gorilla/websocket. It has no broadcast and no in-process
// path.
type ceilingHub struct {
	mu       sync.RWMutex
	users    map[string]*ceilingConn
	closed   bool
	wg       sync.WaitGroup
	upgrader websocket.Upgrader
}

type ceilingConn struct {
	wmu  sync.Mutex // gorilla allows one writer at a time
	conn *websocket.Conn
}

// errNoBroadcast: the ceiling routes p2p only.
var errNoBroadcast = errors.New("bench: the ceiling has no broadcast")

// NewCeiling starts the no-hub ceiling.
func NewCeiling() Hub {
	return &ceilingHub{users: map[string]*ceilingConn{}, upgrader: newUpgrader()}
}

func (h *ceilingHub) Handler() http.Handler { return http.HandlerFunc(h.serve) }

func (h *ceilingHub) serve(w http.ResponseWriter, r *http.Request) {
	user := userOf(r)
	if user == "" {
		http.Error(w, "user_id required", http.StatusUnauthorized)
		return
	}
	conn, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &ceilingConn{conn: conn}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		conn.Close()
		return
	}
	h.users[user] = c
	h.wg.Add(1)
	h.mu.Unlock()
	defer h.wg.Done()
	defer func() {
		h.mu.Lock()
		if h.users[user] == c {
			delete(h.users, user)
		}
		h.mu.Unlock()
		conn.Close()
	}()
	conn.SetReadLimit(maxMessageSize)
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		to := frameTo(data)
		h.mu.RLock()
		p := h.users[to]
		h.mu.RUnlock()
		if p == nil {
			continue
		}
		p.wmu.Lock()
		_ = p.conn.WriteMessage(websocket.TextMessage, data)
		p.wmu.Unlock()
	}
}

var toKey = []byte(`"to":"`)

// frameTo is the value of the frame's "to" key (plain, no escapes), or "".
func frameTo(data []byte) string {
	i := bytes.Index(data, toKey)
	if i < 0 {
		return ""
	}
	rest := data[i+len(toKey):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

func (h *ceilingHub) SendToUser(string, []byte) error { return errNoBroadcast }
func (h *ceilingHub) Broadcast([]byte) error          { return errNoBroadcast }

func (h *ceilingHub) Connections() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.users)
}

// Close closes every connection; each reader then ends.
func (h *ceilingHub) Close() {
	h.mu.Lock()
	h.closed = true
	for _, c := range h.users {
		c.conn.Close()
	}
	h.mu.Unlock()
	h.wg.Wait()
}
