// Shared helpers for the benchmarks. Machines are shared and noisy, so
// every figure is a median over several runs, printed beside an
// alternative measured in the same script; no benchmark asserts a time.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cli = join(root, 'bin', 'gitwarden.js');

export const gitEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};

export function scratch(prefix = 'gitwarden-bench-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function git(args, cwd, input) {
  return execFileSync('git', args, {
    cwd,
    env: gitEnv,
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  }).trim();
}

/** Runs a command `runs` times (after one warm-up) and returns the median ms. */
export function medianMs(command, args, { cwd, runs = 9, env = gitEnv } = {}) {
  const times = [];
  let last;
  for (let i = 0; i <= runs; i++) {
    const start = process.hrtime.bigint();
    last = spawnSync(command, args, {
      cwd,
      env,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (last.error) throw last.error;
    if (i > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], last };
}

export function printTable(title, rows) {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((row) => row[0].length));
  for (const [name, value, note = ''] of rows) {
    console.log(`  ${name.padEnd(width)}  ${value}${note ? `  ${note}` : ''}`);
  }
}

export function fmt(ms) {
  return `${ms.toFixed(1).padStart(8)} ms`;
}

/**
 * A repository of `count` commits built with fast-import (seconds, not
 * minutes, for 10,000 commits). Every commit carries Agent and Task.
 */
export function repoWithCommits(count, { trailers = true } = {}) {
  const dir = scratch();
  git(['init', '--quiet', '--initial-branch=main'], dir);
  const lines = [];
  for (let i = 1; i <= count; i++) {
    const body = trailers
      ? `change ${i}\n\nWhat and why of change ${i}.\n\nAgent: claude\nTask: GW-${i}\n`
      : `change ${i}\n`;
    lines.push(
      'commit refs/heads/main',
      `mark :${i}`,
      `committer Bench <bench@example.com> ${1767225600 + i} +0000`,
      `data ${Buffer.byteLength(body)}`,
      body,
      ...(i > 1 ? [`from :${i - 1}`] : []),
      `M 100644 inline file${i % 50}.txt`,
      `data ${String(i).length}`,
      String(i),
      '',
    );
  }
  git(['fast-import', '--quiet'], dir, lines.join('\n'));
  git(['checkout', '--quiet', 'main'], dir);
  return dir;
}

export function writeFile(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/**
 * Medians of several commands measured in turns (a, b, c, a, b, c, ...),
 * so a burst of load on a shared machine falls on all of them alike. Each
 * run is wrapped in /usr/bin/time, so besides wall time the CPU time (user
 * + system, child processes such as git included) is reported: on a busy
 * machine it moves far less than wall time. Returns
 * { name: { ms, cpuMs, last } }.
 */
export function interleavedMedians(commands, { runs = 15, env = gitEnv } = {}) {
  const wall = Object.fromEntries(commands.map((c) => [c.name, []]));
  const cpu = Object.fromEntries(commands.map((c) => [c.name, []]));
  const last = {};
  const timing = join(scratch('gitwarden-time-'), 'rusage');
  for (let i = 0; i <= runs; i++) {
    for (const { name, command, args, cwd } of commands) {
      const start = process.hrtime.bigint();
      const result = spawnSync(
        '/usr/bin/time',
        ['-f', '%U %S', '-o', timing, command, ...args],
        { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 },
      );
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.error) throw result.error;
      last[name] = result;
      if (i === 0) continue; // the first round warms caches
      wall[name].push(ms);
      const [user, system] = readFileSync(timing, 'utf8')
        .trim()
        .split('\n')
        .pop()
        .split(' ')
        .map(Number);
      cpu[name].push((user + system) * 1000);
    }
  }
  const median = (values) =>
    values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return Object.fromEntries(
    commands.map(({ name }) => [
      name,
      { ms: median(wall[name]), cpuMs: median(cpu[name]), last: last[name] },
    ]),
  );
}
