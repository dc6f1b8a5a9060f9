// Package jetstream is store.Store over NATS JetStream: what the hub keeps
// across a restart lives in streams and buckets replicated over a NATS
// cluster (file storage, Options.Replicas: 3 in a three-server cluster), so
// that the death of a node or of a NATS server loses nothing a PubAck
// confirmed, and any node can deliver what any node stored.
//
//	part               JetStream                                  durable when
//	offline messages   stream <P>_OFFLINE, subject <p>.off.<user>  PutOffline's Done (the PubAck)
//	pending acks       KV <P>_PENDING, key <node>.<user>.<id>     PutPending's Done
//	sequences          KV <P>_SEQ, key <stream>, compare-and-set  always (NextSeq stays under the reservation)
//	history            stream <P>_HISTORY, <p>.hist.<user>        written behind; MaxMsgsPerSubject, MaxAge trim it
//	ticket memberships KV <P>_TICKETS, key <ticket>.<user>        Join's Done
//	records            KV <P>_RECORDS (TTL Options.RecordTTL)     written behind, coalesced per FlushInterval
//
// Names in subjects and keys are base64url (users may contain '.', '*',
// '>'). A deleted key leaves a purge marker that JetStream drops after
// Options.MarkerTTL.
//
// # Who owns what, which goroutine calls what
//
//   - The owner goroutine (the hub's mailbox) calls the Offline methods,
//     LoadOffline, the Sequences methods and Close, as for store.DB. The
//     offline messages are mirrored in memory, so PeekOffline and OfflineLen
//     never wait for the network; NextSeq hands out numbers from a block
//     reserved ahead in the KV bucket.
//
//   - PutPending, RemovePending, AppendHistory, ReadHistory, the Tickets and
//     Records methods, Stats and the Load* methods may be called from any
//     goroutine. Load*, TakeOverPending and Close wait (start-up, shutdown).
//
//   - One sender goroutine per Store takes every write in order: a put is
//     published at once (PublishAsync) and its PubAck awaited in a FIFO, so
//     Done callbacks run on the sender goroutine in the order the writes
//     were made. They must not block and must not call the Store. The
//     callbacks of LoadSeq run there too; those of ReadHistory and
//     LoadOffline on a reader goroutine of the Store.
//
//   - A delete (RemovePending, LeaveTicket, DeleteRecord) is sent only once
//     every earlier write to another stream is acknowledged; offline deletes
//     (RemoveOffline, the evictions of PutOffline), sequence reservations and
//     reads once every earlier write is. JetStream orders writes within one
//     stream only; this barrier keeps store.DB's promise across streams, so
//     the hub's "PutOffline, then RemovePending" never leaves a message in
//     neither after a crash, without waiting for the first Done. Such a
//     delete waits one PubAck round trip; a RemovePending after PutPendings
//     only (the ack path) does not wait.
//
//   - The owner never waits for the sender: past MaxQueueBytes queued a put
//     fails with store.ErrBusy. A PubAck that does not come within
//     Options.Timeout, or a connection lost meanwhile, fails the write: its
//     Done hears the error (the message may be stored all the same: it is
//     then found again by a later load, a duplicate rather than a loss).
//
//   - A publish that finds no stream leader (an election under way) fails at
//     once rather than being retried behind later writes; measured in the
//     in-process three-server test, writes are taken again 0.3–0.6 s after
//     the death of the offline stream's leader.
//
// # Offline messages across nodes
//
// Every read (Open's, LoadOffline's, the Load* methods', ReadHistory's)
// sees every write the stream's leader acknowledged before it, though its
// consumer may sit on a follower that has not applied them yet, or whose
// copy starts later than the leader's: what the consumer lacks at either
// end is asked of the leader (read.go).
//
// Open reads the whole offline stream into the mirror; after that the
// mirror grows with this node's puts only. A user's messages stored by
// another node, and the ones another node delivered (deleted), are seen
// when LoadOffline(user) reads the user's subject again and merges it in
// (Store-specific: not in store.Store). The hub calls it when a user's
// first connection registers on this node and pages the backlog
// (PeekOffline) only once its done hears nil; without that call a node sees
// what it stored itself and what was there when it opened. Between a load
// and the next, messages another node stores for the user are not seen,
// and messages another node delivers are still offered here: a user
// connected to two nodes at once may get a stored message twice (ids tell).
// The bounds are kept per node by the mirror (the evicted messages are
// reported as Dropped and deleted); MaxMsgsPerSubject on the stream is only
// the server's backstop when several nodes store for one user.
//
// # Sequences across nodes
//
// Two nodes that load one stream (a user connected to both) reserve
// distinct blocks by compare-and-set: no number is handed out twice, but
// each node's numbers go up in its own blocks, so the hub should keep a
// user's numbering on one node. EvictSeq's exact number is written only if
// no other node reserved since.
//
// # Pending acks across nodes
//
// Keys carry Options.NodeID: LoadPending reads this node's own (a node that
// restarts with its id takes back what it was tracking). TakeOverPending
// reads another node's, for a live node to move a dead node's messages to
// the offline store (then RemovePendingOf).
//
// # Wiring into the hub
//
//	nc, _ := nats.Connect(urls)                  // the store does not close it
//	s, err := jetstream.Open(ctx, nc, jetstream.Options{Config: cfg, Replicas: 3, NodeID: nodeID})
//	hub.New(sys, hub.Config{Store: s, NodeID: nodeID, …})
//
// What the hub does differently from store.DB: on the first registration of
// a user on this node, LoadOffline(user, done) and page the backlog once
// done hears nil (on an error, page what the mirror has and load again
// after a backoff, paging what came in); on node expiry,
// TakeOverPending(deadNode, …) then PutOffline and RemovePendingOf for each
// (a listing or a write that failed: asked again after a backoff).
// The give-up path ("PutOffline, then RemovePending") needs no change: the
// barrier above keeps its order. A Done takes a replication round trip
// (about 1–10 ms in the in-process cluster on the shared VM) and fails
// during a leader election: the hub's ErrStoreFailed path (503).
//
// # Cost
//
// Measured with the store driven as the hub drives it (one owner, 64 writes
// outstanding, Done back over a channel), the servers in the same process,
// on the 2-core shared development VM with a load average of 15–23 (so the
// rates swing; the CPU per op holds better), three runs:
//
//	go test -run '^$' -bench . -benchtime 5000x -count 3 ./store/jetstream
//
//	workload  servers      time/op      CPU/op (client+servers)  p50 durable  p99 durable
//	Ack       1, R1        31–101 µs    30–35 µs                 1.6–1.9 ms   10–70 ms
//	Ack       3, R3        168–317 µs   76–83 µs                 5–11 ms      54–289 ms
//	Offline   1, R1        23–132 µs    16–22 µs                 0.7–3 ms     10–105 ms
//	Offline   3, R3        28–106 µs    24–40 µs                 1.2–1.8 ms   13–174 ms
//
// (Ack: PutPending, on its Done RemovePending. Offline: PutOffline for 200
// users; every 100 Dones, a backlog of 100 paged out and removed. store/bolt
// on the same workloads: 7–8 µs and 24–27 µs of CPU per op.) In the Ack
// workload most of the R3 cost is the delete: a purge marker with a TTL
// (rollup, timer, and its expiry replicated later) measured at 2–4× a plain
// delete marker, which however would stay in the bucket forever.
package jetstream
