package session

import (
	"errors"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
)

// Credential is the token an identity was proven with, when it runs out, and
// how a new one is checked. The transport's authenticator makes it; the
// session owns it from then on (only its mailbox reads or changes it).
type Credential struct {
	// Expires is when the token runs out; zero: never (no refresh asked).
	Expires time.Time
	// Grace is how long the client has, once asked, to send a new token
	// before the connection is closed with 4001; zero: 30 s.
	Grace time.Duration
	// Renew checks a new token sent in a refresh frame and returns its expiry.
	// It must be quick and do no I/O: it runs on the session's mailbox. It
	// refuses a token for another user.
	Renew func(token string) (time.Time, error)
}

// ErrNoCredential refuses a refresh frame on a connection that was not
// opened with a token.
var ErrNoCredential = errors.New("wsc: this connection has no token to refresh")

const defaultGrace = 30 * time.Second

// refreshTick is the credential timer's event: at the token's expiry (ask
// for a new one) and at the end of the grace period (close).
type refreshTick struct{ gen uint64 }

// refreshState is the session's side of its credential: the current expiry
// (the Credential itself is never written after the authenticator made it)
// and one timer, armed for the expiry and then for the deadline. asked is the
// deadline (zero: not asked yet). Kept apart from the heartbeat timer, which
// re-arms on its own schedule.
type refreshState struct {
	expires time.Time
	timer   *time.Timer
	gen     uint64
	asked   time.Time
}

// startRefresh arms the credential timer for the token the connection was
// opened with.
func (s *sessionActor) startRefresh(now time.Time) {
	if c := s.id.Credential; c != nil {
		s.refresh.expires = c.Expires
	}
	s.armRefresh(now)
}

// armRefresh (re)starts the credential timer for the token's expiry.
func (s *sessionActor) armRefresh(now time.Time) {
	s.stopRefresh()
	s.refresh.asked = time.Time{}
	if s.refresh.expires.IsZero() {
		return
	}
	s.refreshAt(s.refresh.expires.Sub(now))
}

func (s *sessionActor) refreshAt(d time.Duration) {
	s.refresh.gen++
	gen, self, root := s.refresh.gen, s.self, s.root
	s.refresh.timer = time.AfterFunc(max(d, 0), func() { root.Send(self, &refreshTick{gen: gen}) })
}

func (s *sessionActor) stopRefresh() {
	if s.refresh.timer != nil {
		s.refresh.timer.Stop()
		s.refresh.timer = nil
	}
	s.refresh.gen++
}

// onRefreshTick asks for a new token when the current one expires, and closes
// the connection (4001) when the grace period passes without one.
func (s *sessionActor) onRefreshTick(m *refreshTick, now time.Time) {
	if m.gen != s.refresh.gen || s.closing || s.gone {
		return
	}
	if !s.refresh.asked.IsZero() {
		s.close(protocol.CloseTokenExpired, protocol.CloseText(protocol.CloseTokenExpired))
		return
	}
	grace := s.id.Credential.Grace
	if grace <= 0 {
		grace = defaultGrace
	}
	s.refresh.asked = now.Add(grace)
	s.sendControl(&protocol.Message{Type: protocol.TypeRefresh, CreateAt: now,
		Content: "token expired: send a refresh frame with a new one",
		Data:    map[string]any{"deadline": s.refresh.asked.UTC().Format(time.RFC3339Nano)}})
	s.refreshAt(grace)
}

// renew takes a client's refresh frame: a valid token for the same user
// moves the expiry (and cancels a pending close); a bad one is answered with
// an error frame (4001) and changes nothing.
func (s *sessionActor) renew(m *protocol.Message, now time.Time) {
	c := s.id.Credential
	if c == nil || c.Renew == nil {
		s.refuse(protocol.CodeInvalidFrame, ErrNoCredential.Error(), m.MsgID)
		return
	}
	exp, err := c.Renew(m.Content)
	if err != nil {
		s.refuse(protocol.CodeForbidden, err.Error(), m.MsgID)
		return
	}
	s.refresh.expires = exp
	s.armRefresh(now)
}
