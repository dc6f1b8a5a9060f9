package hub

import (
	"slices"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// register adds a new session: it replaces an older connection with the same
// conn id (3000), joins the tickets it names, then sends it the welcome frame
// and whatever the offline store kept for the user, before anything new.
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
		u = &user{}
		a.users[c.id.UserID] = u
	}
	u.conns = append(u.conns, c)
	c.routable = true
	a.byKind[c.kind]++
	for _, t := range c.id.Tickets {
		_ = a.join(t, c.id.UserID)
	}
	if first {
		a.userOnline(c.id.UserID)
	}
	if a.cfg.Welcome != nil {
		if w, ok := a.cfg.Welcome.Welcome(c.id); ok && w != nil {
			w = w.Clone()
			w.Type, w.To = protocol.TypeWelcome, c.id.UserID
			a.stamp(w)
			if f, err := a.frame(w, false); err == nil {
				a.push(c, f)
			}
		}
	}
	resumed := a.resume(c)
	if first {
		a.redeliverOffline(c.id.UserID, u, resumed)
	}
}

// unroute takes a connection out of routing; it stays in conns until Gone.
func (a *hubActor) unroute(c *conn) {
	if !c.routable {
		return
	}
	c.routable = false
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

// gone forgets a session and hands the frames it never wrote to the offline path.
func (a *hubActor) gone(pid *actor.PID, code int, unsent []*session.Frame) {
	c := a.conns[pid.Id]
	if c == nil {
		return
	}
	a.unroute(c)
	delete(a.conns, pid.Id)
	a.undelivered(c.id.UserID, unsent, code)
	if c.t != nil { // what the hub queued after the session's own last look
		a.undelivered(c.id.UserID, c.t.Drain(), code)
	}
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
		for id := range a.cl.userNodes {
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

func (a *hubActor) join(ticketID, userID string) error { return a.joinFrom(ticketID, userID, true) }

func (a *hubActor) leave(ticketID, userID string) error { return a.leaveFrom(ticketID, userID, true) }

// joinFrom adds a member; a change made here (local) is told to the other nodes.
func (a *hubActor) joinFrom(ticketID, userID string, local bool) error {
	if ticketID == "" || userID == "" {
		return ErrInvalidMessage
	}
	t := a.tickets[ticketID]
	if t == nil {
		t = &ticket{members: map[string]struct{}{}}
		a.tickets[ticketID] = t
	}
	if _, already := t.members[userID]; already {
		return nil
	}
	t.members[userID] = struct{}{}
	if local {
		a.publish(&BusMessage{Kind: BusMembership, Ticket: ticketID, User: userID, Online: true})
	}
	a.refreshTicketWatch(ticketID, t)
	return nil
}

func (a *hubActor) leaveFrom(ticketID, userID string, local bool) error {
	t := a.tickets[ticketID]
	if t == nil {
		return ErrTicketNotFound
	}
	delete(t.members, userID)
	if len(t.members) == 0 {
		delete(a.tickets, ticketID)
		t = nil
	}
	if local {
		a.publish(&BusMessage{Kind: BusMembership, Ticket: ticketID, User: userID, Online: false})
	}
	a.refreshTicketWatch(ticketID, t)
	return nil
}

func (a *hubActor) members(ticketID string) ticketMembersReply {
	t := a.tickets[ticketID]
	if t == nil {
		return ticketMembersReply{err: ErrTicketNotFound}
	}
	out := make([]string, 0, len(t.members))
	for id := range t.members {
		out = append(out, id)
	}
	slices.Sort(out)
	return ticketMembersReply{members: out}
}
