package jetstream

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// readSubject calls fn for every message of stream on filter, in stream
// order, as the stream holds them when the read starts (later ones may come
// too). It reads through an ephemeral pull consumer (no acks, in memory,
// one replica) and deletes it after.
func readSubject(ctx context.Context, s jetstream.Stream, filter string, fn func(jetstream.Msg) error) error {
	c, err := s.CreateConsumer(ctx, jetstream.ConsumerConfig{FilterSubject: filter, AckPolicy: jetstream.AckNonePolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy, MemoryStorage: true, Replicas: 1, InactiveThreshold: 30 * time.Second})
	if err != nil {
		return err
	}
	defer func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		_ = s.DeleteConsumer(dctx, c.CachedInfo().Name)
		cancel()
	}()
	left := c.CachedInfo().NumPending
	for left > 0 {
		wait := time.Second
		if dl, ok := ctx.Deadline(); ok {
			wait = max(min(wait, time.Until(dl)), time.Millisecond)
		}
		b, err := c.Fetch(int(min(left, 256)), jetstream.FetchMaxWait(wait))
		if err != nil {
			return err
		}
		got := 0
		for m := range b.Messages() {
			got++
			if err := fn(m); err != nil {
				return err
			}
			left--
			if meta, err := m.Metadata(); err == nil && meta.NumPending == 0 {
				left = 0 // the last one: some were deleted meanwhile
			}
			if left == 0 {
				break
			}
		}
		if err := b.Error(); err != nil && got == 0 {
			return err
		}
		if got == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("reading %s: %w", filter, err)
			}
		}
	}
	return nil
}
