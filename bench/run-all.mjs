// `npm run bench`: every benchmark in this folder, one after another (they
// would disturb each other's figures if run side by side). A benchmark
// prints its own figures; this only sequences them and reports failures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { root } from './lib.mjs';

const only = process.argv.slice(2);
const scripts = readdirSync(join(root, 'bench'))
  .filter((name) => name.endsWith('.mjs'))
  .filter((name) => !['lib.mjs', 'run-all.mjs'].includes(name))
  .filter((name) => !name.startsWith('_'))
  .filter((name) => only.length === 0 || only.some((o) => name.includes(o)))
  .sort();

const failed = [];
for (const name of scripts) {
  console.log(`\n### bench/${name}`);
  const result = spawnSync(process.execPath, [join(root, 'bench', name)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`\nbenchmarks that failed to run: ${failed.join(', ')}`);
  process.exitCode = 1;
}
