package hub

import (
	"slices"
	"time"
)

// presence is this node's view of which users have connections on which other
// nodes. It is plain state with no I/O and no hub in it: the hub actor owns
// it (cluster.presence) and acts on what its methods return; its unit tests
// drive it directly (presence_test.go).
//
// It learns from three kinds of bus messages: a delta when a user gets a
// first or loses a last connection on a node, a node's full list at each of
// its heartbeats (which repairs any delta that was lost), and a node's
// goodbye; a node silent for longer than the TTL is dropped as dead.
type presence struct {
	nodeUsers map[string]map[string]struct{} // node → its users
	userNodes map[string]map[string]struct{} // user → the other nodes it is on
	lastSeen  map[string]time.Time           // node → when it was last heard from
	hashes    map[string]uint64              // node → the hash part of its users' digest
}

// userHash is a user's share of a digest's hash: FNV-1a, 64 bits.
func userHash(user string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(user); i++ {
		h ^= uint64(user[i])
		h *= 1099511628211
	}
	return h
}

// digest is this node's view of node's users, summed up.
func (p *presence) digest(node string) Digest {
	return Digest{Count: len(p.nodeUsers[node]), Hash: p.hashes[node]}
}

func newPresence() *presence {
	return &presence{nodeUsers: map[string]map[string]struct{}{}, userNodes: map[string]map[string]struct{}{},
		lastSeen: map[string]time.Time{}, hashes: map[string]uint64{}}
}

// heard notes that node spoke at now (any message but a goodbye).
func (p *presence) heard(node string, now time.Time) {
	if _, known := p.nodeUsers[node]; !known {
		p.nodeUsers[node] = map[string]struct{}{}
	}
	p.lastSeen[node] = now
}

// on notes that user has a connection on node; false when that was known.
func (p *presence) on(node, user string) bool {
	users := p.nodeUsers[node]
	if users == nil {
		users = map[string]struct{}{}
		p.nodeUsers[node] = users
	}
	if _, had := users[user]; had {
		return false
	}
	users[user] = struct{}{}
	p.hashes[node] += userHash(user)
	nodes := p.userNodes[user]
	if nodes == nil {
		nodes = map[string]struct{}{}
		p.userNodes[user] = nodes
	}
	nodes[node] = struct{}{}
	return true
}

// off notes that user has no connection left on node; true when that was a
// change.
func (p *presence) off(node, user string) bool {
	if _, had := p.nodeUsers[node][user]; !had {
		return false
	}
	delete(p.nodeUsers[node], user)
	p.hashes[node] -= userHash(user)
	if nodes := p.userNodes[user]; nodes != nil {
		delete(nodes, node)
		if len(nodes) == 0 {
			delete(p.userNodes, user)
		}
	}
	return true
}

// full applies node's whole user list and returns the users that came on and
// went off there (a delta that was lost is repaired here).
func (p *presence) full(node string, users []string) (came, went []string) {
	now := make(map[string]struct{}, len(users))
	for _, u := range users {
		now[u] = struct{}{}
		if p.on(node, u) {
			came = append(came, u)
		}
	}
	for u := range p.nodeUsers[node] {
		if _, has := now[u]; !has {
			went = append(went, u)
		}
	}
	for _, u := range went {
		p.off(node, u)
	}
	return came, went
}

// drop forgets node and returns its users (they are off there now).
func (p *presence) drop(node string) []string {
	var users []string
	for u := range p.nodeUsers[node] {
		users = append(users, u)
	}
	for _, u := range users {
		p.off(node, u)
	}
	delete(p.nodeUsers, node)
	delete(p.lastSeen, node)
	delete(p.hashes, node)
	return users
}

// silent lists the nodes not heard from for longer than ttl at now.
func (p *presence) silent(now time.Time, ttl time.Duration) []string {
	var out []string
	for node, seen := range p.lastSeen {
		if now.Sub(seen) > ttl {
			out = append(out, node)
		}
	}
	slices.Sort(out)
	return out
}

// nodes lists the other nodes known to be alive.
func (p *presence) nodes() []string {
	out := make([]string, 0, len(p.lastSeen))
	for n := range p.lastSeen {
		out = append(out, n)
	}
	return out
}

// elsewhere reports whether user has a connection on another node.
func (p *presence) elsewhere(user string) bool { return len(p.userNodes[user]) > 0 }

// nodesOf lists the other nodes user is on.
func (p *presence) nodesOf(user string) []string {
	var out []string
	for n := range p.userNodes[user] {
		out = append(out, n)
	}
	return out
}

// users lists every user on another node.
func (p *presence) users() []string {
	out := make([]string, 0, len(p.userNodes))
	for u := range p.userNodes {
		out = append(out, u)
	}
	return out
}
