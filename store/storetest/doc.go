// Package storetest holds the behaviour every store.Engine must show under a
// store.DB, as one suite (Run), and a FaultyEngine that holds or fails
// writes. Tests call Run from their own goroutine; the suite's callbacks
// report over buffered channels.
package storetest
