package hub

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"strconv"
	"sync/atomic"
)

var nodeSeq atomic.Int64

// newNodeID makes node-<ip>-<port>-<n>: the first non-loopback IPv4 address (or
// 127.0.0.1), the port, and a process-wide counter so that several hubs in one
// process differ.
func newNodeID(port int) string {
	ip := "127.0.0.1"
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
				ip = n.IP.String()
				break
			}
		}
	}
	return fmt.Sprintf("node-%s-%d-%d", ip, port, nodeSeq.Add(1))
}

// idGen makes message ids unique across nodes and restarts: a random 64-bit
// prefix drawn at start, then a counter. Lock-free, so facades on many
// goroutines can draw ids without asking the actor.
type idGen struct {
	prefix string
	n      atomic.Uint64
}

func newIDGen() *idGen {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return &idGen{prefix: hex.EncodeToString(b[:]) + "-"}
}

func (g *idGen) next() string {
	var b [48]byte // one allocation, the string: the prefix is 17 bytes, the counter at most 13
	return string(strconv.AppendUint(append(b[:0], g.prefix...), g.n.Add(1), 36))
}
