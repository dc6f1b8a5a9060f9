package auth

import (
	"errors"
	"fmt"
	"slices"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// ErrTicketNotAllowed refuses (4001) a post to a ticket the token did not list.
var ErrTicketNotAllowed = errors.New("wsc: the token does not allow this ticket")

// AuthorizeTickets is an Authorize hook (hub.Config.Authorize): when the
// identity's token listed tickets (MetaTicketsClaim), a message may only go
// to one of them. Identities without that claim are not restricted.
func AuthorizeTickets(id *session.Identity, m *protocol.Message) error {
	if m.TicketID == "" || id.Metadata[MetaTicketsClaim] != "true" || slices.Contains(id.Tickets, m.TicketID) {
		return nil
	}
	return fmt.Errorf("%w: %q", ErrTicketNotAllowed, m.TicketID)
}
