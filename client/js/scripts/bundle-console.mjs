// Bundles the package into one ES module for the server's console
// (cmd/wsc-server/web/wsc-client.js), which the Go binary embeds: the console
// loads nothing from elsewhere, and `go build` needs no Node. The bundle is
// committed; check-built.mjs (run by `make test`) fails when it is stale.
//
// Usage: node scripts/bundle-console.mjs [outfile]
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const consoleBundle = path.resolve(here, '../../../cmd/wsc-server/web/wsc-client.js');

export async function bundle(outfile = consoleBundle) {
  await esbuild.build({
    entryPoints: [path.resolve(here, '../src/index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    legalComments: 'none',
    charset: 'utf8',
    banner: { js: '// Generated from client/js (npm run build): do not edit; the console imports it.' },
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundle(process.argv[2]);
}
