// `npm test` runs this before vitest: it makes sure the system packages the
// tests need are installed, so no test is ever skipped for a missing tool.
// As root it installs what is missing with apt-get; otherwise it fails and
// prints the exact command to run. Add a package by adding a row below.
import { spawnSync } from 'node:child_process';

/** Debian packages the tests need, each with a command proving it works. */
const PACKAGES = [
  {
    name: 'gitolite3',
    why: 'test/gitolite*.test.ts compares gitwarden with `gitolite access`',
    // `gitolite query-rc` answers without a set-up gitolite install.
    probe: ['gitolite', ['query-rc', '-a']],
  },
  {
    name: 'chromium',
    why: 'test/dashboard-browser.test.ts opens the dashboard in Chromium (playwright-core, no browser download)',
    probe: ['/usr/bin/chromium', ['--headless', '--no-sandbox', '--version']],
  },
];

function works([command, args]) {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

function run(command, args) {
  console.log(`test-setup: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

const missing = PACKAGES.filter((pkg) => !works(pkg.probe));
if (missing.length > 0) {
  const names = missing.map((pkg) => pkg.name);
  const command = `apt-get update && apt-get install -y ${names.join(' ')}`;
  for (const pkg of missing) {
    console.log(`test-setup: missing ${pkg.name} (${pkg.why})`);
  }
  const isRoot = process.getuid?.() === 0;
  const installed =
    isRoot &&
    run('apt-get', ['update']) &&
    run('apt-get', ['install', '-y', '--no-install-recommends', ...names]);
  const still = missing.filter((pkg) => !works(pkg.probe));
  if (!installed || still.length > 0) {
    console.error(
      `test-setup: cannot run the tests without ${still
        .map((pkg) => pkg.name)
        .join(', ')}.\n` + `test-setup: install as root with: ${command}`,
    );
    process.exit(1);
  }
}
