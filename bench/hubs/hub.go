package hubs

import (
	"fmt"
	"net/http"
	"strconv"
)

// QueueSize is every hub's per-connection outbound queue, in frames (go-wsc's,
// melody's and the chat example's default).
const QueueSize = 256

// Hub is what the loopback workloads need from a hub.
type Hub interface {
	// Handler upgrades GET /?user_id=<id> to a WebSocket connection of that user.
	Handler() http.Handler
	// SendToUser sends payload as a message's content to every connection of user.
	SendToUser(user string, payload []byte) error
	// Broadcast sends payload as a message's content to every connection.
	Broadcast(payload []byte) error
	// Connections is the number of registered connections.
	Connections() int
	// Close ends every connection and goroutine of the hub; idempotent.
	Close()
}

// Router is the in-process routing path of a hub: SendToUser with no sockets.
// Each of Users users has one connection whose writer only counts frames.
type Router interface {
	// Send routes payload to user (fire-and-forget where the hub allows it).
	Send(user string, payload []byte)
	// Delivered is how many frames reached a connection's writer.
	Delivered() int64
	// Dropped is how many frames a full queue refused.
	Dropped() int64
	Close()
}

// Names lists the in-process hubs in the order the report shows them.
var Names = []string{"actor", "lock", "channel", "melody"}

// ServedNames lists the hubs a child process serves for the server-alone
// workloads (wsc-bench -serve): "chat", the chat-style hub ("channel": the
// gorilla chat example with a user index, one message per frame), and the
// no-hub ceiling. go-wsc itself is measured as cmd/wsc-server.
var ServedNames = []string{"chat", "ceiling"}

// New starts the hub called name.
func New(name string) (Hub, error) {
	switch name {
	case "actor":
		return NewActor()
	case "lock":
		return NewLock(), nil
	case "channel", "chat":
		return NewChannel(), nil
	case "melody":
		return NewMelody(), nil
	case "ceiling":
		return NewCeiling(), nil
	}
	return nil, fmt.Errorf("bench: unknown hub %q", name)
}

// NewRouter starts the in-process router of hub name with users users; nil
// when the hub has no socket-free path (melody).
func NewRouter(name string, users int) (Router, error) {
	switch name {
	case "actor":
		return NewActorRouter(users)
	case "lock":
		return newLockRouter(users), nil
	case "channel":
		return newChannelRouter(users), nil
	}
	return nil, nil
}

// UserID is the id of the i-th user of a workload.
func UserID(i int) string { return "u" + strconv.Itoa(i) }
