package hubs

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
)

// actorHub is go-wsc through its public API: hub.New with the default Config
// behind ws.Handler with the default Options.
type actorHub struct {
	sys       *actor.ActorSystem
	h         *hub.Hub
	handler   *ws.Server
	closeOnce sync.Once
}

// NewActor starts a go-wsc hub.
func NewActor() (Hub, error) { return newActor(hub.Config{}) }

// NewActorAck starts a go-wsc hub with ACK on (Config.EnableAck), otherwise
// the defaults.
func NewActorAck() (Hub, error) { return newActor(hub.Config{EnableAck: true}) }

func newActor(cfg hub.Config) (Hub, error) {
	sys := actors.NewSystem()
	h, err := hub.New(sys, cfg)
	if err != nil {
		return nil, err
	}
	return &actorHub{sys: sys, h: h, handler: ws.Handler(h, ws.Options{})}, nil
}

func (a *actorHub) Handler() http.Handler { return a.handler }

// Hub is the go-wsc hub, for its Stats.
func (a *actorHub) Hub() *hub.Hub { return a.h }

func (a *actorHub) SendToUser(user string, payload []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return a.h.SendToUser(ctx, user, &protocol.Message{Content: string(payload)})
}

// SendWithAck is Hub.SendToUserWithAck: it returns once the user's client
// has acknowledged the message (or it failed).
func (a *actorHub) SendWithAck(user string, payload []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := a.h.SendToUserWithAck(ctx, user, &protocol.Message{Content: string(payload)})
	return err
}

func (a *actorHub) Broadcast(payload []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return a.h.Broadcast(ctx, &protocol.Message{Content: string(payload)})
}

func (a *actorHub) Connections() int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := a.h.Stats(ctx)
	if err != nil {
		return 0
	}
	return s.Connections
}

func (a *actorHub) Close() {
	a.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = a.h.Shutdown(ctx)
		a.sys.Shutdown()
	})
}

// actorRouter is a go-wsc hub whose sessions have in-process transports that
// count frames. Send is fire-and-forget to the hub's PID (hub.SendToUser
// without a reply channel), the message path the transports use.
type actorRouter struct {
	a         *actorHub
	root      *actor.RootContext
	delivered atomic.Int64
}

// NewActorRouter starts a go-wsc hub with users in-process sessions.
func NewActorRouter(users int) (Router, error) {
	hb, err := NewActor()
	if err != nil {
		return nil, err
	}
	a := hb.(*actorHub)
	r := &actorRouter{a: a, root: a.sys.Root}
	for i := range users {
		t := &countTransport{n: &r.delivered, root: r.root}
		id := session.Identity{UserID: UserID(i)}
		t.pid.Store(r.root.Spawn(session.Props(a.h.SessionConfigFor(id), id, t)))
	}
	deadline := time.Now().Add(30 * time.Second)
	for a.Connections() < users && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	return r, nil
}

func (r *actorRouter) Send(user string, payload []byte) {
	r.root.Send(r.a.h.PIDFor(user), &hub.SendToUser{UserID: user, Msg: &protocol.Message{Type: protocol.TypeText, Content: string(payload)}})
}
func (r *actorRouter) Delivered() int64 { return r.delivered.Load() }
func (r *actorRouter) Dropped() int64   { return 0 }
func (r *actorRouter) Close()           { r.a.Close() }

// countTransport is a session.Transport that counts the frames it is handed.
type countTransport struct {
	n      *atomic.Int64
	root   *actor.RootContext
	pid    atomic.Pointer[actor.PID] // set once Spawn returns; Close runs later, on the session's mailbox
	closed atomic.Bool
}

func (t *countTransport) Kind() session.Kind       { return session.KindWebSocket }
func (t *countTransport) Send(*session.Frame) bool { t.n.Add(1); return true }
func (t *countTransport) Heartbeat()               {}

// WhenRoom calls fn at once: a counting transport is never full (as
// session.Outbox.WhenRoom does when there is room).
func (t *countTransport) WhenRoom(fn func()) { fn() }

// Queued is 0: a counting transport keeps nothing.
func (t *countTransport) Queued() int             { return 0 }
func (t *countTransport) Drain() []*session.Frame { return nil }
func (t *countTransport) Consumed()               {}
func (t *countTransport) Close(int, string) {
	if t.closed.CompareAndSwap(false, true) {
		t.root.Send(t.pid.Load(), &session.TransportDone{})
	}
}

// SendWait is go-wsc's facade SendToUser: it waits for the hub's answer.
func (r *actorRouter) SendWait(user string, payload []byte) error {
	return r.a.SendToUser(user, payload)
}

// Counters reports the hub's slow-consumer closes and offline hand-offs.
func (a *actorHub) Counters() string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := a.h.Stats(ctx)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("slow-consumer closes %d, to offline store %d", s.SlowConsumerCloses, s.MessagesOffline)
}
