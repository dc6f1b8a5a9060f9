// The real wsc-server for the tests: built once with `go build` (or taken from
// WSC_SERVER_BIN, as `make test` passes it), started on a free loopback port,
// stopped with SIGTERM, restarted on the same port.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');

let bin;
let devFlag;

/**
 * serverBin is WSC_SERVER_BIN, or the binary `npm test` builds first
 * (pretest), or one this process builds for itself (a test file run alone).
 */
export function serverBin() {
  if (bin) return bin;
  const built = path.join(here, '..', '.cache', 'wsc-server');
  if (process.env.WSC_SERVER_BIN) {
    bin = path.resolve(process.env.WSC_SERVER_BIN);
  } else if (existsSync(built) && process.env.npm_lifecycle_event === 'test') {
    bin = built;
  } else {
    const out = path.join(here, '..', '.cache', `wsc-server-${process.pid}`);
    mkdirSync(path.dirname(out), { recursive: true });
    execFileSync('go', ['build', '-o', out, './cmd/wsc-server'], { cwd: repo, stdio: 'inherit' });
    process.on('exit', () => rmSync(out, { force: true }));
    bin = out;
  }
  if (!existsSync(bin)) throw new Error(`wsc-server binary not found at ${bin}`);
  return bin;
}

/**
 * devIdentity is ['-dev-identity'] when the server has that flag (it takes
 * the ?user_id= identity only with it), [] for a server that always takes it.
 */
function devIdentity() {
  if (devFlag === undefined) {
    // -h prints the flags on stderr and may exit non-zero: read both streams.
    const r = spawnSync(serverBin(), ['-h'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const usage = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    devFlag = /-dev-identity\b/.test(usage) ? ['-dev-identity'] : [];
  }
  return devFlag;
}

/** A running server. */
export class Server {
  constructor(args) {
    this.args = args;
    this.port = 0;
    this.proc = null;
    this.log = '';
  }

  get http() {
    return `http://127.0.0.1:${this.port}`;
  }

  get ws() {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  /** start runs the binary and resolves once it listens (on port 0 the first time: the kernel picks). */
  async start() {
    // Tokens exclude the development identity, and need an API key.
    const tokens = this.args.includes('-jwt-secret');
    this.apiKey = tokens ? 'the-node-tests-api-key' : '';
    const who = tokens ? ['-api-key', this.apiKey] : devIdentity();
    const args = ['-addr', `127.0.0.1:${this.port}`, ...who, ...this.args];
    // WSC_MEMORY: the test servers keep nothing on disk (the default
    // -data-dir, ./wsc-data, would be shared by the servers running at once),
    // unless a test gives a -data-dir of its own.
    const memory = this.args.includes('-data-dir') ? 'false' : 'true';
    const proc = spawn(serverBin(), args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WSC_ADDR: '', WSC_MEMORY: memory } });
    this.proc = proc;
    const listening = new Promise((resolve, reject) => {
      const onData = (chunk) => {
        this.log += chunk;
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(this.log);
        if (m) {
          this.port = Number(m[1]);
          resolve();
        }
      };
      proc.stdout.setEncoding('utf8').on('data', onData);
      proc.stderr.setEncoding('utf8').on('data', onData);
      proc.once('exit', (code) => reject(new Error(`wsc-server exited (${code}) before listening:\n${this.log}`)));
    });
    this.exited = new Promise((resolve) => proc.once('exit', resolve));
    await withTimeout(listening, 15_000, 'wsc-server to listen');
  }

  /** freeze stops the process (SIGSTOP): its sockets stay open, nothing answers. */
  freeze() {
    this.proc.kill('SIGSTOP');
  }

  /** thaw lets a frozen process go on (SIGCONT). */
  thaw() {
    this.proc.kill('SIGCONT');
  }

  /** stop sends SIGTERM (the server closes connections with 1001) and waits for the exit. */
  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    this.proc.kill('SIGCONT'); // a frozen process would keep SIGTERM pending
    this.proc.kill('SIGTERM');
    await withTimeout(this.exited, 15_000, 'wsc-server to exit');
  }

  async restart() {
    await this.stop();
    this.log = '';
    await this.start();
  }

  /** api calls the HTTP API and answers {status, body}. */
  async api(method, p, body) {
    const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
    if (this.apiKey) headers['X-API-Key'] = this.apiKey;
    const resp = await fetch(this.http + p, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await resp.text();
    let data = text;
    try {
      data = JSON.parse(text);
    } catch {
      /* keep the text */
    }
    return { status: resp.status, body: data };
  }
}

/** startServer starts a server with extra flags and stops it when the test ends. */
export async function startServer(t, ...args) {
  const s = new Server(args);
  await s.start();
  t.after(() => s.stop());
  return s;
}

export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** eventually polls check (which may be async) until it returns a truthy value. */
export async function eventually(check, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
