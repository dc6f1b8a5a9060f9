package recorder

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// The order against a plain model: random adds, finishes, un-finishes and
// removes; the victim is always the oldest finished record, else the oldest.
func TestOrderMatchesModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	o := newOrder()
	type entry struct {
		rec      *Record
		seq      uint64
		finished bool
	}
	model := map[string]*entry{}
	var seq uint64
	want := func() (string, bool) {
		best, bestFin := "", false
		var bestSeq uint64
		for id, e := range model {
			if best == "" || e.finished && !bestFin || e.finished == bestFin && e.seq < bestSeq {
				best, bestFin, bestSeq = id, e.finished, e.seq
			}
		}
		return best, best != ""
	}
	for i := range 5000 {
		ids := make([]string, 0, len(model))
		for id := range model {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		switch op := rng.IntN(4); {
		case op == 0 || len(ids) == 0:
			id := fmt.Sprint("m-", i)
			fin := rng.IntN(2) == 0
			st := StatusPending
			if fin {
				st = StatusSuccess
			}
			seq++
			rec := &Record{ID: id, Status: st}
			model[id] = &entry{rec: rec, seq: seq, finished: fin}
			o.add(rec)
		case op == 1 || op == 2:
			e := model[ids[rng.IntN(len(ids))]]
			e.finished = op == 1
			o.update(e.rec, e.finished)
		default:
			rec := model[ids[rng.IntN(len(ids))]].rec
			if rng.IntN(2) == 0 {
				rec, _ = o.victim()
			}
			delete(model, rec.ID)
			o.remove(rec)
			require.Nil(t, rec.slot)
		}
		got, ok := o.victim()
		w, wok := want()
		require.Equal(t, wok, ok)
		if ok {
			require.Equal(t, w, got.ID, "step %d", i)
		}
		for _, e := range model {
			require.Equal(t, e.seq, o.seq(e.rec))
		}
	}
}

// A copy of a record never carries its place in the index.
func TestCloneDropsTheSlot(t *testing.T) {
	o := newOrder()
	rec := &Record{ID: "m-1"}
	o.add(rec)
	require.NotNil(t, rec.slot)
	c := rec.Clone()
	require.Nil(t, c.slot)
}
