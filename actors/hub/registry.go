package hub

import (
	"github.com/go-wsc/go-wsc/store"
	"slices"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// register adds a new session: it replaces an older connection with the same
// conn id (3000), joins the tickets it names, then queues the welcome frame,
// the resume from Last-Event-ID and whatever the offline store kept for the
// user in its backlog, ahead of anything new (backlog.go).
func (a *hubActor) register(ctx actor.Context, r *session.Register) {
	c := &conn{pid: r.PID, id: r.Identity, kind: r.Kind, t: r.Transport}
	if c.id.ConnID == "" {
		c.id.ConnID = r.PID.Id
	}
	a.conns[r.PID.Id] = c
	ctx.Watch(r.PID)

	if a.shuttingDown {
		a.root.Send(r.PID, &session.CloseCmd{Code: protocol.CloseGoingAway, Text: "server shutting down"})
		return
	}
	u := a.users[c.id.UserID]
	if u != nil {
		for _, old := range u.conns {
			if old.id.ConnID == c.id.ConnID {
				a.unroute(old)
				a.root.Send(old.pid, &session.CloseCmd{Code: protocol.CloseReplaced, Text: protocol.CloseText(protocol.CloseReplaced)})
				break
			}
		}
		u = a.users[c.id.UserID] // unroute may have removed the entry
	}
	if max := a.cfg.MaxConnectionsPerUser; max > 0 && u != nil && len(u.conns) >= max {
		a.root.Send(r.PID, &session.CloseCmd{Code: protocol.ClosePolicyViolation, Text: "too many connections"})
		return
	}
	first := u == nil
	if first {
		u = &user{stream: userStream(c.id.UserID), hist: a.historyOf(c.id.UserID)}
		a.users[c.id.UserID] = u
	}
	u.conns = append(u.conns, c)
	c.routable = true
	c.slot = len(a.routed)
	a.routed = append(a.routed, c)
	a.byKind[c.kind]++
	for _, t := range c.id.Tickets {
		_ = a.join(t, c.id.UserID)
	}
	if first {
		a.userOnline(c.id.UserID)
		a.loadSeq(u.stream) // ahead of the first message to this user
	}
	if a.cfg.Welcome != nil {
		if w, ok := a.cfg.Welcome.Welcome(c.id); ok && w != nil {
			w = w.Clone()
			w.Type, w.To = protocol.TypeWelcome, c.id.UserID
			a.stamp(w)
			if f, err := a.frame(w, false); err == nil {
				c.backlog = append(c.backlog, pending{frame: f})
			}
		}
	}
	a.touch(c.id.UserID)
	a.resume(c)
	if first && !a.loadOffline(c) { // a shared store reads the user's backlog in first
		a.redeliverOffline(c)
	}
	a.pump(c)
}

// unroute takes a connection out of routing; it stays in conns until Gone.
func (a *hubActor) unroute(c *conn) {
	if !c.routable {
		return
	}
	c.routable = false
	last := a.routed[len(a.routed)-1]
	a.routed[c.slot], last.slot = last, c.slot
	a.routed[len(a.routed)-1] = nil
	a.routed = a.routed[:len(a.routed)-1]
	a.byKind[c.kind]--
	u := a.users[c.id.UserID]
	if u == nil {
		return
	}
	u.conns = slices.DeleteFunc(u.conns, func(x *conn) bool { return x == c })
	if len(u.conns) == 0 {
		delete(a.users, c.id.UserID)
		a.userOffline(c.id.UserID) // on no node: its un-acked messages go to the offline path now
	}
}

// gone forgets a session whose transport has finished, and takes back, once
// and oldest first, every frame it queued for it that never reached the wire:
// the outbox (with a batch the writer failed to write), what still waited in
// the backlog, and what the outbox refused (slow consumer).
func (a *hubActor) gone(pid *actor.PID, code int) {
	c := a.conns[pid.Id]
	if c == nil {
		return
	}
	a.unroute(c)
	delete(a.conns, pid.Id)
	if c.slow {
		code = protocol.CloseSlowConsumer
	}
	reason := closeReason(code)
	a.unwrittenInOrder(c.id.UserID, c.t.Drain(), reason)
	a.backlogLeft(c, reason)
	a.unwritten(c.id.UserID, c.refused, reason)
	c.refused = nil
	if a.shuttingDown && len(a.conns) == 0 {
		a.flushAcks()
	}
}

func (a *hubActor) onlineUsers() []string {
	out := make([]string, 0, len(a.users))
	for id := range a.users {
		out = append(out, id)
	}
	if a.cl != nil {
		for _, id := range a.cl.presence.users() {
			if a.users[id] == nil {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return out
}

func (a *hubActor) disconnect(userID string, code int) int {
	u := a.users[userID]
	if u == nil {
		return 0
	}
	if code == 0 {
		code = protocol.ClosePolicyViolation
	}
	conns := slices.Clone(u.conns)
	for _, c := range conns {
		a.unroute(c)
		a.root.Send(c.pid, &session.CloseCmd{Code: code, Text: protocol.CloseText(code)})
	}
	return len(conns)
}

func (a *hubActor) join(ticketID, userID string) error {
	return a.joinUser(ticketID, userID, nil, nil)
}

// joinFrom adds a member, and writes the membership to the store (done, when
// set, hears when it is durable; it is not called on an error). A change made
// here (local) is told to the other nodes.
func (a *hubActor) joinFrom(ticketID, userID string, local bool, done store.Done) error {
	return a.joinCounted(ticketID, userID, local, false, done)
}

// joinCounted is joinFrom on the ticket's shard; counted: the user's shard
// has counted the join already (parts.go), and it is undone there when the
// join is refused here or was made before.
func (a *hubActor) joinCounted(ticketID, userID string, local, counted bool, done store.Done) error {
	if ticketID == "" || userID == "" {
		return ErrInvalidMessage
	}
	t := a.tickets[ticketID]
	if t != nil {
		if _, already := t.members[userID]; already {
			if counted {
				a.countMember(userID, -1)
			}
			if done != nil {
				done(nil)
			}
			return nil
		}
	}
	if local && (t == nil && a.sh.tickets.Load() >= int64(a.cfg.MaxTickets) || !counted && a.memberships[userID] >= a.cfg.MaxTicketsPerUser) {
		a.m.refused.Add(1)
		if counted {
			a.countMember(userID, -1)
		}
		return ErrTooManyTickets
	}
	if t == nil {
		t = &ticket{members: map[string]struct{}{}}
		a.tickets[ticketID] = t
		a.sh.tickets.Add(1)
	}
	t.members[userID] = struct{}{}
	if !counted {
		a.memberships[userID]++
	}
	a.cfg.Store.JoinTicket(ticketID, userID, done)
	if local {
		a.publish(&BusMessage{Kind: BusMembership, Ticket: ticketID, User: userID, Online: true})
	}
	a.refreshTicketWatch(ticketID, t)
	return nil
}

func (a *hubActor) leaveFrom(ticketID, userID string, local bool, done store.Done) error {
	t := a.tickets[ticketID]
	if t == nil {
		return ErrTicketNotFound
	}
	if _, member := t.members[userID]; member {
		a.cfg.Store.LeaveTicket(ticketID, userID, done)
		a.countMember(userID, -1)
	} else if done != nil {
		done(nil)
	}
	delete(t.members, userID)
	if len(t.members) == 0 {
		delete(a.tickets, ticketID)
		a.sh.tickets.Add(-1)
		t = nil
	}
	if local {
		a.publish(&BusMessage{Kind: BusMembership, Ticket: ticketID, User: userID, Online: false})
	}
	a.refreshTicketWatch(ticketID, t)
	return nil
}

func (a *hubActor) members(ticketID string) TicketMembersReply {
	t := a.tickets[ticketID]
	if t == nil {
		return TicketMembersReply{Err: ErrTicketNotFound}
	}
	out := make([]string, 0, len(t.members))
	for id := range t.members {
		out = append(out, id)
	}
	slices.Sort(out)
	return TicketMembersReply{Members: out}
}
