package hub

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/store"
)

// What goes between shards (shards.go). Each is sent by the shard that owns
// the operation to the shard that owns a part of it; an answer comes back as
// a durable message (a callback run on the asking shard's mailbox), so no
// shard ever waits for another.

// bcastPart is a broadcast's frame for another shard's connections.
type bcastPart struct {
	f    *session.Frame
	done store.Done // queued on every connection there
}

// ticketPart is a ticket message for the members placed on another shard.
type ticketPart struct {
	f       *session.Frame
	members []string
	skip    *actor.PID // the sending connection, for a client's message
	req     *AckRequest
	// back hears, once the part's store writes are durable, whether a
	// connection there took it
	back func(sent bool, err error)
}

// joinPart is a join counted on the user's shard (MaxTicketsPerUser), for
// the ticket's shard; a join that is refused there, or was made already,
// undoes the count (memberCount).
type joinPart struct {
	ticket, user string
	reply        chan<- error
	done         store.Done
	capped       bool // the user is at MaxTicketsPerUser: not counted
}

// memberCount changes the count of a user's tickets on the user's shard.
type memberCount struct {
	user  string
	delta int
}

// countMember changes userID's ticket count, on its own shard.
func (a *hubActor) countMember(userID string, delta int) {
	if o := a.sh.of(userID); o != a.me {
		a.root.Send(a.sh.pids[o], &memberCount{user: userID, delta: delta})
		return
	}
	if a.memberships[userID] += delta; a.memberships[userID] <= 0 {
		delete(a.memberships, userID)
	}
}

// joinUser is a join that starts on the user's shard: made here when the
// ticket is here too, else counted here and passed on to the ticket's shard.
// done hears when the membership is durable.
func (a *hubActor) joinUser(ticketID, userID string, rep chan<- error, done store.Done) error {
	if ticketID == "" || userID == "" {
		return ErrInvalidMessage
	}
	o := a.sh.of(ticketID)
	if o == a.me {
		return a.joinFrom(ticketID, userID, true, done)
	}
	// at the user's cap it goes on uncounted: a join made already is no new
	// one, which only the ticket's shard can tell
	capped := a.memberships[userID] >= a.cfg.MaxTicketsPerUser
	if !capped {
		a.memberships[userID]++
	}
	a.root.Send(a.sh.pids[o], &joinPart{ticket: ticketID, user: userID, reply: rep, done: done, capped: capped})
	return nil
}

// onJoinPart makes a membership counted on the user's shard, or refuses one
// past the user's cap that is not made already.
func (a *hubActor) onJoinPart(p *joinPart) {
	if p.capped {
		if t := a.tickets[p.ticket]; t != nil {
			if _, already := t.members[p.user]; already {
				if p.done != nil {
					p.done(nil)
				}
				return
			}
		}
		a.m.refused.Add(1)
		reply(p.reply, ErrTooManyTickets)
		return
	}
	if err := a.joinCounted(p.ticket, p.user, true, true, p.done); err != nil {
		reply(p.reply, err)
	}
}

// ticketParts sends a ticket message whose members are spread over shards: a
// part to each other shard with members, and this shard's own members
// served here meanwhile. The message is recorded as pending before any part
// leaves (so that no ack outcome a member shard's tracker records comes
// first); a shard whose part reached a connection records it as sending
// (when it needs an ack) before it tracks it; once every part has answered,
// this shard counts it and records its settling status, and answers rep.
// False when every member is here: the caller sends it as a single shard
// does.
func (a *hubActor) ticketParts(t *ticket, ticketID string, f *session.Frame, skip *actor.PID, req *AckRequest, rep chan<- error) bool {
	m := f.Msg
	var groups map[int][]string
	var own []string
	for member := range t.members {
		if skip == nil && member == m.From {
			continue
		}
		if o := a.sh.of(member); o != a.me {
			if groups == nil {
				groups = map[int][]string{}
			}
			groups[o] = append(groups[o], member)
		} else {
			own = append(own, member)
		}
	}
	if groups == nil {
		return false
	}
	a.recs.Accepted(m, "", ticketID, recorder.StatusPending, "")
	a.recs.flush()
	sent := false
	all := &waitAll{then: func(err error) {
		if sent {
			a.m.delivered.Add(1)
			if !m.RequireAck {
				a.recs.Status(m.ID, recorder.StatusSuccess, "", "")
			}
		} else {
			a.recs.Status(m.ID, recorder.StatusUserOffline, recorder.ReasonUserOffline, "")
		}
		reply(rep, err)
	}}
	self, root := a.self, a.root
	for o, members := range groups {
		done := all.add()
		root.Send(a.sh.pids[o], &ticketPart{f: f, members: members, skip: skip, req: req,
			back: func(s bool, err error) {
				root.Send(self, &durable{err: err, then: func(err error) { sent = sent || s; done(err) }})
			}})
	}
	sent = a.toMembers(own, f, skip, req, all) || sent
	all.seal()
	return true
}

// onTicketPart serves a ticket message's members placed here.
func (a *hubActor) onTicketPart(p *ticketPart) {
	sent := false
	all := &waitAll{then: func(err error) { p.back(sent, err) }}
	sent = a.toMembers(p.members, p.f, p.skip, p.req, all)
	all.seal()
}

// toMembers hands a split ticket message to members' connections here, or
// to the offline path; the first delivery of one that needs an ack records
// it as sending, before anything is tracked. It says whether a connection
// took it.
func (a *hubActor) toMembers(members []string, f *session.Frame, skip *actor.PID, req *AckRequest, all *waitAll) (sent bool) {
	m := f.Msg
	for _, member := range members {
		u := a.users[member]
		if u == nil {
			done := all.add()
			a.store(member, m, func(err error) {
				if err == nil {
					a.offlineOutcome(req, member, m)
				}
				done(err)
			})
			continue
		}
		if m.RequireAck && !a.persistPending(member, f, all.add()) {
			continue
		}
		a.rememberIn(u.hist, member, m, f.Data)
		took := a.deliver(u, f, skip)
		if took && !sent && m.RequireAck {
			a.recs.Status(m.ID, recorder.StatusSending, "", "")
		}
		sent = sent || took
		a.track(member, m, req)
	}
	return sent
}

// broadcastParts sends a broadcast's frame to every other shard; then runs
// (on this mailbox) once each has queued it on its connections.
func (a *hubActor) broadcastParts(f *session.Frame, then func(error)) {
	all := &waitAll{then: then}
	for i, pid := range a.sh.pids {
		if i != a.me {
			a.root.Send(pid, &bcastPart{f: f, done: a.whenDurable(all.add())})
		}
	}
	all.seal()
}
