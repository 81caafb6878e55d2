// The pre-commit case: 1,000 added lines over 20 files, staged. Whole
// process `gitwarden scan --staged` beside the secretlint 13 CLI on the
// same 20 files (what lint-staged would run), median of several runs.
//
//   node_modules/.bin/node bench/secrets-staged.mjs [--runs 9]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { fakeKinds } from './corpus/fakes.ts';
import { createRandom } from './corpus/random.ts';
import { fillerLine } from './corpus/text.ts';
import { median, root } from './secrets-lib.mjs';

const at = process.argv.indexOf('--runs');
const runs = at === -1 ? 9 : Number(process.argv[at + 1]);
const r = createRandom(3);
const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};
const repo = mkdtempSync(join(tmpdir(), 'gitwarden-staged-'));
const git = (...args) => execFileSync('git', args, { cwd: repo, env });

git('init', '-q', '-b', 'main');
const files = Array.from(
  { length: 20 },
  (_, i) => `src/module${i}/file${i}.ts`,
);
const base = files.map(() =>
  Array.from({ length: 200 }, () => fillerLine('ts', r)),
);
const write = (path, lines) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), `${lines.join('\n')}\n`);
};
files.forEach((path, i) => write(path, base[i]));
git('add', '-A');
git('commit', '-qm', 'base');

// 50 new lines per file, in a few places, two of them holding secrets.
files.forEach((path, i) => {
  const lines = [...base[i]];
  for (let n = 0; n < 50; n++) {
    lines.splice(r.int(lines.length), 0, fillerLine('ts', r));
  }
  if (i % 10 === 0) {
    lines.splice(100, 0, `const key = "${fakeKinds['github-pat'].make(r)}";`);
  }
  write(path, lines);
});
git('add', '-A');
const added = git('diff', '--cached', '--numstat')
  .toString()
  .trim()
  .split('\n')
  .reduce((sum, row) => sum + Number(row.split('\t')[0]), 0);

function time(args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    cwd,
    env,
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return {
    ms: Number(process.hrtime.bigint() - start) / 1e6,
    status: result.status,
  };
}

const rc = join(repo, '.secretlintrc.json');
writeFileSync(
  rc,
  JSON.stringify({
    rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }],
  }),
);
const gw = [];
const sl = [];
let status;
for (let i = 0; i < runs; i++) {
  const run = time(
    [join(root, 'bin', 'gitwarden.js'), 'scan', '--staged'],
    repo,
  );
  status = run.status;
  gw.push(run.ms);
  sl.push(
    time(
      [
        join(root, 'node_modules/secretlint/bin/secretlint.js'),
        ...files.map((f) => join(repo, f)),
        '--secretlintrc',
        rc,
      ],
      root,
    ).ms,
  );
}
rmSync(repo, { recursive: true, force: true });

console.log(
  `staged: ${added} added lines over ${files.length} files; load ${loadavg()[0].toFixed(1)}`,
);
console.log(
  `gitwarden scan --staged  median ${median(gw).toFixed(0)} ms (exit ${status}; runs ${gw.map((t) => t.toFixed(0)).join(' ')})`,
);
console.log(
  `secretlint (20 files)    median ${median(sl).toFixed(0)} ms (runs ${sl.map((t) => t.toFixed(0)).join(' ')})`,
);
console.log(`goal < 400 ms: ${median(gw) < 400 ? 'met' : 'NOT met'}`);
