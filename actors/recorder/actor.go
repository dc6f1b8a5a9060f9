package recorder

import (
	"context"
	"slices"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// recorderActor owns every record. Its fields are touched only by its mailbox
// goroutine, one message at a time.
type recorderActor struct {
	cfg   Config
	store RecordStore
	flush Flusher     // the store, when it gathers its writes; else nil
	held  HeldDeleter // the store, when it deletes by record; else nil
	order *order
	free  []*Record // evicted records, for the next ones (recycle.go)
	stats counters
	bytes int64 // the records' approximate size (their Record.size), bounded by MaxRecordBytes

	hooks     *actor.PID    // the hook runner
	hookCount [numHooks]int // hooks registered per kind: no copies for kinds nobody hears
	filters   map[string]func(Record) bool
	handlers  map[string]func(Record) error
	resender  func(context.Context, Record) error

	self    *actor.PID
	root    *actor.RootContext
	timer   *time.Timer
	gen     uint64
	started bool
	done    chan struct{} // closed when the actor has stopped
}

func newRecorderActor(cfg Config, hooks *actor.PID, done chan struct{}) *recorderActor {
	flush, _ := cfg.Store.(Flusher)
	held, _ := cfg.Store.(HeldDeleter)
	return &recorderActor{
		cfg:      cfg,
		store:    cfg.Store,
		flush:    flush,
		held:     held,
		order:    newOrder(),
		stats:    newCounters(),
		hooks:    hooks,
		filters:  make(map[string]func(Record) bool),
		handlers: make(map[string]func(Record) error),
		done:     done,
	}
}

// Receive implements actor.Actor.
func (a *recorderActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *batchEvent:
		a.applyEvent(m)
	case *statusEvent:
		a.setStatus(m.id, m.status, m.reason, m.err, m.at)
	case *attemptEvent:
		a.addAttempt(m.id, m.n, m.err, m.at)
	case *eventBatch:
		a.applyBatch(m)
	case *cleanupTick:
		a.onCleanupTick(m)
	case *getRecord:
		a.getRecord(m)
	case *listRecords:
		m.reply <- a.list(m.match, m.limit)
	case *getStats:
		m.reply <- a.stats.snapshot()
	case *changeRecord:
		a.change(m)
	case *deleteRecord:
		a.deleteRecord(m)
	case *setFilter:
		a.setFilter(m)
	case *getFilter:
		a.getFilter(m)
	case *setHandler:
		a.setHandler(m)
	case *getHandler:
		a.getHandler(m)
	case *setResender:
		a.resender = m.fn
	case *prepareRetry:
		a.prepareRetry(m)
	case *retryDone:
		a.retryDone(m)
	case *addHook:
		a.hookCount[m.kind]++
		ctx.Send(a.hooks, m)
	case *actor.Started:
		a.start(ctx)
	case *actor.Stopped:
		a.stop(ctx)
		return // nothing to flush: every message before flushed its own
	}
	if a.flush != nil { // what this message changed goes to the store's disk together
		a.flush.Flush()
	}
}

// start runs on Started (and again after a restart: the producer returns this
// same actor, so the records survive).
func (a *recorderActor) start(ctx actor.Context) {
	if a.started {
		return
	}
	a.started = true
	a.self = ctx.Self()
	a.root = ctx.ActorSystem().Root
	a.rebuild()
	a.armCleanup()
}

// stop runs on Stopped: it stops the timer, lets the hook runner finish the
// hooks already queued, and tells the facade.
func (a *recorderActor) stop(ctx actor.Context) {
	if a.timer != nil {
		a.timer.Stop()
	}
	a.gen++
	ctx.Poison(a.hooks)
	close(a.done)
}

// rebuild indexes the records a store already holds (a durable store), oldest
// first.
func (a *recorderActor) rebuild() {
	var recs []*Record
	a.store.Range(func(rec *Record) bool {
		recs = append(recs, rec)
		return true
	})
	slices.SortFunc(recs, func(x, y *Record) int { return x.CreatedAt.Compare(y.CreatedAt) })
	for _, rec := range recs {
		rec.size = messageSize(rec.Message)
		a.bytes += rec.size
		a.order.add(rec)
		a.stats.add(rec)
	}
}

// armCleanup schedules the next retention clean-up.
func (a *recorderActor) armCleanup() {
	a.gen++
	gen, root, self := a.gen, a.root, a.self
	a.timer = time.AfterFunc(a.cfg.CleanupInterval, func() { root.Send(self, &cleanupTick{gen: gen}) })
}

func (a *recorderActor) onCleanupTick(m *cleanupTick) {
	if m.gen != a.gen {
		return
	}
	a.cleanup(time.Now())
	a.armCleanup()
}
