// Compiled (never run) by `npm run check-built`: the declarations in dist/
// serve a strict TypeScript caller, and wrong uses do not compile.
import WebSocket from 'ws';
import { WscClient, WscError, type Message, type State, type ErrorKind } from '../../dist/index.js';

const c = new WscClient('ws://127.0.0.1:8080/ws', {
  WebSocket,
  userId: 'alice',
  transport: 'auto',
  autoAck: true,
  reconnect: { minMs: 500, maxMs: 30_000 },
  sendBuffer: 256,
  token: async () => 'a.jwt.token',
});

const off = c.on('message', (m: Message) => {
  const text: string | undefined = m.content;
  if (m.require_ack && m.id) c.ack(m.id, 'rejected', 'no thanks');
  return Promise.resolve(text); // autoAck waits for it
});
off();
c.on('state', (s: State) => {
  const known: 'connecting' | 'open' | 'reconnecting' | 'closed' = s;
  void known;
});
c.on('error', (e: WscError) => {
  const kind: ErrorKind = e.kind;
  const final: boolean = e.final;
  void [kind, final, e.code, e.status, e.messageId];
});

async function main(): Promise<void> {
  await c.connect();
  const id: string = c.sendToUser('bob', { type: 'text', content: 'hi' });
  c.sendToTicket('T-1', 'hello ticket');
  c.send({ to: 'bob', content: 'raw frame', priority: 'high' });
  c.autoAck = false;
  void [id, c.state, c.lastEventId, c.connectedOver, c.buffered];
  c.close();
}
void main;

// @ts-expect-error: not an event
c.on('messages', () => {});
// @ts-expect-error: not a transport
new WscClient('ws://h/ws', { transport: 'tcp' });
// @ts-expect-error: an ack is confirmed or rejected
c.ack('id', 'maybe');
// @ts-expect-error: the routing key is the method's
c.sendToUser('bob', { to: 'carol', content: 'x' });
