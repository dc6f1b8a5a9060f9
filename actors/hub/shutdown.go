package hub

import (
	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// startShutdown closes every connection with 1001; the hub finishes when the
// last session has said Gone (its unsent frames then are in the offline path).
func (a *hubActor) startShutdown() {
	if a.shuttingDown {
		return
	}
	a.shuttingDown = true
	for _, c := range a.conns {
		a.unroute(c)
		a.root.Send(c.pid, &session.CloseCmd{Code: protocol.CloseGoingAway, Text: "server shutting down"})
	}
	if len(a.conns) == 0 {
		a.flushAcks()
	}
}

// flushAcks runs once every session is gone: the tracker gives up what is still
// pending (to the offline path), then answers Flushed, which ends the shutdown.
func (a *hubActor) flushAcks() {
	a.toTracker(&ack.Flush{})
}

// finishShutdown runs once every session is gone and the tracker has flushed.
func (a *hubActor) finishShutdown() {
	a.publish(&BusMessage{Kind: BusBye})
	select {
	case <-a.done:
	default:
		close(a.done)
	}
}
