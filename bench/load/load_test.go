package load

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/bench/hubs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newHub(t *testing.T, name string) hubs.Hub {
	t.Helper()
	h, err := hubs.New(name)
	require.NoError(t, err)
	t.Cleanup(h.Close) // the workloads close it too; Close is idempotent
	return h
}

func TestP2PDeliversEveryMessageOnce(t *testing.T) {
	for _, name := range hubs.Names {
		t.Run(name, func(t *testing.T) {
			res, err := P2P(newHub(t, name), Traffic{Clients: 10, Msgs: 30, Payload: 64, Timeout: 10 * time.Second})
			require.NoError(t, err)
			assert.EqualValues(t, 10*30, res.Expected)
			assert.Equal(t, res.Expected, res.Received)
			assert.Zero(t, res.Lost)
			assert.Zero(t, res.Dups)
			assert.Positive(t, res.Throughput)
			assert.Positive(t, res.P99ms)
			assert.LessOrEqual(t, res.P50ms, res.P99ms)
		})
	}
}

func TestBroadcastReachesEveryClient(t *testing.T) {
	for _, name := range hubs.Names {
		t.Run(name, func(t *testing.T) {
			res, err := Broadcast(newHub(t, name), Traffic{Clients: 8, Msgs: 25, Timeout: 10 * time.Second})
			require.NoError(t, err)
			assert.EqualValues(t, 8*25, res.Expected)
			assert.Equal(t, res.Expected, res.Received)
			assert.Zero(t, res.Dups)
		})
	}
}

// A slow client (every 4th) never reads while its partner sends more than its
// queue holds: the healthy clients still get everything, and the report
// accounts for every slow client.
func TestSlowConsumersAreReported(t *testing.T) {
	for _, name := range hubs.Names {
		t.Run(name, func(t *testing.T) {
			res, err := P2P(newHub(t, name), Traffic{Clients: 8, Msgs: 400, Payload: 256, SlowEvery: 4,
				Timeout: 15 * time.Second, Drain: 2 * time.Second})
			require.NoError(t, err)
			require.NotNil(t, res.Slow)
			t.Logf("%s: healthy %d/%d, slow %+v, %s", name, res.Received, res.Expected, *res.Slow, res.Note)
			assert.Equal(t, 2, res.Slow.Clients)
			assert.EqualValues(t, 2*400, res.Slow.Expected)
			assert.LessOrEqual(t, res.Slow.Received, res.Slow.Expected)
			closed := 0
			for _, n := range res.Slow.Closed {
				closed += n
			}
			assert.Equal(t, res.Slow.Clients, res.Slow.Open+closed)
			assert.EqualValues(t, 4*400, res.Expected, "pairs with a slow client expect nothing")
			assert.Zero(t, res.Dups)
		})
	}
}

func TestIdleConnectionsAreCounted(t *testing.T) {
	for _, name := range hubs.Names {
		t.Run(name, func(t *testing.T) {
			res, err := IdleConns(newHub(t, name), Idle{Conns: 20, Dial: 4})
			require.NoError(t, err)
			assert.Equal(t, 20, res.Clients)
			assert.Positive(t, res.ConnectRate)
			assert.Positive(t, res.GoroutinesConn)
		})
	}
}

func TestRoutingDeliversInProcess(t *testing.T) {
	for _, name := range hubs.Names {
		t.Run(name, func(t *testing.T) {
			res, err := Routing(name, Inproc{Users: 50, Msgs: 2000, Senders: 4, Timeout: 10 * time.Second})
			require.NoError(t, err)
			if name == "melody" {
				assert.Contains(t, res.Note, "n/a")
				return
			}
			assert.EqualValues(t, 2000, res.Expected)
			assert.Equal(t, res.Expected, res.Received+res.Lost+res.Unsent)
			assert.Positive(t, res.NsPerOp)
			assert.Positive(t, res.AllocsPerOp)
		})
	}
}

func TestRoutingWithConfirmationOnlyForGoWSC(t *testing.T) {
	res, err := Routing("actor", Inproc{Users: 20, Msgs: 200, Senders: 2, Wait: true, Timeout: 10 * time.Second})
	require.NoError(t, err)
	assert.EqualValues(t, 200, res.Received)
	res, err = Routing("lock", Inproc{Users: 20, Msgs: 200, Senders: 2, Wait: true})
	require.NoError(t, err)
	assert.Contains(t, res.Note, "n/a")
}

func TestContentRoundTrip(t *testing.T) {
	for _, payload := range []int{0, 5, 300} {
		frame := frameTo(nil, "u1", 42, payload, payload%2 == 0)
		require.True(t, json.Valid(frame), string(frame))
		seq, ns, ok := parseContent(frame)
		require.True(t, ok, string(frame))
		assert.Equal(t, 42, seq)
		assert.InDelta(t, time.Now().UnixNano(), ns, float64(time.Second))
		if payload > 30 {
			assert.GreaterOrEqual(t, len(frame), payload)
		}
	}
	_, _, ok := parseContent([]byte(`{"content":"hello"}`))
	assert.False(t, ok)
}

// A batch frame (a JSON array, from a hub that packs what is queued) counts
// each of its messages once, chat text with escaped quotes included; a plain
// frame is one message; either way the frame counts once.
func TestBatchFramesCountEveryMessage(t *testing.T) {
	msg := func(seq int) string {
		return `{"id":"m` + strconv.Itoa(seq) + `","from":"a","content":"` + string(contentOf(seq, 0, false)) + chatTextEscaped + `","seq_no":1}`
	}
	batch := "[" + msg(0) + "," + msg(1) + "," + msg(2) + "]"
	require.True(t, json.Valid([]byte(batch)))
	r := newReceiver(nil, 5, 4)
	tl := newTally(1)
	r.take([]byte(batch), tl)
	r.take([]byte(msg(3)), tl)
	assert.Equal(t, 4, r.n)
	assert.Equal(t, 2, r.frames)
	assert.Equal(t, []bool{true, true, true, true, false}, r.got)
	assert.Zero(t, r.dups)
	select {
	case <-tl.done:
	default:
		t.Fatal("the receiver has all 4 it expects")
	}
	r.take([]byte("["+msg(1)+"]"), tl)
	assert.Equal(t, 1, r.dups, "a message seen before, in a batch")
}

func TestAckRoundTrip(t *testing.T) {
	h, err := hubs.NewActorAck()
	require.NoError(t, err)
	res, err := AckRoundTrip(h, Ack{Clients: 6, Msgs: 60, Senders: 3, Timeout: 20 * time.Second})
	require.NoError(t, err)
	assert.EqualValues(t, 60, res.Received)
	assert.Zero(t, res.Lost)
	assert.Positive(t, res.P99ms)

	res, err = AckRoundTrip(newHub(t, "lock"), Ack{Clients: 2, Msgs: 2, Senders: 1})
	require.NoError(t, err)
	assert.Contains(t, res.Note, "n/a")
}
