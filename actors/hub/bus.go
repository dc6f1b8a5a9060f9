package hub

import "encoding/json"

// Bus links the hubs of several nodes so that they behave as one
// (transport/nats implements it over NATS). Nil means a single node.
//
// The hub calls Watch, Unwatch and Publish from its mailbox: they must not
// block (a NATS publish only buffers). Start may block; the hub calls it once,
// from New, before any traffic.
type Bus interface {
	// Start connects the bus for node. in is then called, from the bus's own
	// goroutines, with every message another node sends this one (never with
	// this node's own messages).
	Start(node string, in func(*BusMessage)) error
	// Watch subscribes to the messages for a user or a ticket (an error: the
	// hub counts it and tries again at its next heartbeat); Unwatch ends it.
	Watch(s Scope, key string) error
	Unwatch(s Scope, key string)
	// Publish sends m on the subject its Kind names (with User, Ticket or
	// Node); an error says m will not leave this node.
	Publish(m *BusMessage) error
	// Close disconnects.
	Close() error
}

// Scope says what a watched key names.
type Scope uint8

// The scopes.
const (
	ScopeUser Scope = iota
	ScopeTicket
)

// BusKind is what a BusMessage carries.
type BusKind string

// The kinds of bus messages.
const (
	BusUser        BusKind = "user"         // Frame for User's connections, on every node that has some
	BusTicket      BusKind = "ticket"       // Frame for Ticket's members (but From, when SkipFrom)
	BusBroadcast   BusKind = "broadcast"    // Frame for every connection
	BusAck         BusKind = "ack"          // an ack, to Node, which sent the message and tracks it
	BusPresence    BusKind = "presence"     // Origin's users: all of them (Full; to Node alone when set) or one (User, Online)
	BusDigest      BusKind = "digest"       // Origin's heartbeat: how many users it has and a hash of them (Digest)
	BusRosterAsk   BusKind = "roster-ask"   // Origin's view of Node disagrees with Node's digest: Node, send your full list
	BusBye         BusKind = "bye"          // Origin is leaving: forget its users now
	BusMembership  BusKind = "membership"   // User joined (Online) or left Ticket
	BusSyncRequest BusKind = "sync-request" // Origin has just started: send it the memberships
	BusSync        BusKind = "sync"         // every membership this node knows, to Node
	BusReport      BusKind = "report"       // what Origin did with messages Node forwarded to it (Reports)
)

// BusMessage is one message between hubs. A routed message travels as its
// encoded frame, so it is encoded once by the sending node and not again.
type BusMessage struct {
	Kind     BusKind             `json:"k"`
	Origin   string              `json:"o"`
	Node     string              `json:"n,omitempty"`
	User     string              `json:"u,omitempty"`
	Ticket   string              `json:"t,omitempty"`
	Frame    json.RawMessage     `json:"f,omitempty"`
	SkipFrom bool                `json:"sf,omitempty"`
	Full     bool                `json:"full,omitempty"`
	Users    []string            `json:"us,omitempty"`
	Online   bool                `json:"on,omitempty"`
	Members  map[string][]string `json:"m,omitempty"`

	Reports []DeliveryReport `json:"r,omitempty"`
	Digest  *Digest          `json:"d,omitempty"`
	// Part and Parts split a full user list too big for one bus message
	// (NATS's max payload): Roster names the list, Part counts from 1.
	Roster uint64 `json:"rid,omitempty"`
	Part   int    `json:"pt,omitempty"`
	Parts  int    `json:"pts,omitempty"`

	MessageID string `json:"id,omitempty"`
	AckStatus string `json:"as,omitempty"`
	AckError  string `json:"ae,omitempty"`
}

// Digest sums up a node's users in constant size: their number and the sum of
// a 64-bit hash of each id (order-free, so it can be kept up to date one user
// at a time on both sides). A node's heartbeat carries its digest; a node
// whose view differs asks for the full list (presence.go).
type Digest struct {
	Count int    `json:"c"`
	Hash  uint64 `json:"h"`
}
