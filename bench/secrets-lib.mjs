// Shared by the secret-scanning benchmarks: the corpus, and running
// gitwarden and the secretlint 13 CLI (recommended preset) on it as whole
// processes, the way a user or a hook would.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { generateCorpus } from './corpus/generate.ts';

export const root = join(fileURLToPath(import.meta.url), '..', '..');
const cli = join(root, 'bin', 'gitwarden.js');
const secretlint = join(
  root,
  'node_modules',
  'secretlint',
  'bin',
  'secretlint.js',
);

/** The corpus for a size and seed, generated once and reused. */
export function corpus({ megabytes = 52, seed = 7 } = {}) {
  const dir = join(
    tmpdir(),
    'gitwarden-bench',
    `corpus-${megabytes}mb-${seed}`,
  );
  const manifestFile = `${dir}.manifest.json`;
  if (!existsSync(manifestFile)) {
    generateCorpus(dir, { megabytes, perKind: 16, decoysPerKind: 50, seed });
  }
  return { dir, manifest: JSON.parse(readFileSync(manifestFile, 'utf8')) };
}

const TIME = '/usr/bin/time';

/**
 * Runs a process and measures its wall time, and its CPU time (user +
 * system, all threads) where GNU time is installed: CPU seconds do not
 * depend on what else the machine is doing.
 */
function timed(command, args, options) {
  const withTime = existsSync(TIME);
  const start = process.hrtime.bigint();
  const result = withTime
    ? spawnSync(TIME, ['-f', 'cpu %U %S', command, ...args], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
        ...options,
      })
    : spawnSync(command, args, {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
        ...options,
      });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.error) throw result.error;
  const cpuLine = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr ?? '');
  const cpu = cpuLine ? Number(cpuLine[1]) + Number(cpuLine[2]) : undefined;
  return { seconds, cpu, status: result.status, stderr: result.stderr };
}

/** `gitwarden scan DIR --json`: findings as { file, line, rule }. */
export function runGitwarden(
  dir,
  out = join(tmpdir(), 'gitwarden-bench', 'gw.json'),
) {
  const run = timed(process.execPath, [cli, 'scan', '.', '--json', '-o', out], {
    cwd: dir,
  });
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`gitwarden failed (${run.status}): ${run.stderr}`);
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  return {
    seconds: run.seconds,
    cpu: run.cpu,
    findings: report.findings.map((f) => ({
      file: f.path,
      line: f.line,
      rule: f.rule,
    })),
  };
}

/** The secretlint 13 CLI with its recommended preset on the same files. */
export function runSecretlint(
  dir,
  out = join(tmpdir(), 'gitwarden-bench', 'sl.json'),
) {
  const rc = join(tmpdir(), 'gitwarden-bench', 'secretlintrc.json');
  writeFileSync(
    rc,
    JSON.stringify({
      rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }],
    }),
  );
  // --output: its JSON to a pipe is cut at 64 KB (see research/secrets.md).
  const run = timed(
    process.execPath,
    [
      secretlint,
      `${dir}/**/*`,
      '--secretlintrc',
      rc,
      '--format',
      'json',
      '--output',
      out,
    ],
    { cwd: root },
  );
  if (run.status !== 0)
    throw new Error(`secretlint failed (${run.status}): ${run.stderr}`);
  const results = JSON.parse(readFileSync(out, 'utf8'));
  return {
    seconds: run.seconds,
    cpu: run.cpu,
    findings: results.flatMap((file) =>
      file.messages.map((m) => ({
        file: relative(dir, file.filePath),
        line: m.loc.start.line,
        rule: m.ruleId,
      })),
    ),
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
