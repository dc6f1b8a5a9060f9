// Package store is go-wsc's durable state behind interfaces: offline
// messages, pending acks, per-stream sequence numbers, per-user history,
// ticket memberships and message records. The hub sees only the Store
// interface; DB implements it over an Engine: store/bolt on disk (the
// default), or NewMemoryEngine for -memory and tests. JetStream can implement
// Store later without the hub knowing (README.md, "JetStream").
//
// # Who owns what, which goroutine calls what
//
//   - One owner goroutine (the hub actor's mailbox) calls the methods that
//     keep state in memory: the Offline methods, the Sequences methods and
//     Close. The offline messages are held in memory too (bounded by count
//     and bytes, per user and in all), so PeekOffline and OfflineLen read
//     memory, never a disk; loaded sequences live beside them, and NextSeq
//     hands numbers out without waiting.
//   - The Pending, History, Tickets and Records methods and Stats only queue
//     work for the writer: any goroutine may call them (the ack tracker its
//     PutPending and RemovePending, the recorder its PutRecord), and writes
//     from one goroutine are durable in the order it made them.
//   - Every write and every disk read is an op on the writer's queue (record
//     changes and history appends wait in queues of their own, and one op
//     per commit takes each: records.go, histqueue.go); the
//     writer goroutine (one per DB) applies them in order, many to one engine
//     transaction (group commit: one fsync for all that queued during the
//     last one). An op with a Done commits at once; one without (write
//     behind: history, records, attempt counts, deletes) waits at most
//     Config.FlushInterval for company. Writes are durable in the order they
//     were made: a later write is never on disk without the earlier ones,
//     with one exception: history and records are lazy (writer.go), they
//     stay queued when a commit is made for a waiting caller and go with the
//     next due one, in their own order; nothing depends on them.
//   - Done callbacks, and the callbacks of LoadSeq and ReadHistory, run on the
//     writer goroutine after the commit. They must not block and must not
//     call the DB: they hand the result on (an actor Send). After Close they
//     are called at once with ErrClosed.
//   - The owner never waits for the writer: enqueueing takes a mutex for an
//     append. When the writer falls MaxQueueBytes behind, puts fail with
//     ErrBusy (the hub answers 503) rather than block; deletes are never
//     refused. Load* and Close wait: they are for start-up and shutdown.
//   - A failed commit fails every op in it (their Done hears the error); the
//     next commit is tried afresh. A put whose Done hears an error is still in
//     memory: the owner removes it (RemoveOffline) and refuses the message.
//
// # History and records: logs, not a key per message
//
// Every routed message appends to its user's history and makes a record
// that a later one evicts; reads of either are rare (a resume the hub's ring
// cannot answer, the records at start). So both are append-only logs, one
// segment per commit (histlog.go, reclog.go), written in chunks of 32 KiB
// (chunks.go), instead of a B-tree key per message and a delete per trim
// or eviction. The history log is bounded by age and by HistoryMaxBytes,
// and keeps each segment's users' hashes in memory so that a read parses
// only the segments that may hold its user; the records log drops segments
// with nothing live and compacts past twice its live bytes. Measured
// (go test -run '^$' -bench 'History|Records' -benchtime 20000x ./store/bolt,
// CPU per op, before and after, the machine at a load of 10–17):
//
//	History (1,000 users, each past 64)   bolt 5.3 → 1.6–2.0 µs   memory 3.5 → 0.7–1.0 µs
//	HistoryRead, 20 MB log, "recent"      0.05–0.16 ms   "unknown" 0.5–0.8 ms (7 ms unindexed)
//
// and on the server (bench/, alone-p2p, wsc-server's CPU per message,
// medians of three runs minutes apart): 19.1 µs at ccd2df6, 17.8 µs at
// bd256e5; the store's writer goroutine 9.0 → 3.0 µs a message (pprof).
//
// A record is then encoded at once by recordstore, in binary, into a slab
// (no copy of the record for the writer, no JSON: recordstore/binary.go),
// and record changes go to a queue of their own that one op per commit
// takes, keeping the last change of each record (records.go).
// wsc-server's CPU per message on disk against -memory's, alone-p2p, medians
// of same-run ratios (cd bench && go run ./cmd/wsc-bench -workloads
// alone-p2p,alone-ack -hubs wsc-server,wsc-server-memory,chat -runs 3, the
// machine at a load of 5-13): 1.83× at f226c91, 1.24-1.29× after.
//
// Then (session 6): history appends go to a queue of their own too, one op
// per commit (histqueue.go); each segment ends in small chunks, so a commit
// no longer writes the previous one's last chunks again (chunks.go,
// tailEntries); records are encoded with one-byte codes for their usual
// strings and times (recordstore/words.go: about 150 bytes for a p2p
// record, was 240); and the recorder's store keeps each record's
// RecordSlot, the writer's place for it, so the writer needs no index of
// the records by id (reclog.go). Bytes wsc-server wrote per message
// (/proc/<pid>/io, one bench/ run each): alone-p2p 625-657 before, 580
// after the small chunks, 470 with the codes and slots too; alone-paced
// 812, 636 and 551. BenchmarkP2P in
// store/recordstore (a history entry, a record and an eviction per message,
// commits of 1,000), bytes written and process CPU per message: 1,040-1,140
// B before; 760-800 B with the small chunks, 700-716 B with the codes, CPU
// 6.8-7.0 µs; 6.2 µs with the slots (load 5-8, alternating runs).
//
// Then (session 7): each message's id is written once. A history entry
// leaves it out when its frame begins with it (every frame the hub makes),
// and a record refers to the id the records log writes before it, and to
// its own instant for its message's time (recordstore's fourth encoding;
// bolt format 4, a version-2 or 3 file read as it is). The history queue's
// slice and the log's take turns instead of a new slice grown by append
// each take, and the sweep lets them go once the history is idle. The two
// queues, and the writer's counters of the bytes they hold, sit on cache
// lines of their own (the hub's goroutine and the recorder's wrote one
// counter each message). Bytes wsc-server wrote per message under
// alone-p2p (/proc/<pid>/io, alternating with the build before): 440-504
// -> 387-444. Its CPU per message against -memory's, same-run ratios,
// eleven runs each at load 1.4-8: median 1.32 -> 1.24 (on disk 9.42 ->
// 9.14 µs; each side ranged 0.3 or more: the machine was shared).
//
// Then (session 8): the recorder flushes its store at the end of each
// mailbox message (recorder.Flusher), and recordstore hands that
// message's record changes over in one PutRecordChanges, their bytes
// copied into the queue's own buffer (reused take after take), instead of
// a lock, a reservation and a queue entry for every put and every
// eviction; it encodes into one buffer it reuses, not into 64 KiB slabs;
// and a record it holds carries its slot (Record.StoreTag), so an eviction
// (recorder.HeldDeleter) needs no lookup by id. The recorder's part on
// bolt (store/recordstore BenchmarkRecorderP2P, alternating test binaries,
// 20-30 pairs at load 4-6.5): 2.27-2.62 -> 1.92-2.32 µs of CPU a message,
// 550 -> 385 B/op; wsc-server's CPU per message against -memory's,
// alone-p2p, 24 alternating runs each at load 1.3-4.8: median 1.20 ->
// 1.17 (bench/NOTES.md).
//
// Not done: writing the message once, a record pointing at its history
// entry instead of holding the message's fields. Those are 46 of a p2p
// record's 105 bytes (the frame is 215), a twelfth of what is written; but
// the writer would need each message's place in the history (a map by id,
// about what the record's message encoding costs, on the writer), and a
// record that outlives its history segment (TTL, HistoryMaxBytes) would
// have to be written again whole first. And what the disk costs above
// -memory is in good part the garbage collector's: -memory keeps the
// history (up to HistoryMaxBytes) in its heap, so its collections are
// rarer; with GOGC=200 the on-disk server's CPU per message fell 8.78 ->
// 7.52 µs and -memory's 6.76 -> 6.14 (bench/NOTES.md).
//
// # Choosing the engine
//
// Measured with store/enginebench (its own module, so the loser's
// dependencies stay out of go.mod) on the 2-core, shared development VM,
// 64 producers, 300-byte messages, one group-committing writer, 100 000
// messages, three runs each (ranges, the machine was busy):
//
//	engine  workload  durable puts/s   p50 durable   p99 durable  CPU/msg
//	bbolt   ack       29k–134k         0.37–0.61 ms   1.5–15 ms    5.8–7.3 µs
//	pebble  ack       56k–129k         0.29–0.45 ms   3.7–7.9 ms   5.3–8.4 µs
//	bbolt   offline   14k–17k          2.1–3.0 ms     9.6–21 ms    36–38 µs
//	pebble  offline   38k–145k         0.28–0.50 ms   4.3–10 ms    9–14 µs
//
// (ack: put a pending message, wait until durable, delete it on the ack;
// offline: put messages for 200 users, then page each backlog out 100 at a
// time and delete it; CPU/msg is the whole process's user+system time.)
//
// The DB itself, driven as the hub drives it (one owner goroutine, 64
// writes outstanding, callbacks back over a channel), three runs:
//
//	go test -run '^$' -bench . -benchtime 20000x ./store/bolt
//
//	workload      engine  time/op     CPU/op        p50 durable   p99 durable   ops/commit
//	Ack           bolt    8–13 µs     7.2–8.4 µs    0.49–0.65 ms  1.1–7.8 ms    32
//	Ack           memory  3.4–5.9 µs  4.6–5.6 µs    0.17–0.33 ms  0.7–1.0 ms    10–43
//	Offline       bolt    27–80 µs    24–27 µs      1.6–2.8 ms    6–24 ms       32
//	Offline       memory  4–9 µs      5.6–6.5 µs    0.20–0.31 ms  0.8–4.4 ms    11–33
//
// (Offline lets a backlog of up to 20 000 messages build up across 200 users:
// bbolt's cost is its B-tree taking 32 puts spread over 200 key ranges per
// commit. A durable ack costs about 2.5 µs of CPU more than the memory engine.)
//
// bbolt is the engine, although pebble is 3× cheaper on the offline workload:
// on the ack workload, the one with a speed target, they are level; bbolt's
// offline rate is far above what the hub needs; pebble answers a failed WAL
// write with Logger.Fatalf ("pebble: fatal commit error", db.go), which ends
// the process, where go-wsc must fail the send and live on (a full disk);
// and pebble brings about thirty modules (cockroachdb/errors, redact, swiss,
// DataDog/zstd, prometheus…) where bbolt brings golang.org/x/sys.
package store
