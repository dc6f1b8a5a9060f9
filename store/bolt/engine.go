package bolt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/go-wsc/go-wsc/store"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// FileName is the database file inside the data directory.
const FileName = "wsc.db"

// formatVersion is written in the meta bucket; a file of another version is
// refused at open rather than misread, so an older binary refuses a newer
// file. 2: the history is a log of segments (store/histlog.go). A file of
// version 1 (one key per history message) is taken and marked 2: store.Open
// moves its history into the log, in one transaction, whatever the version
// says (a crash in between leaves the old keys, moved at the next open).
// 3: history entries leave out the id their frame begins with
// (store/history.go) and records the id the log keeps them under
// (store/recordstore/binary.go); version 3 reads a file of version 2 as it
// is (both layouts are read), so one is only marked 3, and a binary of
// version 2, which would misread the new entries, refuses it. 4: records
// in recordstore's fourth encoding (the message's time as a code), which a
// binary of version 3 would skip as undecodable; read as 3 is.
const formatVersion = 4

// oldFormats are the versions Open upgrades.
var oldFormats = map[uint32]bool{1: true, 2: true, 3: true}

// Errors of package bolt.
var (
	// ErrLocked: another process holds the data directory.
	ErrLocked = errors.New("wsc: data directory in use by another process")
	// ErrOpen: the data directory cannot be created, read or written.
	ErrOpen = errors.New("wsc: cannot open data directory")
)

// Options tune the engine; nil means every default.
type Options struct {
	// LockTimeout is how long Open waits for another process to release the
	// directory's lock; zero: 1 s.
	LockTimeout time.Duration
}

// Engine is a store.Engine over one bbolt file.
type Engine struct {
	db *bolt.DB
}

var _ store.Engine = (*Engine)(nil)

// Open opens (creating when missing) the engine in dir. Every failure is an
// error that names the directory: permissions (ErrOpen), a lock held by
// another process (ErrLocked), a file that is not a valid database
// (store.ErrCorrupt). It never panics.
func Open(dir string, opts *Options) (e *Engine, err error) {
	timeout := time.Second
	if opts != nil && opts.LockTimeout > 0 {
		timeout = opts.LockTimeout
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("%w %s: %v", ErrOpen, dir, err)
	}
	path := filepath.Join(dir, FileName)
	defer func() { // bbolt panics on some kinds of damage
		if r := recover(); r != nil {
			e, err = nil, fmt.Errorf("%w: %s: %v", store.ErrCorrupt, path, r)
		}
	}()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, NoFreelistSync: true, FreelistType: bolt.FreelistMapType,
		InitialMmapSize: initialMmap()})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("%w: %s (waited %s for its lock)", ErrLocked, dir, timeout)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum), errors.Is(err, bolterrors.ErrVersionMismatch),
		errors.Is(err, bolterrors.ErrInvalidMapping):
		return nil, fmt.Errorf("%w: %s: %v", store.ErrCorrupt, path, err)
	case err != nil:
		return nil, fmt.Errorf("%w %s: %v", ErrOpen, dir, err)
	}
	e = &Engine{db: db}
	if err := e.init(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return e, nil
}

// initialMmap is the mapping bbolt starts with: address space, not memory
// (the file does not grow with it), and none on 32-bit platforms, where
// address space is short, or on Windows, where bbolt grows the file to the
// mapping. bbolt maps twice the file each time it outgrows the mapping, from
// 32 KiB, and each new mapping copies what the writing transaction holds and
// faults the pages in again: a fresh data directory growing to the
// history's bound (64 MiB) remapped a dozen times under load. Measured
// (cd bench && go run ./cmd/wsc-bench -workloads alone-p2p -hubs
// wsc-server,wsc-server-memory -runs 5, twice each, alternating, load 4-10):
// wsc-server's CPU per message 12.90 and 13.34 µs without, 12.66 and 12.30
// µs with (medians).
func initialMmap() int {
	if strconv.IntSize < 64 || runtime.GOOS == "windows" {
		return 0
	}
	return 256 << 20
}

// init creates the buckets and checks the format version.
func (e *Engine) init() error {
	return e.db.Update(func(tx *bolt.Tx) error {
		for _, b := range store.Buckets {
			if _, err := tx.CreateBucketIfNotExists([]byte(b.String())); err != nil {
				return err
			}
		}
		meta := tx.Bucket([]byte(store.BucketMeta.String()))
		v := meta.Get([]byte("format"))
		if v == nil {
			return meta.Put([]byte("format"), binary.BigEndian.AppendUint32(nil, formatVersion))
		}
		switch {
		case len(v) != 4:
			return fmt.Errorf("%w: format %x, want %d", store.ErrCorrupt, v, formatVersion)
		case oldFormats[binary.BigEndian.Uint32(v)]:
			return meta.Put([]byte("format"), binary.BigEndian.AppendUint32(nil, formatVersion))
		case binary.BigEndian.Uint32(v) != formatVersion:
			return fmt.Errorf("%w: format %x, want %d", store.ErrCorrupt, v, formatVersion)
		}
		return nil
	})
}

// Update implements store.Engine: one bbolt read-write transaction, synced on commit.
func (e *Engine) Update(fn func(store.Tx) error) (err error) {
	defer func() { // a damaged page panics inside bbolt: the write fails, the process lives
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", store.ErrCorrupt, r)
		}
	}()
	err = e.db.Update(func(tx *bolt.Tx) error {
		t := &boltTx{tx: tx}
		if err := fn(t); err != nil {
			return err
		}
		if !t.wrote { // reads only (a history read, an idle sweep): no page to write, no fsync
			return errNothingWritten
		}
		return nil
	})
	if errors.Is(err, errNothingWritten) {
		return nil
	}
	return err
}

// errNothingWritten rolls back a transaction that changed nothing.
var errNothingWritten = errors.New("nothing written")

// Close implements store.Engine.
func (e *Engine) Close() error { return e.db.Close() }

// boltTx keeps every group of a bucket in one flat keyspace: uvarint(len(group)),
// group, key; so a group is one contiguous, ordered range.
type boltTx struct {
	tx    *bolt.Tx
	wrote bool
}

func flat(group, key []byte) []byte {
	k := binary.AppendUvarint(make([]byte, 0, len(group)+len(key)+2), uint64(len(group)))
	return append(append(k, group...), key...)
}

func split(k []byte) (group, key []byte, ok bool) {
	n, w := binary.Uvarint(k)
	if w <= 0 || uint64(len(k)-w) < n {
		return nil, nil, false
	}
	return k[w : w+int(n)], k[w+int(n):], true
}

func (t *boltTx) bucket(b store.Bucket) *bolt.Bucket {
	bk := t.tx.Bucket([]byte(b.String()))
	bk.FillPercent = fillPercent
	return bk
}

// fillPercent is how full bbolt fills the pages it splits: full, not its
// default half, because keys grow at the end of their group (time, arrival,
// a counter in the id) and are deleted at its front: a split page is seldom
// written into again, and half-full pages only doubled the pages every commit
// rewrites (BenchmarkRecords: 8.3–8.8 µs of CPU a record at 0.5, 6.6–7.0 at
// 1.0; BenchmarkHistory 8.6–13.6 and 6.8–9.5).
const fillPercent = 1.0

func (t *boltTx) Get(b store.Bucket, group, key []byte) []byte {
	return t.bucket(b).Get(flat(group, key))
}

func (t *boltTx) Put(b store.Bucket, group, key, val []byte) error {
	t.wrote = true
	return t.bucket(b).Put(flat(group, key), val)
}

func (t *boltTx) Delete(b store.Bucket, group, key []byte) error {
	t.wrote = true
	return t.bucket(b).Delete(flat(group, key))
}

func (t *boltTx) Scan(b store.Bucket, group, from []byte, fn func(key, val []byte) (bool, error)) error {
	prefix := flat(group, nil)
	c := t.bucket(b).Cursor()
	for k, v := c.Seek(flat(group, from)); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if more, err := fn(k[len(prefix):], v); err != nil || !more {
			return err
		}
	}
	return nil
}

func (t *boltTx) ScanAll(b store.Bucket, from []byte, fn func(group, key, val []byte) (bool, error)) error {
	c := t.bucket(b).Cursor()
	k, v := c.First()
	if from != nil {
		k, v = c.Seek(flat(from, nil))
	}
	for ; k != nil; k, v = c.Next() {
		g, key, ok := split(k)
		if !ok {
			return fmt.Errorf("%w: key %x in %s", store.ErrCorrupt, k, b)
		}
		if more, err := fn(g, key, v); err != nil || !more {
			return err
		}
	}
	return nil
}

// OpenStore opens the engine in dir and a store.DB over it.
func OpenStore(dir string, cfg store.Config, opts *Options) (*store.DB, error) {
	e, err := Open(dir, opts)
	if err != nil {
		return nil, err
	}
	return store.Open(e, cfg)
}
