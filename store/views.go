package store

import "fmt"

// View is one owner's part of a DB, for a hub split into shards, each on a
// goroutine of its own: the offline messages of the users placed on it and
// the sequences it loads, in maps only its owner touches. Everything else
// (the writer, the history, pending acks, tickets, records, Stats) is the
// DB's, which queues that work from any goroutine already. The offline
// bounds stay totals over every view (atomics); a view evicts only its own
// oldest messages.
type View struct {
	*DB
	off  *offline
	seqs map[string]*seqStream
}

var _ Store = (*View)(nil)

func (d *DB) newView() *View {
	return &View{DB: d, off: newOffline(&d.tot), seqs: map[string]*seqStream{}}
}

// Views splits d for n owners: user's offline messages go to view of(user),
// which must be in [0, n). The first view is d's own (what d's own Sequences
// methods use); d's own Offline methods use user's view from then on (for
// its owner, or once every owner has stopped). Call it once, before any owner uses d; a second
// call with the same n returns the same views.
func (d *DB) Views(n int, of func(user string) int) ([]*View, error) {
	if n < 1 {
		return nil, fmt.Errorf("%w: %d views", ErrInvalid, n)
	}
	if len(d.views) > 1 || n == 1 {
		if len(d.views) != n {
			return nil, fmt.Errorf("%w: the store is split into %d views already, not %d", ErrInvalid, len(d.views), n)
		}
		return d.views, nil
	}
	d.of = of
	for range n - 1 {
		d.views = append(d.views, d.newView())
	}
	// the messages read at Open move to their user's view, in arrival order
	// (each view's own order stays the arrival order: add appends)
	own := d.own.off
	for el := own.all.Front(); el != nil; {
		next := el.Next()
		ent := el.Value.(*offEntry)
		if i := of(ent.user); i != 0 {
			d.views[i].off.add(own.remove(el))
		}
		el = next
	}
	return d.views, nil
}

// viewOf is the view that keeps user's offline messages.
func (d *DB) viewOf(user string) *View {
	if d.of == nil {
		return d.own
	}
	return d.views[d.of(user)]
}
