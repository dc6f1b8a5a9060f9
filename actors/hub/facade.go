package hub

import (
	"context"
	"errors"
	"fmt"
	"github.com/go-wsc/go-wsc/store"
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
	system  *actor.ActorSystem
	pid     *actor.PID
	cfg     Config
	m       *metrics
	ids     *idGen
	start   time.Time
	rec     *recorder.Recorder
	closing atomic.Bool
	// closeBus closes the bus once, whoever calls Shutdown.
	closeBus sync.Once
	busErr   error
	// ownStore: the hub made its store (in memory) and closes it.
	ownStore   bool
	closeStore sync.Once
	storeErr   error
	done       chan struct{}
	stopped    chan struct{}
}

// New starts a hub actor in system.
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
	tickets := map[string]*ticket{}
	if _, err := recoverStore(cfg.Store, tickets); err != nil {
		return fail(fmt.Errorf("wsc: hub: reading the store: %w", err))
	}
	rec, err := recorder.New(system, recorder.Config{Enabled: !cfg.DisableMessageRecord, MaxRecords: cfg.MaxRecords, MaxRecordBytes: cfg.MaxRecordBytes,
		Retention: cfg.RecordRetention, MaxRetry: max(cfg.MaxRetry, 0), NodeID: cfg.NodeID, Store: cfg.RecordStore})
	if err != nil {
		return fail(err)
	}
	h := &Hub{system: system, cfg: cfg, m: &metrics{}, ids: newIDGen(), start: time.Now(), rec: rec,
		ownStore: ownStore, done: make(chan struct{}), stopped: make(chan struct{})}
	rec.SetResender(h.resendRecord)
	// the default unbounded mailbox, kept so that the hub can tell when it has
	// nothing queued (its record events go then, recbatch.go); its count is an
	// atomic the mailbox keeps anyway
	var box actor.Mailbox
	queued := func() int { return box.UserMessageCount() }
	props := actor.PropsFromProducer(func() actor.Actor {
		return &hubActor{
			cfg: cfg, m: h.m, ids: h.ids, rec: rec, recs: newRecs(rec, queued), done: h.done, stopped: h.stopped,
			conns: map[string]*conn{}, users: map[string]*user{}, tickets: tickets, memberships: countMemberships(tickets), hist: map[string]*history{},
			parked: map[string][]func(error){},
		}
	}, actor.WithMailbox(func() actor.Mailbox { box = actor.Unbounded()(); return box }), actor.WithDispatcher(actors.OwnGoroutine(h.stopped)))
	pid, err := system.Root.SpawnNamed(props, "hub-"+cfg.NodeID)
	if err != nil {
		close(h.stopped) // never started: its dispatcher's goroutine ends
		_ = rec.Stop(context.Background())
		return fail(err)
	}
	h.pid = pid
	if cfg.Bus != nil {
		root := system.Root
		if err := cfg.Bus.Start(cfg.NodeID, func(m *BusMessage) { root.Send(pid, &busIn{m: m}) }); err != nil {
			root.Stop(pid)
			<-h.stopped
			_ = rec.Stop(context.Background())
			return fail(err)
		}
		root.Send(pid, &busReady{})
	}
	return h, nil
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

// SessionConfig is what a transport gives each session it spawns.
func (h *Hub) SessionConfig() session.Config {
	return session.Config{
		Hub: h.pid, HeartbeatInterval: h.cfg.HeartbeatInterval, ClientTimeout: h.cfg.ClientTimeout,
		RateLimit: h.cfg.RateLimit, RateBurst: h.cfg.RateBurst, Authorize: h.cfg.Authorize, Counters: &h.m.sessions,
	}
}

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
	return h.ask(ctx, func(r chan<- error) any { return &SendToUser{UserID: userID, Msg: m, Reply: r} })
}

// SendToTicket sends msg to every connection of the ticket's members except the
// sender named in msg.From. msg is copied.
func (h *Hub) SendToTicket(ctx context.Context, ticketID string, msg *protocol.Message) error {
	m, err := h.accept(msg)
	if err != nil {
		return err
	}
	return h.ask(ctx, func(r chan<- error) any { return &SendToTicket{TicketID: ticketID, Msg: m, Reply: r} })
}

// Broadcast sends msg to every connection, encoded once. msg is copied.
func (h *Hub) Broadcast(ctx context.Context, msg *protocol.Message) error {
	m, err := h.accept(msg)
	if err != nil {
		return err
	}
	return h.ask(ctx, func(r chan<- error) any { return &Broadcast{Msg: m, Reply: r} })
}

// JoinTicket makes userID a member of ticketID.
func (h *Hub) JoinTicket(ctx context.Context, ticketID, userID string) error {
	return h.ask(ctx, func(r chan<- error) any { return &JoinTicket{TicketID: ticketID, UserID: userID, Reply: r} })
}

// LeaveTicket ends userID's membership of ticketID.
func (h *Hub) LeaveTicket(ctx context.Context, ticketID, userID string) error {
	return h.ask(ctx, func(r chan<- error) any { return &LeaveTicket{TicketID: ticketID, UserID: userID, Reply: r} })
}

// TicketMembers lists a ticket's members, sorted.
func (h *Hub) TicketMembers(ctx context.Context, ticketID string) ([]string, error) {
	r, err := query[TicketMembersReply](ctx, h, func(c chan<- TicketMembersReply) any { return &TicketMembers{TicketID: ticketID, Reply: c} })
	if err != nil {
		return nil, err
	}
	return r.Members, r.Err
}

// DisconnectUser closes every connection of userID with code (zero: 1008) and
// says how many there were.
func (h *Hub) DisconnectUser(ctx context.Context, userID string, code int) (int, error) {
	return query[int](ctx, h, func(c chan<- int) any { return &DisconnectUser{UserID: userID, Code: code, Reply: c} })
}

// OnlineUsers lists the users with at least one connection, sorted.
func (h *Hub) OnlineUsers(ctx context.Context) ([]string, error) {
	return query[[]string](ctx, h, func(c chan<- []string) any { return &OnlineUsers{Reply: c} })
}

// Stats is a snapshot of the hub.
func (h *Hub) Stats(ctx context.Context) (Stats, error) {
	s, err := query[Stats](ctx, h, func(c chan<- Stats) any { return &GetStats{Reply: c} })
	s.Uptime = time.Since(h.start)
	return s, err
}

// Shutdown stops accepting connections, closes every connection with 1001,
// hands every unwritten message to the offline path, and stops the hub actor.
// It returns when all that is done or when ctx ends; it is idempotent and safe
// to call from many goroutines.
func (h *Hub) Shutdown(ctx context.Context) error {
	if h.closing.CompareAndSwap(false, true) {
		h.system.Root.Send(h.pid, &shutdown{})
	}
	select {
	case <-h.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	h.system.Root.Stop(h.pid)
	select {
	case <-h.stopped:
	case <-ctx.Done():
		return ctx.Err()
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
	return query[[]string](ctx, h, func(c chan<- []string) any { return &WhereIs{UserID: userID, Reply: c} })
}

// Records is the message-record system (a no-op recorder when records are off).
func (h *Hub) Records() *recorder.Recorder { return h.rec }

// resendRecord is the recorder's resender: the record's message goes out again
// with its id, to its user or ticket.
func (h *Hub) resendRecord(ctx context.Context, rec recorder.Record) error {
	switch {
	case rec.UserID != "":
		return h.ask(ctx, func(r chan<- error) any { return &SendToUser{UserID: rec.UserID, Msg: rec.Message.Clone(), Reply: r} })
	case rec.TicketID != "":
		return h.ask(ctx, func(r chan<- error) any {
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

func (h *Hub) ask(ctx context.Context, build func(chan<- error) any) error {
	err, qerr := query[error](ctx, h, build)
	if qerr != nil {
		return qerr
	}
	return err
}

func query[T any](ctx context.Context, h *Hub, build func(chan<- T) any) (T, error) {
	if h.closing.Load() {
		var zero T
		return zero, ErrHubClosed
	}
	ch := make(chan T, 1)
	h.system.Root.Send(h.pid, build(ch))
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
