package store

import "hash/maphash"

// lastChanges finds, of the record changes one commit takes, the last
// change of each id (the one written). Most commits change each record once
// (alone-p2p: one record made and one evicted per message), and a map of
// every id was a fifth of the writer's records work (pprof): a bitset of the
// ids' hashes finds the ids that may repeat, about one in sixteen of the
// others with them, and only those go through the map. Writer goroutine
// only; its memory is kept from one commit to the next.
type lastChanges struct {
	seed        maphash.Seed
	seeded      bool
	seen, twice []uint64       // bitsets over the ids' hashes
	bits        []uint64       // each change's bit
	last        map[string]int // id → its last change, for the ids that may repeat
}

// mark readies isLast for changes.
func (l *lastChanges) mark(changes []recChange) {
	if !l.seeded {
		l.seed, l.seeded = maphash.MakeSeed(), true
	}
	n := 64
	for n < 16*len(changes) {
		n *= 2
	}
	l.seen, l.twice = resize(l.seen, n/64), resize(l.twice, n/64)
	l.bits = l.bits[:0]
	clear(l.last)
	repeats := false
	for _, c := range changes {
		h := maphash.String(l.seed, c.id) & uint64(n-1)
		l.bits = append(l.bits, h)
		if w, b := h/64, uint64(1)<<(h%64); l.seen[w]&b != 0 {
			l.twice[w] |= b
			repeats = true
		} else {
			l.seen[w] |= b
		}
	}
	if !repeats {
		return
	}
	if l.last == nil {
		l.last = map[string]int{}
	}
	for i, c := range changes {
		if l.mayRepeat(i) {
			l.last[c.id] = i
		}
	}
}

func (l *lastChanges) mayRepeat(i int) bool {
	h := l.bits[i]
	return l.twice[h/64]&(uint64(1)<<(h%64)) != 0
}

// isLast reports whether changes[i] is the last change of its id.
func (l *lastChanges) isLast(changes []recChange, i int) bool {
	return !l.mayRepeat(i) || l.last[changes[i].id] == i
}

// resize is s with n words, all zero.
func resize(s []uint64, n int) []uint64 {
	if cap(s) < n {
		return make([]uint64, n)
	}
	s = s[:n]
	clear(s)
	return s
}
