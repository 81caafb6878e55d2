import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { GitwardenError } from '../errors.ts';
import { readCommits } from '../git/commits.ts';
import { readRangeDiff, readStagedDiff } from '../git/diff.ts';
import {
  resolveRange,
  type RangeSpec,
  type ResolvedRange,
} from '../git/range.ts';
import { inspectRepo, SHALLOW_FIX } from '../git/repo.ts';
import { gitText } from '../git/run.ts';
import {
  DEFAULT_POLICY_PATH,
  defaultPolicy,
  loadPolicyAt,
  loadPolicyFile,
} from '../policy/load.ts';
import type { Policy } from '../policy/types.ts';
import {
  emptyBaseline,
  readBaselineAt,
  readBaselineFile,
  type Baseline,
} from './baseline.ts';
import { diffSource } from './diff-source.ts';
import { runScan, type DriverOptions, type SourceItem } from './driver.ts';
import { fileSource, listFiles } from './file-source.ts';
import {
  pathAllowlist,
  secretsSettings,
  type SecretsSettings,
} from './policy.ts';
import { emptyResult, type ScanResult } from './types.ts';

/** A scan's result, with what judged it. */
export interface SecretScanReport extends ScanResult {
  /** What was scanned, in words. */
  description: string;
  /** Scanning is switched off by the policy: nothing was judged. */
  disabled: boolean;
  settings: SecretsSettings;
  /** Where the baseline came from, when there was one. */
  baselineSource: string | undefined;
}

export interface CommonScanOptions {
  /** Scanning threads (see DriverOptions): 'auto' starts them only for large scans. */
  parallel?: DriverOptions['parallel'];
  /** Off: every line goes to every rule (slow; for checking the filter). */
  prefilter?: boolean;
  onProgress?: DriverOptions['onProgress'];
}

interface Judge {
  policy: Policy;
  baseline: Baseline;
}

async function run(
  description: string,
  judge: Judge,
  source: (settings: SecretsSettings) => AsyncIterable<SourceItem>,
  options: CommonScanOptions & { inlineAllow?: boolean } = {},
): Promise<SecretScanReport> {
  const settings = secretsSettings(judge.policy);
  const report = {
    description,
    settings,
    baselineSource: judge.baseline.entries.length
      ? judge.baseline.source
      : undefined,
  };
  if (!settings.enabled) return { ...emptyResult(), ...report, disabled: true };
  const result = await runScan(source(settings), {
    engine: {
      rules: { disabled: settings.disabledRules },
      inlineAllow: options.inlineAllow ?? settings.allowComments,
      prefilter: options.prefilter,
    },
    maxFileSize: settings.maxFileSize,
    baseline: judge.baseline,
    parallel: options.parallel,
    onProgress: options.onProgress,
  });
  return { ...result, ...report, disabled: false };
}

/**
 * Scans the commits of a resolved push, range or pull request: every line
 * each commit adds, so a secret added and removed again within the push
 * is still found. Judged by `policy` (the one at the range's base) and the
 * baseline committed there. This is what the pre-push and pre-receive
 * hooks call.
 */
export async function scanPush(
  repo: string,
  range: ResolvedRange,
  policy: Policy,
  options: CommonScanOptions = {},
): Promise<SecretScanReport> {
  // In a shallow clone a commit at the edge looks like a first commit that
  // adds every file: refuse to judge a range that reaches it.
  if (range.facts.shallow && range.revisions.length) {
    await readCommits(repo, range.revisions, range.facts);
  }
  const settings = secretsSettings(policy);
  const baseline = await readBaselineAt(
    repo,
    range.policyRevision,
    settings.baselinePath,
  );
  return run(
    range.description,
    { policy, baseline },
    (current) =>
      // A deleted ref, or a tag of a tree: no commits, nothing added. (git
      // log with no revision would read HEAD's history instead.)
      range.revisions.length === 0
        ? noItems()
        : diffSource(
            readRangeDiff(repo, range.revisions, {
              maxFileSize: current.maxFileSize,
            }),
            {
              repo,
              maxFileSize: current.maxFileSize,
              isAllowlisted: pathAllowlist(current.allowPaths),
            },
          ),
    options,
  );
}

async function* noItems(): AsyncGenerator<SourceItem> {}

/** Resolves a range, push or pull request and scans it (see scanPush). */
export async function scanRange(
  repo: string,
  spec: RangeSpec,
  options: CommonScanOptions & { policy?: Policy } = {},
): Promise<SecretScanReport> {
  const range = await resolveRange(repo, spec);
  const policy =
    options.policy ?? (await loadPolicyAt(repo, range.policyRevision));
  return scanPush(repo, range, policy, options);
}

/**
 * Scans what is staged for the next commit: only the added lines, numbered
 * as in the new file. Judged by the policy and baseline of HEAD (the
 * commit's base), or the built-in policy before a first commit.
 */
export async function scanStaged(
  repo: string,
  options: CommonScanOptions & { policy?: Policy; indexFile?: string } = {},
): Promise<SecretScanReport> {
  const head = await headCommit(repo);
  const policy = options.policy ?? (await loadPolicyAt(repo, head));
  const settings = secretsSettings(policy);
  const baseline = await readBaselineAt(repo, head, settings.baselinePath);
  return run(
    'staged changes',
    { policy, baseline },
    (current) =>
      diffSource(
        readStagedDiff(repo, {
          maxFileSize: current.maxFileSize,
          indexFile: options.indexFile,
        }),
        {
          repo,
          maxFileSize: current.maxFileSize,
          isAllowlisted: pathAllowlist(current.allowPaths),
        },
      ),
    options,
  );
}

/**
 * Scans files and folders as they are on disk. Inside a repository the
 * policy and baseline are the work tree's own files.
 */
export async function scanPaths(
  paths: readonly string[],
  options: CommonScanOptions & { cwd: string; policy?: Policy },
): Promise<SecretScanReport> {
  const root = await repoRoot(options.cwd);
  const judge = await workTreeJudge(root, options.policy);
  const settings = secretsSettings(judge.policy);
  const fileOptions = {
    repoRoot: root,
    cwd: options.cwd,
    maxFileSize: settings.maxFileSize,
    isAllowlisted: pathAllowlist(settings.allowPaths),
  };
  const files = await listFiles(
    paths.map((path) => resolve(options.cwd, path)),
    fileOptions,
  );
  return run(
    paths.join(' '),
    judge,
    () => fileSource(files, fileOptions),
    // Many files: start the scanning threads at once rather than after the
    // first megabytes.
    { parallel: files.length > 256 ? 'always' : 'auto', ...options },
  );
}

/**
 * Scans every commit reachable from any ref, oldest changes included.
 * `onCommit` reports progress as the stream moves through the commits.
 */
export async function scanHistory(
  repo: string,
  options: CommonScanOptions & {
    policy?: Policy;
    onCommit?(commit: string): void;
  } = {},
): Promise<SecretScanReport> {
  const root = (await repoRoot(repo)) ?? repo;
  // A shallow clone's oldest commit looks like one that adds every file,
  // and the history before it is not there to judge.
  const { facts } = await inspectRepo(root);
  if (facts.shallow) {
    throw new GitwardenError(
      'HISTORY_INCOMPLETE',
      'this clone is shallow: its history cannot be scanned whole',
      { hint: SHALLOW_FIX },
    );
  }
  const judge = await workTreeJudge(root, options.policy);
  return run(
    'whole history',
    judge,
    (settings) =>
      diffSource(
        readRangeDiff(root, ['--all'], { maxFileSize: settings.maxFileSize }),
        {
          repo: root,
          maxFileSize: settings.maxFileSize,
          isAllowlisted: pathAllowlist(settings.allowPaths),
          onCommit: options.onCommit,
        },
      ),
    options,
  );
}

/**
 * Scans text that is not in a repository: an agent transcript, a build
 * log, anything piped in. No baseline, no allow comments: whoever wrote
 * the text cannot excuse its secrets.
 */
export async function scanText(
  name: string,
  bytes: Uint8Array,
  options: CommonScanOptions & { policy?: Policy } = {},
): Promise<SecretScanReport> {
  const policy = options.policy ?? defaultPolicy();
  return run(
    name,
    { policy, baseline: emptyBaseline(name) },
    async function* () {
      yield { kind: 'bytes', path: name, bytes };
    },
    { parallel: 'never', ...options, inlineAllow: false },
  );
}

/** Commits in the whole history, for a progress bar. */
export async function countCommits(repo: string): Promise<number> {
  const count = await gitText(['rev-list', '--count', '--all'], { cwd: repo });
  return Number(count) || 0;
}

async function headCommit(repo: string): Promise<string | undefined> {
  const sha = await gitText(
    ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'],
    {
      cwd: repo,
      okCodes: [1],
    },
  );
  return sha || undefined;
}

export async function repoRoot(cwd: string): Promise<string | undefined> {
  const root = await gitText(['rev-parse', '--show-toplevel'], {
    cwd,
    okCodes: [128],
  }).catch(() => '');
  return root || undefined;
}

async function workTreeJudge(
  root: string | undefined,
  policy: Policy | undefined,
): Promise<Judge> {
  const resolved =
    policy ?? (root ? await workTreePolicy(root) : defaultPolicy());
  const settings = secretsSettings(resolved);
  const baseline = root
    ? await readBaselineFile(join(root, settings.baselinePath))
    : emptyBaseline(settings.baselinePath);
  return { policy: resolved, baseline };
}

async function workTreePolicy(root: string): Promise<Policy> {
  const file = join(root, DEFAULT_POLICY_PATH);
  try {
    await access(file);
  } catch {
    return defaultPolicy();
  }
  return loadPolicyFile(file);
}
