// Helpers around WscClient for the tests: a client that records what it saw,
// and waits on its events.
import WebSocket from 'ws';
import { WscClient } from '../dist/index.js';
import { withTimeout } from './server.mjs';

/**
 * client makes a WscClient (the ws package's WebSocket: Node 20 has none) that
 * records messages, states and errors, and is closed when the test ends.
 */
export function client(t, url, opts) {
  const c = new WscClient(url, { WebSocket, ...opts });
  const seen = { messages: [], states: [], errors: [] };
  const waiters = [];
  const wake = () => {
    for (const w of [...waiters]) {
      const v = w.check();
      if (v) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(v);
      }
    }
  };
  c.on('message', (m) => {
    seen.messages.push(m);
    wake();
  });
  c.on('state', (s) => {
    seen.states.push(s);
    wake();
  });
  c.on('error', (e) => {
    seen.errors.push(e);
    wake();
  });
  /** until resolves with check()'s first truthy value, checked on every event. */
  const until = (check, what, ms = 10_000) => {
    const v = check();
    if (v) return Promise.resolve(v);
    return withTimeout(new Promise((resolve) => waiters.push({ check, resolve })), ms, what);
  };
  t.after(() => c.close());
  return { c, seen, until };
}

/** contents lists the content of the messages seen, skipping welcome frames. */
export function contents(seen) {
  return seen.messages.filter((m) => m.type !== 'welcome').map((m) => m.content);
}
