// The `ledger` action (actions/ledger): appends what this run decided
// (the verify result, a command decision, or records of your own) to the
// signed ledger on its branch, with the key from a repository secret,
// safe when many jobs append at once; then verifies the ledger and
// exposes its checkpoint. Inputs and outputs are documented in action.yml.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import * as core from '@actions/core';

import { ExitCode, GitwardenError } from '../../errors.ts';
import { hasCommit, isZeroSha } from '../../git/repo.ts';
import { gitText } from '../../git/run.ts';
import { signerFromProvider } from '../../keys/ed25519.ts';
import { createSecretProvider } from '../../keys/providers.ts';
import { readPolicyAnchor } from '../../ledger/anchor.ts';
import { appendRecords } from '../../ledger/append.ts';
import {
  DEFAULT_KEY_VARIABLE,
  resolveLedgerConfig,
  type LedgerConfig,
} from '../../ledger/config.ts';
import type { RecordFields, Where } from '../../ledger/record.ts';
import { verifyLedger } from '../../ledger/verify.ts';
import { loadPolicyAt } from '../../policy/load.ts';
import { recordsFromFile } from '../ledger-records.ts';
import {
  booleanInput,
  readRunnerContext,
  runAction,
  workspacePath,
  type RunnerContext,
} from './runtime.ts';

interface EventFacts {
  before?: string;
  pull_request?: {
    base?: { sha?: string; repo?: { full_name?: string } };
    head?: { repo?: { full_name?: string } | null };
  };
  merge_group?: { base_sha?: string };
}

await runAction(async () => {
  const context = await readRunnerContext();
  const repo = workspacePath(context, core.getInput('path') || '.');
  const event = context.payload as EventFacts;
  const key = core.getInput('signing-key');
  if (key) core.setSecret(key);

  if (fromFork(event)) {
    return skip(
      'a pull request from a fork runs without secrets or a write token: nothing was appended (its verify result is in the job summary)',
    );
  }
  const revision = await policyRevision(repo, context, event);
  const policy = await loadPolicyAt(repo, revision);
  const config = resolveLedgerConfig(policy.document.ledger);
  if (!config.enabled) {
    return skip(
      `the policy at ${revision.slice(0, 12)} does not enable the ledger (ledger.enabled): nothing was appended`,
    );
  }

  const records = await readRecords(context);
  const signer = await signerFromProvider(
    createSecretProvider(
      key ? { provider: 'env', variable: DEFAULT_KEY_VARIABLE } : config.signer,
      {
        // The key input is handed over as if it were the variable, without
        // putting it into this process's environment.
        env: key ? { [DEFAULT_KEY_VARIABLE]: key } : process.env,
        cwd: repo,
        forbiddenRoots: [repo],
      },
    ),
  );
  const remote = core.getInput('remote') || config.remote || 'origin';

  core.info(
    `appending ${records.length} records to ${remote}/${config.branch}`,
  );
  const appended = await appendRecords({
    cwd: repo,
    config,
    signer,
    records,
    remote,
    onRetry: (attempt, reason) =>
      core.info(`another writer got there first (${reason}); retry ${attempt}`),
  });
  core.setOutput('appended', appended.records.length);
  core.setOutput('first-index', appended.firstIndex);
  core.setOutput('size', appended.size);
  core.setOutput('root', appended.root.toString('base64'));
  core.setOutput('commit', appended.commit);

  if (!booleanInput('verify')) {
    await summary(
      `appended ${appended.records.length} records (positions ${appended.firstIndex}–${appended.size - 1}); not verified`,
    );
    core.setOutput('verdict', 'not-verified');
    return ExitCode.Ok;
  }
  return verifyAfter(context, repo, config, revision, appended.commit);
});

async function verifyAfter(
  context: RunnerContext,
  repo: string,
  config: LedgerConfig,
  revision: string,
  commit: string,
) {
  if (config.rootKeys.length + config.writerKeys.length === 0) {
    throw new GitwardenError(
      'POLICY_INVALID',
      'the policy trusts no ledger keys, so the ledger cannot be verified',
      {
        hint: 'Add ledger.writerKeys (and rootKeys) to .gitwarden/policy.yml on the protected branch, or set the verify input to false.',
      },
    );
  }
  const anchor = await readPolicyAnchor(repo, config, revision);
  const report = await verifyLedger({
    cwd: repo,
    config,
    ref: commit,
    anchors: anchor ? [anchor] : [],
  });
  const checkpointPath = join(context.outputDir, 'ledger.checkpoint');
  await writeFile(checkpointPath, report.checkpoint);
  core.setOutput('verdict', report.verdict);
  core.setOutput('checkpoint', report.checkpoint);
  core.setOutput('checkpoint-path', checkpointPath);

  const line = `ledger ${report.origin}: ${report.size} records, root ${report.root}, ${report.verdict}`;
  await summary(line);
  switch (report.verdict) {
    case 'verified':
      core.info(line);
      return ExitCode.Ok;
    case 'tampered':
      for (const fault of report.faults.slice(0, 10)) {
        core.error(`ledger: ${JSON.stringify(fault)}`);
      }
      core.setFailed(
        `the ledger does not verify: ${report.faults.length} faults`,
      );
      return ExitCode.Refused;
    case 'unanchored': {
      const fix = `commit the checkpoint (output checkpoint) as ${config.anchorPath} on the protected branch`;
      if (booleanInput('require-anchor')) {
        core.setFailed(`the ledger is consistent but unanchored: ${fix}`);
        return ExitCode.Incomplete;
      }
      core.warning(
        `the ledger is consistent but unanchored: nothing proves it extends an earlier accepted checkpoint; ${fix}`,
      );
      return ExitCode.Ok;
    }
  }
}

/**
 * The policy that holds the ledger's trust comes from the base, as for
 * every check: a pull request's base, a merge group's base, the branch as
 * it was before a push; otherwise the checked-out commit.
 */
async function policyRevision(
  repo: string,
  context: RunnerContext,
  event: EventFacts,
): Promise<string> {
  const candidates = [
    event.pull_request?.base?.sha,
    event.merge_group?.base_sha,
    context.eventName === 'push' && event.before && !isZeroSha(event.before)
      ? event.before
      : undefined,
  ].filter(
    (sha): sha is string =>
      typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha),
  );
  const base = candidates[0];
  if (base) {
    if (await hasCommit(repo, base)) return base;
    throw new GitwardenError(
      'HISTORY_INCOMPLETE',
      `the base commit ${base.slice(0, 12)} is not in the checkout, so its policy cannot be read`,
      {
        hint: 'Give actions/checkout `fetch-depth: 0`.',
      },
    );
  }
  return gitText(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: repo });
}

function fromFork(event: EventFacts): boolean {
  const pr = event.pull_request;
  if (!pr) return false;
  return pr.head?.repo?.full_name !== pr.base?.repo?.full_name;
}

async function readRecords(context: RunnerContext): Promise<RecordFields[]> {
  const named = core.getMultilineInput('records');
  const files = named.length
    ? named.map((path) => workspacePath(context, path))
    : ['verify-result.json', 'command-decision.json']
        .map((name) => join(context.outputDir, name))
        .filter((path) => existsSync(path));
  if (files.length === 0) {
    throw new GitwardenError(
      'INPUT_INVALID',
      'nothing to record: no records input, and no verify result or command decision from an earlier step of this job',
      {
        hint: 'Run the verify or command action earlier in the same job, or name files in the records input.',
      },
    );
  }
  const where = whereOf(context);
  const records: RecordFields[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw new GitwardenError(
        'INPUT_UNREADABLE',
        `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
      );
    }
    records.push(
      ...recordsFromFile(text, file, { repository: context.repository, where }),
    );
  }
  return records;
}

function whereOf(context: RunnerContext): Where {
  const env = process.env;
  return {
    ci: {
      provider: 'github-actions',
      ...(env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {}),
      ...(env.GITHUB_RUN_ATTEMPT ? { runAttempt: env.GITHUB_RUN_ATTEMPT } : {}),
      ...(env.GITHUB_JOB ? { job: env.GITHUB_JOB } : {}),
      ...(env.GITHUB_WORKFLOW_REF ? { workflow: env.GITHUB_WORKFLOW_REF } : {}),
      ...(context.repository && env.GITHUB_RUN_ID
        ? {
            url: `${context.serverUrl}/${context.repository}/actions/runs/${env.GITHUB_RUN_ID}`,
          }
        : {}),
    },
  };
}

function skip(reason: string) {
  core.notice(`gitwarden ledger: ${reason}`);
  core.setOutput('appended', 0);
  core.setOutput('verdict', 'skipped');
  return ExitCode.Ok;
}

async function summary(line: string) {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(`### gitwarden ledger\n\n${line}\n`, true).write();
}
