// Reconnection against the real server: a restart mid-stream, final close
// codes and HTTP refusals that stop it, and reconnect: false.
import { test } from 'node:test';
import WebSocket from 'ws';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, eventually } from './server.mjs';
import { client, contents } from './helpers.mjs';

const fast = { minMs: 50, maxMs: 400 };

for (const transport of ['ws', 'sse']) {
  test(`${transport}: a server restart mid-stream: the client reconnects by itself, nothing twice, in order`, async (t) => {
    const srv = await startServer(t);
    const gus = client(t, srv.ws, { userId: 'gus', transport, reconnect: fast });
    await gus.c.connect();

    // A sender keeps going through the restart; what the new server accepts
    // once gus is back must all arrive (the old server's in-memory offline
    // store dies with it).
    let n = 0;
    let back = false;
    let stop = false;
    const mustArrive = [];
    const sender = (async () => {
      while (!stop) {
        const content = `m${n++}`;
        const afterReconnect = back;
        try {
          const r = await srv.api('POST', '/api/send', { to: 'gus', content, from: 'ops' });
          if (afterReconnect && (r.status === 202 || r.body.stored)) mustArrive.push(content);
        } catch {
          /* the server is down: this one is not sent */
        }
        if (n > 2000) break; // bounded, whatever happens
      }
    })();

    await gus.until(() => contents(gus.seen).length >= 10, '10 messages before the restart');
    await srv.restart();
    await gus.until(() => gus.seen.states.includes('reconnecting') && gus.c.state === 'open', 'the reconnect');
    back = true;
    await gus.until(() => mustArrive.length >= 10 && contents(gus.seen).includes(mustArrive[9]), '10 messages after the reconnect');
    stop = true;
    await sender;
    await gus.until(() => contents(gus.seen).includes(mustArrive.at(-1)), 'the last message sent');

    const got = contents(gus.seen);
    const ids = gus.seen.messages.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length, 'no id delivered twice');
    assert.equal(new Set(got).size, got.length, 'no content delivered twice');
    const nums = got.map((c) => Number(c.slice(1)));
    assert.deepEqual(nums, [...nums].sort((a, b) => a - b), 'in the order sent');
    for (const c of mustArrive) assert.ok(got.includes(c), `${c} arrived`);
    assert.ok(gus.seen.errors.some((e) => e.kind === 'close' && e.code === 1001), 'the shutdown closed with 1001 (going away)');
  });
}

for (const transport of ['ws', 'sse']) {
  test(`${transport}: with -data-dir, a restart mid-stream loses nothing accepted and hands no id twice to the handlers`, async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wsc-data-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const srv = await startServer(t, '-data-dir', dir, '-ack-timeout', '1s');
    const gus = client(t, srv.ws, { userId: 'gus', transport, reconnect: fast });
    // Acks go 300 ms after each message (autoAck waits for the handler's
    // promise): at the restart some are delivered but not acked, and the new
    // server delivers those again.
    gus.c.on('message', () => new Promise((resolve) => setTimeout(resolve, 300)));
    await gus.c.connect();

    // Every message needs an ack: accepted means on disk, so whatever either
    // server accepted must arrive, including what was in flight at the
    // restart (the new server delivers it again; the client acks it again
    // but its handlers saw it once).
    let n = 0;
    let stop = false;
    const accepted = new Map(); // content → id
    const sender = (async () => {
      while (!stop && n < 2000) {
        const content = `d${n++}`;
        try {
          const r = await srv.api('POST', '/api/send', { to: 'gus', content, from: 'ops', require_ack: true });
          if (r.status === 202 || r.body.stored) accepted.set(content, r.body.id);
        } catch {
          /* the server is down: not accepted */
        }
      }
    })();
    await gus.until(() => contents(gus.seen).length >= 10, '10 messages before the restart');
    await srv.restart();
    await gus.until(() => gus.seen.states.includes('reconnecting') && gus.c.state === 'open', 'the reconnect');
    const atReconnect = accepted.size;
    await eventually(() => accepted.size >= atReconnect + 10, '10 more accepted');
    stop = true;
    await sender;
    const want = [...accepted.keys()];
    await gus.until(() => want.every((c) => contents(gus.seen).includes(c)), `all ${want.length} accepted messages`, 20_000).catch((e) => {
      throw new Error(`${e.message}: missing ${want.filter((c) => !contents(gus.seen).includes(c)).join(', ')}`);
    });
    const ids = gus.seen.messages.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length, 'no id handed to the handlers twice');
    const got = contents(gus.seen);
    assert.equal(new Set(got).size, got.length, 'no content twice');
    for (const [c, id] of accepted) {
      assert.equal(gus.seen.messages.find((m) => m.content === c).id, id, `${c} kept its id`);
    }
  });
}

test('a final close code (3000, replaced) stops reconnecting', async (t) => {
  const srv = await startServer(t);
  const first = client(t, srv.ws, { userId: 'hal', connId: 'phone', reconnect: fast });
  await first.c.connect();
  const second = client(t, srv.ws, { userId: 'hal', connId: 'phone', reconnect: fast });
  await second.c.connect();
  const e = await first.until(() => first.seen.errors.find((e) => e.final), 'a final error');
  assert.equal(e.kind, 'close');
  assert.equal(e.code, 3000);
  assert.equal(first.c.state, 'closed');
  assert.deepEqual(first.seen.states, ['connecting', 'open', 'closed'], 'never reconnecting');
  assert.equal(second.c.state, 'open');
});

for (const transport of ['ws', 'sse', 'auto']) {
  test(`${transport}: an HTTP 401 (no identity) rejects connect() and stops`, async (t) => {
    const srv = await startServer(t);
    const anon = client(t, srv.ws, { transport, reconnect: fast });
    await assert.rejects(anon.c.connect(), (e) => e.kind === 'refused' && e.status === 401 && e.final);
    assert.equal(anon.c.state, 'closed');
    assert.ok(!anon.seen.states.includes('reconnecting'));
  });
}

test('reconnect: false: a lost connection closes the client', async (t) => {
  const srv = await startServer(t);
  const ivy = client(t, srv.ws, { userId: 'ivy', reconnect: false });
  await ivy.c.connect();
  await srv.stop();
  const e = await ivy.until(() => ivy.seen.errors.find((e) => e.final), 'a final error');
  assert.equal(e.code, 1001);
  assert.equal(ivy.c.state, 'closed');
});

test('connect() waits through refused attempts until the server is there', async (t) => {
  const srv = await startServer(t);
  await srv.stop(); // the port is known, nobody listens on it
  const joe = client(t, srv.ws, { userId: 'joe', reconnect: fast });
  const connected = joe.c.connect();
  await joe.until(() => joe.seen.states.includes('reconnecting'), 'a failed attempt');
  assert.ok(joe.seen.errors.every((e) => e.kind === 'transport' && !e.final));
  await srv.start();
  await connected;
  assert.equal(joe.c.state, 'open');
});

for (const transport of ['ws', 'sse']) {
  test(`${transport}: a frozen server: an unanswered ping gives the connection up, attempts time out, the client is back when it thaws`, async (t) => {
    const srv = await startServer(t);
    const pia = client(t, srv.ws, { userId: 'pia', transport, pingMs: 200, timeoutMs: 1000, reconnect: fast });
    await pia.c.connect();
    srv.freeze(); // SIGSTOP: the TCP connection stays up, nothing answers
    // Over SSE the ping is a POST, which times out as well: either gives up.
    const silent = /no answer from the server within 1000 ms of a ping|an SSE POST failed/;
    await pia.until(() => pia.seen.errors.find((e) => e.kind === 'transport' && silent.test(e.message)), 'the unanswered ping');
    // The kernel still accepts connections for the frozen process: a
    // handshake that hangs is given up, not waited on.
    await pia.until(() => pia.seen.errors.find((e) => /no answer within 1000 ms/.test(e.message)), 'an attempt to time out');
    assert.equal(pia.c.state, 'reconnecting');
    srv.thaw();
    await pia.until(() => pia.c.state === 'open', 'the connection back');
    await srv.api('POST', '/api/send', { to: 'pia', content: 'thawed', from: 'ops' });
    await pia.until(() => contents(pia.seen).includes('thawed'), 'a message after the thaw');
  });
}

test('connect() while reconnecting waits for the next open and makes no second connection', async (t) => {
  const srv = await startServer(t);
  const quinn = client(t, srv.ws, { userId: 'quinn', reconnect: fast });
  await quinn.c.connect();
  await srv.stop();
  await quinn.until(() => quinn.c.state === 'reconnecting', 'reconnecting');
  const again = quinn.c.connect();
  assert.equal(quinn.c.state, 'reconnecting');
  await srv.start();
  await again;
  const stats = await srv.api('GET', '/api/stats');
  assert.equal(stats.status, 200);
  assert.equal(stats.body.connections, 1, 'one connection');
});

test('closed for a flood (3003, rate limited): the client reconnects after a backoff', async (t) => {
  const srv = await startServer(t, '-rate-limit', '1', '-rate-burst', '2');
  const sam = client(t, srv.ws, { userId: 'sam', reconnect: fast });
  await sam.c.connect();
  for (let i = 0; i < 10; i++) sam.c.sendToUser('nobody', `flood ${i}`);
  const e = await sam.until(() => sam.seen.errors.find((e) => e.kind === 'close'), 'the close');
  // The server closes with 3003, but a flooding client often sees only the
  // TCP reset (1006): the server closes its socket with the flood unread.
  assert.ok([3003, 1006].includes(e.code), `closed with ${e.code}`);
  assert.equal(e.final, false);
  const metrics = await srv.api('GET', '/metrics');
  assert.match(metrics.body, /wsc_connection_closes_total\{reason="rate_limited"\} 1\b/);
  await sam.until(() => sam.seen.states.includes('reconnecting') && sam.c.state === 'open', 'the reconnect');
});

test("3000 on the client's own random conn_id (a late attempt of its own) reconnects", async (t) => {
  const srv = await startServer(t);
  const val = client(t, srv.ws, { userId: 'val', reconnect: fast });
  await val.c.connect();
  assert.match(val.c.connId, /^c-/);
  // What a request of val's that waited in a slow server's queue does when it
  // is served at last: it registers under the same conn_id.
  const late = new WebSocket(`${srv.ws}?user_id=val&conn_id=${val.c.connId}`);
  const lateClosed = new Promise((resolve) => late.on('close', (code) => resolve(code)));
  const e = await val.until(() => val.seen.errors.find((e) => e.kind === 'close'), 'the 3000');
  assert.equal(e.code, 3000);
  assert.equal(e.final, false);
  await val.until(() => val.seen.states.includes('reconnecting') && val.c.state === 'open', 'the reconnect');
  assert.equal(await lateClosed, 3000, 'the reconnect replaced the late one in turn');
});
