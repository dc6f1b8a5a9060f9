package nats

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	gonats "github.com/nats-io/nats.go"
)

// Options configure a Bus. Zero values mean the defaults in the comments.
type Options struct {
	// URL of the NATS server(s), comma-separated; zero: nats.DefaultURL.
	URL string
	// Prefix of every subject; zero: "wsc".
	Prefix string
	// Buffer is how many inbound bus messages may wait for the hub; beyond it
	// NATS counts this node a slow consumer. Zero: 65 536.
	Buffer int
	// Connect are extra NATS connection options.
	Connect []gonats.Option
}

// Bus is a hub.Bus over one NATS connection.
type Bus struct {
	opts Options
	subj subjects
	nc   *gonats.Conn
	in   chan *gonats.Msg
	done chan struct{}
	wg   sync.WaitGroup
	// subs is touched only from the hub's mailbox (Watch, Unwatch) and by Close
	// after the hub has stopped.
	subs       map[string]*gonats.Subscription
	closeOnce  sync.Once
	dropped    atomic.Int64
	slowEvents atomic.Int64
}

// ErrNotStarted is the error of a Watch or Publish before Start.
var ErrNotStarted = errors.New("wsc: the NATS bus is not started")

// New makes a Bus; it connects in Start.
func New(opts Options) *Bus {
	if opts.URL == "" {
		opts.URL = gonats.DefaultURL
	}
	if opts.Prefix == "" {
		opts.Prefix = "wsc"
	}
	if opts.Buffer == 0 {
		opts.Buffer = 1 << 16
	}
	return &Bus{opts: opts, subj: subjects{opts.Prefix}, in: make(chan *gonats.Msg, opts.Buffer),
		done: make(chan struct{}), subs: map[string]*gonats.Subscription{}}
}

// Start implements hub.Bus: it connects (without echo: a node never hears
// itself), subscribes to the node-wide subjects and starts the reader.
func (b *Bus) Start(node string, in func(*hub.BusMessage)) error {
	opts := append([]gonats.Option{gonats.Name("wsc " + node), gonats.NoEcho(), gonats.MaxReconnects(-1),
		gonats.ReconnectWait(250 * time.Millisecond), gonats.ErrorHandler(b.asyncError)}, b.opts.Connect...)
	nc, err := gonats.Connect(b.opts.URL, opts...)
	if err != nil {
		return fmt.Errorf("wsc: nats connect %s: %w", b.opts.URL, err)
	}
	b.nc = nc
	for _, s := range []string{b.subj.all(), b.subj.presence(), b.subj.members(), b.subj.sync(), b.subj.node(node)} {
		sub, err := nc.ChanSubscribe(s, b.in)
		if err != nil {
			nc.Close()
			return fmt.Errorf("wsc: nats subscribe %s: %w", s, err)
		}
		b.subs[s] = sub
	}
	if err := nc.Flush(); err != nil { // the subscriptions are in place before the hub announces itself
		nc.Close()
		return fmt.Errorf("wsc: nats flush: %w", err)
	}
	b.wg.Add(1)
	go b.read(in)
	return nil
}

// read hands every inbound message to the hub, in the order received.
func (b *Bus) read(in func(*hub.BusMessage)) {
	defer b.wg.Done()
	for {
		select {
		case msg := <-b.in:
			var m hub.BusMessage
			if err := json.Unmarshal(msg.Data, &m); err != nil {
				b.dropped.Add(1) // not ours, or corrupt: nothing to route
				continue
			}
			in(&m)
		case <-b.done:
			return
		}
	}
}

// Watch implements hub.Bus.
func (b *Bus) Watch(s hub.Scope, key string) error {
	subject := b.subj.watched(s, key)
	if _, ok := b.subs[subject]; ok {
		return nil
	}
	if b.nc == nil {
		return ErrNotStarted
	}
	sub, err := b.nc.ChanSubscribe(subject, b.in)
	if err != nil {
		return fmt.Errorf("wsc: nats subscribe %s: %w", subject, err)
	}
	b.subs[subject] = sub
	return nil
}

// Unwatch implements hub.Bus.
func (b *Bus) Unwatch(s hub.Scope, key string) {
	subject := b.subj.watched(s, key)
	if sub, ok := b.subs[subject]; ok {
		_ = sub.Unsubscribe()
		delete(b.subs, subject)
	}
}

// Publish implements hub.Bus. It only buffers: NATS writes from its own
// goroutine. An error (not started, closed, draining, a message that does not
// encode) means m will not leave this node: the hub counts it and keeps the
// message on its offline path.
func (b *Bus) Publish(m *hub.BusMessage) error {
	if b.nc == nil {
		return ErrNotStarted
	}
	data, err := json.Marshal(m)
	if err != nil {
		b.dropped.Add(1)
		return err
	}
	if err := b.nc.Publish(b.subj.of(m), data); err != nil {
		b.dropped.Add(1)
		return err
	}
	return nil
}

// Dropped counts bus messages that could not be published or decoded.
func (b *Bus) Dropped() int64 { return b.dropped.Load() }

// SlowConsumerEvents counts the times NATS found this node a slow subscriber
// (its inbound buffer full) and dropped messages for it. The messages
// themselves are not lost: their sending nodes get no delivery report for
// them and keep them on their offline path (hub Stats.ForwardsLost), and the
// ones that need an ack are resent.
func (b *Bus) SlowConsumerEvents() int64 { return b.slowEvents.Load() }

// Conn is the NATS connection (nil before Start), for health checks and for
// tests that cut a node off.
func (b *Bus) Conn() *gonats.Conn { return b.nc }

// Close implements hub.Bus: it flushes what is buffered, closes the connection
// and waits for the reader. Idempotent.
func (b *Bus) Close() error {
	var err error
	b.closeOnce.Do(func() {
		if b.nc != nil {
			if ferr := b.nc.FlushTimeout(time.Second); ferr != nil && !errors.Is(ferr, gonats.ErrConnectionClosed) {
				err = ferr
			}
			b.nc.Close()
		}
		close(b.done)
		b.wg.Wait()
	})
	return err
}

// asyncError counts what NATS reports off the publish path: a slow subscriber
// (this node's inbound buffer was full and NATS dropped messages for it).
func (b *Bus) asyncError(_ *gonats.Conn, _ *gonats.Subscription, err error) {
	if errors.Is(err, gonats.ErrSlowConsumer) {
		b.slowEvents.Add(1)
	}
}
