// Fails when the committed build is stale: dist/ (what `npm install` of this
// folder gives) and the console's bundle must be what the sources build to
// now. It builds both into a temporary folder and compares byte for byte.
// Then it compiles test/types/consumer.ts against dist/ (types only).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, consoleBundle } from './bundle-console.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function staleFiles() {
  const tmp = mkdtempSync(path.join(tmpdir(), 'wsc-js-'));
  try {
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json'), '--outDir', path.join(tmp, 'dist')], {
      stdio: 'inherit',
    });
    await bundle(path.join(tmp, 'wsc-client.js'));
    const stale = [];
    const fresh = readdirSync(path.join(tmp, 'dist')).sort();
    const committed = existsSync(path.join(root, 'dist')) ? readdirSync(path.join(root, 'dist')).sort() : [];
    for (const f of new Set([...fresh, ...committed])) {
      const a = path.join(tmp, 'dist', f);
      const b = path.join(root, 'dist', f);
      if (!existsSync(a) || !existsSync(b) || !readFileSync(a).equals(readFileSync(b))) stale.push('client/js/dist/' + f);
    }
    if (!existsSync(consoleBundle) || !readFileSync(consoleBundle).equals(readFileSync(path.join(tmp, 'wsc-client.js')))) {
      stale.push('cmd/wsc-server/web/wsc-client.js');
    }
    return stale;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const stale = await staleFiles();
  if (stale.length > 0) {
    console.error(`stale build output (run \`cd client/js && npm run build\` and commit it):\n  ${stale.join('\n  ')}`);
    process.exit(1);
  }
  console.log('client/js: dist/ and the console bundle are up to date');
  // The declarations serve a strict TypeScript caller; wrong uses fail to compile.
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'test', 'types', 'tsconfig.json')], { stdio: 'inherit' });
  console.log('client/js: the type declarations compile for a strict caller (test/types)');
}
