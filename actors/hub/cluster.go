package hub

import (
	"github.com/go-wsc/go-wsc/store"
	"slices"
	"time"

	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// cluster is what the hub knows of the other nodes, when it has a Bus. The hub
// actor owns it like the rest of its state.
//
// Presence: each node publishes a delta when a user gets a first or loses a last
// connection there, and every heartbeat a digest of its users (their number
// and a hash, constant in size); a node whose view of another disagrees with
// that digest asks it for its full list, once per heartbeat at most. A node
// not heard from for the TTL is dead and its users are gone. Ticket memberships are
// replicated (deltas, and a snapshot on start). A message for a user or ticket
// present elsewhere is published once, as its encoded frame; the node that sent
// it tracks its acks (other nodes forward acks back to it) and owns its offline
// path, so a user on no node gets the offline path once.
type cluster struct {
	bus        Bus
	presence   *presence         // who is on which other node (presence.go)
	remoteAcks map[string]string // message id + user → the node that tracks it
	watchedTkt map[string]bool
	// localHash is the hash part of this node's own digest (presence.go)
	localHash uint64
	// rosters are other nodes' full lists coming in parts; rosterID names
	// the lists this node sends
	rosters  map[string]*rosterParts
	rosterID uint64
	timer    *time.Timer
	gen      uint64

	// forward.go: copies sent to other nodes waiting for their report (in
	// the order sent), and reports owed to other nodes, sent in batches
	forwarded    map[forwardKey]*forwarded
	forwardOrder []forwardKey
	reports      map[string][]DeliveryReport
	reportArmed  bool
	// watches the bus refused, tried again at each heartbeat
	failedWatch map[watchKey]bool
}

type watchKey struct {
	scope Scope
	key   string
}

// maxRemoteAcks bounds the ack-forwarding table; past it the table starts
// again (an ack that then misses its entry gets a 4004, and the sending node
// resends or gives the message up to its offline path: nothing is lost).
const maxRemoteAcks = 100_000

func newCluster(bus Bus) *cluster {
	return &cluster{bus: bus, presence: newPresence(), remoteAcks: map[string]string{}, watchedTkt: map[string]bool{},
		forwarded: map[forwardKey]*forwarded{}, reports: map[string][]DeliveryReport{}, failedWatch: map[watchKey]bool{},
		rosters: map[string]*rosterParts{}}
}

// busIn is a bus message for this hub, sent by the bus's goroutine.
type busIn struct{ m *BusMessage }

// busReady says the bus is connected: announce this node and ask for memberships.
type busReady struct{}

// clusterTick is the heartbeat timer event.
type clusterTick struct{ gen uint64 }

// remotePresent reports whether userID has a connection on another node.
func (a *hubActor) remotePresent(userID string) bool {
	return a.cl != nil && a.cl.presence.elsewhere(userID)
}

// present reports whether userID has a connection anywhere.
func (a *hubActor) present(userID string) bool {
	return a.users[userID] != nil || a.remotePresent(userID)
}

// publish sends m to the other nodes; false when the bus refused it (counted).
func (a *hubActor) publish(m *BusMessage) bool {
	if a.cl == nil {
		return true
	}
	m.Origin = a.cfg.NodeID
	if err := a.cl.bus.Publish(m); err != nil {
		a.m.busPublishErrors.Add(1)
		return false
	}
	return true
}

// watch subscribes to a user's or ticket's messages; a refusal is counted and
// tried again at the next heartbeat.
func (a *hubActor) watch(s Scope, key string) {
	wk := watchKey{s, key}
	if err := a.cl.bus.Watch(s, key); err != nil {
		a.m.busSubscribeErrors.Add(1)
		a.cl.failedWatch[wk] = true
		return
	}
	delete(a.cl.failedWatch, wk)
}

func (a *hubActor) unwatch(s Scope, key string) {
	delete(a.cl.failedWatch, watchKey{s, key})
	a.cl.bus.Unwatch(s, key)
}

// retryWatches tries again the subscriptions the bus refused.
func (a *hubActor) retryWatches() {
	for wk := range a.cl.failedWatch {
		a.watch(wk.scope, wk.key)
	}
}

// userOnline runs when userID gets its first connection on this node.
func (a *hubActor) userOnline(userID string) {
	if a.cl == nil {
		return
	}
	a.watch(ScopeUser, userID)
	a.cl.localHash += userHash(userID)
	a.publish(&BusMessage{Kind: BusPresence, User: userID, Online: true})
	a.refreshTicketWatches(userID)
}

// userOffline runs when userID loses its last connection on this node.
func (a *hubActor) userOffline(userID string) {
	if a.cl != nil {
		a.unwatch(ScopeUser, userID)
		a.cl.localHash -= userHash(userID)
		a.publish(&BusMessage{Kind: BusPresence, User: userID, Online: false})
		a.refreshTicketWatches(userID)
	}
	a.maybeGone(userID)
}

// maybeGone tells the tracker when userID is on no node at all: its un-acked
// messages then go to the offline path.
func (a *hubActor) maybeGone(userID string) {
	if !a.present(userID) {
		a.toTracker(&ack.UserGone{UserID: userID})
	}
}

// refreshTicketWatches (un)subscribes the tickets of userID: a node watches a
// ticket while one of its members has a connection here.
func (a *hubActor) refreshTicketWatches(userID string) {
	if a.cl == nil {
		return
	}
	for id, t := range a.tickets {
		if _, member := t.members[userID]; member {
			a.refreshTicketWatch(id, t)
		}
	}
}

func (a *hubActor) refreshTicketWatch(id string, t *ticket) {
	if a.cl == nil {
		return
	}
	want := false
	if t != nil {
		for m := range t.members {
			if a.users[m] != nil {
				want = true
				break
			}
		}
	}
	switch {
	case want && !a.cl.watchedTkt[id]:
		a.cl.watchedTkt[id] = true
		a.watch(ScopeTicket, id)
	case !want && a.cl.watchedTkt[id]:
		delete(a.cl.watchedTkt, id)
		a.unwatch(ScopeTicket, id)
	}
}

// onBusReady: the bus is connected (the hub never touches it before): watch
// what is already here, say who is here and ask the others for the memberships.
func (a *hubActor) onBusReady() {
	a.cl = newCluster(a.cfg.Bus)
	for u := range a.users {
		a.watch(ScopeUser, u)
		a.cl.localHash += userHash(u)
	}
	for id, t := range a.tickets {
		a.refreshTicketWatch(id, t)
	}
	a.publish(&BusMessage{Kind: BusSyncRequest})
	a.heartbeat(time.Now())
}

func (a *hubActor) heartbeat(now time.Time) {
	// a digest, not the list: heartbeat traffic does not grow with the users
	a.publish(&BusMessage{Kind: BusDigest, Digest: &Digest{Count: len(a.users), Hash: a.cl.localHash}})
	a.retryWatches()
	a.expireForwards(now)
	for _, node := range a.cl.presence.silent(now, 3*a.cfg.ClusterHeartbeat) {
		a.dropNode(node)
		a.takeOver(node) // dead without a goodbye: its pending acks are nobody's now
	}
	a.cl.gen++
	gen, self, root := a.cl.gen, a.self, a.root
	a.cl.timer = time.AfterFunc(a.cfg.ClusterHeartbeat, func() { root.Send(self, &clusterTick{gen: gen}) })
}

func (a *hubActor) localUsers() []string {
	out := make([]string, 0, len(a.users))
	for u := range a.users {
		out = append(out, u)
	}
	return out
}

// onBus handles a message from another node.
func (a *hubActor) onBus(m *BusMessage) {
	if a.cl == nil || m.Origin == a.cfg.NodeID {
		return
	}
	if m.Kind != BusBye {
		a.cl.presence.heard(m.Origin, time.Now())
	}
	switch m.Kind {
	case BusUser:
		a.fromBusToUser(m)
	case BusTicket:
		a.fromBusToTicket(m)
	case BusBroadcast:
		if f := a.busFrame(m); f != nil {
			a.toEveryConnection(f)
		}
	case BusAck:
		if m.Node == a.cfg.NodeID {
			a.toTracker(&ack.Ack{UserID: m.User, MessageID: m.MessageID,
				Status: protocol.AckStatus(m.AckStatus), Error: m.AckError})
		}
	case BusReport:
		if m.Node == a.cfg.NodeID {
			a.onReports(m.Reports)
		}
	case BusPresence:
		if (m.Node == "" || m.Node == a.cfg.NodeID) && a.wholeRoster(m) {
			a.onPresence(m)
		}
	case BusDigest:
		if m.Digest != nil && *m.Digest != a.cl.presence.digest(m.Origin) {
			a.m.rosterAsks.Add(1) // a delta was lost, or this node is new: ask for the list
			a.publish(&BusMessage{Kind: BusRosterAsk, Node: m.Origin})
		}
	case BusRosterAsk:
		if m.Node == a.cfg.NodeID {
			a.sendRoster(m.Origin)
		}
	case BusBye:
		a.dropNode(m.Origin)
	case BusMembership:
		if m.Online {
			_ = a.joinFrom(m.Ticket, m.User, false, nil)
		} else {
			_ = a.leaveFrom(m.Ticket, m.User, false, nil)
		}
	case BusSyncRequest:
		for _, part := range a.membershipParts() { // joins add up: parts need no gathering
			a.publish(&BusMessage{Kind: BusSync, Node: m.Origin, Members: part})
		}
	case BusSync:
		if m.Node == a.cfg.NodeID {
			for t, users := range m.Members {
				for _, u := range users {
					_ = a.joinFrom(t, u, false, nil)
				}
			}
		}
	}
}

func (a *hubActor) membershipSnapshot() map[string][]string {
	out := make(map[string][]string, len(a.tickets))
	for id, t := range a.tickets {
		for u := range t.members {
			out[id] = append(out[id], u)
		}
	}
	return out
}

// busFrame turns a routed bus message back into a frame; the bytes are the
// sending node's encoding, used as they are.
func (a *hubActor) busFrame(m *BusMessage) *session.Frame {
	msg, err := protocol.Decode(m.Frame)
	if err != nil {
		a.m.refused.Add(1)
		return nil
	}
	return &session.Frame{Msg: msg, Data: m.Frame, Shared: true, Origin: m.Origin}
}

// expectAck remembers which node tracks the ack of a message it sent here.
func (a *hubActor) expectAck(f *session.Frame, userID, origin string) {
	if !f.Msg.RequireAck {
		return
	}
	if len(a.cl.remoteAcks) >= maxRemoteAcks {
		clear(a.cl.remoteAcks)
	}
	a.cl.remoteAcks[f.Msg.ID+"\x00"+userID] = origin
}

// forwardAck sends an ack to the node that tracks its message; false when the
// message was not sent from another node.
func (a *hubActor) forwardAck(userID string, ackMsg *protocol.Message) bool {
	if a.cl == nil {
		return false
	}
	key := ackMsg.MessageID + "\x00" + userID
	origin, ok := a.cl.remoteAcks[key]
	if !ok {
		return false
	}
	delete(a.cl.remoteAcks, key)
	a.publish(&BusMessage{Kind: BusAck, Node: origin, User: userID, MessageID: ackMsg.MessageID,
		AckStatus: string(ackMsg.AckStatus()), AckError: ackMsg.Error})
	return true
}

func (a *hubActor) fromBusToUser(m *BusMessage) {
	f := a.busFrame(m)
	if f == nil {
		return
	}
	u := a.users[m.User]
	if u == nil {
		// the sender saw the user here a moment ago; unless the user is elsewhere
		// (and got it there) keep the message rather than drop it
		if !f.Msg.RequireAck && !a.remotePresent(m.User) {
			a.store(m.User, f.Msg, nil) // the record is on the sending node: the report settles it
			a.report(m.Origin, f.Msg.ID, m.User, true)
		}
		return
	}
	a.remember(m.User, f.Msg, f.Data)
	if a.deliver(u, f, nil) {
		a.m.delivered.Add(1) // the record is on the sending node: the report settles it
		a.report(m.Origin, f.Msg.ID, m.User, false)
	}
	a.expectAck(f, m.User, m.Origin)
}

func (a *hubActor) fromBusToTicket(m *BusMessage) {
	t := a.tickets[m.Ticket]
	f := a.busFrame(m)
	if t == nil || f == nil {
		return
	}
	for member := range t.members {
		if m.SkipFrom && member == f.Msg.From {
			continue
		}
		if u := a.users[member]; u != nil {
			a.remember(member, f.Msg, f.Data)
			if a.deliver(u, f, nil) {
				a.report(m.Origin, f.Msg.ID, member, false)
			}
			a.expectAck(f, member, m.Origin)
		}
	}
}

func (a *hubActor) onPresence(m *BusMessage) {
	if m.Full {
		came, went := a.cl.presence.full(m.Origin, m.Users)
		for _, u := range came {
			a.remoteUserOn(u)
		}
		for _, u := range went {
			a.maybeGone(u)
		}
		return
	}
	switch {
	case m.Online && a.cl.presence.on(m.Origin, m.User):
		a.remoteUserOn(m.User)
	case !m.Online && a.cl.presence.off(m.Origin, m.User):
		a.maybeGone(m.User)
	}
}

// remoteUserOn: userID has a new connection on another node. What this node
// kept for the user goes to where the user now is.
func (a *hubActor) remoteUserOn(userID string) {
	if a.users[userID] != nil {
		return
	}
	if _, shared := a.cfg.Store.(offlineLoader); shared {
		return // the node the user is on reads the shared store itself, in order
	}
	for _, msg := range a.peekOffline(userID) {
		if msg.RequireAck { // pending on disk before it leaves the store
			_ = a.cfg.Store.PutPending(store.PendingAck{User: userID, Entry: store.Entry{Msg: msg}}, nil)
		}
		a.cfg.Store.RemoveOffline(userID, []string{msg.ID}, nil)
		a.publishToUser(userID, msg)
		a.track(userID, msg, nil)
	}
}

// dropNode forgets a node that left or died, and its users with it.
func (a *hubActor) dropNode(node string) {
	for _, u := range a.cl.presence.drop(node) {
		a.maybeGone(u)
	}
}

// publishToUser sends an already stamped message to userID's connections on
// the other nodes.
func (a *hubActor) publishToUser(userID string, msg *protocol.Message) {
	data, err := protocol.Encode(msg)
	if err != nil {
		return
	}
	a.m.encodes.Add(1)
	if !a.publish(&BusMessage{Kind: BusUser, User: userID, Frame: data}) {
		a.publishFailed(userID, msg) // back in the store; its record still says so
		return
	}
	a.forward(userID, msg)
	a.recs.Status(msg.ID, forwardedStatus(msg), "", "")
}

// nodes lists the nodes that have userID, this one included.
func (a *hubActor) nodes(userID string) []string {
	var out []string
	if a.users[userID] != nil {
		out = append(out, a.cfg.NodeID)
	}
	if a.cl != nil {
		out = append(out, a.cl.presence.nodesOf(userID)...)
	}
	slices.Sort(out)
	return out
}

// rosterPartBytes bounds the user ids of one roster message: well under
// NATS's default 1 MiB payload, whatever the ids' length.
const rosterPartBytes = 256 << 10

// rosterParts gathers the parts of one node's full list.
type rosterParts struct {
	id    uint64
	got   int
	users []string
}

// sendRoster sends this node's full user list to node, in parts when big.
func (a *hubActor) sendRoster(node string) {
	users := a.localUsers()
	var parts [][]string
	start, size := 0, 0
	for i, u := range users {
		if size += len(u) + 3; size > rosterPartBytes && i > start {
			parts = append(parts, users[start:i])
			start, size = i, len(u)+3
		}
	}
	parts = append(parts, users[start:])
	a.cl.rosterID++
	for i, chunk := range parts {
		a.publish(&BusMessage{Kind: BusPresence, Full: true, Users: chunk, Node: node,
			Roster: a.cl.rosterID, Part: i + 1, Parts: len(parts)})
	}
}

// wholeRoster passes a presence message on once it is whole: a delta, a list
// in one part, or the last part of a list (m then carries all of it). Parts
// of an older list than the one being gathered are dropped.
func (a *hubActor) wholeRoster(m *BusMessage) bool {
	if !m.Full || m.Parts <= 1 {
		return true
	}
	acc := a.cl.rosters[m.Origin]
	if acc == nil || acc.id != m.Roster {
		acc = &rosterParts{id: m.Roster}
		a.cl.rosters[m.Origin] = acc
	}
	acc.users = append(acc.users, m.Users...)
	if acc.got++; acc.got < m.Parts {
		return false
	}
	delete(a.cl.rosters, m.Origin)
	m.Users = acc.users
	return true
}

// membershipParts is membershipSnapshot in parts of at most rosterPartBytes
// (NATS's payload bounds one bus message).
func (a *hubActor) membershipParts() []map[string][]string {
	var parts []map[string][]string
	part, size := map[string][]string{}, 0
	for id, users := range a.membershipSnapshot() {
		for _, u := range users {
			if size += len(id) + len(u) + 6; size > rosterPartBytes && len(part) > 0 {
				parts = append(parts, part)
				part, size = map[string][]string{}, len(id)+len(u)+6
			}
			part[id] = append(part[id], u)
		}
	}
	return append(parts, part)
}
