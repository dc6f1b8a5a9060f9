package hub

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sentBus keeps what the hub publishes.
type sentBus struct{ sent []*BusMessage }

func (b *sentBus) Start(string, func(*BusMessage)) error { return nil }
func (b *sentBus) Watch(Scope, string) error             { return nil }
func (b *sentBus) Unwatch(Scope, string)                 {}
func (b *sentBus) Publish(m *BusMessage) error           { b.sent = append(b.sent, m); return nil }
func (b *sentBus) Close() error                          { return nil }

// ids makes n user ids of about size bytes each, so that n of them pass
// rosterPartBytes.
func ids(n, size int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%0*d", size, i)
	}
	return out
}

// A node's full list of users too big for one bus message goes in parts of
// at most rosterPartBytes of ids, one list (one Roster id) that adds up to
// every user once; a list that fits goes whole, and the next list has
// another id.
func TestARosterIsSentInBoundedParts(t *testing.T) {
	bus := &sentBus{}
	a := &hubActor{cfg: Config{NodeID: "n1"}, cl: newCluster(bus), users: map[string]*user{}}
	users := ids(3*rosterPartBytes/100+7, 100) // over 3 parts' worth
	for _, u := range users {
		a.users[u] = &user{}
	}
	a.sendRoster("n2")
	require.Greater(t, len(bus.sent), 3)
	// no more parts than the bound needs: each one but the last is full
	assert.LessOrEqual(t, len(bus.sent), len(users)*103/rosterPartBytes+1)
	var got []string
	for _, m := range bus.sent {
		assert.Equal(t, BusPresence, m.Kind)
		assert.True(t, m.Full)
		assert.Equal(t, "n2", m.Node)
		assert.Equal(t, bus.sent[0].Roster, m.Roster, "one list")
		assert.Equal(t, len(bus.sent), m.Parts)
		size := 0
		for _, u := range m.Users {
			size += len(u) + 3
		}
		assert.LessOrEqual(t, size, rosterPartBytes)
		assert.NotEmpty(t, m.Users)
		got = append(got, m.Users...)
	}
	slices.Sort(got)
	assert.Equal(t, users, got, "every user once")

	bus.sent = nil
	a.users = map[string]*user{"x": {}}
	a.sendRoster("n2")
	require.Len(t, bus.sent, 1)
	assert.Equal(t, []string{"x"}, bus.sent[0].Users)
	assert.Equal(t, 1, bus.sent[0].Parts)
}

// The ticket memberships a node sends a newcomer go in parts of at most
// rosterPartBytes (ticket and user ids), adding up to every membership once.
func TestMembershipsAreSentInBoundedParts(t *testing.T) {
	a := &hubActor{tickets: map[string]*ticket{}}
	want := map[string][]string{}
	for i, tk := range ids(40, 50) {
		t := &ticket{members: map[string]struct{}{}}
		for _, u := range ids(200+i, 40) { // 40 tickets of 200 or more members: over 2 parts
			t.members[u] = struct{}{}
			want[tk] = append(want[tk], u)
		}
		a.tickets[tk] = t
	}
	parts := a.membershipParts()
	require.Greater(t, len(parts), 2)
	total := 0
	for id, users := range want {
		total += len(users) * (len(id) + 40 + 6)
	}
	assert.LessOrEqual(t, len(parts), total/rosterPartBytes+1, "no more parts than the bound needs")
	got := map[string][]string{}
	for _, p := range parts {
		size := 0
		for id, users := range p {
			for _, u := range users {
				size += len(id) + len(u) + 6
			}
			got[id] = append(got[id], users...)
		}
		assert.LessOrEqual(t, size, rosterPartBytes)
		assert.NotEmpty(t, p)
	}
	for id := range got {
		slices.Sort(got[id])
	}
	assert.Equal(t, want, got, "every membership once")
	assert.Len(t, (&hubActor{tickets: map[string]*ticket{}}).membershipParts(), 1, "none: one empty part")
}
