package hub

import (
	"errors"
	"slices"
	"time"

	"github.com/go-wsc/go-wsc/actors/recorder"

	"github.com/go-wsc/go-wsc/store"
)

// A store shared by several nodes (store/jetstream over a NATS cluster) lets
// a user connecting to any node get what any node stored, and lets a live
// node take over what a dead node was waiting acks for. The hub finds out by
// the two optional interfaces below; store.DB (one node's disk) has neither.

// offlineLoader reads into the store's memory a user's offline messages that
// any node stored; the hub calls it on the user's first connection here and
// pages the backlog once done hears.
type offlineLoader interface {
	LoadOffline(user string, done store.Done)
}

// pendingTaker lists the pending acks of another node, and removes them.
type pendingTaker interface {
	TakeOverPending(node string, fn func(store.PendingAck) bool) error
	RemovePendingOf(node, user, id string, done store.Done)
}

// takenOver carries a dead node's pending acks, read off the mailbox.
type takenOver struct {
	node    string
	pending []store.PendingAck
	err     error
	attempt int // how many listings of node failed before this one
}

// takeOverAgain asks for a dead node's pending acks again (a timer's).
type takeOverAgain struct {
	node    string
	attempt int
}

// takeOverBackoff is how long a take-over, or a backlog load, that failed
// waits before its attempt-th retry: 100 ms, doubling, at most maxTakeOverBackoff.
func takeOverBackoff(attempt int) time.Duration {
	return min(100*time.Millisecond<<min(attempt, 16), maxTakeOverBackoff)
}

const maxTakeOverBackoff = 5 * time.Second

// loadOffline starts reading the shared store's backlog for c's user; c
// waits for it (loading) before its offline backlog is paged.
func (a *hubActor) loadOffline(c *conn) bool {
	l, ok := a.cfg.Store.(offlineLoader)
	if !ok {
		return false
	}
	c.loading = true
	pid, user := c.pid.Id, c.id.UserID
	l.LoadOffline(user, a.whenDurable(func(err error) {
		if err != nil {
			a.loadLater(user, 0, err)
		}
		a.onOfflineLoaded(pid)
	}))
	return true
}

// onOfflineLoaded: the user's backlog from every node is in the store's
// memory (or, on an error, what this node has: it is paged all the same,
// and the load asked again).
func (a *hubActor) onOfflineLoaded(pid string) {
	c := a.conns[pid]
	if c == nil || !c.loading {
		return
	}
	c.loading = false
	a.redeliverOffline(c)
	if c.routable {
		a.pump(c)
	}
}

// worthRetrying: a store error another try may mend (not corrupt data, an
// invalid key, a message too large or a closed store).
func worthRetrying(err error) bool {
	for _, never := range []error{store.ErrCorrupt, store.ErrInvalid, store.ErrTooLarge, store.ErrClosed} {
		if errors.Is(err, never) {
			return false
		}
	}
	return true
}

// loadAgain reads a user's shared backlog again after a load that failed (a
// timer's message).
type loadAgain struct {
	user    string
	attempt int
}

// loadLater: a load of user's backlog failed (a request unanswered, the
// stream electing a leader past the store's own retries). What other nodes
// stored for the user is not in this node's memory: it would reach the user
// only at its next first connection here. So it is asked again after a
// backoff (as a take-over), while the user is connected here; an error that
// another try cannot mend (corrupt data, a closed store) is not.
func (a *hubActor) loadLater(user string, attempt int, err error) {
	a.m.storeErrors.Add(1)
	if a.shuttingDown || !worthRetrying(err) {
		return
	}
	self, root := a.self, a.root
	time.AfterFunc(takeOverBackoff(attempt), func() { root.Send(self, &loadAgain{user: user, attempt: attempt + 1}) })
}

// onLoadAgain loads m's user again; once loaded, what came in is paged to
// the user's connection here (the oldest first, as a take-over's).
func (a *hubActor) onLoadAgain(m *loadAgain) {
	if u := a.users[m.user]; a.shuttingDown || u == nil || len(u.conns) == 0 {
		return // gone: its next first connection here loads again
	}
	a.cfg.Store.(offlineLoader).LoadOffline(m.user, a.whenDurable(func(err error) {
		if err != nil {
			a.loadLater(m.user, m.attempt, err)
			return
		}
		if u := a.users[m.user]; u != nil && len(u.conns) > 0 {
			c := u.conns[0]
			a.redeliverOffline(c)
			a.pump(c)
		}
	}))
}

// takeOver: node died without a goodbye. One live node — the one with the
// smallest id, this one included — moves what node was waiting acks for to
// the offline path; the listing waits on the network, so it runs off the
// mailbox and comes back as takenOver.
func (a *hubActor) takeOver(node string) {
	if _, ok := a.cfg.Store.(pendingTaker); !ok || a.shuttingDown || !a.firstAlive() {
		return
	}
	a.listPending(node, 0)
}

func (a *hubActor) listPending(node string, attempt int) {
	t := a.cfg.Store.(pendingTaker)
	self, root := a.self, a.root
	go func() {
		var got []store.PendingAck
		err := t.TakeOverPending(node, func(p store.PendingAck) bool { got = append(got, p); return true })
		root.Send(self, &takenOver{node: node, pending: got, err: err, attempt: attempt})
	}()
}

// takeOverLater asks again, after a backoff, for what node was waiting acks
// for: a listing or an offline write of it failed (a leader election of the
// shared store, a request unanswered), and nobody else takes over a node
// this one saw die. A timer's message, so the mailbox never waits. An
// error another try cannot mend (corrupt data, a closed store) is not.
func (a *hubActor) takeOverLater(node string, attempt int, err error) {
	if !worthRetrying(err) {
		return
	}
	self, root := a.self, a.root
	time.AfterFunc(takeOverBackoff(attempt), func() { root.Send(self, &takeOverAgain{node: node, attempt: attempt + 1}) })
}

// onTakeOverAgain lists node's pending acks again, unless the hub is
// stopping or node came back (it takes back its own when it starts).
func (a *hubActor) onTakeOverAgain(m *takeOverAgain) {
	if a.shuttingDown || a.cl == nil || slices.Contains(a.cl.presence.nodes(), m.node) {
		return
	}
	a.listPending(m.node, m.attempt)
}

// firstAlive reports whether this node has the smallest id among the nodes
// it knows to be alive.
func (a *hubActor) firstAlive() bool {
	nodes := a.cl.presence.nodes()
	return len(nodes) == 0 || a.cfg.NodeID < slices.Min(nodes)
}

// onTakenOver stores a dead node's pending acks here (each leaves that node's
// pending set once it is durable) and redelivers them where their user is.
// What failed is asked for again: the listing, or, once, the batch of a
// write that failed (the acks not yet moved are still node's; one moved
// meanwhile comes back as a duplicate, which its id tells).
func (a *hubActor) onTakenOver(m *takenOver) {
	if m.err != nil {
		a.m.storeErrors.Add(1)
		a.takeOverLater(m.node, m.attempt, m.err)
		return
	}
	t := a.cfg.Store.(pendingTaker)
	users := map[string]bool{}
	again := false // the batch's first failed write asks again; the others need not
	for _, p := range m.pending {
		node, user, id := m.node, p.User, p.Msg.ID
		a.recordOffline(p.Msg, recorder.ReasonConnError)
		a.store(user, p.Msg, func(err error) {
			if err == nil {
				t.RemovePendingOf(node, user, id, nil)
			} else if !again {
				again = true
				a.takeOverLater(node, m.attempt, err)
			}
		})
		users[user] = true
	}
	for user := range users { // connected now: the backlog follows at once
		if u := a.users[user]; u != nil && len(u.conns) > 0 {
			c := u.conns[0]
			c.offline = true
			a.pump(c)
		}
		// a user on another node gets them on its next connection there: that
		// node reads the shared store when the user's first connection registers
	}
}
