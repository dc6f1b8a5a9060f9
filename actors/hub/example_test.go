package hub_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
)

// A message to a user with no connection is kept, not lost: SendToUser says
// ErrUserOffline, and the offline store hands it over when the user connects.
func Example() {
	system := actors.NewSystem()
	defer system.Shutdown()
	h, err := hub.New(system, hub.Config{})
	if err != nil {
		panic(err)
	}
	defer h.Shutdown(context.Background())

	ctx := context.Background()
	err = h.SendToUser(ctx, "bob", &protocol.Message{Type: protocol.TypeText, Content: "see you at noon"})
	fmt.Println(errors.Is(err, hub.ErrUserOffline))

	kept, _ := h.OfflineMessages(ctx, "bob")
	fmt.Println(len(kept), kept[0].Content, kept[0].From, kept[0].SeqNo)
	// Output:
	// true
	// 1 see you at noon system 1
}
