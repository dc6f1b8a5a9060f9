package store

// How many history entries each user has, known to the writer goroutine so
// that an append trims only the oldest entries (one or two keys visited)
// instead of scanning the user's whole history: that scan was the writer's
// main cost under load.
//
// A count is exact or absent, never a guess: the first append of a user the
// counts do not know scans the history once to learn it; every change to the
// bucket after that (append, trim, sweep) adjusts it. So the bounds by
// HistoryPerUser and HistoryTTL hold after every append, whatever the rate
// (an earlier try that trimmed every n-th append and forgot its counters at
// each sweep never trimmed a user receiving under n messages a second).
//
// Memory stays bounded by the active users: the counts live in two
// generations; each sweep drops the older one and starts a new one, and an
// append moves its user's count into the new one. A user with no append for
// two sweeps is forgotten, to be learned again by a scan on its next append.
// A failed commit forgets every count: the engine undid writes the counts
// had followed.

type histCounts struct {
	cur, prev map[string]int // writer goroutine only
}

func newHistCounts() histCounts { return histCounts{cur: map[string]int{}, prev: map[string]int{}} }

// get returns user's count, moving it into the current generation.
func (c *histCounts) get(user string) (int, bool) {
	if n, ok := c.cur[user]; ok {
		return n, true
	}
	n, ok := c.prev[user]
	if ok {
		delete(c.prev, user)
		c.cur[user] = n
	}
	return n, ok
}

func (c *histCounts) set(user string, n int) { c.cur[user] = n }

// sub takes k off user's count, if it is known.
func (c *histCounts) sub(user string, k int) {
	if n, ok := c.cur[user]; ok {
		c.cur[user] = n - k
	} else if n, ok := c.prev[user]; ok {
		c.prev[user] = n - k
	}
}

// rotate forgets the users not heard from since the last rotate.
func (c *histCounts) rotate() { c.prev, c.cur = c.cur, make(map[string]int, len(c.cur)) }

// forget drops every count.
func (c *histCounts) forget() { *c = newHistCounts() }
