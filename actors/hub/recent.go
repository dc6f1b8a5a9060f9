package hub

import (
	"time"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
)

// The recent history: the last RecentPerUser messages handed to each user's
// connections, so that a client reconnecting with last_event_id (WebSocket) or
// Last-Event-ID (SSE) gets what it missed while it was away. The store keeps
// it (written behind, bounded by count and HistoryTTL), so a resume works
// across a restart; the hub keeps a ring of it in memory for the users it has
// seen lately, and reads the store only when the ring cannot answer. A user
// with no connection and no message for UserIdle leaves the hub's memory:
// its ring and its sequence stream (the store keeps both). Messages that went
// to the offline path are not in the history; the offline store has them.

// history is what the hub keeps in memory of a user across connections.
type history struct {
	ring  []recentEntry // oldest first: at most RecentPerUser, RecentBytesPerUser
	base  []recentEntry // ring's array from its start: ring slides along it (push)
	bytes int64         // the ring's approximate size (entrySize)
	seen  time.Time     // the last message or connection
}

// push appends e to the ring. The oldest entries leave from the front
// (ring = ring[1:]), so the ring slides to the end of its array; there it
// moves back to the array's start rather than letting append copy it to a
// new one, which, once for every few dozen messages, was 70 bytes of
// garbage a message under bench/'s alone-paced.
func (h *history) push(e recentEntry) {
	if len(h.ring) == cap(h.ring) {
		if len(h.ring) < cap(h.base) { // room at the start
			n := copy(h.base[:cap(h.base)], h.ring)
			clear(h.base[n:cap(h.base)]) // the moved entries' old places
			h.ring = h.base[:n]
		} else { // full: a bigger array
			b := make([]recentEntry, len(h.ring), max(2*len(h.ring), 4))
			copy(b, h.ring)
			h.base, h.ring = b, b
		}
	}
	h.ring = append(h.ring, e)
}

// recentEntry is one message of the ring as its encoded frame. The ring holds
// bytes, not the *protocol.Message: a user's last RecentPerUser messages,
// for every user seen lately, are most of a busy hub's long-lived heap, and
// the garbage collector marks a byte slice without scanning it, where a
// Message is a dozen pointers to follow. A resume (rare) decodes the frames
// it sends again.
type recentEntry struct {
	id   string
	data []byte
}

// entrySize is what an entry counts against RecentBytesPerUser.
func entrySize(e recentEntry) int64 { return int64(64 + len(e.id) + len(e.data)) }

// historyRead is the store's answer to a resume the ring could not give.
type historyRead struct {
	pid   string
	msgs  []store.Entry
	found bool
}

// idleTick is the idle sweep's timer event.
type idleTick struct{}

func (a *hubActor) historyOf(userID string) *history {
	h := a.hist[userID]
	if h == nil {
		h = &history{}
		a.hist[userID] = h
	}
	return h
}

// historyFor is historyOf without the map lookup when userID's connections
// (u) are at hand: a user with a connection keeps its history in u.hist.
func (a *hubActor) historyFor(userID string, u *user) *history {
	if u != nil {
		return u.hist
	}
	return a.historyOf(userID)
}

// touch marks userID as active now: not idle.
func (a *hubActor) touch(userID string) { a.historyOf(userID).seen = a.now() }

// remember keeps m (encoded as data, nil: not at hand) as one of userID's
// recent messages: in the ring, and in the store's history.
func (a *hubActor) remember(userID string, m *protocol.Message, data []byte) {
	a.rememberIn(a.historyOf(userID), userID, m, data)
}

// rememberIn is remember into h, userID's history. A message that does not
// encode (it was routed, so it did once) is left out of both.
func (a *hubActor) rememberIn(h *history, userID string, m *protocol.Message, data []byte) {
	h.seen = a.now()
	if data == nil {
		var err error
		if data, err = protocol.Encode(m); err != nil {
			return
		}
	}
	a.cfg.Store.AppendHistory(userID, store.Entry{Msg: m, Data: data})
	e := recentEntry{id: m.ID, data: data}
	h.push(e)
	h.bytes += entrySize(e)
	for len(h.ring) > a.cfg.RecentPerUser || (h.bytes > a.cfg.RecentBytesPerUser && len(h.ring) > 1) {
		h.bytes -= entrySize(h.ring[0])
		h.ring[0] = recentEntry{}
		h.ring = h.ring[1:]
	}
}

// recent lists userID's recent messages in the ring, oldest first.
func (a *hubActor) recent(userID string) []recentEntry {
	if h := a.hist[userID]; h != nil {
		return h.ring
	}
	return nil
}

// resume queues in c's backlog the recent messages after c's LastEventID,
// oldest first. When the ring does not hold that id (the hub restarted, or
// forgot an idle user), the store's history is read; the connection waits
// for it (resuming) before anything else is sent. An id the history no longer
// holds resumes nothing: the hub cannot tell what the client missed, and
// resending everything would duplicate what it has; the offline store still
// delivers what it kept.
func (a *hubActor) resume(c *conn) {
	last := c.id.LastEventID
	if last == "" {
		return
	}
	r := a.recent(c.id.UserID)
	for i, e := range r {
		if e.id == last {
			a.resumeFromRing(c, r[i+1:])
			return
		}
	}
	c.resuming = true
	self, root, pid := a.self, a.root, c.pid.Id
	a.cfg.Store.ReadHistory(c.id.UserID, last, a.cfg.RecentPerUser, func(msgs []store.Entry, found bool, err error) {
		root.Send(self, &historyRead{pid: pid, msgs: msgs, found: found && err == nil})
	})
}

// onHistoryRead: the store's history answered a resume.
func (a *hubActor) onHistoryRead(r *historyRead) {
	c := a.conns[r.pid]
	if c == nil || !c.resuming {
		return
	}
	c.resuming = false
	if r.found {
		msgs := make([]*protocol.Message, len(r.msgs))
		data := make([][]byte, len(r.msgs))
		for i, e := range r.msgs {
			msgs[i], data[i] = e.Msg, e.Data
		}
		a.resumeWith(c, msgs, data)
	}
	if c.routable {
		a.pump(c)
	}
}

// resumeFromRing is resumeWith for the ring's entries, decoded again. An
// entry that does not decode (it was encoded by the hub: it always does) is
// skipped, as resumeWith skips a message that does not encode.
func (a *hubActor) resumeFromRing(c *conn, entries []recentEntry) {
	if len(entries) == 0 {
		return
	}
	msgs := make([]*protocol.Message, 0, len(entries))
	data := make([][]byte, 0, len(entries))
	for _, e := range entries {
		m, err := protocol.Decode(e.data)
		if err != nil {
			continue
		}
		msgs, data = append(msgs, m), append(data, e.data)
	}
	a.resumeWith(c, msgs, data)
}

// resumeWith queues msgs (with their encodings, when known) in c's backlog and
// marks their ids, so that the offline backlog does not send them again.
func (a *hubActor) resumeWith(c *conn, msgs []*protocol.Message, data [][]byte) {
	if len(msgs) == 0 {
		return
	}
	if c.resumed == nil {
		c.resumed = make(map[string]struct{}, len(msgs))
	}
	for i, m := range msgs {
		var f *session.Frame
		if data != nil && data[i] != nil {
			f = &session.Frame{Msg: m, Data: data[i]}
		} else if enc, err := a.frame(m, false); err == nil {
			f = enc
		} else {
			continue
		}
		c.backlog = append(c.backlog, pending{frame: f})
		a.track(c.id.UserID, m, nil) // ignored when still tracked
		c.resumed[m.ID] = struct{}{}
	}
}

// isRecent reports whether m is in userID's ring.
func (a *hubActor) isRecent(userID string, m *protocol.Message) bool {
	if h := a.hist[userID]; h != nil {
		for _, e := range h.ring {
			if e.id == m.ID {
				return true
			}
		}
	}
	return false
}

// sweepIdle forgets the users with no connection here who have had nothing
// for UserIdle: their ring, and their sequence stream in the store's memory
// (the store writes its exact last number; the next message loads it again).
func (a *hubActor) sweepIdle(now time.Time) {
	for id, h := range a.hist {
		if a.users[id] != nil || now.Sub(h.seen) < a.cfg.UserIdle || len(a.parked[userStream(id)]) > 0 {
			continue
		}
		delete(a.hist, id)
		a.cfg.Store.EvictSeq(userStream(id))
	}
	a.armIdle()
}

// armIdle schedules the next idle sweep, every half UserIdle.
func (a *hubActor) armIdle() {
	self, root := a.self, a.root
	a.idleTimer = time.AfterFunc(a.cfg.UserIdle/2, func() { root.Send(self, &idleTick{}) })
}
