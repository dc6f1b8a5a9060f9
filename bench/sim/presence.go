package sim

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/go-wsc/go-wsc/actors/hub"
)

// presenceSizes are the wire sizes (NATS MSG line and payload, as a
// subscriber receives them) of a heartbeat digest and of a full user list of
// node with users: the roster answer of today's scheme, and what the old
// scheme sent to every node at every heartbeat.
func presenceSizes(node string, users []string) (digest, roster int) {
	d, _ := json.Marshal(&hub.BusMessage{Kind: hub.BusDigest, Origin: node,
		Digest: &hub.Digest{Count: len(users), Hash: math.MaxUint64}})
	f, _ := json.Marshal(&hub.BusMessage{Kind: hub.BusPresence, Origin: node, Full: true, Users: users})
	return wire("wsc.presence", len(d)), wire("wsc.presence", len(f))
}

// wire is a message's size as NATS delivers it: "MSG <subject> <sid> <n>\r\n", the payload, "\r\n".
func wire(subject string, n int) int {
	return len(fmt.Sprintf("MSG %s 12 %d\r\n", subject, n)) + n + 2
}
