package hub

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// hubActor owns the routing state: connections, users, tickets, sequences and
// the offline store. Only its mailbox touches these maps.
type hubActor struct {
	cfg  Config
	m    *metrics
	ids  *idGen
	self *actor.PID
	root *actor.RootContext
	// offlineHandler is the child actor that calls Config.OfflineHandler.
	offlineHandler *actor.PID
	// tracker is the ack tracker, a child actor.
	tracker *actor.PID
	// rec is told of every accepted message and each change of its status,
	// through recs (recbatch.go) from this mailbox.
	rec  *recorder.Recorder
	recs *recs
	// cl is the view of the other nodes; nil without a Bus.
	cl *cluster
	// sh is every shard of this hub, me this one's index (shards.go)
	sh *shardSet
	me int

	conns map[string]*conn // by session PID id: every registered session
	users map[string]*user // users with at least one routable connection
	// routed is every routable connection, in no particular order: a
	// broadcast walks this flat list rather than the users map and each
	// user's connections (register adds, unroute removes by swapping in the last)
	routed  []*conn
	tickets map[string]*ticket // ticket groups with at least one member
	// memberships counts each user's tickets (MaxTicketsPerUser)
	memberships map[string]int
	hist        map[string]*history // per user: recent messages; kept across reconnects
	// parked are requests waiting for their sequence stream to load (durable.go)
	parked map[string][]func(error)
	// idleTimer runs the sweep that forgets idle users (recent.go)
	idleTimer *time.Timer
	// recTimer sends the record events gathered by lazy turns once the
	// mailbox has been empty for recLinger (recbatch.go)
	recTimer *time.Timer
	byKind    [2]int // routable connections per transport kind

	// clock is the time of this mailbox turn, read once (now): a message
	// stamped, touched and remembered in one turn asks the clock once, not
	// three times (time.Now is a visible cost per message on a VM)
	clock time.Time

	shuttingDown bool
	done         chan struct{} // closed when shutdown has finished
	stopped      chan struct{} // closed when the actor has stopped
}

// conn is one registered session. The fields a fan-out reads for every
// receiver (t, and what catchingUp looks at) come first, so that a broadcast
// to thousands of connections touches one cache line of each, not three.
type conn struct {
	t session.Transport // routed frames are queued on it directly
	// backlog.go: what waits for room in the outbox (welcome, resume, a page
	// of the offline store), whether more of the offline store follows, and
	// the frames routed live meanwhile, queued behind
	backlog  []pending
	behind   []*session.Frame
	resuming bool // waiting for the store's history (recent.go)
	loading  bool // waiting for a shared store's backlog (shared_store.go)
	offline  bool
	// draining: the backlog is all in the outbox, which is still over half
	// full; live frames keep queuing behind until the writer has made room
	draining bool
	routable bool // false once replaced or refused: it only waits for Gone
	kind     session.Kind
	// slot is c's index in hubActor.routed while routable
	slot    int
	pid     *actor.PID
	id      session.Identity
	resumed map[string]struct{}
	// slow: the outbox refused a frame (3002); refused keeps those frames
	// until the session is gone, the hub being their only owner.
	slow    bool
	refused []*session.Frame
}

// user is a user's live connections, in registration order.
type user struct {
	conns  []*conn
	stream string   // userStream of the user, made once
	hist   *history // a.hist[the user's id]: kept there while the user has a connection (sweepIdle)
}

// ticket is a ticket group: member users and the ticket's own sequence.
type ticket struct {
	members map[string]struct{}
}

func (a *hubActor) Receive(ctx actor.Context) {
	msg := ctx.Message()
	if a.sh.n > 1 && a.elsewhere(msg) {
		return
	}
	a.clock = time.Time{}
	a.recs.begin(lazyTurn(msg))
	a.receive(ctx, msg)
	a.recs.end()
}

func (a *hubActor) receive(ctx actor.Context, msg any) {
	switch m := msg.(type) {
	case *SendToUser:
		a.sendToUser(m.UserID, m.Msg, m.Ack, m.Reply)
	case *SendToTicket:
		a.sendToTicketAck(m)
	case *Broadcast:
		a.broadcast(m.Msg, m.Reply)
	case *durable:
		m.then(m.err)
	case *seqLoaded:
		a.unpark(m.stream, m.err)
	case *seqRetry:
		a.unpark(m.stream, nil)
	case *session.Inbound:
		a.inbound(m)
	case *session.AckIn:
		a.ackIn(m)
	case *ack.Resend:
		a.resend(m)
	case *ack.GiveUp:
		a.givenUp(m)
	case *ack.Flushed:
		a.finishShutdown()
	case *session.Register:
		a.register(ctx, m)
	case *room:
		a.onRoom(m.pid)
	case *historyRead:
		a.onHistoryRead(m)
	case *takenOver:
		a.onTakenOver(m)
	case *takeOverAgain:
		a.onTakeOverAgain(m)
	case *loadAgain:
		a.onLoadAgain(m)
	case *recFlush:
		a.recs.lingered()
	case *idleTick:
		if !a.shuttingDown {
			a.sweepIdle(time.Now())
		}
	case *session.Gone:
		a.gone(m.PID, m.Code)
		a.root.Send(m.PID, &session.Release{})
	case *actor.Terminated:
		if c := a.conns[m.Who.Id]; c != nil { // stopped without saying Gone
			a.gone(c.pid, 0)
		}
	case *JoinTicket:
		if err := a.joinUser(m.TicketID, m.UserID, m.Reply, a.answerDurable(m.Reply)); err != nil {
			reply(m.Reply, err)
		}
	case *joinPart:
		a.onJoinPart(m)
	case *memberCount:
		a.countMember(m.user, m.delta)
	case *ticketPart:
		a.onTicketPart(m)
	case *bcastPart:
		a.toEveryConnection(m.f)
		m.done(nil)
	case *LeaveTicket:
		if err := a.leaveFrom(m.TicketID, m.UserID, true, a.answerDurable(m.Reply)); err != nil {
			reply(m.Reply, err)
		}
	case *TicketMembers:
		answer(m.Reply, a.members(m.TicketID))
	case *DisconnectUser:
		answer(m.Reply, a.disconnect(m.UserID, m.Code))
	case *OnlineUsers:
		answer(m.Reply, a.onlineUsers())
	case *PeekOffline:
		answer(m.Reply, a.peekOffline(m.UserID))
	case *GetStats:
		answer(m.Reply, a.stats())
	case *shutdown:
		a.startShutdown()
	case *busIn:
		a.onBus(m.m)
	case *busReady:
		a.onBusReady()
	case *flushReports:
		if a.cl != nil {
			a.sendReports()
		}
	case *clusterTick:
		if a.cl != nil && m.gen == a.cl.gen && !a.shuttingDown {
			a.heartbeat(time.Now())
		}
	case *WhereIs:
		answer(m.Reply, a.nodes(m.UserID))
	case *actor.Started:
		a.self, a.root = ctx.Self(), ctx.ActorSystem().Root
		a.armIdle()
		self, root := a.self, a.root
		a.recTimer = time.AfterFunc(time.Hour, func() { root.Send(self, &recFlush{}) })
		a.recTimer.Stop()
		a.recs.linger = func() { a.recTimer.Reset(recLinger) }
		// the tracker runs for every message that needs an ack and every ack:
		// a goroutine of its own, as the hub's (it stops before the hub does)
		a.tracker = ctx.Spawn(ack.Props(ack.Config{Timeout: a.cfg.AckTimeout, MaxRetry: a.cfg.MaxRetry,
			MaxBackoff: a.cfg.MaxBackoff, Observer: recordOutcome(a.rec, a.cfg.Store, a.cfg.AckObserver)}).
			Configure(actor.WithDispatcher(actors.OwnGoroutine(a.stopped))))
	case *actor.Stopping:
		a.recs.flush()
		if a.recTimer != nil {
			a.recTimer.Stop()
		}
		if a.idleTimer != nil {
			a.idleTimer.Stop()
		}
		if a.cl != nil && a.cl.timer != nil {
			a.cl.timer.Stop()
			a.cl.gen++
		}
	case *actor.Stopped:
		close(a.stopped)
	}
}

// toTracker hands m to the ack tracker, after the record events gathered so
// far: an outcome the tracker records must come after them.
func (a *hubActor) toTracker(m any) {
	a.recs.flush()
	a.root.Send(a.tracker, m)
}

func reply(ch chan<- error, err error) { answer(ch, err) }

// answer gives a query its reply without ever waiting: a nil channel (replies
// are optional) or one without room (not buffered as documented) gets nothing,
// rather than blocking the hub's mailbox for good.
func answer[T any](ch chan<- T, v T) {
	if ch == nil {
		return
	}
	select {
	case ch <- v:
	default:
	}
}

func (a *hubActor) stats() Stats {
	s := Stats{
		NodeID: a.cfg.NodeID, Connections: a.byKind[session.KindWebSocket] + a.byKind[session.KindSSE],
		WSConnections: a.byKind[session.KindWebSocket], SSEConnections: a.byKind[session.KindSSE],
		Users: len(a.users), Tickets: len(a.tickets), OfflineStored: a.offlineLen(), Remembered: len(a.hist),
	}
	a.m.fill(&s)
	return s
}

// now is the time of this mailbox turn.
func (a *hubActor) now() time.Time {
	if a.clock.IsZero() {
		a.clock = time.Now()
	}
	return a.clock
}

// stamp sets what the hub owns on an accepted message: id, time, status, and a
// sender ("system" when nobody is named).
func (a *hubActor) stamp(m *protocol.Message) {
	if m.ID == "" {
		m.ID = a.ids.next()
	}
	if m.CreateAt.IsZero() {
		m.CreateAt = a.now()
	}
	if m.From == "" {
		m.From = "system"
	}
	if m.Priority == "" {
		m.Priority = protocol.PriorityNormal
	}
	m.Status = protocol.StatusSent
	if a.cfg.EnableAck && m.Type.IsContent() {
		m.RequireAck = true
	}
	a.m.accepted.Add(1)
}

// frame encodes m once for every connection it goes to.
func (a *hubActor) frame(m *protocol.Message, shared bool) (*session.Frame, error) {
	data, err := protocol.Encode(m)
	if err != nil {
		return nil, err
	}
	a.m.encodes.Add(1)
	return &session.Frame{Msg: m, Data: data, Shared: shared}, nil
}
