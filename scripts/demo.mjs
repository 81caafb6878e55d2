// `npm run demo`: gitwarden on real git, with nothing set up beforehand.
// A scratch repository is made in a temporary folder with real `git`
// commands; people and agents commit and push to a real bare remote, and
// gitwarden judges what arrives. Exits 0 when every step ran, whatever the
// verdicts; non-zero when a step could not run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { demoActions } from './demo-actions.mjs';
import * as ledgerReport from './demo/ledger-report.mjs';
import * as trailers from './demo/trailers.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'gitwarden-demo-'));
const ctx = {
  scratch,
  remote: join(scratch, 'remote.git'),
  clone: join(scratch, 'work'),
};

console.log(`gitwarden demo in ${scratch}`);
try {
  trailers.run(ctx);
  ledgerReport.run(ctx);
  // The bundled GitHub Actions, run as the runner runs them, on a push
  // and a pull request of a scratch repository.
  await demoActions(ctx.scratch);
} catch (error) {
  console.error(`\ndemo failed: ${error.message}`);
  process.exit(1);
}
console.log(`\ndemo finished; the scratch repositories are in ${scratch}`);
