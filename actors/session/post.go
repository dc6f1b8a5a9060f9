package session

import (
	"crypto/subtle"
	"errors"
)

// Errors a Post is answered with.
var (
	ErrUnknownSession = errors.New("wsc: unknown SSE session")
	ErrWrongUser      = errors.New("wsc: not the session's user")
)

// Post carries frames a client sent outside its connection (an SSE client's
// POST), for the session to handle as Received. The session checks Secret
// against its Config.PostSecret and UserID against its own user, then answers
// Reply (buffered, size 1): nil once the frames are handed over,
// ErrUnknownSession for a wrong secret or a session that is closing,
// ErrWrongUser for another user.
type Post struct {
	Secret string
	UserID string
	Frames [][]byte
	Reply  chan<- error
}

func (s *sessionActor) post(p *Post) {
	var err error
	switch {
	case s.cfg.PostSecret == "" || subtle.ConstantTimeCompare([]byte(p.Secret), []byte(s.cfg.PostSecret)) != 1:
		err = ErrUnknownSession
	case s.closing || s.gone:
		err = ErrUnknownSession // nobody would read an answer to these frames
	case p.UserID != s.id.UserID:
		err = ErrWrongUser
	default:
		for _, f := range p.Frames {
			s.received(f)
		}
	}
	if p.Reply != nil {
		select {
		case p.Reply <- err:
		default:
		}
	}
}
