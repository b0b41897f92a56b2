#!/usr/bin/env node
// Thin launcher: the CLI itself is bundled from electron/cli by `npm run build:node`.
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'out', 'node', 'cli.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('error: qmp-monitor is not built yet; run `npm run build:node` in ' + path.dirname(__dirname) + '\n');
  process.exit(2);
}
require(bundle);
