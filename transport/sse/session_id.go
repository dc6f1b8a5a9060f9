package sse

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/session"
)

// A stream's session id names its session actor and a random secret:
// "<actor id>.<secret>". The POST path finds the actor by its id in the actor
// system (no map of streams of our own) and the session checks the secret, so
// knowing a session's actor id is not enough to post as its client.

// ErrPostTimeout answers a POST whose session did not take its frames in time.
var ErrPostTimeout = errors.New("wsc: the session did not answer")

// postWait bounds how long a POST waits for its session to take the frames.
const postWait = 5 * time.Second

func sessionID(pid *actor.PID, secret string) string { return pid.Id + "." + secret }

// findSession resolves a session id to a live local actor and the secret the
// client named.
func (s *Server) findSession(sid string) (*actor.PID, string, bool) {
	i := strings.LastIndexByte(sid, '.')
	if i <= 0 || i == len(sid)-1 {
		return nil, "", false
	}
	system := s.hub.System()
	if _, ok := system.ProcessRegistry.GetLocal(sid[:i]); !ok {
		return nil, "", false
	}
	return actor.NewPID(system.Address(), sid[:i]), sid[i+1:], true
}

// post hands p to the session and waits for its answer, within the request's
// life and postWait.
func (s *Server) post(ctx context.Context, pid *actor.PID, p *session.Post) error {
	reply := make(chan error, 1)
	p.Reply = reply
	s.hub.System().Root.Send(pid, p)
	timer := time.NewTimer(postWait)
	defer timer.Stop()
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return ErrPostTimeout
	}
}
