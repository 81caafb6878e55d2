// Benchmarks for the role checks on a push, each printed beside the time
// git itself takes to list the same commits and changed paths (the floor):
//
// 1. pre-push, whole process: 50 commits touching 500 files.
// 2. pre-receive, whole process: 2,000 commits touching 20,000 paths,
//    judged against a policy of 200 rules; with peak memory (RSS).
//
// Run with `npm run build && node bench/roles-push.mjs`. Figures are
// medians; nothing here asserts a time.
import { spawnSync } from 'node:child_process';

import {
  cli,
  fmt,
  git,
  gitEnv,
  medianMs,
  printTable,
  scratch,
} from './lib.mjs';

const ZERO = '0'.repeat(40);
const MESSAGE = 'change\n\nAgent: claude\nTask: GW-3\n';

/** 200 rules: 45 roles of 4 grants, 20 deny rules; dev holds 11 roles. */
function bigPolicy() {
  // The hooks also judge trailers: the commits name an agent dev may use.
  const lines = [
    'agents:',
    '  claude: {}',
    'identities:',
    '  dev:',
    '    logins: [dev]',
    '    emails: [bench@example.com]',
    '    agents: [claude]',
  ];
  const held = ['developer'];
  for (let r = 0; r < 10; r++) held.push(`team${r}`);
  lines.push(`    roles: [${held.join(', ')}]`, 'roles:');
  for (let r = 0; r < 45; r++) {
    lines.push(`  team${r}:`, '    grants:');
    for (let g = 0; g < 4; g++) {
      lines.push(
        `      - actions: [push, create, modify]`,
        `        refs: ['refs/heads/team${r}/g${g}/**']`,
        `        paths: ['src/team${r}/**', '!src/team${r}/private/**']`,
      );
    }
  }
  lines.push('access:', '  deny:');
  for (let d = 0; d < 20; d++) {
    lines.push(
      `    - actions: [modify]`,
      `      paths: ['vendor/lib${d}/**', '**/*.secret${d}']`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A repository with the policy on main and `commits` commits on
 * feature/big, each adding `perCommit` new files: built with fast-import.
 */
function pushRepo(commits, perCommit) {
  const dir = scratch();
  git(['init', '--quiet', '--initial-branch=main'], dir);
  const policy = bigPolicy();
  const stream = [
    'commit refs/heads/main',
    'mark :1',
    'committer Bench <bench@example.com> 1767225600 +0000',
    'data 7',
    'policy',
    `M 100644 inline .gitwarden/policy.yml`,
    `data ${Buffer.byteLength(policy)}`,
    policy,
  ];
  for (let c = 0; c < commits; c++) {
    stream.push(
      'commit refs/heads/feature/big',
      `mark :${c + 2}`,
      `committer Bench <bench@example.com> ${1767225601 + c} +0000`,
      `data ${Buffer.byteLength(MESSAGE)}`,
      MESSAGE,
      `from :${c + 1}`,
    );
    for (let f = 0; f < perCommit; f++) {
      stream.push(
        `M 100644 inline src/d${c % 97}/c${c}/f${f}.ts`,
        'data 1',
        'x',
      );
    }
    stream.push('');
  }
  git(['fast-import', '--quiet'], dir, stream.join('\n'));
  git(['update-ref', 'refs/remotes/origin/main', 'main'], dir);
  git(
    ['symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main'],
    dir,
  );
  return { dir, tip: git(['rev-parse', 'refs/heads/feature/big'], dir) };
}

/** git listing the same commits and changed paths, output discarded. */
function gitFloor(dir, revisions) {
  const args = ['log', '-z', '--raw', '-c', '--root', '--no-renames'];
  const list = `git ${args.join(' ')} --format=%H%x00%P ${revisions.join(' ')} -- >/dev/null`;
  return medianMs('sh', ['-c', list], { cwd: dir }).ms;
}

/** Node starting the CLI and doing nothing: the start-up floor. */
function startup() {
  return medianMs(process.execPath, [cli, '--version']).ms;
}

function hook(dir, args, input, env) {
  return medianMs(
    'sh',
    ['-c', `printf '%s\\n' "$INPUT" | "${process.execPath}" "${cli}" ${args}`],
    {
      cwd: dir,
      runs: 5,
      env: { ...gitEnv, ...env, INPUT: input },
    },
  );
}

function peakRssMb(dir, args, input, env) {
  const result = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      'sh',
      '-c',
      `printf '%s\\n' "$INPUT" | "${process.execPath}" "${cli}" ${args}`,
    ],
    { cwd: dir, env: { ...gitEnv, ...env, INPUT: input }, encoding: 'utf8' },
  );
  const kb = Number(result.stderr.trim().split('\n').pop());
  return kb / 1024;
}

// 1. pre-push: 50 commits x 10 files.
{
  const { dir, tip } = pushRepo(50, 10);
  const input = `refs/heads/feature/big ${tip} refs/heads/feature/big ${ZERO}`;
  const run = hook(dir, 'hook pre-push origin', input, {
    GIT_COMMITTER_EMAIL: 'x@example.com',
  });
  const asDev = hook(dir, 'hook pre-push origin --as dev', input, {});
  if (asDev.last.status !== 0)
    throw new Error(`pre-push refused: ${asDev.last.stderr}`);
  printTable('pre-push: 50 commits, 500 files (whole process)', [
    ['gitwarden --version (start-up)', fmt(startup())],
    [
      'git log --raw (floor)',
      fmt(gitFloor(dir, [tip, '--not', '--remotes=origin'])),
    ],
    ['gitwarden hook pre-push', fmt(asDev.ms), 'target < 300 ms'],
    ['  (unknown identity)', fmt(run.ms)],
  ]);
}

// 2. pre-receive: 2,000 commits x 10 files, 200 rules.
{
  const { dir, tip } = pushRepo(2000, 10);
  const input = `${ZERO} ${tip} refs/heads/feature/big`;
  const env = { REMOTE_USER: 'dev' };
  const run = hook(dir, 'hook pre-receive', input, env);
  if (run.last.status !== 0)
    throw new Error(`pre-receive refused: ${run.last.stderr}`);
  const floor = gitFloor(dir, [
    tip,
    '--not',
    '--exclude=refs/heads/feature/big',
    '--all',
  ]);
  printTable(
    'pre-receive: 2,000 commits, 20,000 paths, 200 rules (whole process)',
    [
      ['git log --raw (floor)', fmt(floor)],
      [
        'gitwarden hook pre-receive',
        fmt(run.ms),
        `${(run.ms / floor).toFixed(1)}x floor; target < 1000 ms`,
      ],
      [
        'peak memory (RSS)',
        `${peakRssMb(dir, 'hook pre-receive', input, env).toFixed(0).padStart(8)} MB`,
        'target < 200 MB',
      ],
    ],
  );
}
