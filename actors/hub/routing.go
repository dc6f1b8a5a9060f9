package hub

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// sendToUser stamps m with the user's next seq_no and hands one shared frame to
// each of the user's connections; with none, m goes to the offline path.
func (a *hubActor) sendToUser(userID string, m *protocol.Message) error {
	if userID == "" {
		a.m.refused.Add(1)
		return ErrInvalidMessage
	}
	a.stamp(m)
	m.To = userID
	a.seqs[userID]++
	m.SeqNo = a.seqs[userID]
	u := a.users[userID]
	if u == nil {
		a.toOffline(userID, m)
		return ErrUserOffline
	}
	f, err := a.frame(m, len(u.conns) > 1)
	if err != nil {
		a.m.refused.Add(1)
		return err
	}
	a.remember(userID, m)
	a.deliver(u, f, nil)
	return nil
}

// deliver hands f to every connection of u except skip.
func (a *hubActor) deliver(u *user, f *session.Frame, skip *actor.PID) {
	sent := false
	for _, c := range u.conns {
		if skip != nil && c.pid.Id == skip.Id {
			continue
		}
		a.root.Send(c.pid, &session.Deliver{Frame: f})
		sent = true
	}
	if sent {
		a.m.delivered.Add(1)
	}
}

// sendToTicket encodes m once, stamped with the ticket's own seq_no (so one
// frame serves every member), and hands it to the connections of every member
// but the sender: the sending connection (skip) for client frames, the user in
// m.From for server sends. Members with no connection get the offline path.
func (a *hubActor) sendToTicket(ticketID string, m *protocol.Message, skip *actor.PID) error {
	t := a.tickets[ticketID]
	if t == nil {
		a.m.refused.Add(1)
		return ErrTicketNotFound
	}
	a.stamp(m)
	m.TicketID = ticketID
	t.seq++
	m.SeqNo = t.seq
	f, err := a.frame(m, true)
	if err != nil {
		a.m.refused.Add(1)
		return err
	}
	for member := range t.members {
		if skip == nil && member == m.From {
			continue
		}
		u := a.users[member]
		if u == nil {
			a.toOffline(member, m)
			continue
		}
		a.remember(member, m)
		a.deliver(u, f, skip)
	}
	return nil
}

// broadcast encodes m once and hands the same frame to every connection.
func (a *hubActor) broadcast(m *protocol.Message) error {
	a.stamp(m)
	a.broadcastSeq++
	m.SeqNo = a.broadcastSeq
	f, err := a.frame(m, true)
	if err != nil {
		a.m.refused.Add(1)
		return err
	}
	a.m.broadcasts.Add(1)
	d := &session.Deliver{Frame: f}
	for _, u := range a.users {
		for _, c := range u.conns {
			a.root.Send(c.pid, d)
		}
	}
	if len(a.users) > 0 {
		a.m.delivered.Add(1)
	}
	return nil
}

// inbound routes a client's message: to a user, or to a ticket the sender is a
// member of. A refusal goes back to the sending connection as an error frame.
func (a *hubActor) inbound(in *session.Inbound) {
	m := in.Msg
	if m.To != "" {
		m.TicketID = ""
		_ = a.sendToUser(m.To, m) // an offline recipient is not the sender's error: the message is kept
		return
	}
	t := a.tickets[m.TicketID]
	if t == nil {
		a.m.refused.Add(1)
		a.errorFrame(in.PID, protocol.CodeInvalidFrame, "wsc: unknown ticket "+m.TicketID, m.MsgID)
		return
	}
	if _, ok := t.members[in.Identity.UserID]; !ok {
		a.m.refused.Add(1)
		a.errorFrame(in.PID, protocol.CodeForbidden, "wsc: not a member of ticket "+m.TicketID, m.MsgID)
		return
	}
	_ = a.sendToTicket(m.TicketID, m, in.PID)
}

// ackIn handles an ack frame. Without an ack tracker nothing is pending, so
// every ack names an unknown message (4004).
func (a *hubActor) ackIn(in *session.AckIn) {
	a.errorFrame(in.PID, protocol.CodeUnknownMessage, "wsc: no pending message "+in.Ack.MessageID, in.Ack.MessageID)
}

func (a *hubActor) errorFrame(pid *actor.PID, code int, text, ref string) {
	m := protocol.NewError(code, text, ref)
	data, err := protocol.Encode(m)
	if err != nil {
		return
	}
	a.root.Send(pid, &session.Deliver{Frame: &session.Frame{Msg: m, Data: data}})
}
