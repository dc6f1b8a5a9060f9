package hub

import (
	"github.com/go-wsc/go-wsc/protocol"
)

// The recent buffer: the last RecentPerUser messages handed to each user's
// connections, so that a client reconnecting with Last-Event-ID (SSE) gets what
// it missed while it was away. Messages that went to the offline path are not
// here; the offline store has them.

// history is what the hub keeps of a user across connections: a ring of the
// last RecentPerUser messages. (The seq_no is the store's: durable.go.)
type history struct {
	ring []*protocol.Message // grows to RecentPerUser, then wraps at next
	next int
}

func (a *hubActor) historyOf(userID string) *history {
	h := a.hist[userID]
	if h == nil {
		h = &history{}
		a.hist[userID] = h
	}
	return h
}

// remember keeps m as one of userID's recent messages.
func (a *hubActor) remember(userID string, m *protocol.Message) {
	h := a.historyOf(userID)
	if len(h.ring) < a.cfg.RecentPerUser {
		h.ring = append(h.ring, m)
		return
	}
	h.ring[h.next] = m
	h.next = (h.next + 1) % len(h.ring)
}

// recent lists userID's recent messages, oldest first.
func (a *hubActor) recent(userID string) []*protocol.Message {
	h := a.hist[userID]
	if h == nil {
		return nil
	}
	return append(h.ring[h.next:len(h.ring):len(h.ring)], h.ring[:h.next]...)
}

// resume queues in c's backlog the recent messages after c's LastEventID,
// oldest first, and
// returns their ids (the offline store may hold some of them too: frames still
// queued when the client dropped). An id the buffer no longer holds resumes
// nothing: the hub cannot tell what the client missed, and resending
// everything would duplicate what it has.
func (a *hubActor) resume(c *conn) map[string]struct{} {
	last := c.id.LastEventID
	if last == "" {
		return nil
	}
	r := a.recent(c.id.UserID)
	for i, m := range r {
		if m.ID != last {
			continue
		}
		sent := make(map[string]struct{}, len(r)-i-1)
		for _, next := range r[i+1:] {
			if f, err := a.frame(next, false); err == nil {
				c.backlog = append(c.backlog, pending{frame: f})
				a.track(c.id.UserID, next, nil) // ignored when still tracked
				sent[next.ID] = struct{}{}
			}
		}
		return sent
	}
	return nil
}

// isRecent reports whether m is in userID's recent buffer.
func (a *hubActor) isRecent(userID string, m *protocol.Message) bool {
	if h := a.hist[userID]; h != nil {
		for _, r := range h.ring {
			if r.ID == m.ID {
				return true
			}
		}
	}
	return false
}
