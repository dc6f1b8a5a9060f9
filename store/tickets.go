package store

// Ticket memberships on disk: group ticket, key user, empty value.

var present = []byte{1}

// JoinTicket implements Tickets.
func (d *DB) JoinTicket(ticket, user string, done Done) {
	d.membership(ticket, user, true, done)
}

// LeaveTicket implements Tickets.
func (d *DB) LeaveTicket(ticket, user string, done Done) {
	d.membership(ticket, user, false, done)
}

func (d *DB) membership(ticket, user string, join bool, done Done) {
	if err := d.check("ticket", ticket); err != nil {
		if done != nil {
			done(err)
		}
		return
	}
	if err := d.check("user", user); err != nil {
		if done != nil {
			done(err)
		}
		return
	}
	_ = d.w.enqueue(&op{urgent: done != nil, after: done, apply: func(tx Tx) error {
		if join {
			return tx.Put(BucketTickets, []byte(ticket), []byte(user), present)
		}
		return tx.Delete(BucketTickets, []byte(ticket), []byte(user))
	}})
}

// LoadTickets implements Tickets.
func (d *DB) LoadTickets(fn func(ticket, user string) bool) error {
	return d.w.wait(func(tx Tx) error {
		return tx.ScanAll(BucketTickets, nil, func(group, key, _ []byte) (bool, error) {
			return fn(string(group), string(key)), nil
		})
	})
}
