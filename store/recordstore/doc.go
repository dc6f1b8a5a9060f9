// Package recordstore is a recorder.RecordStore that keeps the records in
// memory, as recorder.MemoryStore does, and writes them behind to a
// store.Records (the data directory), so that the records survive a restart.
//
// Who calls what: the recorder actor calls every method of Store from its
// mailbox, one at a time. Put encodes the record at once (binary.go), into
// a buffer it reuses, and hands the bytes to the store's writer goroutine,
// which copies them: at once, or, from the first Flush on, at the Flush
// the recorder makes at the end of each message it handles, all the
// changes gathered since in one call. Of several changes of a record in
// one commit the writer writes the last. Nothing on
// the recorder's mailbox waits for a disk. New loads the records
// (start-up), in the binary encoding (its fourth version, binary.go and
// words.go, or any earlier one) or in the JSON one written before them.
package recordstore
