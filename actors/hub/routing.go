package hub

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
)

// sendToUser stamps m with the user's next seq_no and hands one shared frame to
// each of the user's connections; with none, m goes to the offline path. It
// answers rep itself: at once, or once the store has made m durable (a
// message that needs an ack, or one for the offline store), or after its
// sequence stream has loaded.
func (a *hubActor) sendToUser(userID string, m *protocol.Message, req *AckRequest, rep chan<- error) {
	if userID == "" {
		a.m.refused.Add(1)
		reply(rep, ErrInvalidMessage)
		return
	}
	u := a.users[userID]
	stream := ""
	if u != nil {
		stream = u.stream
	} else {
		stream = userStream(userID)
	}
	seq, ok := a.nextSeq(stream, func() func(error) {
		return func(err error) {
			if err != nil {
				a.m.refused.Add(1)
				reply(rep, ErrStoreFailed)
				return
			}
			a.sendToUser(userID, m, req, rep)
		}
	})
	if !ok {
		return // parked until the stream is loaded
	}
	a.stamp(m)
	a.historyFor(userID, u).seen = a.now() // touched: not idle
	if req != nil {
		m.RequireAck = true
	}
	m.To = userID
	m.SeqNo = seq
	remote := a.remotePresent(userID)
	if u == nil && !remote {
		a.recs.Accepted(m, userID, "", recorder.StatusUserOffline, recorder.ReasonUserOffline)
		a.store(userID, m, func(err error) {
			if err != nil {
				reply(rep, ErrStoreFailed)
				return
			}
			a.offlineOutcome(req, userID, m)
			reply(rep, ErrUserOffline)
		})
		return
	}
	f, err := a.frame(m, u != nil && len(u.conns) > 1)
	if err != nil {
		a.refuse(m, userID, "", err)
		reply(rep, err)
		return
	}
	if m.RequireAck && !a.persistPending(userID, f, func(err error) { reply(rep, err) }) {
		return // on disk before it leaves, answered once it is; or refused
	}
	switch local, remote := a.deliverEverywhere(userID, u, f); {
	case local:
		a.accepted(m, userID, "")
	case remote:
		a.m.forwardedOnly.Add(1)
		a.recs.Accepted(m, userID, "", forwardedStatus(m), "") // the other node's report settles it
	case m.RequireAck: // on another node a moment ago, and the publish failed: the tracker resends
		a.recs.Accepted(m, userID, "", recorder.StatusPending, "")
	default: // … and the publish failed: stored (publishFailed)
		a.recs.Accepted(m, userID, "", recorder.StatusUserOffline, recorder.ReasonConnError)
	}
	a.track(userID, m, req)
	if !m.RequireAck {
		reply(rep, nil)
	}
}

// persistPending writes a message that needs an ack to the store's pending
// set before it is delivered (so that the tracker's removal on the ack comes
// after it), and calls then once it is durable: nil, or ErrStoreFailed. False
// when the store refused it outright: the message is refused, not delivered.
func (a *hubActor) persistPending(userID string, f *session.Frame, then func(error)) bool {
	err := a.cfg.Store.PutPending(store.PendingAck{User: userID, Entry: store.Entry{Msg: f.Msg, Data: f.Data}},
		a.whenDurable(func(err error) {
			if err != nil {
				a.m.storeErrors.Add(1)
				then(ErrStoreFailed)
				return
			}
			then(nil)
		}))
	if err != nil {
		a.m.storeErrors.Add(1)
		a.refuse(f.Msg, userID, "", err)
		then(ErrStoreFailed)
		return false
	}
	return true
}

// accepted counts and records a message that its first routing handed to at
// least one connection (here or on another node): one recorder event for its
// creation and first status together.
func (a *hubActor) accepted(m *protocol.Message, userID, ticketID string) {
	a.m.delivered.Add(1)
	a.recs.Accepted(m, userID, ticketID, sentStatus(m), "")
}

// refuse records a message the hub stamped but could not encode.
func (a *hubActor) refuse(m *protocol.Message, userID, ticketID string, err error) {
	a.m.refused.Add(1)
	a.recs.Accepted(m, userID, ticketID, recorder.StatusFailed, recorder.ReasonUnknown)
	a.recs.Status(m.ID, recorder.StatusFailed, recorder.ReasonUnknown, err.Error())
}

// deliverEverywhere hands f to userID's connections here (u, may be nil) and
// publishes it once for the other nodes the user is on; it says whether a
// connection here took it, and whether it left for another node (where a
// delivery report will settle it, forward.go). A publish that fails sends
// the message to the offline path unless a connection here took it.
func (a *hubActor) deliverEverywhere(userID string, u *user, f *session.Frame) (local, remote bool) {
	if u != nil {
		a.rememberIn(u.hist, userID, f.Msg, f.Data)
		local = a.deliver(u, f, nil)
	}
	if a.remotePresent(userID) {
		if remote = a.publish(&BusMessage{Kind: BusUser, User: userID, Frame: f.Data}); remote {
			a.forward(userID, f.Msg)
		} else if !local {
			a.publishFailed(userID, f.Msg)
		}
	}
	return local, remote
}

// sent counts a message handed to at least one connection (here or on another
// node) and records it: its success, or, when it needs an ack, sending.
func (a *hubActor) sent(m *protocol.Message) {
	a.m.delivered.Add(1)
	a.recordSent(m)
}

// track hands a delivered message that requires an ack to the tracker.
func (a *hubActor) track(userID string, m *protocol.Message, req *AckRequest) {
	if !m.RequireAck {
		return
	}
	t := &ack.Track{Msg: m, UserID: userID}
	if req != nil {
		t.Timeout, t.MaxRetry, t.Waiter = req.Timeout, req.MaxRetry, req.Outcome
	}
	a.toTracker(t)
}

// deliver queues f on every connection of u except skip, and says whether
// there was one. Frames go straight to each transport's outbox: the session is
// not a hop on the way out.
func (a *hubActor) deliver(u *user, f *session.Frame, skip *actor.PID) bool {
	sent := false
	var full []*conn
	for _, c := range u.conns {
		if skip != nil && c.pid.Id == skip.Id {
			continue
		}
		sent = true
		if !a.queue(c, f) {
			full = append(full, c)
		}
	}
	for _, c := range full { // after the loop: overflow changes u.conns
		a.overflow(c, f)
	}
	return sent
}

// overflow: c refused f, so c is a slow consumer. It leaves routing at once
// and its session closes it (3002). The hub keeps f: with the frames the
// outbox never wrote, it goes the way of undelivered frames once the session
// is gone (gone), in order.
func (a *hubActor) overflow(c *conn, f *session.Frame) {
	if !c.slow {
		c.slow = true
		a.m.sessions.SlowConsumer.Add(1)
		a.root.Send(c.pid, &session.CloseCmd{Code: protocol.CloseSlowConsumer, Text: protocol.CloseText(protocol.CloseSlowConsumer)})
	}
	c.refused = append(c.refused, f)
	a.unroute(c)
}

// sendToTicket encodes m once, stamped with the ticket's own seq_no (so one
// frame serves every member), and hands it to the connections of every member
// but the sender: the sending connection (skip) for client frames, the user in
// m.From for server sends. Members with no connection get the offline path.
// It answers rep itself, once every store write of the message is durable.
func (a *hubActor) sendToTicket(ticketID string, m *protocol.Message, skip *actor.PID, req *AckRequest, rep chan<- error) {
	t := a.tickets[ticketID]
	if t == nil {
		a.m.refused.Add(1)
		reply(rep, ErrTicketNotFound)
		return
	}
	seq, ok := a.nextSeq(ticketStream(ticketID), func() func(error) {
		return func(err error) {
			if err != nil {
				a.m.refused.Add(1)
				reply(rep, ErrStoreFailed)
				return
			}
			a.sendToTicket(ticketID, m, skip, req, rep)
		}
	})
	if !ok {
		return
	}
	a.stamp(m)
	if req != nil {
		m.RequireAck = true
	}
	m.TicketID = ticketID
	m.SeqNo = seq
	f, err := a.frame(m, true)
	if err != nil {
		a.refuse(m, "", ticketID, err)
		reply(rep, err)
		return
	}
	if a.sh.n > 1 && a.ticketParts(t, ticketID, f, skip, req, rep) {
		return // members on other shards too (parts.go)
	}
	all := &waitAll{then: func(err error) { reply(rep, err) }}
	var remote []string
	sent, alsoElsewhere := false, false
	for member := range t.members {
		if skip == nil && member == m.From {
			continue
		}
		u := a.users[member]
		present := u != nil || a.remotePresent(member)
		if present && m.RequireAck && !a.persistPending(member, f, all.add()) {
			continue
		}
		switch {
		case u != nil:
			a.rememberIn(u.hist, member, m, f.Data)
			sent = a.deliver(u, f, skip) || sent
			// its connections on other nodes get it there (they are not tracked
			// for a report: this node's connection took it)
			alsoElsewhere = alsoElsewhere || a.remotePresent(member)
		case present:
			remote = append(remote, member)
		default:
			done := all.add()
			a.store(member, m, func(err error) { // the record says user_offline below if nobody got it
				if err == nil {
					a.offlineOutcome(req, member, m)
				}
				done(err)
			})
			continue
		}
		a.track(member, m, req)
	}
	forwarded := false
	if len(remote) > 0 || alsoElsewhere { // once for every other node; each delivers to its own members and reports
		forwarded = a.publish(&BusMessage{Kind: BusTicket, Ticket: ticketID, Frame: f.Data, SkipFrom: skip == nil})
		for _, member := range remote {
			if forwarded {
				a.forward(member, m)
			} else {
				a.publishFailed(member, m)
			}
		}
	}
	switch {
	case sent:
		a.accepted(m, "", ticketID) // once per message, however many members
	case forwarded:
		a.m.forwardedOnly.Add(1)
		a.recs.Accepted(m, "", ticketID, forwardedStatus(m), "") // the reports settle it
	default:
		a.recs.Accepted(m, "", ticketID, recorder.StatusUserOffline, recorder.ReasonUserOffline)
	}
	all.seal()
}

// waitAll answers once every store write a message's answer depends on is
// durable (with the first error, if any). Only the hub's mailbox touches it.
type waitAll struct {
	n      int
	sealed bool
	err    error
	then   func(error)
}

// add counts one more write; the result is its callback, called on the mailbox.
func (w *waitAll) add() func(error) {
	w.n++
	return func(err error) {
		if err != nil && w.err == nil {
			w.err = ErrStoreFailed
		}
		w.n--
		w.fire()
	}
}

// seal says no write is added any more.
func (w *waitAll) seal() {
	w.sealed = true
	w.fire()
}

func (w *waitAll) fire() {
	if w.sealed && w.n == 0 && w.then != nil {
		then := w.then
		w.then = nil
		then(w.err)
	}
}

// sendToTicketAck is SendToTicket; with Ack it first tells the caller how many
// outcomes to wait for, on a channel with room for all of them.
func (a *hubActor) sendToTicketAck(m *SendToTicket) {
	if m.Ack == nil {
		a.sendToTicket(m.TicketID, m.Msg, nil, nil, m.Reply)
		return
	}
	t := a.tickets[m.TicketID]
	n := 0
	if t != nil {
		n = len(t.members)
		if _, self := t.members[m.Msg.From]; self {
			n--
		}
	}
	outcomes := make(chan ack.Outcome, max(n, 0))
	req := *m.Ack
	req.Outcome = outcomes
	answer(m.AckStarted, TicketAcks{Outcomes: outcomes, N: n})
	a.sendToTicket(m.TicketID, m.Msg, nil, &req, m.Reply)
}

// broadcast encodes m once and hands the same frame to every connection.
func (a *hubActor) broadcast(m *protocol.Message, rep chan<- error) {
	seq, ok := a.nextSeq(broadcastStream, func() func(error) {
		return func(err error) {
			if err != nil {
				reply(rep, ErrStoreFailed)
				return
			}
			a.broadcast(m, rep)
		}
	})
	if !ok {
		return
	}
	a.stamp(m)
	m.RequireAck = false // a broadcast is for the connections of the moment: nobody tracks its acks
	m.SeqNo = seq
	f, err := a.frame(m, true)
	if err != nil {
		a.refuse(m, "", "", err)
		reply(rep, err)
		return
	}
	a.m.broadcasts.Add(1)
	if a.sh.n > 1 { // the other shards' connections first, on their cores, while this one does its own
		a.broadcastParts(f, func(error) { reply(rep, nil) })
	}
	a.toEveryConnection(f)
	a.publish(&BusMessage{Kind: BusBroadcast, Frame: f.Data})
	a.accepted(m, "", "") // to the connections of the moment, however many: its success
	if a.sh.n == 1 {
		reply(rep, nil)
	}
}

// inbound routes a client's message: to a user, or to a ticket the sender is a
// member of. A refusal goes back to the sending connection as an error frame.
func (a *hubActor) inbound(in *session.Inbound) {
	m := in.Msg
	if a.sh.n > 1 { // to the receiver's shard, or the ticket's (shards.go: route)
		key := m.To
		if key == "" {
			key = m.TicketID
		}
		if o := a.sh.of(key); o != a.me {
			a.root.Send(a.sh.pids[o], in)
			return
		}
	}
	if m.To != "" && a.receiverFull(m.To) {
		a.m.floodRefused.Add(1)
		a.refuseInbound(in, protocol.CodeQueueFull, "wsc: "+m.To+"'s queue is full: not accepted, send it later")
		return
	}
	var t *ticket
	if m.To == "" {
		if t = a.tickets[m.TicketID]; t == nil {
			a.refuseInbound(in, protocol.CodeInvalidFrame, "wsc: unknown ticket "+m.TicketID)
			return
		}
		if _, ok := t.members[in.Identity.UserID]; !ok {
			a.refuseInbound(in, protocol.CodeForbidden, "wsc: not a member of ticket "+m.TicketID)
			return
		}
	}
	if in.Transport != nil {
		defer in.Transport.Consumed() // routed: the client may send another
	}
	if m.To != "" {
		m.TicketID = ""
		a.sendToUser(m.To, m, nil, nil) // an offline recipient is not the sender's error: the message is kept
		return
	}
	a.sendToTicket(m.TicketID, m, in.PID, nil, nil)
}

// refuseInbound answers a client's message the hub does not accept with an
// error frame. The session gives the frame's credit back once it has queued
// the answer: a client sending what is refused (a flood) is paced by its own
// answers, as when every frame went through its session, instead of
// outrunning its writer with them and being closed as a slow consumer.
func (a *hubActor) refuseInbound(in *session.Inbound, code int, text string) {
	a.m.refused.Add(1)
	a.root.Send(in.PID, &session.Control{Msg: protocol.NewError(code, text, in.Msg.MsgID), Consumed: in.Transport != nil})
}

// ackIn passes an ack frame to the tracker (which answers 4004 itself for an
// id it does not hold).
func (a *hubActor) ackIn(in *session.AckIn) {
	if in.Transport != nil {
		defer in.Transport.Consumed()
	}
	if a.forwardAck(in.UserID, in.Ack) {
		return
	}
	a.toTracker(&ack.Ack{PID: in.PID, UserID: in.UserID, MessageID: in.Ack.MessageID,
		Status: in.Ack.AckStatus(), Error: in.Ack.Error})
}

// resend writes another copy of a message still waiting for its ack to the
// user's connections as they are now; with none, the tracker gives it up.
func (a *hubActor) resend(r *ack.Resend) {
	u := a.users[r.UserID]
	if u == nil && !a.remotePresent(r.UserID) {
		a.toTracker(&ack.Drop{MessageID: r.Msg.ID, UserID: r.UserID})
		return
	}
	if f, err := a.frame(r.Msg, u != nil && len(u.conns) > 1); err == nil {
		a.m.resends.Add(1)
		a.recs.Status(r.Msg.ID, recorder.StatusRetrying, recorder.ReasonAckTimeout, "")
		a.recs.RetryAttempt(r.Msg.ID, r.Attempt, "no ack")
		if local, remote := a.deliverEverywhere(r.UserID, u, f); local || remote {
			a.sent(f.Msg)
		}
	}
}

// givenUp takes back a message the tracker gave up. One given up because its
// user left, whose user is back already, is delivered again; the rest go to
// the offline path.
func (a *hubActor) givenUp(g *ack.GiveUp) {
	if g.Result == ack.Offline && !a.shuttingDown && a.present(g.UserID) {
		u := a.users[g.UserID]
		if f, err := a.frame(g.Msg, u != nil && len(u.conns) > 1); err == nil {
			if local, remote := a.deliverEverywhere(g.UserID, u, f); local || remote {
				a.sent(f.Msg)
			}
			a.track(g.UserID, g.Msg, nil)
			return
		}
	}
	// to the offline store, then out of the pending set once it is there (a
	// store whose writes are not ordered across kinds, as JetStream's, must not
	// lose it in between); a crash between leaves it in both, never in neither
	user, id := g.UserID, g.Msg.ID
	then := func(err error) {
		if err == nil {
			a.cfg.Store.RemovePending(user, id, nil)
		}
	}
	if g.Result != ack.MaxRetry { // its record says ack_timeout (max_retry) already
		a.recordOffline(g.Msg, recorder.ReasonUserOffline)
	}
	a.store(user, g.Msg, then)
}

// toEveryConnection queues f (a broadcast) on every connection here.
func (a *hubActor) toEveryConnection(f *session.Frame) {
	var full []*conn
	for _, c := range a.routed {
		if !a.queue(c, f) {
			full = append(full, c)
		}
	}
	for _, c := range full {
		a.overflow(c, f)
	}
}

// receiverFull reports whether a client's message to userID must be refused
// to protect the receiver from the sender's burst: one of its connections
// here has half its outbox queued (a receiver that reads is then never closed
// as a slow consumer because of someone else's flood), or, with no connection
// anywhere, its offline backlog is past half of OfflinePerUser (a flood never
// evicts what others left for it). The sender gets a 4029 error frame: the
// message was not accepted, nothing is lost.
func (a *hubActor) receiverFull(userID string) bool {
	// Messages parked while the user's sequence stream loads all reach the
	// user when it has: they count as queued already (a burst right after
	// the user connected would otherwise pass the check at once and then
	// overflow the outbox together).
	parked := len(a.parked[userStream(userID)])
	if u := a.users[userID]; u != nil {
		high := max(a.cfg.MessageBufferSize/2, 1)
		for _, c := range u.conns {
			if c.t.Queued()+len(c.behind)+parked >= high {
				return true
			}
		}
		return false
	}
	if a.remotePresent(userID) {
		return false
	}
	n, _ := a.cfg.Store.OfflineLen(userID)
	return n+parked >= max(a.cfg.OfflinePerUser/2, 1)
}
