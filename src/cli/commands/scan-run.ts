import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { ExitCode, GitwardenError } from '../../errors.ts';
import { loadPolicyFile } from '../../policy/load.ts';
import type { Policy } from '../../policy/types.ts';
import { updateBaseline } from '../../secrets/baseline.ts';
import { formatHuman, formatNotices, toJson } from '../../secrets/report.ts';
import { toSarif } from '../../secrets/sarif.ts';
import {
  countCommits,
  repoRoot,
  scanHistory,
  scanPaths,
  scanRange,
  scanStaged,
  type SecretScanReport,
} from '../../secrets/scan.ts';
import { colors, printWarning } from '../output.ts';
import { listRules, startProgress } from './scan-support.ts';
import type { ScanMode } from './scan.ts';

export interface ScanCommandOptions {
  format: 'human' | 'json' | 'sarif';
  output?: string;
  updateBaseline?: boolean;
  policy?: string;
  repo: string;
  progress: boolean;
}

/** Runs `gitwarden scan` and returns its exit code. */
export async function runScanCommand(
  mode: ScanMode,
  options: ScanCommandOptions,
): Promise<number> {
  if (mode.kind === 'list-rules') {
    process.stdout.write(listRules());
    return ExitCode.Ok;
  }
  const policy = options.policy
    ? await loadPolicyFile(options.policy)
    : undefined;
  const repo = resolve(options.repo);
  const report = await scan(mode, repo, policy, options);

  await writeReport(report, options);
  const notices = formatNotices(report.notices);
  for (const line of notices) printWarning(line);
  for (const error of report.errors) {
    const commit = error.commit ? ` (commit ${error.commit.slice(0, 12)})` : '';
    console.error(
      `${colors.red('gitwarden: error:')} ${error.path}${commit}: ${error.message}`,
    );
  }

  if (options.updateBaseline && report.findings.length) {
    const root = (await repoRoot(repo)) ?? repo;
    const file = join(root, report.settings.baselinePath);
    const added = await updateBaseline(file, report.findings);
    console.error(
      `gitwarden: added ${added} finding${added === 1 ? '' : 's'} to ${file}; commit it before the change that needs it`,
    );
    return report.errors.length ? ExitCode.Incomplete : ExitCode.Ok;
  }
  // An unfinished scan is never a pass, whatever it found so far.
  if (report.errors.length) return ExitCode.Incomplete;
  return report.findings.length ? ExitCode.Refused : ExitCode.Ok;
}

async function scan(
  mode: Exclude<ScanMode, { kind: 'list-rules' }>,
  repo: string,
  policy: Policy | undefined,
  options: ScanCommandOptions,
): Promise<SecretScanReport> {
  switch (mode.kind) {
    case 'staged':
      return scanStaged(repo, {
        policy,
        // In a hook git points at the index the commit is made from
        // (`git commit -a`, `git commit PATH` use a temporary one).
        indexFile: process.env.GIT_INDEX_FILE
          ? resolve(process.env.GIT_INDEX_FILE)
          : undefined,
      });
    case 'range':
      return scanRange(repo, { kind: 'range', range: mode.range }, { policy });
    case 'push':
      return scanRange(repo, { ...mode, kind: 'push' }, { policy });
    case 'pull-request':
      return scanRange(repo, mode, { policy });
    case 'paths':
      return scanPaths(mode.paths, { cwd: process.cwd(), policy });
    case 'history': {
      const progress =
        options.progress && process.stderr.isTTY
          ? startProgress(await countCommits(repo))
          : undefined;
      try {
        return await scanHistory(repo, { policy, onCommit: progress?.advance });
      } finally {
        progress?.stop();
      }
    }
  }
}

async function writeReport(
  report: SecretScanReport,
  options: ScanCommandOptions,
) {
  let text: string;
  if (options.format === 'json') {
    text = `${JSON.stringify(toJson(report), null, 2)}\n`;
  } else if (options.format === 'sarif') {
    text = `${JSON.stringify(toSarif(report, process.env.GITWARDEN_VERSION ?? '0.1.0'), null, 2)}\n`;
  } else {
    text = formatHuman(report, options.output ? undefined : colors);
  }
  if (options.output) {
    await writeFile(options.output, text).catch((cause) => {
      throw new GitwardenError(
        'USAGE',
        `cannot write ${options.output}: ${cause.code ?? cause}`,
      );
    });
  } else {
    process.stdout.write(text);
  }
}
