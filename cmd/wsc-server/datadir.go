package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/go-wsc/go-wsc/store/recordstore"
)

// dataConfig says where the server keeps what must survive a restart.
type dataConfig struct {
	// Dir holds the store (store/bolt: one file, wsc.db). Empty, or Memory
	// set: everything in memory, as a hub.Config{} without a Store.
	Dir string
	// Memory keeps everything in memory (-memory): a restart loses it all.
	Memory bool
	// Store bounds the offline store, on disk or in memory (the same flags
	// fill the hub's in-memory bounds).
	Store store.Config
}

// durable reports whether the server keeps its state in a data directory.
func (d dataConfig) durable() bool { return d.Dir != "" && !d.Memory }

// dataDir is the store the server opened, and what it found there.
type dataDir struct {
	db *store.DB
	// records is the recorder's store over db; nil when records are off.
	records *recordstore.Store
	// skipped counts records that did not decode (logged at start).
	skipped int
}

// openDataDir opens the data directory (nil, nil with -memory). Every
// failure is one line that names the directory and says what to do; the
// store's own errors say locked, cannot open or corrupt.
func openDataDir(cfg dataConfig, records bool) (*dataDir, error) {
	if !cfg.durable() {
		return nil, nil
	}
	db, err := bolt.OpenStore(cfg.Dir, cfg.Store, nil)
	if err != nil {
		return nil, fmt.Errorf("-data-dir: %w; %s", err, advice(err, cfg.Dir))
	}
	d := &dataDir{db: db}
	if records {
		if d.records, d.skipped, err = recordstore.New(db); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("-data-dir %s: %w", cfg.Dir, err)
		}
	}
	return d, nil
}

// advice is what the operator can do about a data directory that did not open.
func advice(err error, dir string) string {
	const damaged = "restore it from a backup, or move it away to start empty"
	switch {
	case errors.Is(err, bolt.ErrLocked):
		return "another wsc-server uses it: stop that one, or give this one its own -data-dir"
	case errors.Is(err, store.ErrCorrupt):
		return bolt.FileName + " is damaged: " + damaged
	}
	if fi, serr := os.Stat(filepath.Join(dir, bolt.FileName)); serr == nil && fi.Mode().IsRegular() {
		// bbolt reports some damage (a truncated file) as a plain open error.
		return "check that this user may write it and that " + bolt.FileName + " is a go-wsc database (if not, " + damaged + ")"
	}
	return "check that it is a directory this user may write, or run with -memory"
}

// close closes the store; nil-safe. Call it after the hub's Shutdown: the hub
// writes its last state (pending acks to the offline store) on its way out.
func (d *dataDir) close() error {
	if d == nil {
		return nil
	}
	return d.db.Close()
}

// describe is the start-up log line's account of the data.
func (d *dataDir) describe(cfg dataConfig) string {
	if d == nil {
		return "state in memory (-memory): a restart loses the offline store, pending acks and records"
	}
	st := d.db.Stats()
	s := fmt.Sprintf("state in %s: %d offline messages", cfg.Dir, st.OfflineMsgs)
	if d.records != nil {
		s += fmt.Sprintf(", %d records", d.records.Len())
	}
	if d.skipped > 0 {
		s += fmt.Sprintf(" (%d records did not decode and were skipped)", d.skipped)
	}
	return s
}
