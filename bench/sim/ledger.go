package sim

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
)

// The ledger counts what was sent, written and refused. Every routed message
// the sim sends carries its key in its content: "p|<seq>|<unix ns>|<cross>"
// for p2p, "t|<seq>" for a ticket, "b|<seq>" for a broadcast; a copy is named
// by its content and the user it is for.
type ledger struct {
	mu        sync.Mutex
	expect    map[copyKey]bool     // copies owed (p2p and ticket)
	taken     map[copyKey]int      // copies a connection's writer took
	byMsgID   map[string][]copyKey // client msg_id → its copies (a refusal cancels them)
	refused   int                  // messages the hub refused (4029 and the like): never accepted
	crossLat  []time.Duration      // p2p across nodes: send to writer, copies written in the steady window
	sameLat   []time.Duration
	measuring bool // in the steady window: latencies are sampled
	bcast     int  // broadcast copies written
	sentP2P   int
	sentTkt   int
	sentBcast int
	unknown   int // frames with no sim key (welcome, pongs, …)
}

type copyKey struct{ content, user string }

func newLedger() *ledger {
	return &ledger{expect: map[copyKey]bool{}, taken: map[copyKey]int{}, byMsgID: map[string][]copyKey{}}
}

// sent records a message the sim is about to send, owed to users.
func (l *ledger) sent(msgID, content string, users []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch content[0] {
	case 'p':
		l.sentP2P++
	case 't':
		l.sentTkt++
	}
	for _, u := range users {
		k := copyKey{content, u}
		l.expect[k] = true
		l.byMsgID[msgID] = append(l.byMsgID[msgID], k)
	}
}

func (l *ledger) broadcastSent() {
	l.mu.Lock()
	l.sentBcast++
	l.mu.Unlock()
}

// wrote records a frame a writer took off user's outbox.
func (l *ledger) wrote(user string, m *protocol.Message, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if m.Type == protocol.TypeError {
		if ks, ok := l.byMsgID[m.MessageID]; ok {
			l.refused++
			for _, k := range ks {
				delete(l.expect, k)
			}
			delete(l.byMsgID, m.MessageID)
		}
		return
	}
	c := m.Content
	if len(c) < 2 || c[1] != '|' {
		l.unknown++
		return
	}
	switch c[0] {
	case 'b':
		l.bcast++
		return
	case 'p':
		if f := strings.Split(c, "|"); l.measuring && len(f) == 4 {
			if ns, err := strconv.ParseInt(f[2], 10, 64); err == nil {
				d := now.Sub(time.Unix(0, ns))
				if f[3] == "1" {
					l.crossLat = append(l.crossLat, d)
				} else {
					l.sameLat = append(l.sameLat, d)
				}
			}
		}
	}
	l.taken[copyKey{c, user}]++
}

// sentCount is the messages sent so far (p2p, ticket, broadcast).
func (l *ledger) sentCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sentP2P + l.sentTkt + l.sentBcast
}

// measure turns the latency sampling on or off.
func (l *ledger) measure(on bool) {
	l.mu.Lock()
	l.measuring = on
	l.mu.Unlock()
}

// missing lists the copies owed that no writer took, by user.
func (l *ledger) missing() map[string][]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string][]string{}
	for k := range l.expect {
		if l.taken[k] == 0 {
			out[k.user] = append(out[k.user], k.content)
		}
	}
	return out
}

// tally sums up the ledger.
func (l *ledger) tally() (owed, written, dup int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := range l.expect {
		if n := l.taken[k]; n > 0 {
			written++
			dup += n - 1
		}
	}
	return len(l.expect), written, dup
}

// percentile of sorted d (p in 0..1); zero when d is empty.
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[min(int(float64(len(d))*p), len(d)-1)]
}

func (l *ledger) latencies() (cross, same []time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	cross, same = slices.Clone(l.crossLat), slices.Clone(l.sameLat)
	slices.Sort(cross)
	slices.Sort(same)
	return cross, same
}
