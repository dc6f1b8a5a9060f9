package store

import (
	"fmt"
	"sync"
	"testing"

	"github.com/go-wsc/go-wsc/protocol"
)

// BenchmarkQueues is the store's part of a message on the two goroutines
// that queue for the writer under bench/'s alone-p2p: the hub appends the
// message to its receiver's history while the recorder puts its record and
// deletes the one 10,000 older, and the writer takes both (memory engine:
// the queues, not a disk). Per message, wall time. With one counter of
// the queued bytes for both queues, and the queues beside each other in
// DB, against each on cache lines of its own (test binaries alternating,
// -test.benchtime 1000000x, load 3-5): 1014, 1227, 909, 1096, 1026 ns ->
// 811, 850, 910, 1148, 946 ns.
//
//	go test -run '^$' -bench Queues -benchtime 1000000x ./store
func BenchmarkQueues(b *testing.B) {
	db, err := Open(NewMemoryEngine(), Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const users = 1000
	frames := make([][]byte, users)
	msgs := make([]*protocol.Message, users)
	names := make([]string, users)
	for i := range users {
		names[i] = fmt.Sprint("u", i)
		msgs[i] = &protocol.Message{ID: fmt.Sprintf("3a43cf801a52d1e3-%x", i), Type: protocol.TypeText}
		frames[i] = []byte(`{"id":"` + msgs[i].ID + `","type":"text","content":"12345.1796129277035772391"}`)
	}
	rec := make([]byte, 114)
	const keep = 10_000
	slots := make([]*RecordSlot, keep) // a new one for each record, as recordstore's
	ids := make([]string, keep)
	for i := range ids {
		ids[i] = fmt.Sprint("r", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // the hub
		defer wg.Done()
		for i := range b.N {
			db.AppendHistory(names[i%users], Entry{Msg: msgs[i%users], Data: frames[i%users]})
		}
	}()
	go func() { // the recorder
		defer wg.Done()
		for i := range b.N {
			k := i % keep
			if i >= keep {
				db.DeleteRecordIn(slots[k], ids[k])
			}
			slots[k] = new(RecordSlot)
			db.PutRecordIn(slots[k], ids[k], rec, nil)
		}
	}()
	wg.Wait()
	done := make(chan error, 1)
	db.ReadHistory("x", "", 1, func(_ []Entry, _ bool, err error) { done <- err })
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}
