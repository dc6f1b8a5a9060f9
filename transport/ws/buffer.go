package ws

// maxIdleBuffer is the largest buffer the reader or the writer keeps from one
// frame to the next: after a bigger one (a big frame, a big batch) the buffer
// is let go, so an idle connection holds no big buffer.
const maxIdleBuffer = 4 << 10

// keepSmall is b emptied, to be reused, or nil when it is over maxIdleBuffer.
func keepSmall(b []byte) []byte {
	if cap(b) > maxIdleBuffer {
		return nil
	}
	return b[:0]
}
