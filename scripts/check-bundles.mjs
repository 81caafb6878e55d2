// Fails when a committed action bundle (actions/NAME/dist/index.js) is not
// what the sources build today, as GitHub's action templates check their
// dist/ folders. Compares against the committed file (git HEAD), so a
// build that just rewrote the working tree cannot hide a stale commit.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bundleActions, bundlePaths, root } from './action-bundles.mjs';

const fresh = mkdtempSync(join(tmpdir(), 'gitwarden-bundles-'));
const stale = [];
try {
  await bundleActions(fresh);
  for (const path of bundlePaths()) {
    const built = readFileSync(join(fresh, path), 'utf8');
    if (committed(path) !== built) stale.push(path);
  }
} finally {
  rmSync(fresh, { recursive: true, force: true });
}

if (stale.length > 0) {
  console.error(
    [
      'check-bundles: these committed action bundles are out of date:',
      ...stale.map((path) => `  ${path}`),
      'Run `npm run build` and commit actions/*/dist.',
    ].join('\n'),
  );
  process.exit(1);
}
console.log(
  `check-bundles: ${bundlePaths().length} action bundle files up to date`,
);

function committed(path) {
  try {
    return execFileSync('git', ['show', `HEAD:${path}`], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined; // not committed at all
  }
}
