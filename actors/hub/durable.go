package hub

import (
	"cmp"
	"errors"
	"slices"
	"time"

	"github.com/go-wsc/go-wsc/store"
)

// The hub and its store (package store): what must survive a restart — the
// offline store, messages waiting for acks, sequence numbers, ticket
// memberships — is written through Config.Store, whose own goroutine commits
// to disk in groups. The hub never waits on it: a write that a caller's answer
// depends on carries a callback that comes back to the mailbox as a durable
// message, and the answer goes out then.

// ErrStoreFailed answers a send the store could not make durable (the disk
// refused it, or the store is too far behind): nothing was accepted.
var ErrStoreFailed = errors.New("wsc: the message could not be stored")

// durable is a store write's outcome, back on the hub's mailbox.
type durable struct {
	then func(error)
	err  error
}

// seqLoaded says a sequence stream is loaded (or failed to load).
type seqLoaded struct {
	stream string
	err    error
}

// seqRetry tries the requests parked on a stream again.
type seqRetry struct{ stream string }

// whenDurable makes a store callback that runs then(err) on the mailbox.
func (a *hubActor) whenDurable(then func(error)) store.Done {
	self, root := a.self, a.root
	return func(err error) { root.Send(self, &durable{then: then, err: err}) }
}

// answerDurable makes a store callback that answers rep: nil once durable,
// ErrStoreFailed when the write failed.
func (a *hubActor) answerDurable(rep chan<- error) store.Done {
	return a.whenDurable(func(err error) {
		if err != nil {
			a.m.storeErrors.Add(1)
			err = ErrStoreFailed
		}
		reply(rep, err)
	})
}

// Streams of sequence numbers: per user, per ticket, one for broadcasts.
func userStream(id string) string   { return "u:" + id }
func ticketStream(id string) string { return "t:" + id }

const broadcastStream = "b"

// nextSeq draws stream's next number. When the stream is not loaded yet (or
// its reservation lags), retry is parked, in order with the stream's other
// parked requests, and called again once it is: ok is false then. retry
// hears a non-nil error when the stream cannot be loaded.
//
// retry is made by later, called only when the request parks: the common
// case (the stream is loaded) allocates no closure.
func (a *hubActor) nextSeq(stream string, later func() func(error)) (int64, bool) {
	if len(a.parked[stream]) == 0 {
		n, err := a.cfg.Store.NextSeq(stream)
		switch {
		case err == nil:
			return n, true
		case errors.Is(err, store.ErrSeqBusy):
			a.parked[stream] = append(a.parked[stream], later())
			self, root := a.self, a.root
			time.AfterFunc(time.Millisecond, func() { root.Send(self, &seqRetry{stream: stream}) })
			return 0, false
		}
	}
	if len(a.parked[stream]) == 0 {
		a.loadSeq(stream)
	}
	a.parked[stream] = append(a.parked[stream], later())
	return 0, false
}

// loadSeq loads a stream ahead of need (a user who just connected).
func (a *hubActor) loadSeq(stream string) {
	self, root := a.self, a.root
	a.cfg.Store.LoadSeq(stream, func(_ store.SeqState, err error) { root.Send(self, &seqLoaded{stream: stream, err: err}) })
}

// unpark runs a stream's parked requests, oldest first. Each may park again
// (a reservation that lags): it then goes behind the ones not yet run.
func (a *hubActor) unpark(stream string, err error) {
	waiting := a.parked[stream]
	delete(a.parked, stream)
	for i, retry := range waiting {
		retry(err)
		if len(a.parked[stream]) > 0 { // parked again: keep the order
			a.parked[stream] = append(a.parked[stream], waiting[i+1:]...)
			return
		}
	}
}

// recoverStore runs once, before the actor starts (New): the memberships come
// back, and messages that were waiting for an ack when the last run ended go
// to the offline store, to be resent on the user's next connection and
// tracked again. Each goes there before it leaves the pending set, so a crash
// in between leaves it in both (de-duplicated by id), never in neither.
func recoverStore(s store.Store, tickets map[string]*ticket) (moved int, err error) {
	err = s.LoadTickets(func(id, user string) bool {
		t := tickets[id]
		if t == nil {
			t = &ticket{members: map[string]struct{}{}}
			tickets[id] = t
		}
		t.members[user] = struct{}{}
		return true
	})
	if err != nil {
		return 0, err
	}
	var pending []store.PendingAck
	if err := s.LoadPending(func(p store.PendingAck) bool { pending = append(pending, p); return true }); err != nil {
		return 0, err
	}
	// the store lists them by id, which is no order: by user, then as sent
	slices.SortStableFunc(pending, func(a, b store.PendingAck) int {
		return cmp.Or(cmp.Compare(a.User, b.User), a.Msg.CreateAt.Compare(b.Msg.CreateAt), cmp.Compare(a.Msg.SeqNo, b.Msg.SeqNo))
	})
	for _, p := range pending {
		if _, err := s.PutOffline(p.User, p.Entry, nil); err != nil {
			return moved, err
		}
		s.RemovePending(p.User, p.Msg.ID, nil)
		moved++
	}
	return moved, nil
}

// countMemberships counts each user's tickets among those loaded at start.
func countMemberships(tickets map[string]*ticket) map[string]int {
	n := map[string]int{}
	for _, t := range tickets {
		for u := range t.members {
			n[u]++
		}
	}
	return n
}
