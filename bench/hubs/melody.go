package hubs

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/olahol/melody"
)

// melodyHub is github.com/olahol/melody with the user index an application
// keeps beside it (melody has none): an RWMutex map filled by its connect and
// disconnect handlers. Messages are encoded once; melody drops a frame when a
// session's buffer is full and keeps the session.
type melodyHub struct {
	m     *melody.Melody
	mu    sync.RWMutex
	users map[string][]*melody.Session

	closeOnce sync.Once
	// Dropped counts frames melody refused with ErrMessageBufferFull.
	Dropped atomic.Int64
}

// NewMelody starts a melody hub.
func NewMelody() Hub {
	h := &melodyHub{m: melody.New(), users: map[string][]*melody.Session{}}
	h.m.Config.MaxMessageSize = maxMessageSize
	h.m.Config.MessageBufferSize = QueueSize
	h.m.Config.WriteWait = WriteWait
	h.m.HandleConnect(func(s *melody.Session) {
		user := s.MustGet("user").(string)
		h.mu.Lock()
		h.users[user] = append(h.users[user], s)
		h.mu.Unlock()
	})
	h.m.HandleDisconnect(func(s *melody.Session) {
		user := s.MustGet("user").(string)
		h.mu.Lock()
		list := h.users[user]
		for i, x := range list {
			if x == s {
				list = append(list[:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(h.users, user)
		} else {
			h.users[user] = list
		}
		h.mu.Unlock()
	})
	h.m.HandleError(func(_ *melody.Session, err error) {
		if errors.Is(err, melody.ErrMessageBufferFull) {
			h.Dropped.Add(1)
		}
	})
	h.m.HandleMessage(func(s *melody.Session, data []byte) {
		m, err := decodeInbound(data)
		if err != nil {
			return
		}
		stamp(m, s.MustGet("user").(string))
		h.toUser(m.To, encode(m))
	})
	return h
}

func (h *melodyHub) toUser(user string, data []byte) {
	h.mu.RLock()
	for _, s := range h.users[user] {
		_ = s.Write(data)
	}
	h.mu.RUnlock()
}

func (h *melodyHub) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user := userOf(r)
		if user == "" {
			http.Error(w, "user_id required", http.StatusUnauthorized)
			return
		}
		_ = h.m.HandleRequestWithKeys(w, r, map[string]any{"user": user})
	})
}

func (h *melodyHub) SendToUser(user string, payload []byte) error {
	h.toUser(user, encode(serverMessage(user, payload)))
	return nil
}

func (h *melodyHub) Broadcast(payload []byte) error {
	return h.m.Broadcast(encode(serverMessage("", payload)))
}

func (h *melodyHub) Connections() int { return h.m.Len() }

// Close waits (up to 5 s) for the clients to have gone before closing melody:
// melody's own Close leaks the handler of a connection that ends after it.
func (h *melodyHub) Close() {
	h.closeOnce.Do(func() {
		deadline := time.Now().Add(5 * time.Second)
		for h.m.Len() > 0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		_ = h.m.Close()
	})
}

// Counters reports the frames melody dropped for a full buffer.
func (h *melodyHub) Counters() string { return fmt.Sprintf("dropped %d", h.Dropped.Load()) }
