// Judging a range: `gitwarden check --range` on 1,000 and 10,000 commits,
// beside `commitlint --from --to` with a trailer-exists rule and a bare
// `git log` of the same range (the floor).
import { join } from 'node:path';

import {
  cli,
  fmt,
  gitEnv,
  medianMs,
  printTable,
  repoWithCommits,
  root,
  writeFile,
} from './lib.mjs';

const commitlintCli = join(
  root,
  'node_modules',
  '@commitlint',
  'cli',
  'cli.js',
);

for (const count of [1_000, 10_000]) {
  const repo = repoWithCommits(count + 1);
  const range = `HEAD~${count}..HEAD`;
  const config = join(repo, '..', `commitlint-${count}.config.mjs`);
  writeFile(
    config,
    "export default { rules: { 'trailer-exists': [2, 'always', 'Agent:'] } };\n",
  );

  const runs = count > 1_000 ? 5 : 9;
  const gitwarden = medianMs(
    process.execPath,
    [cli, 'check', '--range', range],
    {
      cwd: repo,
      runs,
    },
  );
  const gitLog = medianMs('git', ['log', '--format=%H%x00%P%x00%B', range], {
    cwd: repo,
    runs,
    env: gitEnv,
  });
  if (gitwarden.last.status !== 0) {
    console.error(
      `gitwarden did not pass the range:\n${gitwarden.last.stderr}`,
    );
    process.exitCode = 1;
  }

  const rows = [
    [
      `gitwarden check --range (${count})`,
      fmt(gitwarden.ms),
      count > 1_000 ? 'target < 600 ms' : 'target < 150 ms',
    ],
    [`git log of the range (floor)`, fmt(gitLog.ms)],
  ];
  // commitlint spawns a git process per range and parses every message
  // with a full conventional-commit parser; at 10,000 commits one run
  // takes tens of seconds, so it is measured once there.
  const commitlint = medianMs(
    process.execPath,
    [
      commitlintCli,
      '--config',
      config,
      '--from',
      `HEAD~${count}`,
      '--to',
      'HEAD',
    ],
    { cwd: repo, runs: count > 1_000 ? 1 : 3 },
  );
  rows.push([`commitlint --from --to`, fmt(commitlint.ms)]);
  rows.push([
    'ratio commitlint / gitwarden',
    `${(commitlint.ms / gitwarden.ms).toFixed(1)}x`,
  ]);
  printTable(`range of ${count} commits (median, whole process)`, rows);
}
