package hub

import (
	"strings"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// WelcomeProvider gives the welcome frame of a new connection; false: none.
// It runs on the hub's mailbox: it must be quick and must not block.
type WelcomeProvider interface {
	Welcome(id session.Identity) (*protocol.Message, bool)
}

// WelcomeFunc adapts a function to WelcomeProvider.
type WelcomeFunc func(id session.Identity) (*protocol.Message, bool)

// Welcome implements WelcomeProvider.
func (f WelcomeFunc) Welcome(id session.Identity) (*protocol.Message, bool) { return f(id) }

// WelcomeTemplate is a welcome text; {user_id}, {user_type}, {role}, {conn_id}
// and {ticket_id} (the first ticket) are replaced.
type WelcomeTemplate struct {
	Title   string
	Content string
}

// TemplateWelcome picks a template by ticket, then user type, then role, then
// Default (the first that is set), and fills in its variables.
type TemplateWelcome struct {
	Default  *WelcomeTemplate
	ByTicket map[string]*WelcomeTemplate
	ByType   map[protocol.UserType]*WelcomeTemplate
	ByRole   map[protocol.UserRole]*WelcomeTemplate
}

// Welcome implements WelcomeProvider.
func (t *TemplateWelcome) Welcome(id session.Identity) (*protocol.Message, bool) {
	tpl := t.pick(id)
	if tpl == nil {
		return nil, false
	}
	ticket := ""
	if len(id.Tickets) > 0 {
		ticket = id.Tickets[0]
	}
	vars := strings.NewReplacer("{user_id}", id.UserID, "{user_type}", string(id.UserType),
		"{role}", string(id.Role), "{conn_id}", id.ConnID, "{ticket_id}", ticket)
	return &protocol.Message{
		Type:    protocol.TypeWelcome,
		Content: vars.Replace(tpl.Content),
		Data: map[string]any{
			"title": vars.Replace(tpl.Title), "user_id": id.UserID, "user_type": string(id.UserType),
			"role": string(id.Role), "conn_id": id.ConnID, "ticket_id": ticket,
		},
	}, true
}

func (t *TemplateWelcome) pick(id session.Identity) *WelcomeTemplate {
	for _, tk := range id.Tickets {
		if w := t.ByTicket[tk]; w != nil {
			return w
		}
	}
	if w := t.ByType[id.UserType]; w != nil {
		return w
	}
	if w := t.ByRole[id.Role]; w != nil {
		return w
	}
	return t.Default
}
