// The commit-msg hook's cost: `gitwarden check --message-file` on one
// message, whole process including Node start-up, beside commitlint's
// `--edit` with a trailer-exists rule on the same message.
import { join } from 'node:path';

import {
  cli,
  fmt,
  git,
  medianMs,
  printTable,
  root,
  scratch,
  writeFile,
} from './lib.mjs';

const repo = scratch();
git(['init', '--quiet', '--initial-branch=main'], repo);
git(
  ['commit', '--quiet', '--allow-empty', '-m', 'base\n\nAgent: a\nTask: T-1'],
  repo,
);

const message = join(repo, '.git', 'COMMIT_EDITMSG');
writeFile(
  message,
  'Add the thing\n\nWhy the thing is needed.\n\nAgent: claude\nTask: GW-2\n',
);
const config = join(repo, 'commitlint.config.mjs');
writeFile(
  config,
  `export default { rules: {
    'trailer-exists': [2, 'always', 'Agent:'],
  } };\n`,
);

const gitwarden = medianMs(
  process.execPath,
  [cli, 'check', '--message-file', message],
  { cwd: repo },
);
const commitlint = medianMs(
  process.execPath,
  [
    join(root, 'node_modules', '@commitlint', 'cli', 'cli.js'),
    '--config',
    config,
    '--edit',
    message,
  ],
  { cwd: repo },
);
const bare = medianMs(process.execPath, ['-e', ''], { cwd: repo });

for (const [name, run] of [
  ['gitwarden', gitwarden],
  ['commitlint', commitlint],
]) {
  if (run.last.status !== 0) {
    console.error(`${name} did not pass the message:\n${run.last.stderr}`);
    process.exitCode = 1;
  }
}

printTable('commit-msg check of one message (median of 9, whole process)', [
  ['gitwarden check --message-file', fmt(gitwarden.ms), 'target < 100 ms'],
  ['commitlint --edit (trailer-exists)', fmt(commitlint.ms)],
  ['node -e "" (start-up floor)', fmt(bare.ms)],
  [
    'ratio commitlint / gitwarden',
    `${(commitlint.ms / gitwarden.ms).toFixed(1)}x`,
  ],
]);
