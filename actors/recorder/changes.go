package recorder

import (
	"context"
	"slices"
	"time"
)

// Changes to a record go through the actor like everything else; each waits
// for the actor's answer and fails with ErrRecordNotFound for an unknown id.

// SetCustomField sets the custom field key of record id to v.
func (r *Recorder) SetCustomField(ctx context.Context, id, key string, v any) error {
	_, err := r.change(ctx, id, func(rec *Record) bool {
		if rec.CustomFields == nil {
			rec.CustomFields = make(map[string]any)
		}
		rec.CustomFields[key] = v
		return true
	})
	return err
}

// SetExtra sets the extra-data entry key of record id to v.
func (r *Recorder) SetExtra(ctx context.Context, id, key string, v any) error {
	_, err := r.change(ctx, id, func(rec *Record) bool {
		if rec.Extra == nil {
			rec.Extra = make(map[string]any)
		}
		rec.Extra[key] = v
		return true
	})
	return err
}

// AddTag adds tag to record id. It is idempotent: it reports false when the
// record already had the tag (or tag is empty).
func (r *Recorder) AddTag(ctx context.Context, id, tag string) (bool, error) {
	return r.change(ctx, id, func(rec *Record) bool {
		if tag == "" || rec.HasTag(tag) {
			return false
		}
		rec.Tags = append(rec.Tags, tag)
		return true
	})
}

// RemoveTag removes tag from record id. It is idempotent: it reports false
// when the record did not have the tag.
func (r *Recorder) RemoveTag(ctx context.Context, id, tag string) (bool, error) {
	return r.change(ctx, id, func(rec *Record) bool {
		i := slices.Index(rec.Tags, tag)
		if i < 0 {
			return false
		}
		rec.Tags = slices.Delete(rec.Tags, i, i+1)
		return true
	})
}

// DeleteRecord removes record id; the deleted hook fires.
func (r *Recorder) DeleteRecord(ctx context.Context, id string) error {
	reply := make(chan error, 1)
	err, askErr := ask(ctx, r, &deleteRecord{id: id, reply: reply}, reply)
	if askErr != nil {
		return askErr
	}
	return err
}

// change runs fn on record id inside the actor. fn is this package's code.
func (r *Recorder) change(ctx context.Context, id string, fn func(*Record) bool) (bool, error) {
	reply := make(chan result[bool], 1)
	return askResult(ctx, r, &changeRecord{id: id, at: time.Now(), change: fn, reply: reply}, reply)
}

// Actor side.

func (a *recorderActor) change(m *changeRecord) {
	rec, ok := a.store.Get(m.id)
	if !ok {
		m.reply <- result[bool]{err: ErrRecordNotFound}
		return
	}
	changed := m.change(rec)
	if changed {
		rec.touch(m.at)
		a.store.Put(rec)
	}
	m.reply <- result[bool]{val: changed}
}

func (a *recorderActor) deleteRecord(m *deleteRecord) {
	if _, ok := a.store.Get(m.id); !ok {
		m.reply <- ErrRecordNotFound
		return
	}
	a.remove(m.id)
	a.stats.deleted++
	m.reply <- nil
}
