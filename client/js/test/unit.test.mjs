// The pieces without a server: full-jitter backoff, the SSE parser, and clear
// errors for bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { WscClient, backoffCap, backoffDelay } from '../dist/index.js';
import { SSEParser } from '../dist/sse-parse.js';
import { SeenIds } from '../dist/dedup.js';

test('backoff: full jitter between 0 and min·2^n, capped at max', () => {
  const o = { minMs: 500, maxMs: 30000 };
  assert.deepEqual([0, 1, 2, 5, 6, 50, 5000].map((n) => backoffCap(n, o)), [500, 1000, 2000, 16000, 30000, 30000, 30000]);
  assert.equal(backoffDelay(3, o, () => 0), 0);
  assert.equal(backoffDelay(3, o, () => 0.999999), 3999);
  for (let i = 0; i < 200; i++) {
    const d = backoffDelay(4, o);
    assert.ok(d >= 0 && d < 8000, `${d} in [0, 8000)`);
  }
  assert.equal(backoffCap(0, {}), 500, 'defaults');
  assert.equal(backoffCap(100, {}), 30000);
});

test('SSE parser: events split anywhere, CRLF, comments, multi-line data', () => {
  const stream = ': ping\r\nid: 1\r\nevent: text\r\ndata: {"a":\r\ndata: 1}\r\n\r\nevent: session\ndata: {"session":"s"}\n\n:x\n\n';
  for (const size of [1, 2, 3, 7, stream.length]) {
    const got = [];
    const p = new SSEParser((e) => got.push(e));
    for (let i = 0; i < stream.length; i += size) p.feed(stream.slice(i, i + size));
    assert.deepEqual(got, [
      { event: 'text', data: '{"a":\n1}', id: '1' },
      { event: 'session', data: '{"session":"s"}', id: '1' },
    ], `chunks of ${size}`);
  }
});

test('the seen ids are bounded: the oldest is forgotten', () => {
  const s = new SeenIds(3);
  for (const id of ['a', 'b', 'c', 'd']) s.add(id);
  assert.equal(s.size, 3);
  assert.equal(s.get('a'), undefined);
  assert.ok(s.get('d'));
});

test('bad input gets a clear TypeError', () => {
  const bad = [
    [() => new WscClient(''), /URL is required/],
    [() => new WscClient('not a url'), /Invalid URL/],
    [() => new WscClient('ws://h/ws', { transport: 'carrier-pigeon' }), /transport must be/],
    [() => new WscClient('ws://h/ws', { sendBuffer: -1 }), /sendBuffer must be a positive integer/],
    [() => new WscClient('ws://h/ws', { sendBuffer: 1.5 }), /sendBuffer/],
    [() => new WscClient('ws://h/ws', { transport: 'ws', WebSocket: undefined }), /no WebSocket class/],
  ];
  for (const [fn, re] of bad) assert.throws(fn, re);
  const c = new WscClient('ws://127.0.0.1:1/ws', { WebSocket });
  assert.throws(() => c.sendToUser(''), /user id must be a non-empty string/);
  assert.throws(() => c.sendToTicket(7), /ticket id/);
  assert.throws(() => c.ack('x', 'maybe'), /'confirmed' or 'rejected'/);
  assert.throws(() => c.sendToUser('bob', 42), /a message is an object or a string/);
  assert.equal(c.state, 'closed');
});
