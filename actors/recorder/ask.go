package recorder

import "context"

// usable says why r cannot answer a query, if it cannot.
func (r *Recorder) usable() error {
	switch {
	case !r.Enabled():
		return ErrRecordingDisabled
	case r.stopping.Load():
		return ErrRecorderStopped
	}
	return nil
}

// ask sends msg, which carries reply (buffered, size 1), to the recorder and
// waits for the answer, ctx, or the recorder's stop.
func ask[T any](ctx context.Context, r *Recorder, msg any, reply chan T) (T, error) {
	if err := r.send(ctx, msg); err != nil {
		var zero T
		return zero, err
	}
	return wait(ctx, r, reply)
}

// send sends a query, unless r cannot answer or ctx has ended.
func (r *Recorder) send(ctx context.Context, msg any) error {
	if err := r.usable(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r.root.Send(r.pid, msg)
	return nil
}

// wait waits for the answer to a query already sent.
func wait[T any](ctx context.Context, r *Recorder, reply chan T) (T, error) {
	var zero T
	select {
	case v := <-reply:
		return v, nil
	case <-ctx.Done():
		return zero, ctx.Err()
	case <-r.done:
		select {
		case v := <-reply: // answered just before stopping
			return v, nil
		default:
			return zero, ErrRecorderStopped
		}
	}
}

// askResult is ask for a reply that may itself fail.
func askResult[T any](ctx context.Context, r *Recorder, msg any, reply chan result[T]) (T, error) {
	res, err := ask(ctx, r, msg, reply)
	if err != nil {
		return res.val, err
	}
	return res.val, res.err
}
