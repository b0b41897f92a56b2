// Bundles the Node programs that share the Electron-free core (CLI, web bridge, bench)
// into single CommonJS files under out/node, so they start fast and need no TypeScript at run time.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = {
  cli: 'electron/cli/main.ts',
  web: 'electron/web/main.ts',
  bench: 'bench/main.ts',
};

const present = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));

await build({
  entryPoints: present,
  outdir: 'out/node',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  external: ['electron', 'playwright-core'],
  logLevel: 'warning',
});
