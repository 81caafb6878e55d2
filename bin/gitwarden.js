#!/usr/bin/env node
// The installed command. The code is bundled into dist/ by `npm run build`
// (run automatically by `npm ci` through the prepare script).
import '../dist/cli.js';
