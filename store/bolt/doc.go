// Package bolt is the store.Engine on disk: one bbolt file, wsc.db, in the
// data directory. Only the store.DB's writer goroutine calls Update; Open and
// Close are called by whoever owns the DB.
//
// Every bucket keeps its groups (users, streams, tickets) in one flat
// keyspace, uvarint(len(group)) + group + key, so a group is one ordered
// range. Each Update is one bbolt read-write transaction, fsynced on commit.
//
// bbolt is the copy in third_party/bbolt (go.mod's replace): v1.5.0 with its
// buffers for nodes of several pages pooled, as upstream pools single pages
// (third_party/bbolt/PATCH.md), because every chunk of the logs is such a
// node.
//
// Faults give errors, never panics: a directory that cannot be created or
// written (ErrOpen, naming it), a lock held by another process past
// Options.LockTimeout (ErrLocked), a file that is not a database of this
// format (store.ErrCorrupt); a write that fails (a full disk) fails that
// commit and its ops' Done callbacks hear the error. Back up the directory
// by copying wsc.db while the server is stopped (or with bbolt's Tx.WriteTo
// from a running one).
package bolt
