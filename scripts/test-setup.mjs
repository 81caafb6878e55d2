// Run by `npm test` before vitest: makes sure the Debian packages the test
// suite drives are installed. As root it installs what is missing with
// apt-get; otherwise it stops and prints the exact command to run.
// Each entry names a file the package provides and the package itself.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PACKAGES = [
  // The dashboard's browser tests (test/dashboard-browser.test.ts) drive
  // Debian's Chromium through playwright-core; no browser is downloaded.
  { file: '/usr/bin/chromium', pkg: 'chromium' },
];

const missing = PACKAGES.filter(({ file }) => !existsSync(file)).map(
  ({ pkg }) => pkg,
);
if (missing.length > 0) {
  const install = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(`test-setup: missing Debian packages: ${missing.join(', ')}`);
    console.error(`test-setup: run as root: apt-get update && ${install}`);
    process.exit(1);
  }
  console.log(`test-setup: installing ${missing.join(', ')}`);
  for (const command of ['apt-get update', install]) {
    const result = spawnSync('sh', ['-c', command], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0) {
      console.error(`test-setup: '${command}' failed (exit ${result.status})`);
      process.exit(1);
    }
  }
}
