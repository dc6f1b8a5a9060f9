package session

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/protocol"
)

// Ingress is the inbound half of a session, run by its transport's reader
// goroutine (one goroutine: it is not safe for concurrent use). It applies the
// rate limit and decodes each frame there; an ordinary routed message (a
// content frame with a to or a ticket_id, no Authorize hook) goes from the
// reader straight to the hub as Inbound, without a hop through the session's
// mailbox; so does an ack frame (AckIn). Everything else — pings, refresh
// frames, refusals, the Authorize hook, the close on a broken rate limit —
// goes to the session, already decoded, which handles it as it handles
// Received.
//
// The session stays the connection's owner: its idle timer hears of routed
// frames through a sign of life sent at most every aliveEvery (so a busy
// connection costs the session one message a second, not one a frame), and it
// allows that much slack on its idle deadline. The hub still hears of the
// connection first: start the session with Spawn, which registers it, before
// the reader starts.
type Ingress struct {
	cfg  Config
	id   Identity // a copy: the user never changes for a connection
	t    Transport
	pid  *actor.PID
	root *actor.RootContext

	tokens    float64
	lastToken time.Time
	limited   bool // the rate limit was broken: the session is closing (3003)

	every     time.Duration // 0: nobody waits for signs of life
	lastAlive time.Time
}

// NewIngress makes the inbound half of the session pid (started with Spawn and
// the same cfg, id and t). root sends its messages.
func NewIngress(cfg Config, id Identity, t Transport, pid *actor.PID, root *actor.RootContext) *Ingress {
	if cfg.Counters == nil {
		cfg.Counters = &Counters{}
	}
	now := time.Now()
	return &Ingress{cfg: cfg, id: id, t: t, pid: pid, root: root, tokens: float64(cfg.RateBurst), lastToken: now,
		every: aliveEvery(cfg), lastAlive: now}
}

// aliveEvery is how often at most an Ingress tells its session that frames
// arrive, and the slack the session allows on its idle deadline for it: a
// tenth of the idle timeout, at most a second.
func aliveEvery(cfg Config) time.Duration {
	if cfg.ClientTimeout <= 0 {
		return 0
	}
	return min(cfg.ClientTimeout/10, time.Second)
}

// Handle takes one inbound frame; nothing keeps data once Handle returns
// (Decode copies what it keeps), so the reader may reuse the buffer. The
// transport holds the frame's credit;
// whoever is done with the frame gives it back (Transport.Consumed): here for
// a frame dropped, the hub for a routed one, the session for the rest.
func (g *Ingress) Handle(data []byte) {
	if g.limited {
		g.t.Consumed() // the session closes the connection: nothing more is read into it
		return
	}
	now := time.Now()
	g.cfg.Counters.Received.Add(1)
	if !allow(&g.tokens, &g.lastToken, g.cfg, now) {
		g.limited = true
		g.t.Consumed()
		g.root.Send(g.pid, &rateLimited{})
		return
	}
	m, err := protocol.Decode(data)
	ackFrame := err == nil && m.Type == protocol.TypeAck
	if err != nil || !ackFrame && (!routable(m) || g.cfg.Authorize != nil) {
		g.lastAlive = now // the session hears of this frame itself
		g.root.Send(g.pid, &decoded{msg: m, err: err, at: now})
		return
	}
	if g.every > 0 && now.Sub(g.lastAlive) >= g.every {
		g.lastAlive = now
		g.root.Send(g.pid, &alive{at: now})
	}
	if ackFrame { // as the session would: to the hub, which passes it to the tracker
		g.root.Send(g.cfg.Hub, &AckIn{PID: g.pid, UserID: g.id.UserID, Ack: m, Transport: g.t})
		return
	}
	clientStamp(m)
	m.From = g.id.UserID // never what the client wrote
	g.root.Send(g.cfg.hubFor(m), &Inbound{PID: g.pid, Identity: &g.id, Msg: m, Transport: g.t})
}

// routable reports whether m is a client message for the hub to route: a
// content type with a route. The session refuses the others or handles them
// itself.
func routable(m *protocol.Message) bool {
	return m.Type.IsContent() && (m.To != "" || m.TicketID != "")
}

// Messages an Ingress sends to its session.

// decoded is an inbound frame the Ingress has counted, let through the rate
// limit and decoded (err: it did not decode), for the session to handle.
type decoded struct {
	msg *protocol.Message
	err error
	at  time.Time
}

// alive says frames arrived that went straight to the hub, the latest at at.
type alive struct{ at time.Time }

// rateLimited says the Ingress saw the rate limit broken.
type rateLimited struct{}
