package jetstream

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// How a read sees every write acknowledged before it. The bulk of a read
// goes through an ephemeral pull consumer (no acks, in memory, one replica),
// and JetStream places such a consumer on any replica of the stream (a
// random one among the caught-up peers). A follower serves it from its own
// copy, which applies a write a moment after the leader acknowledged it: a
// PubAck needs a quorum to hold the write in its log, not every replica to
// have applied it. Read through a follower alone, a message another node
// stored just before could be missed, and LoadOffline's merge would even
// take this node's own acknowledged puts out of its mirror.
//
// So a read first asks the stream's leader (stream info) for its last
// sequence, the horizon, and once the consumer has given what its replica
// holds, asks the leader for the messages on the filter after the last one
// the consumer gave, up to the horizon, one request each (a message get,
// never a direct get: direct gets are answered by followers too); usually
// the leader answers "none" to the first request.
//
// A replica can lack the head of the log too: a follower that catches up
// from a snapshot may start its copy at a later sequence than the leader's
// first (seen once in the node-death test: a read after the leader's death
// gave the 133 messages written after it and none of the 129 before). So
// before giving the consumer's first message, the read asks the leader for
// its first message on the filter, and when that one is older, takes the
// head from the leader up to the consumer's first. With both ends checked,
// the read is every message the leader held at the horizon: Raft applies
// the log in order, so a replica's copy is the leader's earlier state with
// at most its head cut off, never a hole in the middle. A message the leader
// has deleted but the replica not yet may still come: a duplicate, never a
// loss.

// rawMsg is one stream message as a read hands it over.
type rawMsg struct {
	subj string
	seq  uint64
	hdr  nats.Header
	data []byte
	at   time.Time
}

// readSubject calls fn for every message of stream s on filter, in stream
// order, as the stream's leader held them when the read starts (later ones
// may come too), and returns the leader's last sequence at that moment.
func (st *Store) readSubject(ctx context.Context, s jetstream.Stream, filter string, fn func(rawMsg) error) (uint64, error) {
	info, err := s.Info(ctx)
	if err != nil {
		return 0, err
	}
	horizon := info.State.LastSeq
	if info.State.Msgs == 0 {
		return horizon, nil
	}
	c, err := s.CreateConsumer(ctx, jetstream.ConsumerConfig{FilterSubject: filter, AckPolicy: jetstream.AckNonePolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy, MemoryStorage: true, Replicas: 1, InactiveThreshold: 30 * time.Second})
	if err != nil {
		return horizon, err
	}
	defer func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		_ = s.DeleteConsumer(dctx, c.CachedInfo().Name)
		cancel()
	}()
	r := &subjectRead{c: c, fn: fn, upTo: ^uint64(0), from: st.opts.replicaHead + 1}
	if st.opts.replicaLag > 0 {
		r.upTo = max(horizon, st.opts.replicaLag) - st.opts.replicaLag
	}
	r.head = func(first uint64) error { // what the consumer's replica lacks before its first
		if first <= info.State.FirstSeq || r.last > 0 {
			return nil // the stream's first, or the leader gave from the start already
		}
		for {
			m, err := st.leaderNext(ctx, info.Config.Name, filter, r.last+1)
			if errors.Is(err, errNoMsg) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("reading the head of %s from the leader: %w", filter, err)
			}
			if m.seq >= first {
				return nil
			}
			st.fromLeader.Add(1)
			if err := r.give(m); err != nil {
				return err
			}
		}
	}
	if err := r.consume(ctx, c.CachedInfo().NumPending); err != nil {
		return horizon, fmt.Errorf("reading %s: %w", filter, err)
	}
	for r.last < horizon { // what the consumer's replica had not applied yet
		m, err := st.leaderNext(ctx, info.Config.Name, filter, r.last+1)
		if errors.Is(err, errNoMsg) {
			break
		}
		if err != nil {
			return horizon, fmt.Errorf("reading %s from the leader: %w", filter, err)
		}
		if m.seq > horizon {
			break
		}
		st.fromLeader.Add(1)
		if err := r.give(m); err != nil {
			return horizon, err
		}
		// the replica may have applied more meanwhile: its part, at once
		if err := r.consume(ctx, 0); err != nil {
			return horizon, fmt.Errorf("reading %s: %w", filter, err)
		}
	}
	return horizon, nil
}

// subjectRead is one readSubject: what its consumer gives, and the last
// stream sequence given to fn (anything at or below it is not given again).
type subjectRead struct {
	c    jetstream.Consumer
	fn   func(rawMsg) error
	last uint64
	// head gives, once, before the consumer's first message (its stream
	// sequence given), the older messages the leader holds on the filter
	head    func(first uint64) error
	started bool   // head has run
	upTo    uint64 // tests: the consumer's replica has applied this far only
	from    uint64 // tests: the consumer's replica starts its copy here
}

func (r *subjectRead) give(m rawMsg) error {
	if m.seq <= r.last {
		return nil // given already (by the leader), or deleted there meanwhile
	}
	r.last = m.seq
	return r.fn(m)
}

// consume gives what the consumer delivers: left messages (its pending count
// when created), or with left 0 what it has at once.
func (r *subjectRead) consume(ctx context.Context, left uint64) error {
	now := left == 0
	for now || left > 0 {
		var (
			b   jetstream.MessageBatch
			err error
		)
		if now {
			b, err = r.c.FetchNoWait(256)
		} else {
			wait := time.Second
			if dl, ok := ctx.Deadline(); ok {
				wait = max(min(wait, time.Until(dl)), time.Millisecond)
			}
			b, err = r.c.Fetch(int(min(left, 256)), jetstream.FetchMaxWait(wait))
		}
		if err != nil {
			return err
		}
		got := 0
		for m := range b.Messages() {
			got++
			meta, err := m.Metadata()
			if err != nil {
				return err
			}
			if meta.Sequence.Stream > r.upTo {
				return nil
			}
			if meta.Sequence.Stream >= r.from {
				if !r.started {
					r.started = true
					if err := r.head(meta.Sequence.Stream); err != nil {
						return err
					}
				}
				if err := r.give(rawMsg{subj: m.Subject(), seq: meta.Sequence.Stream, hdr: m.Headers(), data: m.Data(), at: meta.Timestamp}); err != nil {
					return err
				}
			}
			if left > 0 {
				left--
			}
			if meta.NumPending == 0 {
				left = 0 // the last one: some were deleted meanwhile
			}
			if !now && left == 0 {
				break
			}
		}
		if err := b.Error(); err != nil && got == 0 {
			return err
		}
		if now && got < 256 {
			return nil
		}
		if got == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// errNoMsg: the leader holds no message on the filter from that sequence on.
var errNoMsg = errors.New("no message")

// leaderNext asks stream's leader for the first message on filter at or
// after seq (JetStream's message get: only the leader answers it, whatever
// the stream's allow_direct, which the KV buckets have).
func (st *Store) leaderNext(ctx context.Context, stream, filter string, seq uint64) (rawMsg, error) {
	return st.leaderGet(ctx, stream, msgGet{Seq: seq, NextFor: filter})
}

// leaderLast asks stream's leader for the last message on subject.
func (st *Store) leaderLast(ctx context.Context, stream, subject string) (rawMsg, error) {
	return st.leaderGet(ctx, stream, msgGet{LastFor: subject})
}

// msgGet is JetStream's message get request (STREAM.MSG.GET).
type msgGet struct {
	Seq     uint64 `json:"seq,omitempty"`
	NextFor string `json:"next_by_subj,omitempty"`
	LastFor string `json:"last_by_subj,omitempty"`
}

func (st *Store) leaderGet(ctx context.Context, stream string, get msgGet) (rawMsg, error) {
	req, err := json.Marshal(get)
	if err != nil {
		return rawMsg{}, err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, st.opts.Timeout)
		defer cancel()
	}
	r, err := st.js.Conn().RequestWithContext(ctx, jetstream.DefaultAPIPrefix+"STREAM.MSG.GET."+stream, req)
	if err != nil {
		return rawMsg{}, err
	}
	var resp struct {
		Error *jetstream.APIError `json:"error"`
		Msg   *struct {
			Subject string    `json:"subject"`
			Seq     uint64    `json:"seq"`
			Hdrs    []byte    `json:"hdrs"`
			Data    []byte    `json:"data"`
			Time    time.Time `json:"time"`
		} `json:"message"`
	}
	if err := json.Unmarshal(r.Data, &resp); err != nil {
		return rawMsg{}, err
	}
	if resp.Error != nil {
		if resp.Error.ErrorCode == jetstream.JSErrCodeMessageNotFound {
			return rawMsg{}, errNoMsg
		}
		return rawMsg{}, resp.Error
	}
	if resp.Msg == nil {
		return rawMsg{}, fmt.Errorf("message get on %s: empty answer", stream)
	}
	m := rawMsg{subj: resp.Msg.Subject, seq: resp.Msg.Seq, data: resp.Msg.Data, at: resp.Msg.Time}
	if len(resp.Msg.Hdrs) > 0 {
		if m.hdr, err = nats.DecodeHeadersMsg(resp.Msg.Hdrs); err != nil {
			return rawMsg{}, err
		}
	}
	return m, nil
}

// readKV calls fn for the live value of every key of bucket matching filter,
// in the order they were written (start-up: LoadPending, TakeOverPending,
// LoadTickets, LoadRecords). The buckets keep one value per key (history
// 1), so the bucket's stream is read as any other and a later message of a
// key (a newer value, a delete or purge marker) replaces an earlier one.
func (st *Store) readKV(ctx context.Context, bucket, filter string, fn func(key string, val []byte) (bool, error)) error {
	s, err := st.js.Stream(ctx, "KV_"+bucket)
	if err != nil {
		return err
	}
	type value struct {
		seq  uint64
		val  []byte
		live bool
	}
	prefix := kvSubject(bucket, "")
	var latest map[string]value
	err = retryNoResponders(ctx, func() error {
		latest = map[string]value{}
		_, err := st.readSubject(ctx, s, prefix+filter, func(m rawMsg) error {
			latest[strings.TrimPrefix(m.subj, prefix)] = value{seq: m.seq, val: m.data, live: !kvDeleted(m.hdr)}
			return nil
		})
		return err
	})
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(latest))
	for k, v := range latest {
		if v.live {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(latest[a].seq, latest[b].seq) })
	for _, k := range keys {
		if more, err := fn(k, latest[k].val); err != nil || !more {
			return err
		}
	}
	return nil
}

// kvDeleted: a KV delete or purge marker, written by a client or by the
// server (a key's TTL ran out), as nats.go's KV reads them.
func kvDeleted(h nats.Header) bool {
	switch h.Get("KV-Operation") {
	case "DEL", "PURGE":
		return true
	}
	return h.Get(jetstream.MarkerReasonHeader) != ""
}
