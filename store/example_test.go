package store_test

import (
	"fmt"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
)

// The hub's side of the offline store: a put answered once it is durable, a
// backlog read a page at a time, and removed once handed on.
func Example() {
	db, err := store.OpenMemory(store.Config{}) // bolt.OpenStore(dir, cfg, nil) on disk
	if err != nil {
		panic(err)
	}
	defer db.Close()

	// In the hub the callback sends the hub a message; here a channel.
	durable := make(chan error, 3)
	for _, id := range []string{"m1", "m2", "m3"} {
		m := &protocol.Message{ID: id, Type: protocol.TypeText, To: "bob", Content: "hello " + id}
		if _, err := db.PutOffline("bob", store.Entry{Msg: m}, func(err error) { durable <- err }); err != nil {
			panic(err) // ErrBusy, ErrTooLarge…: refuse the message
		}
	}
	for range 3 {
		fmt.Println("accepted:", <-durable == nil)
	}

	// bob connects: his backlog, two at a time, as his connection drains
	after := ""
	for {
		page := db.PeekOffline("bob", after, 2)
		if len(page) == 0 {
			break
		}
		ids := []string{}
		for _, e := range page {
			fmt.Println(e.Msg.Content)
			ids = append(ids, e.Msg.ID)
		}
		db.RemoveOffline("bob", ids, nil)
		after = ids[len(ids)-1]
	}
	n, _ := db.OfflineLen("bob")
	fmt.Println("left:", n)
	// Output:
	// accepted: true
	// accepted: true
	// accepted: true
	// hello m1
	// hello m2
	// hello m3
	// left: 0
}
