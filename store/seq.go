package store

import (
	"encoding/binary"
	"fmt"
	"sync/atomic"
)

// Sequences on disk: group stream, one value: be64(ceiling) and a flag byte,
// 1 when the ceiling is the exact last number (written by Evict and Close), 0
// when it is a reservation (numbers up to it may have been handed out).
//
// In memory, a loaded stream's numbers are handed out by the owner (NextSeq)
// and never past the durable ceiling; the writer raises the ceiling a block
// at a time, half a block ahead of use, so NextSeq seldom meets ErrSeqBusy.

type seqStream struct {
	last      atomic.Int64 // last number handed out; set by the writer until loaded, then by the owner
	ceiling   atomic.Int64 // durable reservation; raised by the writer
	loaded    atomic.Bool
	failed    atomic.Bool
	reserving atomic.Bool
	applied   bool  // writer goroutine: the load's transaction ran
	start     int64 // writer goroutine: what the load found
}

var seqKey = []byte{0}

func seqValue(n int64, exact bool) []byte {
	v := binary.BigEndian.AppendUint64(make([]byte, 0, 9), uint64(n))
	if exact {
		return append(v, 1)
	}
	return append(v, 0)
}

// LoadSeq implements Sequences.
func (d *DB) LoadSeq(stream string, done func(SeqState, error)) { d.own.LoadSeq(stream, done) }

// LoadSeq implements Sequences, for v's owner.
func (v *View) LoadSeq(stream string, done func(SeqState, error)) {
	d := v.DB
	if err := d.check("stream", stream); err != nil {
		done(SeqState{}, err)
		return
	}
	if s := v.seqs[stream]; s != nil && !s.failed.Load() {
		// loaded or loading: answer after that load, in queue order
		_ = d.w.enqueue(&op{urgent: true, after: func(err error) {
			if err == nil && !s.loaded.Load() {
				err = fmt.Errorf("wsc: store: sequence %q did not load", stream)
			}
			done(SeqState{Last: s.last.Load(), Exact: true}, err)
		}})
		return
	}
	s := &seqStream{}
	v.seqs[stream] = s
	var found SeqState
	block := d.cfg.SeqBlock
	_ = d.w.enqueue(&op{urgent: true,
		apply: func(tx Tx) error {
			found = SeqState{Exact: true}
			if v := tx.Get(BucketSeq, []byte(stream), seqKey); v != nil {
				if len(v) != 9 {
					return fmt.Errorf("%w: sequence %q", ErrCorrupt, stream)
				}
				found = SeqState{Last: int64(binary.BigEndian.Uint64(v)), Exact: v[8] == 1}
			}
			s.applied, s.start = true, found.Last
			return tx.Put(BucketSeq, []byte(stream), seqKey, seqValue(found.Last+block, false))
		},
		after: func(err error) {
			if err != nil {
				s.applied = false
				s.failed.Store(true)
				done(SeqState{}, err)
				return
			}
			s.last.Store(found.Last)
			s.ceiling.Store(found.Last + block)
			s.loaded.Store(true)
			done(found, nil)
		}})
}

// NextSeq implements Sequences.
func (d *DB) NextSeq(stream string) (int64, error) { return d.own.NextSeq(stream) }

// NextSeq implements Sequences, for v's owner.
func (v *View) NextSeq(stream string) (int64, error) {
	d := v.DB
	s := v.seqs[stream]
	if s == nil || !s.loaded.Load() {
		return 0, ErrSeqNotLoaded
	}
	n, c := s.last.Load()+1, s.ceiling.Load()
	if n > c {
		d.reserve(stream, s, n)
		return 0, ErrSeqBusy
	}
	s.last.Store(n)
	if c-n < d.cfg.SeqBlock/2 {
		d.reserve(stream, s, n)
	}
	return n, nil
}

// reserve raises s's ceiling a block above n, unless a reservation is on its way.
func (d *DB) reserve(stream string, s *seqStream, n int64) {
	if !s.reserving.CompareAndSwap(false, true) {
		return
	}
	target := max(s.ceiling.Load(), n) + d.cfg.SeqBlock
	_ = d.w.enqueue(&op{urgent: true,
		apply: func(tx Tx) error { return tx.Put(BucketSeq, []byte(stream), seqKey, seqValue(target, false)) },
		after: func(err error) {
			if err == nil && target > s.ceiling.Load() {
				s.ceiling.Store(target)
			}
			s.reserving.Store(false)
		}})
}

// EvictSeq implements Sequences.
func (d *DB) EvictSeq(stream string) { d.own.EvictSeq(stream) }

// EvictSeq implements Sequences, for v's owner.
func (v *View) EvictSeq(stream string) {
	s := v.seqs[stream]
	if s == nil {
		return
	}
	delete(v.seqs, stream)
	_ = v.w.enqueue(&op{apply: func(tx Tx) error {
		last := int64(0)
		switch {
		case s.loaded.Load():
			last = s.last.Load()
		case s.applied: // loaded in this same transaction: nothing handed out yet
			last = s.start
		default:
			return nil // never loaded: the disk holds what it held
		}
		return tx.Put(BucketSeq, []byte(stream), seqKey, seqValue(last, true))
	}})
}
