package sim

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/go-wsc/go-wsc/actors/hub"
)

// presenceSizes are the payload sizes (what the NATS server counts as a
// connection's bytes, and what the steady window measures) of a heartbeat digest and of a full user list of
// node with users: the roster answer of today's scheme, and what the old
// scheme sent to every node at every heartbeat.
func presenceSizes(node string, users []string) (digest, roster int) {
	d, _ := json.Marshal(&hub.BusMessage{Kind: hub.BusDigest, Origin: node,
		Digest: &hub.Digest{Count: len(users), Hash: math.MaxUint64}})
	f, _ := json.Marshal(&hub.BusMessage{Kind: hub.BusPresence, Origin: node, Full: true, Users: users})
	return len(d), len(f)
}

// PresenceSizes are the payload sizes of one node's heartbeat digest and of its
// full user list with users users named as the sim names them ("u01-0" …),
// computed without running anything: what Run measures the traffic of, at
// sizes one process cannot hold.
func PresenceSizes(users int) (digest, roster int) {
	ids := make([]string, users)
	for i := range ids {
		ids[i] = fmt.Sprintf("u%02d-%d", 1, i)
	}
	return presenceSizes(nodeName(0), ids)
}
