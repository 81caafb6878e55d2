// `npm run demo`: gitwarden on real git, with nothing set up beforehand.
// Builds a scratch repository in a temporary folder with real `git`
// commands and runs the gitwarden command on it. Exits 0 when every step
// ran (whatever the verdicts), non-zero when a step could not run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'gitwarden.js');
const scratch = mkdtempSync(join(tmpdir(), 'gitwarden-demo-'));

const gitEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

function step(title) {
  console.log(`\n== ${title}`);
}

/** Runs gitwarden and shows its output; a verdict is not a failed step. */
function gitwarden(args, cwd) {
  console.log(`$ gitwarden ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    env: gitEnv,
    stdio: 'inherit',
  });
  if (result.error || result.status === null || result.status >= 2) {
    throw new Error(`step failed: gitwarden ${args.join(' ')}`);
  }
  return result.status;
}

function git(args, cwd) {
  return execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });
}

step(`scratch repository in ${scratch}`);
const repo = join(scratch, 'work');
mkdirSync(join(repo, '.gitwarden'), { recursive: true });
git(['init', '--quiet', '--initial-branch=main'], repo);
writeFileSync(
  join(repo, '.gitwarden', 'policy.yml'),
  [
    'version: 1',
    'trailers:',
    '  required:',
    '    - key: Agent',
    '      pattern: "^[a-z][a-z0-9-]*$"',
    '    - key: Task',
    '      pattern: "^[A-Z]+-[0-9]+$"',
    '',
  ].join('\n'),
);
gitwarden(['policy', 'validate', '.gitwarden/policy.yml'], repo);

console.log(`\ndemo finished; scratch repository left in ${scratch}`);
