#!/usr/bin/env node
// The installed command. The code is bundled into dist/ by `npm run build`
// (run automatically by `npm ci` through the prepare script).
//
// Hooks start gitwarden on every commit, so start-up matters: Node's
// on-disk compile cache (Node 22.1+) skips re-parsing the bundle.
import module from 'node:module';

module.enableCompileCache?.();
await import('../dist/cli.js');
