package sim

import (
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// busCounters are one node's bus connection as the NATS server counts it:
// what the node published (in, to the server) and what it was sent (out).
type busCounters struct {
	PubMsgs, PubBytes, RecvMsgs, RecvBytes int64
	Subs                                   uint32
}

// snapshot reads every connection's counters, by node name.
func snapshot(ns *server.Server) (map[string]busCounters, time.Time, error) {
	cz, err := ns.Connz(&server.ConnzOptions{Limit: 1 << 16})
	if err != nil {
		return nil, time.Time{}, err
	}
	out := map[string]busCounters{}
	for _, c := range cz.Conns {
		if len(c.Name) > 4 && c.Name[:4] == "wsc " {
			out[c.Name[4:]] = busCounters{PubMsgs: c.InMsgs, PubBytes: c.InBytes, RecvMsgs: c.OutMsgs, RecvBytes: c.OutBytes, Subs: c.NumSubs}
		}
	}
	return out, time.Now(), nil
}

// NodeBus is one node's bus traffic per second over a window.
type NodeBus struct {
	Node                                   string
	PubMsgs, PubBytes, RecvMsgs, RecvBytes float64 // per second
	Subs                                   uint32
}

// rates is the traffic of every node in both snapshots between a and b.
func rates(a, b map[string]busCounters, ta, tb time.Time) []NodeBus {
	secs := tb.Sub(ta).Seconds()
	var out []NodeBus
	for name, y := range b {
		x, ok := a[name]
		if !ok {
			continue
		}
		out = append(out, NodeBus{Node: name, Subs: y.Subs,
			PubMsgs: float64(y.PubMsgs-x.PubMsgs) / secs, PubBytes: float64(y.PubBytes-x.PubBytes) / secs,
			RecvMsgs: float64(y.RecvMsgs-x.RecvMsgs) / secs, RecvBytes: float64(y.RecvBytes-x.RecvBytes) / secs})
	}
	return out
}
