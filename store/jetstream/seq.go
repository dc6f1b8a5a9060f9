package jetstream

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/go-wsc/go-wsc/store"
	"github.com/nats-io/nats.go/jetstream"
)

// Sequences: bucket <PREFIX>_SEQ, key the stream, value be64(ceiling) and a
// flag byte (1: the exact last number, written by Evict and Close; 0: a
// reservation), as store.DB writes them. Every write is a compare-and-set on
// the revision this node last saw (KV Update), so two nodes that load one
// stream reserve distinct blocks: numbers are never handed out twice, and a
// node that finds its block taken moves past the other's (a gap, nothing lost).

type seqStream struct {
	last    atomic.Int64 // last number handed out (the owner's, once loaded)
	ceiling atomic.Int64 // end of the block in use
	next    atomic.Pointer[seqBlock]
	loaded  atomic.Bool
	failed  atomic.Bool
	busy    atomic.Bool // a reservation is on its way
	// sender goroutine only
	rev  uint64 // the KV revision of this node's last write
	disk int64  // the ceiling that write holds
}

// seqBlock is a reservation: numbers from+1..to are this node's.
type seqBlock struct{ from, to int64 }

func seqValue(n int64, exact bool) []byte {
	v := binary.BigEndian.AppendUint64(make([]byte, 0, 9), uint64(n))
	if exact {
		return append(v, 1)
	}
	return append(v, 0)
}

func isConflict(err error) bool {
	return errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch)
}

// casTries bounds the compare-and-set retries of one reservation.
const casTries = 16

// read returns the stream's value and revision (0: no key). It asks the
// bucket's leader: a KV get is a direct get, which a follower that has not
// applied the last reservation may answer, and each such stale answer costs
// a compare-and-set that fails (read.go).
func (st *Store) readSeq(ctx context.Context, key string) (store.SeqState, uint64, error) {
	e, err := st.leaderLast(ctx, "KV_"+st.n.seq, kvSubject(st.n.seq, key))
	if errors.Is(err, errNoMsg) || err == nil && kvDeleted(e.hdr) {
		return store.SeqState{Exact: true}, 0, nil
	}
	if err != nil {
		return store.SeqState{}, 0, err
	}
	v := e.data
	if len(v) != 9 {
		return store.SeqState{}, 0, fmt.Errorf("%w: sequence key %q", store.ErrCorrupt, key)
	}
	return store.SeqState{Last: int64(binary.BigEndian.Uint64(v)), Exact: v[8] == 1}, e.seq, nil
}

// write stores val over revision rev (0: the key must not exist).
func (st *Store) writeSeq(ctx context.Context, key string, val []byte, rev uint64) (uint64, error) {
	if rev == 0 {
		return st.kvSeq.Create(ctx, key, val)
	}
	return st.kvSeq.Update(ctx, key, val, rev)
}

// LoadSeq implements store.Sequences.
func (st *Store) LoadSeq(stream string, done func(store.SeqState, error)) {
	if err := st.check("stream", stream); err != nil {
		done(store.SeqState{}, err)
		return
	}
	if s := st.seqs[stream]; s != nil && !s.failed.Load() {
		_ = st.s.enqueue(&op{after: func(err error) {
			if err == nil && !s.loaded.Load() {
				err = fmt.Errorf("wsc: store: sequence %q did not load", stream)
			}
			done(store.SeqState{Last: s.last.Load(), Exact: true}, err)
		}})
		return
	}
	s := &seqStream{}
	st.seqs[stream] = s
	key, block := token(stream), st.opts.SeqBlock
	var found store.SeqState
	_ = st.s.enqueue(&op{
		run: func(ctx context.Context) error {
			for range casTries {
				cur, rev, err := st.readSeq(ctx, key)
				if err != nil {
					return err
				}
				nrev, err := st.writeSeq(ctx, key, seqValue(cur.Last+block, false), rev)
				if isConflict(err) {
					continue
				}
				if err != nil {
					return err
				}
				found, s.rev, s.disk = cur, nrev, cur.Last+block
				s.last.Store(cur.Last)
				s.ceiling.Store(cur.Last + block)
				s.loaded.Store(true)
				return nil
			}
			return fmt.Errorf("wsc: store: sequence %q: contended", stream)
		},
		after: func(err error) {
			if err != nil {
				s.failed.Store(true)
				done(store.SeqState{}, err)
				return
			}
			done(found, nil)
		}})
}

// NextSeq implements store.Sequences.
func (st *Store) NextSeq(stream string) (int64, error) {
	s := st.seqs[stream]
	if s == nil || !s.loaded.Load() {
		return 0, store.ErrSeqNotLoaded
	}
	n, c := s.last.Load()+1, s.ceiling.Load()
	if n > c {
		b := s.next.Swap(nil)
		if b == nil {
			st.reserve(stream, s)
			return 0, store.ErrSeqBusy
		}
		n, c = max(n, b.from+1), b.to // past another node's block: a gap
		s.ceiling.Store(c)
	}
	s.last.Store(n)
	if c-n < st.opts.SeqBlock/2 && s.next.Load() == nil {
		st.reserve(stream, s)
	}
	return n, nil
}

// reserve asks for the block after this node's last one.
func (st *Store) reserve(stream string, s *seqStream) {
	if !s.busy.CompareAndSwap(false, true) {
		return
	}
	key, block := token(stream), st.opts.SeqBlock
	_ = st.s.enqueue(&op{run: func(ctx context.Context) error {
		defer s.busy.Store(false)
		base, rev := s.disk, s.rev
		for range casTries {
			nrev, err := st.writeSeq(ctx, key, seqValue(base+block, false), rev)
			if isConflict(err) { // another node reserved since: go on after its block
				cur, crev, err := st.readSeq(ctx, key)
				if err != nil {
					return err
				}
				base, rev = cur.Last, crev
				continue
			}
			if err != nil {
				return err
			}
			s.rev, s.disk = nrev, base+block
			s.next.Store(&seqBlock{from: base, to: base + block})
			return nil
		}
		return fmt.Errorf("wsc: store: sequence %q: contended", stream)
	}})
}

// EvictSeq implements store.Sequences: it writes the exact last number,
// unless another node reserved since (its numbers go on from its block).
func (st *Store) EvictSeq(stream string) {
	s := st.seqs[stream]
	if s == nil {
		return
	}
	delete(st.seqs, stream)
	key := token(stream)
	_ = st.s.enqueue(&op{run: func(ctx context.Context) error {
		if !s.loaded.Load() {
			return nil
		}
		_, err := st.writeSeq(ctx, key, seqValue(s.last.Load(), true), s.rev)
		if isConflict(err) {
			return nil
		}
		return err
	}})
}
