package store

import "encoding/binary"

// Segments of the history and records logs are written in chunks of about
// chunkSize, one key each (be64(segment), be32(chunk)), never one value of
// a whole commit: bbolt rewrites a whole leaf node when one of its keys
// changes, and it does not split a node of four keys or fewer, so with one
// value per commit every commit wrote again the three segments before it
// (BenchmarkRecords on bbolt: 7 KB allocated and 6.8 µs of CPU a record,
// against 4.9 µs with a key per record). An entry is never split across
// chunks, so each parses alone.
const chunkSize = 32 << 10

// chunkKey is the key of chunk i of segment seg.
func chunkKey(seg uint64, i uint32) []byte {
	return binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint64(make([]byte, 0, 12), seg), i)
}

// parseChunkKey reads a chunk's key; an 8-byte key is a segment written
// whole (the history log's first layout), chunk 0.
func parseChunkKey(k []byte) (seg uint64, i uint32, ok bool) {
	switch len(k) {
	case 8:
		return binary.BigEndian.Uint64(k), 0, true
	case 12:
		return binary.BigEndian.Uint64(k), binary.BigEndian.Uint32(k[8:]), true
	}
	return 0, 0, false
}

// chunkEntries are the entries putChunks writes: Size(i) is entry i's
// length once appended by Append. Each log encodes its entries straight
// into the chunk, from the bytes it was handed (a frame's, a record's
// encoding), without a copy of each entry first.
type chunkEntries interface {
	Len() int
	Size(i int) int
	Append(b []byte, i int) []byte
}

// putChunks writes head (nil for none) and entries as chunks 0, 1, … of
// segment seg and returns how many it wrote and their bytes. Chunk 0 starts
// with head. The entries go into chunks of up to chunkSize, except the last
// tailEntries, which go one per chunk: see tailEntries.
func putChunks(tx Tx, a *arena, b Bucket, group []byte, seg uint64, head []byte, entries chunkEntries) (chunks int, bytes int64, err error) {
	n := entries.Len()
	bulk := max(n-tailEntries, 0) // entries [0, bulk) are packed, the rest go alone
	for i, pre := 0, head; i < n || pre != nil; pre = nil {
		end := bulk
		if i >= bulk {
			end = i + 1
		}
		j, size := i, len(pre)
		for j < end && (j == i || size+entries.Size(j) <= chunkSize) {
			size += entries.Size(j)
			j++
		}
		val := append(a.take(size), pre...)
		for ; i < j; i++ {
			val = entries.Append(val, i)
		}
		if err := tx.Put(b, group, chunkKey(seg, uint32(chunks)), val); err != nil {
			return chunks, bytes, err
		}
		chunks++
		bytes += int64(len(val))
	}
	return chunks, bytes, nil
}

// tailEntries is how many entries end a segment in chunks of their own. bbolt
// writes again every key of a leaf node that gets a new key, and keys only
// grow here, so each commit's first chunks land in the leaf of the previous
// commit's last ones; bbolt never splits a node of four keys or fewer, and
// gives each node at least two, so with big chunks to the end that leaf held
// two to four of them (64-128 KiB), written again by the next commit. Ending
// with four small chunks leaves that last leaf with small ones only. Bytes
// the process wrote per message, commits of 1,000 (BenchmarkP2P in
// store/recordstore): 1,040-1,140 before, 760-800 after; wsc-server under
// bench/'s alone-paced (20,000 messages/s): 812 before, 636 after.
const tailEntries = 4

// uvarintLen is the length of v as a uvarint.
func uvarintLen(v uint64) int {
	n := 1
	for ; v >= 0x80; v >>= 7 {
		n++
	}
	return n
}

// scanSegment calls fn for each chunk of segment seg, in order.
func scanSegment(tx Tx, b Bucket, group []byte, seg uint64, fn func(i uint32, val []byte) (bool, error)) error {
	return tx.Scan(b, group, be64(seg), func(key, val []byte) (bool, error) {
		s, i, ok := parseChunkKey(key)
		if !ok || s != seg {
			return false, nil
		}
		return fn(i, val)
	})
}

// deleteSegment deletes segment seg's chunks: the first as an 8-byte key
// when whole says it was written so.
func deleteSegment(tx Tx, b Bucket, group []byte, seg uint64, chunks int, whole bool) error {
	if whole {
		return tx.Delete(b, group, be64(seg))
	}
	for i := range chunks {
		if err := tx.Delete(b, group, chunkKey(seg, uint32(i))); err != nil {
			return err
		}
	}
	return nil
}

// arena hands out the chunks' buffers for one transaction from blocks of
// arenaBlock bytes, reused from commit to commit: bbolt keeps a value's
// bytes until the commit, so a buffer is never handed out twice in a
// transaction, and after it the blocks are free again. (A buffer of its own
// for each chunk was an allocation, zeroed, and garbage, for every 32 KiB
// the logs write; one array grown by doubling was reallocated whenever a
// commit outgrew it: 3% of wsc-server's CPU under alone-p2p.) Writer
// goroutine only.
type arena struct {
	blocks [][]byte
	i      int // the block being filled
}

// take returns an empty slice of capacity n that nothing else in this
// transaction uses.
func (a *arena) take(n int) []byte {
	for ; a.i < len(a.blocks); a.i++ {
		if b := a.blocks[a.i]; len(b)+n <= cap(b) {
			a.blocks[a.i] = b[:len(b)+n]
			return b[len(b) : len(b) : len(b)+n]
		}
	}
	b := make([]byte, n, max(n, arenaBlock))
	a.blocks = append(a.blocks, b)
	a.i = len(a.blocks) - 1
	return b[0:0:n]
}

// reset makes the blocks free again, at a transaction's end, keeping at most
// arenaKeep bytes of them: the blocks a burst added past it are let go.
func (a *arena) reset() {
	kept := 0
	for j, b := range a.blocks {
		if kept += cap(b); kept > arenaKeep {
			clear(a.blocks[j:])
			a.blocks = a.blocks[:j]
			break
		}
		a.blocks[j] = b[:0]
	}
	a.i = 0
}

// trim lets every block but the first go (an idle DB: histLog.expire).
// Safe inside a transaction: the buffers handed out are slices of their
// own, which bbolt holds until its commit; the first block's free space
// is where the next take looks.
func (a *arena) trim() {
	if len(a.blocks) > 1 {
		clear(a.blocks[1:])
		a.blocks = a.blocks[:1]
	}
	a.i = 0
}

const (
	arenaBlock = 1 << 20
	// arenaKeep is the most kept from one transaction to the next: a commit
	// of the logs at 60,000 messages/s (the p2p benchmark on this machine,
	// about 1 KB of history and record a message) every 50 ms is 3 MB.
	arenaKeep = 16 << 20
)
