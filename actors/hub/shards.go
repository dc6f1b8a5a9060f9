package hub

import (
	"hash/maphash"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// A hub of N shards (docs/sharding.md): N hub actors, each on a goroutine of
// its own with its own maps, so that routing runs on every core. A user's
// state (connections, history, sequence, offline messages, ack tracker)
// lives on shard(user), a ticket's (members, sequence) on shard(ticket);
// broadcasts and their sequence start on shard 0. What spans shards goes as
// messages between them (ticket parts, broadcast parts, joins: parts.go);
// nothing is shared but atomics (metrics, the ticket count) and the store,
// whose owner-only maps each shard has a view of of its own (store.View).
// With one shard the hub is exactly the single actor it was.

// shardSet is what every shard knows of the others. It is filled in New
// before any shard receives a message, and read-only afterwards.
type shardSet struct {
	n    int
	seed maphash.Seed
	pids []*actor.PID
	// tickets counts the ticket groups over every shard (MaxTickets)
	tickets atomic.Int64
}

// of is the shard key (a user or ticket id) lives on.
func (s *shardSet) of(key string) int {
	if s.n == 1 {
		return 0
	}
	return int(maphash.String(s.seed, key) % uint64(s.n))
}

// pid is the address of key's shard.
func (s *shardSet) pid(key string) *actor.PID { return s.pids[s.of(key)] }

// route is session.Config.Route: a client's message to a user goes straight
// to the receiver's shard (which checks the receiver's queue, 4029); one to a
// ticket goes to the sender's own shard (nil), which handled the sender's
// registration and its joins first, and passes it on to the ticket's shard
// behind them.
func (s *shardSet) route(m *protocol.Message) *actor.PID {
	if m.To != "" {
		return s.pid(m.To)
	}
	return nil
}

// shardCount is Config.Shards made concrete: zero is the default, one shard
// per P (GOMAXPROCS); WSC_TEST_SHARDS, when set, overrides the default, so
// that the suites of the packages over the hub run with any number of shards
// (make test runs the hub's, ws's and sse's with one too) without each
// naming it.
func shardCount(n int) int {
	if n > 0 {
		return n
	}
	if v, err := strconv.Atoi(os.Getenv("WSC_TEST_SHARDS")); err == nil && v > 0 {
		return v
	}
	return runtime.GOMAXPROCS(0)
}

// router is the actor at Hub.PID() with more than one shard: it passes each
// message to the shard that owns its key, for callers that send to PID()
// directly (PIDFor and SessionConfigFor skip it). Queries over every shard
// gather their replies on a goroutine of their own: they are rare, and the
// router never waits.
type router struct {
	sh      *shardSet
	stopped chan struct{}
}

func (r *router) Receive(ctx actor.Context) {
	root := ctx.ActorSystem().Root
	send := func(key string) { root.Send(r.sh.pid(key), ctx.Message()) }
	switch m := ctx.Message().(type) {
	case *SendToUser:
		send(m.UserID)
	case *SendToTicket:
		send(m.TicketID)
	case *Broadcast:
		root.Send(r.sh.pids[0], m)
	case *JoinTicket:
		send(m.UserID) // the user's count first; its shard passes it on
	case *LeaveTicket:
		send(m.TicketID)
	case *TicketMembers:
		send(m.TicketID)
	case *DisconnectUser:
		send(m.UserID)
	case *PeekOffline:
		send(m.UserID)
	case *WhereIs:
		send(m.UserID)
	case *GetStats:
		go func() { answer(m.Reply, gatherStats(root, r.sh.pids, r.stopped)) }()
	case *OnlineUsers:
		go func() { answer(m.Reply, gatherUsers(root, r.sh.pids, r.stopped)) }()
	case *session.Register:
		send(m.Identity.UserID)
	case *session.Gone:
		send(m.UserID)
	case *session.AckIn:
		send(m.UserID)
	case *session.Inbound:
		if m.Msg.To != "" {
			send(m.Msg.To)
		} else {
			send(m.Identity.UserID)
		}
	case *actor.Stopped:
		close(r.stopped)
	}
}

// gather asks every shard and collects the replies; false when the hub
// stopped first.
func gather[T any](root *actor.RootContext, pids []*actor.PID, build func(chan<- T) any, stopped <-chan struct{}) ([]T, bool) {
	chs := make([]chan T, len(pids))
	for i, pid := range pids {
		chs[i] = make(chan T, 1)
		root.Send(pid, build(chs[i]))
	}
	out := make([]T, len(pids))
	for i, ch := range chs {
		select {
		case out[i] = <-ch:
		case <-stopped:
			return nil, false
		}
	}
	return out, true
}

// gatherStats is Stats over every shard: the shards' maps and counters
// summed.
func gatherStats(root *actor.RootContext, pids []*actor.PID, stopped <-chan struct{}) Stats {
	all, ok := gather(root, pids, func(c chan<- Stats) any { return &GetStats{Reply: c} }, stopped)
	if !ok {
		return Stats{}
	}
	s := all[0]
	for _, o := range all[1:] {
		s.add(o)
	}
	return s
}

// gatherUsers is OnlineUsers over every shard, sorted.
func gatherUsers(root *actor.RootContext, pids []*actor.PID, stopped <-chan struct{}) []string {
	all, ok := gather(root, pids, func(c chan<- []string) any { return &OnlineUsers{Reply: c} }, stopped)
	if !ok {
		return nil
	}
	out := []string{} // none: an empty list, as one shard answers
	for _, u := range all {
		out = append(out, u...)
	}
	slices.Sort(out)
	return out
}

// elsewhere passes on a message keyed by a user or a ticket that reached
// another shard than its key's (sent to a shard's PID for another key), and
// says so; the shard that owns the key handles it as if sent there.
func (a *hubActor) elsewhere(msg any) bool {
	key := ""
	switch m := msg.(type) {
	case *SendToUser:
		key = m.UserID
	case *SendToTicket:
		key = m.TicketID
	case *Broadcast: // its sequence is shard 0's
		if a.me != 0 {
			a.root.Send(a.sh.pids[0], m)
			return true
		}
		return false
	case *JoinTicket:
		key = m.UserID
	case *LeaveTicket:
		key = m.TicketID
	case *TicketMembers:
		key = m.TicketID
	case *DisconnectUser:
		key = m.UserID
	case *PeekOffline:
		key = m.UserID
	case *WhereIs:
		key = m.UserID
	case *session.Register:
		key = m.Identity.UserID
	case *session.AckIn:
		key = m.UserID
	case *session.Gone:
		key = m.UserID
	default:
		return false // session.Inbound: inbound passes it on; the rest are this shard's own
	}
	if o := a.sh.of(key); o != a.me {
		a.root.Send(a.sh.pids[o], msg)
		return true
	}
	return false
}
