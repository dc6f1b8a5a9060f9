package recorder_test

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
)

func Example() {
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	defer system.Shutdown()
	rec, err := recorder.New(system, recorder.Config{Enabled: true, NodeID: "node-1"})
	if err != nil {
		panic(err)
	}
	defer rec.Stop(context.Background())

	// The hub's hot path: fire and forget.
	msg := &protocol.Message{ID: "m-1", Type: protocol.TypeText, To: "bob", Content: "hi"}
	rec.Created(msg, "bob", "")
	rec.Status("m-1", recorder.StatusSending, "", "")
	rec.Status("m-1", recorder.StatusUserOffline, recorder.ReasonUserOffline, "")

	// Queries wait for the recorder and return copies.
	ctx := context.Background()
	r, err := rec.GetRecord(ctx, "m-1")
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Status, r.Reason, len(r.History))
	for _, h := range r.History {
		fmt.Printf("%q -> %s\n", h.From, h.To)
	}
	st, _ := rec.Stats(ctx)
	fmt.Println(st.Total, st.ByStatus[recorder.StatusUserOffline])
	// Output:
	// user_offline user_offline 3
	// "" -> pending
	// "pending" -> sending
	// "sending" -> user_offline
	// 1 1
}
