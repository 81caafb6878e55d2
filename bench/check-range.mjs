// Judging a range: `gitwarden check --range` on 1,000 and 10,000 commits,
// beside `commitlint --from --to` with a trailer-exists rule and a bare
// `git log` of the same range (the floor). Wall and CPU time, measured in
// turns so load on a shared machine falls on all of them alike.
import { join } from 'node:path';

import {
  cli,
  fmt,
  interleavedMedians,
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
const both = (run) => `${fmt(run.ms)} wall ${fmt(run.cpuMs)} cpu`;

for (const count of [1_000, 10_000]) {
  const repo = repoWithCommits(count + 1);
  const range = `HEAD~${count}..HEAD`;
  const config = join(repo, '..', `commitlint-${count}.config.mjs`);
  writeFile(
    config,
    "export default { rules: { 'trailer-exists': [2, 'always', 'Agent:'] } };\n",
  );

  const commands = [
    {
      name: 'gitwarden',
      command: process.execPath,
      args: [cli, 'check', '--range', range],
      cwd: repo,
    },
    {
      name: 'git log',
      command: 'git',
      args: ['log', '--format=%H%x00%P%x00%B', range],
      cwd: repo,
    },
  ];
  // commitlint parses every message with a full conventional-commit
  // parser: at 10,000 commits one run takes tens of seconds, so it joins
  // the turns only for the smaller range and is run once for the larger.
  const commitlint = {
    name: 'commitlint',
    command: process.execPath,
    args: [
      commitlintCli,
      '--config',
      config,
      '--from',
      `HEAD~${count}`,
      '--to',
      'HEAD',
    ],
    cwd: repo,
  };
  const small = count <= 1_000;
  const results = interleavedMedians(
    small ? [...commands, commitlint] : commands,
    { runs: small ? 7 : 7 },
  );
  if (!small) {
    Object.assign(results, interleavedMedians([commitlint], { runs: 1 }));
  }
  if (results.gitwarden.last.status !== 0) {
    console.error(
      `gitwarden did not pass the range:\n${results.gitwarden.last.stderr}`,
    );
    process.exitCode = 1;
  }

  printTable(`range of ${count} commits (median, whole process)`, [
    [
      `gitwarden check --range`,
      both(results.gitwarden),
      small ? 'target < 150 ms' : 'target < 600 ms',
    ],
    ['git log of the range (floor)', both(results['git log'])],
    ['commitlint --from --to', both(results.commitlint)],
    [
      'ratio commitlint / gitwarden',
      `${(results.commitlint.ms / results.gitwarden.ms).toFixed(1)}x wall`,
    ],
  ]);
}
