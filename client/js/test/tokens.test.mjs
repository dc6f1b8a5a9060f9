// Tokens against a server started with -jwt-secret: the token travels in the
// bearer.<token> subprotocol (WS) or the Authorization header (SSE); a
// refresh frame is answered from the token function and the connection stays
// open; a string token cannot be refreshed, so the 4001 close is followed by
// a final 401; a bad token is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer, eventually } from './server.mjs';
import { client, contents } from './helpers.mjs';

const secret = 'a-test-secret-of-at-least-32-bytes!!';

/** jwt signs claims with HS256. */
function jwt(claims, key = secret) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
}

/** tokenFor makes tokens for sub that expire in secs seconds, counting them. */
function tokenFor(sub, secs) {
  const fn = () => {
    fn.calls++;
    return jwt({ sub, exp: Math.floor(Date.now() / 1000) + secs, tickets: ['T-1'] });
  };
  fn.calls = 0;
  return fn;
}

const fast = { minMs: 50, maxMs: 400 };

for (const transport of ['ws', 'sse']) {
  test(`${transport}: a token function answers the refresh frame and the connection stays open`, async (t) => {
    const srv = await startServer(t, '-jwt-secret', secret, '-jwt-refresh-grace', '2s');
    const rob = tokenFor('rob', 2); // exp is in whole seconds: valid for 1 to 2 s, then the server asks for a new one
    const r = client(t, srv.ws, { token: rob, transport, reconnect: fast });
    const sue = client(t, srv.ws, { token: () => jwt({ sub: 'sue', exp: Math.floor(Date.now() / 1000) + 600, tickets: ['T-1'] }), transport });
    await Promise.all([r.c.connect(), sue.c.connect()]);
    assert.equal(rob.calls, 1);
    // rob's first token expires: the server asks, the function gives a new
    // one (valid 1 to 2 s again), then again.
    await eventually(() => rob.calls >= 3, 'two refreshes', 10_000);
    // What rob sends now is posted (SSE) with the new token.
    r.c.sendToTicket('T-1', 'still me');
    await sue.until(() => contents(sue.seen).includes('still me'), "sue to get rob's message");
    assert.equal(sue.seen.messages.find((m) => m.content === 'still me').from, 'rob', 'the identity is the token subject');
    assert.deepEqual(r.seen.states, ['connecting', 'open'], 'never closed');
    assert.deepEqual(r.seen.errors, []);
  });

  test(`${transport}: a string token: the refresh goes unanswered, 4001, then the expired token is refused for good`, async (t) => {
    const srv = await startServer(t, '-jwt-secret', secret, '-jwt-refresh-grace', '200ms');
    const tom = client(t, srv.ws, { token: tokenFor('tom', 2)(), transport, reconnect: fast });
    await tom.c.connect();
    const final = await tom.until(() => tom.seen.errors.find((e) => e.final), 'a final error', 10_000);
    assert.equal(final.kind, 'refused');
    assert.equal(final.status, 401);
    assert.ok(tom.seen.errors.some((e) => e.kind === 'token'), 'told that the token cannot be refreshed');
    assert.ok(tom.seen.errors.some((e) => e.kind === 'close' && e.code === 4001 && !e.final), 'closed with 4001, a code to reconnect after');
    assert.equal(tom.c.state, 'closed');
  });

  test(`${transport}: a token signed with another key is refused with 401`, async (t) => {
    const srv = await startServer(t, '-jwt-secret', secret);
    const bad = jwt({ sub: 'eve', exp: Math.floor(Date.now() / 1000) + 600 }, 'another-secret-of-at-least-32-bytes!!');
    const eve = client(t, srv.ws, { token: bad, transport, reconnect: fast });
    await assert.rejects(eve.c.connect(), (e) => e.kind === 'refused' && e.status === 401);
    // And no token at all, with only a user id, is not an identity here.
    const anon = client(t, srv.ws, { userId: 'eve', transport, reconnect: fast });
    await assert.rejects(anon.c.connect(), (e) => e.kind === 'refused' && e.status === 401);
  });
}
