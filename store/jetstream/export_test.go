package jetstream

// FromLeader counts the messages st's reads took from a stream's leader
// because their consumer's replica had not applied them yet (read.go).
func FromLeader(st *Store) int64 { return st.fromLeader.Load() }
