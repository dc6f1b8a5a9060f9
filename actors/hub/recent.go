package hub

import (
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// The recent buffer: the last RecentPerUser messages handed to each user's
// connections, so that a client reconnecting with Last-Event-ID (SSE) gets what
// it missed while it was away. Messages that went to the offline path are not
// here; the offline store has them.

// remember keeps m as one of userID's recent messages.
func (a *hubActor) remember(userID string, m *protocol.Message) {
	r := a.recent[userID]
	if len(r) >= a.cfg.RecentPerUser {
		copy(r, r[1:])
		r = r[:len(r)-1]
	}
	a.recent[userID] = append(r, m)
}

// resume sends c the recent messages after c's LastEventID, oldest first, and
// returns their ids (the offline store may hold some of them too: frames still
// queued when the client dropped). An id the buffer no longer holds resumes
// nothing: the hub cannot tell what the client missed, and resending
// everything would duplicate what it has.
func (a *hubActor) resume(c *conn) map[string]struct{} {
	last := c.id.LastEventID
	if last == "" {
		return nil
	}
	r := a.recent[c.id.UserID]
	for i, m := range r {
		if m.ID != last {
			continue
		}
		sent := make(map[string]struct{}, len(r)-i-1)
		for _, next := range r[i+1:] {
			if f, err := a.frame(next, false); err == nil {
				a.root.Send(c.pid, &session.Deliver{Frame: f})
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
	for _, r := range a.recent[userID] {
		if r.ID == m.ID {
			return true
		}
	}
	return false
}
