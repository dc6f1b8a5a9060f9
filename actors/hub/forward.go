package hub

import (
	"time"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
)

// Delivery reports across nodes. A message this node publishes for a user
// (or ticket member) whose connections are on other nodes is not "success"
// until a connection took it: its record stays pending, and when it needs no
// ack this node keeps it in its forwarded table. The receiving node reports,
// in batches, each (message, user) it handed to a connection or stored
// itself; the report settles the record and the table entry. A copy handed to
// a connection that then went without writing it is kept by the receiving
// node, which reports it again, as stored (offline.go's unwritten). An entry with no
// report within three cluster heartbeats (its node died, NATS dropped the
// message for a slow subscriber, the publish failed on the way) goes to this
// node's offline path: at least once, never lost. Messages that need an ack
// are the tracker's instead (resend, then the offline path).

// DeliveryReport says what a node did with a forwarded message for one user.
type DeliveryReport struct {
	ID     string `json:"i"`
	User   string `json:"u"`
	Stored bool   `json:"s,omitempty"` // the user had no connection there: it kept the message
}

// reportDelay batches a node's reports: one bus message per origin and delay.
const reportDelay = 20 * time.Millisecond

// forwardKey names one forwarded copy.
type forwardKey struct{ id, user string }

// forwarded is a copy waiting for its report.
type forwarded struct {
	msg   *protocol.Message
	at    time.Time
	tries int // sent again already, after no report came
}

// flushReports is the report timer's event.
type flushReports struct{ gen uint64 }

// forward remembers a message published for userID's connections elsewhere,
// until a report settles it. Messages that need an ack are the tracker's.
func (a *hubActor) forward(userID string, m *protocol.Message) {
	if a.cl == nil || m.RequireAck {
		return
	}
	k := forwardKey{m.ID, userID}
	if _, ok := a.cl.forwarded[k]; ok {
		return
	}
	a.cl.forwarded[k] = &forwarded{msg: m, at: time.Now()}
	a.cl.forwardOrder = append(a.cl.forwardOrder, k)
}

// report queues a delivery report for the node that sent a message here.
func (a *hubActor) report(origin, id, userID string, stored bool) {
	if a.cl == nil || origin == "" {
		return
	}
	a.cl.reports[origin] = append(a.cl.reports[origin], DeliveryReport{ID: id, User: userID, Stored: stored})
	if !a.cl.reportArmed {
		a.cl.reportArmed = true
		gen, self, root := a.cl.gen, a.self, a.root
		time.AfterFunc(reportDelay, func() { root.Send(self, &flushReports{gen: gen}) })
	}
}

// sendReports publishes the queued reports, one bus message per origin.
func (a *hubActor) sendReports() {
	a.cl.reportArmed = false
	for origin, rs := range a.cl.reports {
		a.publish(&BusMessage{Kind: BusReport, Node: origin, Reports: rs})
		delete(a.cl.reports, origin)
	}
}

// onReports settles forwarded copies: their record says where they went.
func (a *hubActor) onReports(rs []DeliveryReport) {
	for _, r := range rs {
		k := forwardKey{r.ID, r.User}
		f := a.cl.forwarded[k]
		delete(a.cl.forwarded, k)
		switch {
		case r.Stored:
			a.recs.Status(r.ID, recorder.StatusUserOffline, recorder.ReasonUserOffline, "stored on another node")
		case f != nil:
			a.m.delivered.Add(1)
			a.recs.Status(r.ID, sentStatus(f.msg), "", "")
		default: // a ticket copy for several users, or a late report: its success all the same
			a.recs.Status(r.ID, recorder.StatusSuccess, "", "")
		}
	}
}

// expireForwards hands copies no report came for to the offline path here.
func (a *hubActor) expireForwards(now time.Time) {
	ttl := 3 * a.cfg.ClusterHeartbeat
	for len(a.cl.forwardOrder) > 0 {
		k := a.cl.forwardOrder[0]
		f := a.cl.forwarded[k]
		if f != nil && now.Sub(f.at) <= ttl {
			return
		}
		a.cl.forwardOrder = a.cl.forwardOrder[1:]
		if f == nil {
			continue // settled
		}
		delete(a.cl.forwarded, k)
		a.m.forwardsLost.Add(1)
		if f.tries < 2 && a.present(k.user) && a.forwardAgain(k, f) {
			continue // the user is connected (its node died, it moved): sent there
		}
		a.toOfflineFor(k.user, f.msg, recorder.ReasonConnError)
	}
	if len(a.cl.forwardOrder) == 0 {
		a.cl.forwardOrder = nil
	}
}

// forwardAgain sends a copy no report came for to where its user is now;
// false when it could not be framed.
func (a *hubActor) forwardAgain(k forwardKey, f *forwarded) bool {
	fr, err := a.frame(f.msg, false)
	if err != nil {
		return false
	}
	local, _ := a.deliverEverywhere(k.user, a.users[k.user], fr)
	if local {
		a.sent(f.msg)
	}
	if nf := a.cl.forwarded[k]; nf != nil {
		nf.tries = f.tries + 1
	}
	return true
}

// publishFailed: msg for userID could not leave this node. Unless it needs
// an ack (the tracker resends it) or reached a connection here, it goes to the
// offline store now; the caller records it.
func (a *hubActor) publishFailed(userID string, msg *protocol.Message) {
	if msg.RequireAck || a.users[userID] != nil {
		return
	}
	a.store(userID, msg, nil)
}

// forwardedStatus is the record of a message that only reached other nodes:
// pending until their report, or sending when its ack will tell.
func forwardedStatus(m *protocol.Message) recorder.Status {
	if m.RequireAck {
		return recorder.StatusSending
	}
	return recorder.StatusPending
}
