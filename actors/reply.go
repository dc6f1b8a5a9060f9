package actors

import "context"

// Await waits for the single reply an actor writes to ch, or for ctx to end.
// Reply channels are buffered (size 1) so the actor never blocks on a caller
// that gave up.
func Await[T any](ctx context.Context, ch <-chan T) (T, error) {
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
