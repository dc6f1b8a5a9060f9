// Package recordstore is a recorder.RecordStore that keeps the records in
// memory, as recorder.MemoryStore does, and writes them behind to a
// store.Records (the data directory), so that the records survive a restart.
//
// Who calls what: the recorder actor calls every method of Store from its
// mailbox, one at a time. Put hands the store a copy of the record
// (Record.Clone), encoded later on the store's writer goroutine, once per
// commit however often the record changed in between; nothing on the
// recorder's mailbox waits for a disk. New loads the records (start-up).
package recordstore
