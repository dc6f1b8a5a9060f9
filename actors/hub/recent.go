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

// resume sends c the recent messages after c's LastEventID, oldest first. An id
// the buffer no longer holds resumes nothing: the hub cannot tell what the
// client missed, and resending everything would duplicate what it has.
func (a *hubActor) resume(c *conn) {
	last := c.id.LastEventID
	if last == "" {
		return
	}
	r := a.recent[c.id.UserID]
	for i, m := range r {
		if m.ID != last {
			continue
		}
		for _, next := range r[i+1:] {
			if f, err := a.frame(next, false); err == nil {
				a.root.Send(c.pid, &session.Deliver{Frame: f})
				a.track(c.id.UserID, next, nil) // ignored when still tracked
			}
		}
		return
	}
}
