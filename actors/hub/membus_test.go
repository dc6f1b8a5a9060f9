package hub_test

import (
	"encoding/json"

	"github.com/go-wsc/go-wsc/actors/hub"
)

// memNet is an in-process bus network for the hub's cluster logic: no NATS,
// and the test decides what is lost. One goroutine owns the routing table;
// buses send it their operations, so nothing here is shared between
// goroutines but channels.
type memNet struct {
	ops  chan func(*netState)
	done chan struct{}
}

type netState struct {
	digestBytes int                                   // the largest heartbeat (digest) seen
	digestUsers int                                   // the most users a heartbeat counted
	buses       map[string]*memBus                    // by node
	subs        map[string]map[string]bool            // subject → nodes
	drop        map[string]func(*hub.BusMessage) bool // by sending node: what its messages lose
}

func newMemNet() *memNet {
	n := &memNet{ops: make(chan func(*netState), 4096), done: make(chan struct{})}
	st := &netState{buses: map[string]*memBus{}, subs: map[string]map[string]bool{}, drop: map[string]func(*hub.BusMessage) bool{}}
	go func() {
		defer close(n.done)
		for op := range n.ops {
			op(st)
		}
	}()
	return n
}

// close stops the network's goroutine (after every hub on it has stopped).
func (n *memNet) close() { close(n.ops); <-n.done }

// lose makes the network drop node's messages that match (nil: none).
func (n *memNet) lose(node string, match func(*hub.BusMessage) bool) {
	n.ops <- func(st *netState) { st.drop[node] = match }
}

// largestDigest is the size of the largest heartbeat sent so far, in bytes,
// and the most users one counted.
func (n *memNet) largestDigest() (bytes, users int) {
	got := make(chan [2]int, 1)
	n.ops <- func(st *netState) { got <- [2]int{st.digestBytes, st.digestUsers} }
	r := <-got
	return r[0], r[1]
}

// memBus is one node's hub.Bus on a memNet.
type memBus struct {
	net  *memNet
	node string
	in   func(*hub.BusMessage)
}

func (n *memNet) bus() *memBus { return &memBus{net: n} }

func subject(s hub.Scope, key string) string {
	if s == hub.ScopeTicket {
		return "t." + key
	}
	return "u." + key
}

func (b *memBus) Start(node string, in func(*hub.BusMessage)) error {
	b.node, b.in = node, in
	done := make(chan struct{})
	b.net.ops <- func(st *netState) { st.buses[node] = b; close(done) }
	<-done
	return nil
}

func (b *memBus) Watch(s hub.Scope, key string) error {
	subj, node := subject(s, key), b.node
	b.net.ops <- func(st *netState) {
		if st.subs[subj] == nil {
			st.subs[subj] = map[string]bool{}
		}
		st.subs[subj][node] = true
	}
	return nil
}

func (b *memBus) Unwatch(s hub.Scope, key string) {
	subj, node := subject(s, key), b.node
	b.net.ops <- func(st *netState) { delete(st.subs[subj], node) }
}

// Publish delivers m, as NATS would: to the watchers of its user or ticket,
// to its Node, or to every other node.
func (b *memBus) Publish(m *hub.BusMessage) error {
	from := b.node
	b.net.ops <- func(st *netState) {
		if lose := st.drop[from]; lose != nil && lose(m) {
			return
		}
		if m.Kind == hub.BusDigest {
			if b, err := json.Marshal(m); err == nil {
				st.digestBytes = max(st.digestBytes, len(b))
				st.digestUsers = max(st.digestUsers, m.Digest.Count)
			}
		}
		var to []string
		switch m.Kind {
		case hub.BusUser:
			for n := range st.subs[subject(hub.ScopeUser, m.User)] {
				to = append(to, n)
			}
		case hub.BusTicket:
			for n := range st.subs[subject(hub.ScopeTicket, m.Ticket)] {
				to = append(to, n)
			}
		case hub.BusAck, hub.BusSync, hub.BusReport, hub.BusRosterAsk:
			to = append(to, m.Node)
		case hub.BusPresence:
			if m.Node != "" {
				to = append(to, m.Node)
				break
			}
			for n := range st.buses {
				to = append(to, n)
			}
		default:
			for n := range st.buses {
				to = append(to, n)
			}
		}
		for _, n := range to {
			if dst := st.buses[n]; dst != nil && n != from {
				cp := *m
				dst.in(&cp)
			}
		}
	}
	return nil
}

func (b *memBus) Close() error {
	node := b.node
	done := make(chan struct{})
	b.net.ops <- func(st *netState) {
		delete(st.buses, node)
		for _, nodes := range st.subs {
			delete(nodes, node)
		}
		close(done)
	}
	<-done
	return nil
}
