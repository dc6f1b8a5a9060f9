package client

import (
	"container/list"

	"github.com/go-wsc/go-wsc/protocol"
)

// defaultDedupSize is how many recent message ids a HubClient remembers.
// The hub redelivers an unacked message within about a minute (PROTOCOL.md,
// "Delivery contract"), so a thousand ids cover any realistic backlog.
const defaultDedupSize = 1024

// ackDecision is the answer the application gave for one message id.
type ackDecision struct {
	decided bool
	status  protocol.AckStatus
	reason  string
}

// idEntry is one remembered id.
type idEntry struct {
	id  string
	ack ackDecision
}

// recentIDs is a bounded LRU of message ids, used to hand a redelivered
// message to the application only once while still answering the
// redelivery. Not safe for concurrent use: HubClient.mu guards it.
type recentIDs struct {
	size  int
	order *list.List // of *idEntry, most recently seen first
	byID  map[string]*list.Element
}

func newRecentIDs(size int) *recentIDs {
	return &recentIDs{size: size, order: list.New(), byID: make(map[string]*list.Element, size)}
}

// lookup returns the entry of id and marks it recently seen.
func (r *recentIDs) lookup(id string) (*idEntry, bool) {
	el, ok := r.byID[id]
	if !ok {
		return nil, false
	}
	r.order.MoveToFront(el)
	return el.Value.(*idEntry), true
}

// add remembers a new id, forgetting the least recently seen one when full.
func (r *recentIDs) add(id string) *idEntry {
	if el, ok := r.byID[id]; ok {
		r.order.MoveToFront(el)
		return el.Value.(*idEntry)
	}
	if r.order.Len() >= r.size {
		oldest := r.order.Back()
		r.order.Remove(oldest)
		delete(r.byID, oldest.Value.(*idEntry).id)
	}
	e := &idEntry{id: id}
	r.byID[id] = r.order.PushFront(e)
	return e
}

func (r *recentIDs) len() int { return r.order.Len() }
