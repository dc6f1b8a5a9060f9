// Send and receive through a real wsc-server over WebSocket and over SSE;
// auto-ack confirms (the server's record says acknowledged); error frames are
// reported; a redelivered id reaches the handlers once.
import { test } from 'node:test';
import WebSocket from 'ws';
import assert from 'node:assert/strict';
import { startServer, eventually } from './server.mjs';
import { client, contents } from './helpers.mjs';

for (const [a, b] of [
  ['ws', 'ws'],
  ['sse', 'sse'],
  ['ws', 'sse'],
]) {
  test(`${a} to ${b}: user and ticket messages both ways`, async (t) => {
    const srv = await startServer(t);
    const alice = client(t, srv.ws, { userId: 'alice', transport: a, tickets: ['T-1'] });
    const bob = client(t, srv.ws, { userId: 'bob', transport: b, tickets: ['T-1'] });
    await Promise.all([alice.c.connect(), bob.c.connect()]);
    assert.equal(alice.c.connectedOver, a);
    assert.equal(bob.c.connectedOver, b);

    alice.c.sendToUser('bob', { content: 'hi bob' });
    const m = await bob.until(() => bob.seen.messages.find((m) => m.content === 'hi bob'), 'bob to get hi bob');
    assert.equal(m.from, 'alice');
    assert.equal(m.to, 'bob');
    assert.ok(m.id, 'the hub gives every message an id');

    bob.c.sendToTicket('T-1', 'hello ticket');
    const tm = await alice.until(() => alice.seen.messages.find((m) => m.content === 'hello ticket'), 'alice to get the ticket message');
    assert.equal(tm.from, 'bob');
    assert.equal(tm.ticket_id, 'T-1');

    // A ticket message goes to every member but the sender.
    alice.c.sendToUser('bob', 'last');
    await bob.until(() => contents(bob.seen).includes('last'), 'bob to get last');
    assert.deepEqual(contents(bob.seen), ['hi bob', 'last']);
    assert.deepEqual(alice.seen.errors, []);
    assert.deepEqual(bob.seen.errors, []);
  });
}

for (const a of ['ws', 'sse']) {
  test(`auto-ack over ${a}: the record says acknowledged`, async (t) => {
    const srv = await startServer(t);
    const carol = client(t, srv.ws, { userId: 'carol', transport: a });
    await carol.c.connect();
    const sent = await srv.api('POST', '/api/send', { to: 'carol', content: 'sign here', require_ack: true, from: 'ops' });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const m = await carol.until(() => carol.seen.messages.find((m) => m.id === sent.body.id), 'carol to get the message');
    assert.equal(m.require_ack, true);
    const rec = await eventually(async () => {
      const r = await srv.api('GET', '/api/records/' + sent.body.id);
      return r.body.delivery === 'acknowledged' && r.body;
    }, 'the record to say acknowledged');
    assert.equal(rec.delivery, 'acknowledged');
  });
}

test('manual ack: rejected goes on the wire as failed, and nothing is acked without it', async (t) => {
  const srv = await startServer(t);
  const dan = client(t, srv.ws, { userId: 'dan', autoAck: false });
  await dan.c.connect();
  const keep = await srv.api('POST', '/api/send', { to: 'dan', content: 'keep', require_ack: true, from: 'ops' });
  const drop = await srv.api('POST', '/api/send', { to: 'dan', content: 'drop', require_ack: true, from: 'ops' });
  await dan.until(() => dan.seen.messages.length >= 2, 'two messages');
  dan.c.ack(drop.body.id, 'rejected', 'not for me');
  await eventually(async () => (await srv.api('GET', '/api/records/' + drop.body.id)).body.status === 'failed', 'the rejected record');
  const k = await srv.api('GET', '/api/records/' + keep.body.id);
  assert.equal(k.body.delivery, 'delivered', 'no ack was sent for the message not acked');
  dan.c.ack(keep.body.id);
  await eventually(async () => (await srv.api('GET', '/api/records/' + keep.body.id)).body.delivery === 'acknowledged', 'the confirmed record');
});

test('a redelivered id reaches the handlers once (the hub resends while a handler holds the ack back)', async (t) => {
  // The hub resends an unacked message after 150 ms, then 300 ms, …
  const srv = await startServer(t, '-ack-timeout', '150ms', '-max-retry', '5');
  let handled = 0;
  let ackNow;
  const acked = new Promise((r) => (ackNow = r));
  const eve = client(t, srv.ws, { userId: 'eve', autoAck: true });
  // The first handler holds the ack back (autoAck waits for the promise it
  // returns) until the hub has resent the message at least once.
  eve.c.on('message', (m) => {
    if (m.content === 'twice?') {
      handled++;
      return acked;
    }
  });
  await eve.c.connect();
  const sent = await srv.api('POST', '/api/send', { to: 'eve', content: 'twice?', require_ack: true, from: 'ops' });
  await eventually(async () => (await srv.api('GET', '/api/records/' + sent.body.id)).body.attempts?.length >= 2, 'a resend');
  ackNow();
  await eventually(async () => (await srv.api('GET', '/api/records/' + sent.body.id)).body.delivery === 'acknowledged', 'the ack');
  assert.equal(handled, 1, 'the handlers saw the id once');
  assert.equal(contents(eve.seen).filter((c) => c === 'twice?').length, 1);
});

test('an error frame is reported with its code and the msg_id of the frame it refers to', async (t) => {
  const srv = await startServer(t);
  const fay = client(t, srv.ws, { userId: 'fay' });
  await fay.c.connect();
  const msgId = fay.c.sendToTicket('no-such-ticket', 'anyone?');
  const e = await fay.until(() => fay.seen.errors.find((e) => e.kind === 'server'), 'an error frame');
  assert.equal(e.code, 4000);
  assert.equal(e.messageId, msgId);
  assert.match(e.message, /^wsc: .*ticket/);
  assert.equal(fay.c.state, 'open', 'an error frame does not close the connection');
});

for (const transport of ['ws', 'sse']) {
  test(`${transport}: lastEventId resumes after that id (last_event_id)`, async (t) => {
    const srv = await startServer(t);
    const first = client(t, srv.ws, { userId: 'olga', transport });
    await first.c.connect();
    for (const content of ['r1', 'r2', 'r3', 'r4']) await srv.api('POST', '/api/send', { to: 'olga', content, from: 'ops' });
    await first.until(() => contents(first.seen).length === 4, 'four messages');
    const r2 = first.seen.messages.find((m) => m.content === 'r2').id;
    assert.equal(first.c.lastEventId, first.seen.messages.find((m) => m.content === 'r4').id);
    first.c.close();

    // A client that saw up to r2 (a page reload keeps lastEventId) gets the rest.
    const second = client(t, srv.ws, { userId: 'olga', transport, lastEventId: r2 });
    await second.c.connect();
    await second.until(() => contents(second.seen).length >= 2, 'the resumed messages');
    await srv.api('POST', '/api/send', { to: 'olga', content: 'r5', from: 'ops' });
    await second.until(() => contents(second.seen).includes('r5'), 'r5');
    assert.deepEqual(contents(second.seen), ['r3', 'r4', 'r5']);
  });
}

test('auto: WebSocket first; where it cannot connect, SSE at once, and SSE from then on', async (t) => {
  const srv = await startServer(t);
  const direct = client(t, srv.ws, { userId: 'uma', transport: 'auto' });
  await direct.c.connect();
  assert.equal(direct.c.connectedOver, 'ws');

  // A WebSocket URL that does not upgrade (404), as behind a proxy that
  // drops WebSockets; the SSE endpoint beside it works.
  let wsAttempts = 0;
  const Counting = class extends WebSocket {
    constructor(...args) {
      super(...args);
      wsAttempts++;
    }
  };
  const blocked = client(t, `ws://127.0.0.1:${srv.port}/no-websocket-here`, {
    userId: 'vic', transport: 'auto', sseUrl: `${srv.http}/sse`, reconnect: { minMs: 50, maxMs: 400 }, WebSocket: Counting,
  });
  await blocked.c.connect();
  assert.equal(blocked.c.connectedOver, 'sse');
  assert.deepEqual(blocked.seen.states, ['connecting', 'open'], 'the fallback is part of the same attempt');
  await srv.restart();
  await blocked.until(() => blocked.seen.states.length >= 4 && blocked.c.state === 'open', 'the reconnect');
  assert.equal(blocked.c.connectedOver, 'sse');
  assert.equal(wsAttempts, 1, 'no WebSocket tried again once SSE worked where it did not');
  await srv.api('POST', '/api/send', { to: 'vic', content: 'over SSE', from: 'ops' });
  await blocked.until(() => contents(blocked.seen).includes('over SSE'), 'a message');
});
