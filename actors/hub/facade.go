package hub

import (
	"context"
	"errors"
	"fmt"
	"github.com/go-wsc/go-wsc/store"
	"hash/maphash"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// Hub is the typed facade over the hub actor. Its methods are safe for
// concurrent use; each sends one message to the actor and, where it returns
// something, waits for the reply with the caller's context.
type Hub struct {
	system *actor.ActorSystem
	// pid is the hub's address: its one shard, or the router that passes
	// messages on to the shards (shards.go)
	pid *actor.PID
	sh  *shardSet
	// offlineHandler is the actor that calls Config.OfflineHandler (nil: none)
	offlineHandler *actor.PID
	cfg            Config
	ms             []*metrics // one per shard: each shard's goroutine adds to its own
	ids            *idGen
	start          time.Time
	rec            *recorder.Recorder
	closing        atomic.Bool
	// closeBus closes the bus once, whoever calls Shutdown.
	closeBus sync.Once
	busErr   error
	// ownStore: the hub made its store (in memory) and closes it.
	ownStore   bool
	closeStore sync.Once
	storeErr   error
	// each shard's: closed when its shutdown is over, and when it has stopped
	dones, stoppeds []chan struct{}
	// stopped is closed when the whole hub has stopped (the router's, with
	// several shards, which stops last)
	stopped chan struct{}
}

// New starts a hub actor in system: Config.Shards of them, with a router at
// PID() when there are several (shards.go).
func New(system *actor.ActorSystem, cfg Config) (*Hub, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	ownStore := cfg.Store == nil
	if ownStore {
		if cfg.Store, err = store.OpenMemory(store.Config{OfflinePerUser: cfg.OfflinePerUser, OfflineTotal: cfg.OfflineTotal,
			OfflinePerUserBytes: cfg.OfflinePerUserBytes, OfflineTotalBytes: cfg.OfflineTotalBytes, HistoryPerUser: cfg.RecentPerUser, HistoryTTL: cfg.HistoryTTL}); err != nil {
			return nil, err
		}
	}
	fail := func(err error) (*Hub, error) {
		if ownStore {
			_ = cfg.Store.Close()
		}
		return nil, err
	}
	// Several shards need a store that can be split into views (store.DB),
	// and no Bus yet: a cluster node runs one shard (docs/sharding.md).
	db, isDB := cfg.Store.(*store.DB)
	if cfg.Bus != nil || !isDB {
		cfg.Shards = 1
	}
	sh := &shardSet{n: cfg.Shards, seed: maphash.MakeSeed()}
	tickets := map[string]*ticket{}
	if _, err := recoverStore(cfg.Store, tickets); err != nil {
		return fail(fmt.Errorf("wsc: hub: reading the store: %w", err))
	}
	sh.tickets.Store(int64(len(tickets)))
	stores := []store.Store{cfg.Store}
	if isDB {
		// one shard checks too: a DB a hub of several split before has its
		// sequences loaded in those views, which one owner cannot follow
		views, err := db.Views(sh.n, sh.of)
		if err != nil {
			return fail(fmt.Errorf("wsc: hub: splitting the store for %d shards: %w", sh.n, err))
		}
		if sh.n > 1 {
			stores = stores[:0]
			for _, v := range views {
				stores = append(stores, v)
			}
		}
	}
	rec, err := recorder.New(system, recorder.Config{Enabled: !cfg.DisableMessageRecord, MaxRecords: cfg.MaxRecords, MaxRecordBytes: cfg.MaxRecordBytes,
		Retention: cfg.RecordRetention, MaxRetry: max(cfg.MaxRetry, 0), NodeID: cfg.NodeID, Store: cfg.RecordStore})
	if err != nil {
		return fail(err)
	}
	h := &Hub{system: system, cfg: cfg, sh: sh, ms: newShardMetrics(sh.n), ids: newIDGen(), start: time.Now(), rec: rec,
		ownStore: ownStore, stopped: make(chan struct{})}
	rec.SetResender(h.resendRecord)
	if cfg.OfflineHandler != nil {
		oh, mm := cfg.OfflineHandler, h.ms[0]
		h.offlineHandler = system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor {
			return &offlineHandlerActor{handler: oh, m: mm}
		}))
	}
	// stop ends whatever New started, when it fails
	stop := func() {
		for i, pid := range sh.pids {
			system.Root.Stop(pid)
			<-h.stoppeds[i]
		}
		if h.offlineHandler != nil {
			system.Root.Stop(h.offlineHandler)
		}
		_ = rec.Stop(context.Background())
	}
	for i := range sh.n {
		scfg := cfg
		scfg.Store = stores[i]
		shTickets, counts := splitTickets(tickets, sh, i)
		done, stopped := make(chan struct{}), make(chan struct{})
		// the default unbounded mailbox, kept so that the hub can tell when it has
		// nothing queued (its record events go then, recbatch.go); its count is an
		// atomic the mailbox keeps anyway
		var box actor.Mailbox
		queued := func() int { return box.UserMessageCount() }
		props := actor.PropsFromProducer(func() actor.Actor {
			a := &hubActor{
				cfg: scfg, m: h.ms[i], ids: newIDGen(), rec: rec, recs: newRecs(rec, queued), done: done, stopped: stopped,
				sh: sh, me: i, offlineHandler: h.offlineHandler,
				conns: map[string]*conn{}, users: map[string]*user{}, tickets: shTickets, memberships: counts, hist: map[string]*history{},
				parked: map[string][]func(error){},
			}
			a.recs.batch.UseClock(a.now) // record events carry the turn's time (recbatch.go)
			return a
		}, actor.WithMailbox(func() actor.Mailbox { box = actor.Unbounded()(); return box }), actor.WithDispatcher(actors.OwnGoroutine(stopped)))
		name := "hub-" + cfg.NodeID
		if sh.n > 1 {
			name += "-s" + strconv.Itoa(i)
		}
		pid, err := system.Root.SpawnNamed(props, name)
		if err != nil {
			close(stopped) // never started: its dispatcher's goroutine ends
			stop()
			return fail(err)
		}
		sh.pids = append(sh.pids, pid)
		h.dones, h.stoppeds = append(h.dones, done), append(h.stoppeds, stopped)
	}
	h.pid = sh.pids[0]
	if sh.n > 1 {
		stopped := h.stopped
		pid, err := system.Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor { return &router{sh: sh, stopped: stopped} },
			actor.WithDispatcher(actors.OwnGoroutine(stopped))), "hub-"+cfg.NodeID)
		if err != nil {
			close(stopped)
			stop()
			return fail(err)
		}
		h.pid = pid
	} else {
		h.stopped = h.stoppeds[0]
	}
	if cfg.Bus != nil {
		pid, root := h.pid, system.Root
		if err := cfg.Bus.Start(cfg.NodeID, func(m *BusMessage) { root.Send(pid, &busIn{m: m}) }); err != nil {
			stop()
			return fail(err)
		}
		root.Send(pid, &busReady{})
	}
	return h, nil
}

// splitTickets is shard i's part of the tickets read at start: the tickets
// placed on it, and the ticket counts of the users placed on it.
func splitTickets(all map[string]*ticket, sh *shardSet, i int) (map[string]*ticket, map[string]int) {
	if sh.n == 1 {
		return all, countMemberships(all)
	}
	mine, counts := map[string]*ticket{}, map[string]int{}
	for id, t := range all {
		if sh.of(id) == i {
			mine[id] = t
		}
		for u := range t.members {
			if sh.of(u) == i {
				counts[u]++
			}
		}
	}
	return mine, counts
}

// PID is the hub actor's address, for sending it messages directly.
func (h *Hub) PID() *actor.PID { return h.pid }

// System is the actor system the hub runs in.
func (h *Hub) System() *actor.ActorSystem { return h.system }

// NodeID names this hub.
func (h *Hub) NodeID() string { return h.cfg.NodeID }

// Config is the hub's configuration, with defaults filled in.
func (h *Hub) Config() Config { return h.cfg }

// Closed reports whether Shutdown has begun; transports refuse new connections then.
func (h *Hub) Closed() bool { return h.closing.Load() }

// NewID draws a message id, unique across nodes and restarts.
func (h *Hub) NewID() string { return h.ids.next() }

// SessionConfig is what a transport gives each session it spawns. With
// several shards its Hub is the router; SessionConfigFor skips that hop.
func (h *Hub) SessionConfig() session.Config {
	c := session.Config{
		Hub: h.pid, HeartbeatInterval: h.cfg.HeartbeatInterval, ClientTimeout: h.cfg.ClientTimeout,
		RateLimit: h.cfg.RateLimit, RateBurst: h.cfg.RateBurst, Authorize: h.cfg.Authorize, Counters: &h.ms[0].sessions,
	}
	if h.sh.n > 1 {
		c.Route = h.sh.route
	}
	return c
}

// SessionConfigFor is SessionConfig for a session of id: its Register,
// Gone and acks go to the shard of id's user, its messages to their
// receiver's shard.
func (h *Hub) SessionConfigFor(id session.Identity) session.Config {
	c := h.SessionConfig()
	if h.sh.n > 1 {
		i := h.sh.of(id.UserID)
		c.Hub, c.Counters = h.sh.pids[i], &h.ms[i].sessions
	}
	return c
}

// PIDFor is the address of the shard userID is placed on: the shortest way
// for SendToUser, PeekOffline and the other messages keyed by a user.
func (h *Hub) PIDFor(userID string) *actor.PID { return h.sh.pid(userID) }

// Shards is how many shards the hub runs.
func (h *Hub) Shards() int { return h.sh.n }

// ShardOf is the shard a user or ticket id is placed on, in [0, Shards()):
// for tests that need ids on different shards.
func (h *Hub) ShardOf(id string) int { return h.sh.of(id) }

// SendToUser sends msg to every connection of userID. With none, it returns
// ErrUserOffline and the message is kept in the offline path. msg is copied.
func (h *Hub) SendToUser(ctx context.Context, userID string, msg *protocol.Message) error {
	m, err := h.accept(msg)
	if err != nil {
		return err
	}
	if userID == "" {
		return ErrInvalidMessage
	}
	return h.ask(ctx, h.sh.pid(userID), func(r chan<- error) any { return &SendToUser{UserID: userID, Msg: m, Reply: r} })
}

// SendToTicket sends msg to every connection of the ticket's members except the
// sender named in msg.From. msg is copied.
func (h *Hub) SendToTicket(ctx context.Context, ticketID string, msg *protocol.Message) error {
	m, err := h.accept(msg)
	if err != nil {
		return err
	}
	return h.ask(ctx, h.sh.pid(ticketID), func(r chan<- error) any { return &SendToTicket{TicketID: ticketID, Msg: m, Reply: r} })
}

// Broadcast sends msg to every connection, encoded once. msg is copied.
func (h *Hub) Broadcast(ctx context.Context, msg *protocol.Message) error {
	m, err := h.accept(msg)
	if err != nil {
		return err
	}
	return h.ask(ctx, h.sh.pids[0], func(r chan<- error) any { return &Broadcast{Msg: m, Reply: r} })
}

// JoinTicket makes userID a member of ticketID.
func (h *Hub) JoinTicket(ctx context.Context, ticketID, userID string) error {
	return h.ask(ctx, h.sh.pid(userID), func(r chan<- error) any { return &JoinTicket{TicketID: ticketID, UserID: userID, Reply: r} })
}

// LeaveTicket ends userID's membership of ticketID.
func (h *Hub) LeaveTicket(ctx context.Context, ticketID, userID string) error {
	return h.ask(ctx, h.sh.pid(ticketID), func(r chan<- error) any { return &LeaveTicket{TicketID: ticketID, UserID: userID, Reply: r} })
}

// TicketMembers lists a ticket's members, sorted.
func (h *Hub) TicketMembers(ctx context.Context, ticketID string) ([]string, error) {
	r, err := query[TicketMembersReply](ctx, h, h.sh.pid(ticketID), func(c chan<- TicketMembersReply) any { return &TicketMembers{TicketID: ticketID, Reply: c} })
	if err != nil {
		return nil, err
	}
	return r.Members, r.Err
}

// DisconnectUser closes every connection of userID with code (zero: 1008) and
// says how many there were.
func (h *Hub) DisconnectUser(ctx context.Context, userID string, code int) (int, error) {
	return query[int](ctx, h, h.sh.pid(userID), func(c chan<- int) any { return &DisconnectUser{UserID: userID, Code: code, Reply: c} })
}

// OnlineUsers lists the users with at least one connection, sorted.
func (h *Hub) OnlineUsers(ctx context.Context) ([]string, error) {
	return query[[]string](ctx, h, h.pid, func(c chan<- []string) any { return &OnlineUsers{Reply: c} })
}

// Stats is a snapshot of the hub.
func (h *Hub) Stats(ctx context.Context) (Stats, error) {
	s, err := query[Stats](ctx, h, h.pid, func(c chan<- Stats) any { return &GetStats{Reply: c} })
	s.Uptime = time.Since(h.start)
	return s, err
}

// Shutdown stops accepting connections, closes every connection with 1001,
// hands every unwritten message to the offline path, and stops the hub actor.
// It returns when all that is done or when ctx ends; it is idempotent and safe
// to call from many goroutines.
func (h *Hub) Shutdown(ctx context.Context) error {
	if h.closing.CompareAndSwap(false, true) {
		for _, pid := range h.sh.pids {
			h.system.Root.Send(pid, &shutdown{})
		}
	}
	for _, done := range h.dones {
		select {
		case <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for i, pid := range h.sh.pids { // each shard's tracker stops before it
		h.system.Root.Stop(pid)
		select {
		case <-h.stoppeds[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if h.sh.n > 1 {
		h.system.Root.Stop(h.pid)
		select {
		case <-h.stopped:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if h.offlineHandler != nil {
		h.system.Root.Stop(h.offlineHandler)
	}
	err := h.rec.Stop(ctx) // after the hub: its last status events are in
	if h.cfg.Bus != nil {
		h.closeBus.Do(func() { h.busErr = h.cfg.Bus.Close() })
		err = errors.Join(err, h.busErr)
	}
	if h.ownStore {
		h.closeStore.Do(func() { h.storeErr = h.cfg.Store.Close() })
		err = errors.Join(err, h.storeErr)
	}
	return err
}

// WhereIs lists the nodes that userID has connections on, this one included.
func (h *Hub) WhereIs(ctx context.Context, userID string) ([]string, error) {
	return query[[]string](ctx, h, h.sh.pid(userID), func(c chan<- []string) any { return &WhereIs{UserID: userID, Reply: c} })
}

// Records is the message-record system (a no-op recorder when records are off).
func (h *Hub) Records() *recorder.Recorder { return h.rec }

// resendRecord is the recorder's resender: the record's message goes out again
// with its id, to its user or ticket.
func (h *Hub) resendRecord(ctx context.Context, rec recorder.Record) error {
	switch {
	case rec.UserID != "":
		return h.ask(ctx, h.sh.pid(rec.UserID), func(r chan<- error) any { return &SendToUser{UserID: rec.UserID, Msg: rec.Message.Clone(), Reply: r} })
	case rec.TicketID != "":
		return h.ask(ctx, h.sh.pid(rec.TicketID), func(r chan<- error) any {
			return &SendToTicket{TicketID: rec.TicketID, Msg: rec.Message.Clone(), Reply: r}
		})
	}
	return recorder.ErrNoTarget
}

// accept checks a message from the application and copies it, so that the
// caller may reuse it once the call returns.
func (h *Hub) accept(msg *protocol.Message) (*protocol.Message, error) {
	if msg == nil {
		return nil, ErrInvalidMessage
	}
	m := msg.Clone()
	if err := protocol.Validate(m); err != nil || !(m.Type.IsContent() || m.Type == protocol.TypeWelcome) {
		return nil, ErrInvalidMessage
	}
	return m, nil
}

func (h *Hub) ask(ctx context.Context, pid *actor.PID, build func(chan<- error) any) error {
	err, qerr := query[error](ctx, h, pid, build)
	if qerr != nil {
		return qerr
	}
	return err
}

func query[T any](ctx context.Context, h *Hub, pid *actor.PID, build func(chan<- T) any) (T, error) {
	if h.closing.Load() {
		var zero T
		return zero, ErrHubClosed
	}
	ch := make(chan T, 1)
	h.system.Root.Send(pid, build(ch))
	select {
	case v := <-ch:
		return v, nil
	case <-h.stopped:
		var zero T
		return zero, ErrHubClosed
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
