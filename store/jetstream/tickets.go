package jetstream

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-wsc/go-wsc/store"
)

// Ticket memberships: bucket <PREFIX>_TICKETS, key <ticket>.<user>, value 1.

// JoinTicket implements store.Tickets.
func (st *Store) JoinTicket(ticket, user string, done store.Done) {
	if key, ok := st.ticketKey(ticket, user, done); ok {
		_ = st.s.enqueue(put(st.n.tick, key, []byte{1}, done))
	}
}

// LeaveTicket implements store.Tickets (sent after the writes before it).
func (st *Store) LeaveTicket(ticket, user string, done store.Done) {
	if key, ok := st.ticketKey(ticket, user, done); ok {
		_ = st.s.enqueue(st.purge(st.n.tick, key, done))
	}
}

func (st *Store) ticketKey(ticket, user string, done store.Done) (string, bool) {
	err := st.check("ticket", ticket)
	if err == nil {
		err = st.check("user", user)
	}
	if err != nil {
		if done != nil {
			done(err)
		}
		return "", false
	}
	return token(ticket) + "." + token(user), true
}

// LoadTickets implements store.Tickets.
func (st *Store) LoadTickets(fn func(ticket, user string) bool) error {
	return st.s.wait(func(ctx context.Context) error {
		return st.readKV(ctx, st.n.tick, ">", func(key string, _ []byte) (bool, error) {
			t, u, ok := strings.Cut(key, ".")
			ticket, err1 := untoken(t)
			user, err2 := untoken(u)
			if !ok || err1 != nil || err2 != nil {
				return false, fmt.Errorf("%w: ticket key %q", store.ErrCorrupt, key)
			}
			return fn(ticket, user), nil
		})
	})
}
