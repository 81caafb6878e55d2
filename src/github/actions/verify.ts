// The `verify` action (actions/verify): judges every commit a push, pull
// request, merge group or manual run brings, and fails the step when
// anything is refused. Inputs and outputs are documented in action.yml.
import { join } from 'node:path';

import * as core from '@actions/core';

import { ExitCode } from '../../errors.ts';
import { annotationsFor } from '../annotations.ts';
import { parseEvent, type SkippedSubject } from '../event.ts';
import { toSarif } from '../sarif.ts';
import { verifySummary } from '../summary.ts';
import { verify, type VerifyResult } from '../verify.ts';
import { verifyChecks } from '../checks/index.ts';
import {
  booleanInput,
  readRunnerContext,
  runAction,
  workspacePath,
  writeJson,
  type RunnerContext,
} from './runtime.ts';

declare const GITWARDEN_VERSION: string;

await runAction(async () => {
  const context = await readRunnerContext();
  const repo = workspacePath(context, core.getInput('path') || '.');
  const subject = parseEvent(context.eventName, context.payload, {
    range: core.getInput('range'),
    ref: context.ref,
    sha: context.sha,
  });
  if (subject.kind === 'skip') return skipped(context, subject);

  core.info(`gitwarden verify: ${subject.description}`);
  if (subject.pullRequest?.fromFork) {
    core.info(
      'The pull request comes from a fork: the token is read-only and no secrets are available; the commits are judged all the same.',
    );
  }
  const result = await verify({
    repo,
    subject,
    checks: verifyChecks(),
    fetch: booleanInput('fetch'),
    log: (line) => core.info(line),
  });
  return report(context, result);
});

async function report(context: RunnerContext, result: VerifyResult) {
  for (const annotation of annotationsFor(result.findings)) {
    const write =
      annotation.level === 'error'
        ? core.error
        : annotation.level === 'warning'
          ? core.warning
          : core.notice;
    write(annotation.message, annotation.properties);
  }
  for (const note of result.notes) core.info(note);

  const resultPath = join(context.outputDir, 'verify-result.json');
  const sarifPath = join(context.outputDir, 'verify.sarif');
  await writeJson(resultPath, result);
  await writeJson(
    sarifPath,
    toSarif(result.findings, {
      version: GITWARDEN_VERSION,
      revision: result.head,
      repositoryUri: repositoryUrl(context),
    }),
  );
  await writeSummary(
    verifySummary(result, {
      commitUrl: context.repository
        ? (sha) => `${repositoryUrl(context)}/commit/${sha}`
        : undefined,
    }),
  );
  setOutputs(result.verdict, result.counts, resultPath, sarifPath);

  switch (result.verdict) {
    case 'refused':
      core.setFailed(
        `${result.counts.refused} of ${result.counts.commits} commits refused, ${plural(result.counts.errors, 'error')} (see the annotations and the job summary)`,
      );
      return ExitCode.Refused;
    case 'incomplete':
      core.setFailed('a check could not run, so not everything was judged');
      return ExitCode.Incomplete;
    case 'nothing':
      core.notice(result.notes[0] ?? 'nothing was judged');
      return ExitCode.Ok;
    case 'pass':
      core.info(`all ${result.counts.commits} commits passed`);
      return ExitCode.Ok;
  }
}

/** An event gitwarden does not judge: say so, succeed, judge nothing. */
async function skipped(context: RunnerContext, subject: SkippedSubject) {
  core.notice(`gitwarden verify: ${subject.reason}`);
  const resultPath = join(context.outputDir, 'verify-result.json');
  await writeJson(resultPath, {
    schema: 'gitwarden/verify-result@1',
    event: subject.event,
    verdict: 'nothing',
    notes: [subject.reason],
  });
  await writeSummary(
    `## gitwarden verify: ➖ nothing to judge\n\n${subject.reason}\n`,
  );
  setOutputs('nothing', undefined, resultPath, undefined);
  return ExitCode.Ok;
}

function setOutputs(
  verdict: string,
  counts: VerifyResult['counts'] | undefined,
  resultPath: string,
  sarifPath: string | undefined,
) {
  core.setOutput('verdict', verdict);
  core.setOutput('commits', counts?.commits ?? 0);
  core.setOutput('refused', counts?.refused ?? 0);
  core.setOutput('errors', counts?.errors ?? 0);
  core.setOutput('warnings', counts?.warnings ?? 0);
  core.setOutput('result-path', resultPath);
  core.setOutput('sarif-path', sarifPath ?? '');
}

async function writeSummary(markdown: string) {
  // Outside a runner (no GITHUB_STEP_SUMMARY) the summary goes to the log.
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info(markdown);
    return;
  }
  await core.summary.addRaw(markdown, true).write();
}

function repositoryUrl(context: RunnerContext) {
  return context.repository
    ? `${context.serverUrl}/${context.repository}`
    : undefined;
}

function plural(count: number, noun: string) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
