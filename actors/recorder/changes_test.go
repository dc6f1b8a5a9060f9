package recorder

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTags(t *testing.T) {
	r := newRecorder(t, Config{})
	created(r, 3)
	c := ctx(t)

	added, err := r.AddTag(c, "m-0", "vip")
	require.NoError(t, err)
	assert.True(t, added)
	added, err = r.AddTag(c, "m-0", "vip")
	require.NoError(t, err)
	assert.False(t, added, "adding a tag twice is a no-op")
	_, err = r.AddTag(c, "m-2", "vip")
	require.NoError(t, err)
	_, err = r.AddTag(c, "m-2", "urgent")
	require.NoError(t, err)

	recs, err := r.GetRecordsByTag(c, "vip")
	require.NoError(t, err)
	assert.Equal(t, []string{"m-0", "m-2"}, ids(recs))
	assert.Equal(t, []string{"vip", "urgent"}, recs[1].Tags)

	removed, err := r.RemoveTag(c, "m-0", "vip")
	require.NoError(t, err)
	assert.True(t, removed)
	removed, err = r.RemoveTag(c, "m-0", "vip")
	require.NoError(t, err)
	assert.False(t, removed, "removing an absent tag reports false")

	recs, err = r.GetRecordsByTag(c, "vip")
	require.NoError(t, err)
	assert.Equal(t, []string{"m-2"}, ids(recs))

	_, err = r.AddTag(c, "nope", "vip")
	require.ErrorIs(t, err, ErrRecordNotFound)
	_, err = r.RemoveTag(c, "nope", "vip")
	require.ErrorIs(t, err, ErrRecordNotFound)
}

func TestCustomFieldsAndExtra(t *testing.T) {
	r := newRecorder(t, Config{})
	created(r, 1)
	c := ctx(t)

	require.NoError(t, r.SetCustomField(c, "m-0", "order", 42))
	require.NoError(t, r.SetCustomField(c, "m-0", "order", 43))
	require.NoError(t, r.SetCustomField(c, "m-0", "channel", "web"))
	require.NoError(t, r.SetExtra(c, "m-0", "trace", "abc"))
	require.ErrorIs(t, r.SetCustomField(c, "nope", "k", 1), ErrRecordNotFound)
	require.ErrorIs(t, r.SetExtra(c, "nope", "k", 1), ErrRecordNotFound)

	rec, err := r.GetRecord(c, "m-0")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"order": 43, "channel": "web"}, rec.CustomFields)
	assert.Equal(t, map[string]any{"trace": "abc"}, rec.Extra)
	assert.True(t, rec.UpdatedAt.After(rec.CreatedAt) || rec.UpdatedAt.Equal(rec.CreatedAt))
}

func TestQueriesReturnCopies(t *testing.T) {
	r := newRecorder(t, Config{})
	created(r, 1)
	c := ctx(t)
	require.NoError(t, r.SetCustomField(c, "m-0", "k", "v"))
	require.NoError(t, r.SetExtra(c, "m-0", "k", "v"))
	_, err := r.AddTag(c, "m-0", "t")
	require.NoError(t, err)
	r.RetryAttempt("m-0", 1, "")

	scribble := func(rec Record) {
		rec.Message.Content = "x"
		rec.Message.Data["k"] = "x"
		rec.History[0].To = StatusFailed
		rec.Attempts[0].Err = "x"
		rec.Tags[0] = "x"
		rec.CustomFields["k"] = "x"
		rec.Extra["k"] = "x"
	}
	first, err := r.GetRecord(c, "m-0")
	require.NoError(t, err)
	want := first.Clone()
	scribble(first)
	recs, err := r.Query(c, Query{})
	require.NoError(t, err)
	require.Len(t, recs, 1)
	assert.Equal(t, want, recs[0])
	scribble(recs[0])

	again, err := r.GetRecord(c, "m-0")
	require.NoError(t, err)
	assert.Equal(t, want, again)
}

func TestQuery(t *testing.T) {
	r := newRecorder(t, Config{})
	r.Created(message("a"), "u1", "")
	r.Created(message("b"), "u2", "")
	r.Created(message("c"), "", "t1")
	r.Created(message("d"), "u1", "")
	r.Status("a", StatusFailed, ReasonQueueFull, "")
	r.Status("c", StatusFailed, ReasonConnError, "")
	r.Status("d", StatusFailed, ReasonQueueFull, "")
	c := ctx(t)
	_, err := r.AddTag(c, "d", "x")
	require.NoError(t, err)

	for _, tc := range []struct {
		q    Query
		want []string
	}{
		{Query{}, []string{"a", "b", "c", "d"}},
		{Query{Limit: 2}, []string{"a", "b"}},
		{Query{Status: StatusFailed}, []string{"a", "c", "d"}},
		{Query{Reason: ReasonQueueFull}, []string{"a", "d"}},
		{Query{UserID: "u1"}, []string{"a", "d"}},
		{Query{TicketID: "t1"}, []string{"c"}},
		{Query{Status: StatusFailed, Tag: "x"}, []string{"d"}},
		{Query{Status: StatusSuccess}, []string{}},
	} {
		recs, err := r.Query(c, tc.q)
		require.NoError(t, err)
		assert.Equal(t, tc.want, ids(recs), "%+v", tc.q)
	}
	failed, err := r.GetFailedRecords(c, 2)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "c"}, ids(failed))
}
