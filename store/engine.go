package store

// Engine is the durable key-value engine under a DB: store/bolt, or the
// in-memory engine of NewMemoryEngine. The DB calls it from its writer
// goroutine only, one transaction at a time, so an engine needs no locking of
// its own for the DB's sake.
//
// Keys are grouped: every key lives in a bucket and a group (a user, a
// stream, a ticket), and a scan of one group visits its keys in byte order.
type Engine interface {
	// Update runs fn in one transaction, atomic and durable (on disk when
	// Update returns nil). When fn or the commit fails, nothing of it stays.
	Update(fn func(Tx) error) error
	// Close releases the engine. It is called once, after the last Update.
	Close() error
}

// Tx is one engine transaction. Byte slices it returns are valid until the
// transaction ends. A key passed to it may be reused after the call; a value
// passed to Put must stay unchanged until the transaction ends (bbolt keeps
// it until the commit), and may be reused after that.
type Tx interface {
	// Get returns the value of key in group of b, or nil.
	Get(b Bucket, group, key []byte) []byte
	Put(b Bucket, group, key, val []byte) error
	// Delete removes key; a missing key is no error.
	Delete(b Bucket, group, key []byte) error
	// Scan calls fn for the keys of group that are >= from, ascending, until
	// fn returns false or an error. fn must not change the bucket.
	Scan(b Bucket, group, from []byte, fn func(key, val []byte) (bool, error)) error
	// ScanAll calls fn for every entry of b, group by group (in an order of
	// the engine's, the same every time), starting with group from (nil: the
	// first), until fn returns false or an error. fn must not change the bucket.
	ScanAll(b Bucket, from []byte, fn func(group, key, val []byte) (bool, error)) error
}

// Bucket names one kind of data.
type Bucket uint8

// The buckets of a DB.
const (
	BucketOffline Bucket = iota + 1 // group user, key be64(arrival) → encoded message
	BucketPending                   // group user, key message id → attempt + encoded message
	BucketSeq                       // group stream → be64(ceiling) + exact flag
	BucketHistory                   // group "", key be64(unix nanos of a commit) → a segment of the history log (histlog.go)
	BucketTickets                   // group ticket, key user → empty
	BucketRecords                   // group "log", key be64(n) → a segment of the records log (reclog.go)
	BucketMeta                      // group "", key name → engine metadata (format version)
)

// Buckets lists every bucket, for engines that create them up front.
var Buckets = []Bucket{BucketOffline, BucketPending, BucketSeq, BucketHistory, BucketTickets, BucketRecords, BucketMeta}

// String is the bucket's name on disk.
func (b Bucket) String() string {
	switch b {
	case BucketOffline:
		return "offline"
	case BucketPending:
		return "pending"
	case BucketSeq:
		return "seq"
	case BucketHistory:
		return "history"
	case BucketTickets:
		return "tickets"
	case BucketRecords:
		return "records"
	case BucketMeta:
		return "meta"
	}
	return "unknown"
}
