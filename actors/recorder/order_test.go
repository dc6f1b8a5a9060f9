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
	type rec struct {
		seq      uint64
		finished bool
	}
	model := map[string]*rec{}
	var seq uint64
	want := func() (string, bool) {
		best, bestFin := "", false
		var bestSeq uint64
		for id, r := range model {
			if best == "" || r.finished && !bestFin || r.finished == bestFin && r.seq < bestSeq {
				best, bestFin, bestSeq = id, r.finished, r.seq
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
			seq++
			model[id] = &rec{seq: seq, finished: fin}
			st := StatusPending
			if fin {
				st = StatusSuccess
			}
			o.add(&Record{ID: id, Status: st})
		case op == 1 || op == 2:
			id := ids[rng.IntN(len(ids))]
			fin := op == 1
			model[id].finished = fin
			o.update(id, fin)
		default:
			id := ids[rng.IntN(len(ids))]
			if rng.IntN(2) == 0 {
				v, _ := o.victim()
				id = v.ID
			}
			delete(model, id)
			o.remove(id)
		}
		got, ok := o.victim()
		w, wok := want()
		require.Equal(t, wok, ok)
		if ok {
			require.Equal(t, w, got.ID, "step %d", i)
		}
		for id, r := range model {
			require.Equal(t, r.seq, o.seq(id))
		}
	}
}
