package sim

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Result is what a run measured.
type Result struct {
	Config     Config
	SetupUsers time.Duration // attaching the first nodes' users until every node sees all

	Steady           []NodeBus             // bus traffic per node per second, every node up, before the join
	SteadyRosterAsks int64                 // roster asks in that window (a digest disagreed with no join, death or loss)
	SteadyCPU        time.Duration         // this process's CPU time in that window (hubs, NATS server, writers, traffic)
	SteadySent       int                   // messages sent in that window (p2p, ticket, broadcast)
	LiveHeap         uint64                // with NoTraffic: the live heap after a GC at the window's end
	PhaseAsks        [phases]int64         // roster asks per phase
	PhaseLag         [phases]time.Duration // per phase, the longest a hub took to answer a Stats probe

	JoinAttach       time.Duration // the joiner's users attached
	JoinConvergence  time.Duration // from the joiner's start until it sees everyone and everyone sees its users
	JoinRecvBytes    int64         // what the joiner received from the bus until then
	JoinRecvMsgs     int64
	DeathConvergence time.Duration // from the kill until no node places the victim's users there
	Moved            int           // the victim's users that reconnected elsewhere

	SentP2P, SentTicket, Broadcasts int
	BroadcastCopies                 int
	Owed, Written, Duplicates       int // copies owed (p2p and ticket), written at least once, written again
	InOfflineStores, Lost           int
	StoredOnline                    int // of InOfflineStores: for users connected at the end
	LostExamples                    []string
	Refused                         int // client messages the hub refused (never accepted)
	Settle                          time.Duration
	CrossLatency, SameLatency       []time.Duration // sorted

	ForwardsLost, RosterAsks, BusPublishErrors, SlowConsumerCloses, SlowSubscriber int64

	DigestBytes, RosterBytes int // wire sizes: one heartbeat digest, one node's full list
	Elapsed                  time.Duration
}

// busSummary is the mean and the maximum over the nodes of the steady window.
func (r *Result) busSummary() (mean, maxi NodeBus) {
	for _, n := range r.Steady {
		mean.PubMsgs += n.PubMsgs / float64(len(r.Steady))
		mean.PubBytes += n.PubBytes / float64(len(r.Steady))
		mean.RecvMsgs += n.RecvMsgs / float64(len(r.Steady))
		mean.RecvBytes += n.RecvBytes / float64(len(r.Steady))
		mean.Subs += n.Subs
		maxi.PubMsgs = max(maxi.PubMsgs, n.PubMsgs)
		maxi.PubBytes = max(maxi.PubBytes, n.PubBytes)
		maxi.RecvMsgs = max(maxi.RecvMsgs, n.RecvMsgs)
		maxi.RecvBytes = max(maxi.RecvBytes, n.RecvBytes)
		maxi.Subs = max(maxi.Subs, n.Subs)
	}
	if len(r.Steady) > 0 {
		mean.Subs /= uint32(len(r.Steady))
	}
	return mean, maxi
}

// Print writes the result as a Markdown table.
func (r *Result) Print(w io.Writer) {
	c := r.Config
	first := c.Nodes
	if !c.NoJoin {
		first--
	}
	hb := c.Heartbeat.Seconds()
	mean, maxi := r.busSummary()
	row := func(k, v string, args ...any) { fmt.Fprintf(w, "| %s | %s |\n", k, fmt.Sprintf(v, args...)) }
	fmt.Fprintf(w, "| measure | value |\n|---|---|\n")
	row("nodes × users", "%d × %d (%d at the start%s%s); heartbeat %s", c.Nodes, c.UsersPerNode, first,
		map[bool]string{false: ", one joins"}[c.NoJoin], map[bool]string{false: ", one dies"}[c.NoKill], c.Heartbeat)
	if !c.NoTraffic {
		row("traffic", "%.0f p2p msg/s, %.0f ticket msg/s (%d members), a broadcast every %s", c.P2PRate, c.TicketRate, c.TicketMembers, c.BroadcastEvery)
	} else {
		row("traffic", "none (presence only)")
	}
	row("users attached, presence converged", "%.1f s", r.SetupUsers.Seconds())
	row("bus per node, steady (mean / max)", "published %.0f / %.0f msg/s, %s / %s/s; received %.0f / %.0f msg/s, %s / %s/s",
		mean.PubMsgs, maxi.PubMsgs, bytes(mean.PubBytes), bytes(maxi.PubBytes), mean.RecvMsgs, maxi.RecvMsgs, bytes(mean.RecvBytes), bytes(maxi.RecvBytes))
	var pubMsgs, pubBytes, recvMsgs, recvBytes float64
	for _, n := range r.Steady {
		pubMsgs, pubBytes, recvMsgs, recvBytes = pubMsgs+n.PubMsgs, pubBytes+n.PubBytes, recvMsgs+n.RecvMsgs, recvBytes+n.RecvBytes
	}
	row("NATS server, steady", "in %.0f msg/s (%s/s), out %.0f msg/s (%s/s)", pubMsgs, bytes(pubBytes), recvMsgs, bytes(recvBytes))
	row("NATS subscriptions per node (mean / max)", "%d / %d", mean.Subs, maxi.Subs)
	if win := r.Config.Steady.Seconds(); win > 0 {
		per := ""
		if r.SteadySent > 0 {
			per = fmt.Sprintf("; %.1f µs per message sent (p2p, ticket and broadcast alike)", float64(r.SteadyCPU.Microseconds())/float64(r.SteadySent))
		}
		row("process CPU, steady (every hub, NATS, writers, traffic)", "%.2f cores%s", r.SteadyCPU.Seconds()/win, per)
	}
	row("roster asks in the steady window", "%d", r.SteadyRosterAsks)
	row("heartbeat (digest) size", "%d B; per node received %s/s from %d nodes", r.DigestBytes, bytes(float64((first-1)*r.DigestBytes)/hb), first-1)
	row("one node's full list", "%s (the roster answer; the old scheme's heartbeat)", bytes(float64(r.RosterBytes)))
	row("old scheme, heartbeats received per node", "%s/s (%d lists every %s)", bytes(float64((first-1)*r.RosterBytes)/hb), first-1, c.Heartbeat)
	if !c.NoJoin {
		row("join: presence converged", "%.2f s after the node started (its %d users attached in %.2f s); it received %d msgs, %s",
			r.JoinConvergence.Seconds(), c.UsersPerNode, r.JoinAttach.Seconds(), r.JoinRecvMsgs, bytes(float64(r.JoinRecvBytes)))
	}
	if !c.NoKill {
		row("death: presence converged", "%.2f s after the kill (TTL: 3 heartbeats); %d users reconnected elsewhere", r.DeathConvergence.Seconds(), r.Moved)
	}
	if !c.NoTraffic {
		row("cross-node p2p latency p50 / p99 (steady window)", "%s / %s (%d samples)", ms(percentile(r.CrossLatency, 0.5)), ms(percentile(r.CrossLatency, 0.99)), len(r.CrossLatency))
		row("same-node p2p latency p50 / p99 (steady window)", "%s / %s (%d samples)", ms(percentile(r.SameLatency, 0.5)), ms(percentile(r.SameLatency, 0.99)), len(r.SameLatency))
		row("sent", "%d p2p, %d ticket, %d broadcasts (%d copies written); %d refused by the hub (4029)", r.SentP2P, r.SentTicket, r.Broadcasts, r.BroadcastCopies, r.Refused)
		row("copies owed (p2p + ticket)", "%d: written %d, in offline stores %d (%d for users connected at the end), **lost %d**; written twice %d",
			r.Owed, r.Written, r.InOfflineStores, r.StoredOnline, r.Lost, r.Duplicates)
		if len(r.LostExamples) > 0 {
			row("lost, e.g.", "%v", r.LostExamples)
		}
		row("hub counters (live nodes)", "forwards lost (to offline) %d, roster asks %d, bus publish errors %d, slow-consumer closes %d, NATS slow-subscriber events %d",
			r.ForwardsLost, r.RosterAsks, r.BusPublishErrors, r.SlowConsumerCloses, r.SlowSubscriber)
	} else {
		row("hub counters (live nodes)", "roster asks %d, bus publish errors %d", r.RosterAsks, r.BusPublishErrors)
	}
	if r.LiveHeap > 0 {
		views := first * (first - 1) * c.UsersPerNode
		row("live heap after GC (every hub, session, NATS server)", "%s: %d connections, %d entries in the nodes' views of each other",
			bytes(float64(r.LiveHeap)), first*c.UsersPerNode, views)
	}
	var asks, lags []string
	for p := range phases {
		asks = append(asks, fmt.Sprintf("%s %d", phaseNames[p], r.PhaseAsks[p]))
		lags = append(lags, fmt.Sprintf("%s %s", phaseNames[p], ms(r.PhaseLag[p])))
	}
	row("roster asks by phase", "%s", strings.Join(asks, ", "))
	row("longest hub answer to a Stats probe by phase (its mailbox's lag; dead after 3 heartbeats)", "%s", strings.Join(lags, ", "))
	row("run", "%.1f s", r.Elapsed.Seconds())
}

// PrintNodes writes the steady window per node.
func (r *Result) PrintNodes(w io.Writer) {
	fmt.Fprintf(w, "| node | published msg/s | published B/s | received msg/s | received B/s | subscriptions |\n|---|---|---|---|---|---|\n")
	ns := slices.Clone(r.Steady)
	for _, n := range ns {
		fmt.Fprintf(w, "| %s | %.0f | %.0f | %.0f | %.0f | %d |\n", n.Node, n.PubMsgs, n.PubBytes, n.RecvMsgs, n.RecvBytes, n.Subs)
	}
}

func bytes(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.2f MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
