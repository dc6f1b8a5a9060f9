// Package sim runs many go-wsc nodes in one process on one embedded NATS
// server (issue 17): hubs made with hub.New, each in an actor system of its
// own, linked by transport/nats; users are in-memory connections (a real
// session actor over a real session.Outbox, no socket), so the number of users
// is not bound by file descriptors. Run drives a steady mix of p2p, ticket and
// broadcast traffic, kills one node and starts another mid-run, and reports
// bus traffic per node, presence convergence, cross-node latency and what was
// lost (which must be nothing).
//
// Who owns what: each node has one writer goroutine (writer.go) that takes
// frames off the outboxes of its connections, in the order their transports
// were woken, and hands them to the ledger; the hub fills the outboxes from its
// mailbox (Send never blocks: the wake channel has room for every connection).
// The ledger (ledger.go) is shared by the traffic goroutine and the writers
// under a mutex: this is a harness, not the library, and the rule against
// locks is for actors/ and transport/. The run goroutine alone starts, kills
// and stops nodes.
package sim
