// The send buffer: frames sent while disconnected wait, up to sendBuffer, and
// go out in order once connected; one more is refused with buffer_full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, eventually } from './server.mjs';
import { client, contents } from './helpers.mjs';

for (const transport of ['ws', 'sse']) {
  test(`${transport}: the send buffer's bound, then a flush in order`, async (t) => {
    const srv = await startServer(t);
    const lea = client(t, srv.ws, { userId: 'lea', transport, sendBuffer: 3 });
    lea.c.sendToUser('max', 'one');
    lea.c.sendToUser('max', 'two');
    lea.c.sendToTicket('T-9', 'three'); // refused by the hub later: no such ticket
    assert.throws(
      () => lea.c.sendToUser('max', 'four'),
      (e) => e.kind === 'buffer_full' && /holds 3 frames/.test(e.message),
    );
    assert.equal(lea.c.buffered, 3);

    const max = client(t, srv.ws, { userId: 'max' });
    await max.c.connect();
    await lea.c.connect();
    await max.until(() => contents(max.seen).length >= 2, 'the buffered messages');
    assert.deepEqual(contents(max.seen), ['one', 'two']);
    await lea.until(() => lea.seen.errors.find((e) => e.kind === 'server' || e.kind === 'send'), 'the refusal of the ticket message');
    assert.equal(lea.c.buffered, 0);
    lea.c.sendToUser('max', 'five'); // room again
    await max.until(() => contents(max.seen).includes('five'), 'five');
    assert.deepEqual(contents(max.seen), ['one', 'two', 'five']);
  });
}

test('after close() sends are refused and the buffer is dropped', async (t) => {
  const srv = await startServer(t);
  const ned = client(t, srv.ws, { userId: 'ned' });
  ned.c.sendToUser('x', 'queued');
  ned.c.close();
  assert.equal(ned.c.buffered, 0);
  assert.throws(() => ned.c.sendToUser('x', 'late'), (e) => e.kind === 'closed');
});

test('ws: a socket that does not drain fills the bounded send buffer, not an unbounded one', async (t) => {
  const srv = await startServer(t);
  // No pings: the frozen server must not be given up here.
  const ray = client(t, srv.ws, { userId: 'ray', transport: 'ws', sendBuffer: 5, pingMs: 600_000, timeoutMs: 600_000 });
  await ray.c.connect();
  srv.freeze(); // nothing reads: the kernel's buffers fill, then the socket's
  const big = 'x'.repeat(60_000);
  let taken = 0;
  assert.throws(() => {
    for (; taken < 1000; taken++) ray.c.sendToUser('nobody', big);
  }, (e) => e.kind === 'buffer_full');
  t.diagnostic(`taken: ${taken}`);
  assert.ok(taken < 500, `refused after ${taken} frames of 60 kB, not after 60 MB`);
  assert.equal(ray.c.buffered, 5);
  srv.thaw();
  await eventually(() => ray.c.buffered === 0, 'the send buffer to drain');
  ray.c.sendToUser('nobody', 'room again');
});
