package hub

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/protocol"
)

// OfflineHandler is told of every message handed to the offline path (go-wsc's
// interface). It runs on its own actor, in order, so a slow handler never holds
// up the hub; an error or a panic is counted and the message stays in the store.
type OfflineHandler interface {
	HandleOfflineMessage(msg *protocol.Message) error
}

// OfflineHandlerFunc adapts a function to OfflineHandler.
type OfflineHandlerFunc func(msg *protocol.Message) error

// HandleOfflineMessage implements OfflineHandler.
func (f OfflineHandlerFunc) HandleOfflineMessage(msg *protocol.Message) error { return f(msg) }

// offlineNotice is one message for the offline handler's actor.
type offlineNotice struct{ msg *protocol.Message }

// offlineHandlerActor calls the user's handler, one message at a time.
type offlineHandlerActor struct {
	handler OfflineHandler
	m       *metrics
}

func (a *offlineHandlerActor) Receive(ctx actor.Context) {
	if n, ok := ctx.Message().(*offlineNotice); ok {
		a.call(n.msg)
	}
}

func (a *offlineHandlerActor) call(msg *protocol.Message) {
	defer func() {
		if recover() != nil {
			a.m.offlineHandlerErrors.Add(1)
		}
	}()
	if err := a.handler.HandleOfflineMessage(msg); err != nil {
		a.m.offlineHandlerErrors.Add(1)
	}
}
