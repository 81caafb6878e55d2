// The commit-msg hook's cost: `gitwarden check --message-file` on one
// message, whole process including Node start-up, beside commitlint's
// `--edit` with a trailer-exists rule on the same message.
import { join } from 'node:path';

import {
  cli,
  fmt,
  git,
  interleavedMedians,
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

const results = interleavedMedians([
  {
    name: 'gitwarden',
    command: process.execPath,
    args: [cli, 'check', '--message-file', message],
    cwd: repo,
  },
  {
    name: 'commitlint',
    command: process.execPath,
    args: [
      join(root, 'node_modules', '@commitlint', 'cli', 'cli.js'),
      '--config',
      config,
      '--edit',
      message,
    ],
    cwd: repo,
  },
  { name: 'node', command: process.execPath, args: ['-e', ''], cwd: repo },
]);
const { gitwarden, commitlint, node: bare } = results;

for (const [name, run] of [
  ['gitwarden', gitwarden],
  ['commitlint', commitlint],
]) {
  if (run.last.status !== 0) {
    console.error(`${name} did not pass the message:\n${run.last.stderr}`);
    process.exitCode = 1;
  }
}

const both = (run) => `${fmt(run.ms)} wall ${fmt(run.cpuMs)} cpu`;
printTable(
  'commit-msg check of one message (median of 15, measured in turns, whole process)',
  [
    ['gitwarden check --message-file', both(gitwarden), 'target < 100 ms'],
    ['commitlint --edit (trailer-exists)', both(commitlint)],
    ['node -e "" (start-up floor)', both(bare)],
    [
      'ratio commitlint / gitwarden',
      `${(commitlint.ms / gitwarden.ms).toFixed(1)}x wall, ` +
        `${(commitlint.cpuMs / gitwarden.cpuMs).toFixed(1)}x cpu`,
    ],
  ],
);
