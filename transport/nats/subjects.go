package nats

import (
	"encoding/base64"

	"github.com/go-wsc/go-wsc/actors/hub"
)

// token makes a NATS subject token of a name: plain names pass, others (dots,
// wildcards, spaces, non-ASCII, or a leading "_") are base64url behind "_".
func token(s string) string {
	plain := s != "" && s[0] != '_'
	for i := 0; plain && i < len(s); i++ {
		c := s[i]
		plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
	}
	if plain {
		return s
	}
	return "_" + base64.RawURLEncoding.EncodeToString([]byte(s))
}

type subjects struct{ p string }

func (s subjects) user(u string) string   { return s.p + ".u." + token(u) }
func (s subjects) ticket(t string) string { return s.p + ".t." + token(t) }
func (s subjects) node(n string) string   { return s.p + ".node." + token(n) }
func (s subjects) all() string            { return s.p + ".all" }
func (s subjects) presence() string       { return s.p + ".presence" }
func (s subjects) members() string        { return s.p + ".members" }
func (s subjects) sync() string           { return s.p + ".sync" }

// of names the subject a bus message goes to.
func (s subjects) of(m *hub.BusMessage) string {
	switch m.Kind {
	case hub.BusUser:
		return s.user(m.User)
	case hub.BusTicket:
		return s.ticket(m.Ticket)
	case hub.BusBroadcast:
		return s.all()
	case hub.BusAck, hub.BusSync, hub.BusReport, hub.BusRosterAsk:
		return s.node(m.Node)
	case hub.BusPresence:
		if m.Node != "" { // a full list for one node
			return s.node(m.Node)
		}
	case hub.BusMembership:
		return s.members()
	case hub.BusSyncRequest:
		return s.sync()
	}
	return s.presence() // presence, bye
}

func (s subjects) watched(scope hub.Scope, key string) string {
	if scope == hub.ScopeTicket {
		return s.ticket(key)
	}
	return s.user(key)
}
