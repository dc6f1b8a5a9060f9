// The offline path: 1,000 messages sent to a user with no connection arrive,
// in order, when the user connects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { client, contents } from './helpers.mjs';

const BACKLOG = 1000; // the server's default offline store holds 1,000 per user

for (const transport of ['ws', 'sse']) {
  test(`${transport}: an offline backlog of ${BACKLOG} arrives in order`, async (t) => {
    const srv = await startServer(t);
    for (let i = 0; i < BACKLOG; i++) {
      const r = await srv.api('POST', '/api/send', { to: 'kim', content: `b${i}`, from: 'ops' });
      assert.equal(r.status, 404, 'kim is offline');
      assert.equal(r.body.stored, true, `b${i} is kept in the offline store`);
    }
    const kim = client(t, srv.ws, { userId: 'kim', transport });
    await kim.c.connect();
    await kim.until(() => contents(kim.seen).length >= BACKLOG, `${BACKLOG} messages`, 30_000).catch((e) => {
      throw new Error(`${e.message}: got ${contents(kim.seen).length}`);
    });
    const want = Array.from({ length: BACKLOG }, (_, i) => `b${i}`);
    assert.deepEqual(contents(kim.seen), want);
    const seqs = kim.seen.messages.filter((m) => m.type !== 'welcome').map((m) => m.seq_no);
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], `seq_no increases at ${i}`);
  });
}
