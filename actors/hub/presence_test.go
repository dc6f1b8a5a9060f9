package hub

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func sorted(s []string) []string { slices.Sort(s); return s }

func TestPresenceDeltas(t *testing.T) {
	p := newPresence()
	assert.True(t, p.on("n2", "ann"))
	assert.False(t, p.on("n2", "ann"), "known")
	assert.True(t, p.on("n3", "ann"))
	assert.Equal(t, []string{"n2", "n3"}, sorted(p.nodesOf("ann")))
	assert.True(t, p.off("n2", "ann"))
	assert.False(t, p.off("n2", "ann"), "known")
	assert.True(t, p.elsewhere("ann"), "still on n3")
	assert.True(t, p.off("n3", "ann"))
	assert.False(t, p.elsewhere("ann"))
	assert.Empty(t, p.users())
}

// A node's full list repairs deltas that were lost: users missing from this
// node's view come on, users it no longer has go off.
func TestPresenceFullListRepairsLostDeltas(t *testing.T) {
	p := newPresence()
	p.on("n2", "stale") // its "off" delta was lost
	came, went := p.full("n2", []string{"ann", "bob"})
	assert.Equal(t, []string{"ann", "bob"}, sorted(came))
	assert.Equal(t, []string{"stale"}, went)
	assert.False(t, p.elsewhere("stale"))
	came, went = p.full("n2", []string{"ann", "bob"})
	assert.Empty(t, came, "nothing changed")
	assert.Empty(t, went)
	assert.Equal(t, []string{"ann", "bob"}, sorted(p.users()))
}

// A node not heard from within the TTL is silent; dropping it takes its
// users off, and only those.
func TestPresenceSilentNodesAreDropped(t *testing.T) {
	p := newPresence()
	t0 := time.Unix(1000, 0)
	p.heard("n2", t0)
	p.heard("n3", t0.Add(2*time.Second))
	p.on("n2", "ann")
	p.on("n3", "ann")
	p.on("n2", "bob")
	assert.Empty(t, p.silent(t0.Add(3*time.Second), 3*time.Second))
	assert.Equal(t, []string{"n2"}, p.silent(t0.Add(4*time.Second), 3*time.Second))
	assert.Equal(t, []string{"ann", "bob"}, sorted(p.drop("n2")))
	assert.True(t, p.elsewhere("ann"), "still on n3")
	assert.False(t, p.elsewhere("bob"))
	assert.Empty(t, p.silent(t0.Add(4*time.Second), 3*time.Second), "n2 is forgotten")
}

// A digest follows the set, whatever the order of changes, and two views of
// the same users agree.
func TestPresenceDigest(t *testing.T) {
	a, b := newPresence(), newPresence()
	for _, u := range []string{"ann", "bob", "cy"} {
		a.on("n2", u)
	}
	b.full("n2", []string{"cy", "ann", "bob", "dee"})
	assert.NotEqual(t, a.digest("n2"), b.digest("n2"))
	b.off("n2", "dee")
	assert.Equal(t, a.digest("n2"), b.digest("n2"))
	assert.Equal(t, 3, a.digest("n2").Count)
	a.drop("n2")
	assert.Equal(t, Digest{}, a.digest("n2"))
}

// A full list too big for one bus message goes in parts, and counts once
// whole; a part of an older list is dropped.
func TestRosterInParts(t *testing.T) {
	a := &hubActor{cl: newCluster(nil)}
	part := func(id uint64, i, n int, users ...string) *BusMessage {
		return &BusMessage{Kind: BusPresence, Full: true, Origin: "n2", Roster: id, Part: i, Parts: n, Users: users}
	}
	assert.True(t, a.wholeRoster(&BusMessage{Kind: BusPresence, Full: true, Origin: "n2", Users: []string{"x"}}), "one part")
	assert.False(t, a.wholeRoster(part(1, 1, 3, "a", "b")))
	assert.False(t, a.wholeRoster(part(2, 1, 2, "c")), "a newer list starts over")
	last := part(2, 2, 2, "d")
	assert.True(t, a.wholeRoster(last))
	assert.Equal(t, []string{"c", "d"}, last.Users)
}
