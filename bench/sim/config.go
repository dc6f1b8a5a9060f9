package sim

import (
	"errors"
	"io"
	"time"
)

// Config sizes a run. Zero values mean the defaults in the comments.
type Config struct {
	// Nodes is how many nodes take part, the one that joins mid-run included;
	// zero: 20.
	Nodes int
	// UsersPerNode is how many users each node holds (one connection each);
	// zero: 2,500.
	UsersPerNode int
	// Heartbeat is the hubs' ClusterHeartbeat; zero: 1 s (the default).
	Heartbeat time.Duration
	// NoTraffic registers the users and measures presence alone (no messages,
	// no tickets).
	NoTraffic bool
	// P2PRate is client-to-client messages per second, all nodes together;
	// zero: 1,000.
	P2PRate float64
	// TicketRate is ticket messages per second (each to the ticket's other
	// members); zero: 100.
	TicketRate float64
	// BroadcastEvery is the interval between broadcasts; zero: 2 s; negative: none.
	BroadcastEvery time.Duration
	// TicketMembers is the members of each ticket (one ticket per 10 users);
	// zero: 4.
	TicketMembers int
	// Steady is the window over which bus traffic is measured, before the
	// join and the death; zero: 5 s.
	Steady time.Duration
	// MaxPayload is the embedded NATS server's max_payload in bytes; zero:
	// NATS's default, 1 MiB. (A smaller one shows, at a small size, what a
	// bus message larger than the limit does.)
	MaxPayload int32
	// NoJoin and NoKill leave out the node joining and the node dying.
	NoJoin, NoKill bool
	// Log, when set, gets one line per phase.
	Log io.Writer
}

// ErrConfig is the error of a Config that cannot run.
var ErrConfig = errors.New("sim: invalid config")

func (c Config) withDefaults() (Config, error) {
	if c.Nodes < 0 || c.UsersPerNode < 0 || c.Heartbeat < 0 || c.P2PRate < 0 || c.TicketRate < 0 || c.TicketMembers < 0 || c.Steady < 0 {
		return c, ErrConfig
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Nodes, 20)
	def(&c.UsersPerNode, 2500)
	def(&c.TicketMembers, 4)
	if c.Heartbeat == 0 {
		c.Heartbeat = time.Second
	}
	if c.P2PRate == 0 {
		c.P2PRate = 1000
	}
	if c.TicketRate == 0 {
		c.TicketRate = 100
	}
	if c.BroadcastEvery == 0 {
		c.BroadcastEvery = 2 * time.Second
	}
	if c.Steady == 0 {
		c.Steady = 5 * time.Second
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	need := 1 + map[bool]int{false: 1}[c.NoJoin] + map[bool]int{false: 1}[c.NoKill]
	if c.Nodes < need || (!c.NoKill && c.Nodes-map[bool]int{false: 1}[c.NoJoin] < 3) {
		return c, ErrConfig // a death needs two survivors at the start: one to send, one to move to
	}
	return c, nil
}
