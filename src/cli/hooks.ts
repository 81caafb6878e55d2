import { appendFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';

import {
  passes,
  renderDecision,
  type AccessDecision,
} from '../access/decision.ts';
import { judgePush, type PushOptions } from '../access/push.ts';
import { ExitCode } from '../errors.ts';
import { secretPushCheck } from '../secrets/push-check.ts';
import { trailerPushCheck } from '../trailers/push-check.ts';
import { localGitEmail } from '../git/identity.ts';
import { parsePrePush, parsePreReceive } from './access-input.ts';
import { printError, printWarning } from './output.ts';
import { overrideFromPushOptions, pusherFrom } from './pusher.ts';

export interface HookCliOptions {
  repo: string;
  json?: boolean;
  record?: string;
  pusherVar?: string;
  as?: string;
  override?: string;
  ci?: boolean;
}

/**
 * The server hook. Everything that can go wrong before a verdict (no
 * pusher, unreadable input, a broken policy, git failing) throws, and the
 * CLI's error boundary turns it into a non-zero exit: a refusal.
 */
export async function runPreReceive(options: HookCliOptions) {
  const updates = parsePreReceive(await text(process.stdin));
  const claim = pusherFrom(
    process.env,
    options.pusherVar ?? process.env.GITWARDEN_PUSHER_VAR,
  );
  const pushOption = overrideFromPushOptions(process.env);
  const override =
    options.override !== undefined
      ? { reason: options.override, source: '--override' }
      : pushOption !== undefined
        ? { reason: pushOption, source: 'push-option' }
        : undefined;
  return judgeAndReport(options, {
    repo: options.repo,
    updates,
    claim,
    point: options.ci ? 'ci' : 'pre-receive',
    ...(override ? { override } : {}),
  });
}

/** The local hook: advisory, judged as the local git identity. */
export async function runPrePush(
  remote: string | undefined,
  options: HookCliOptions,
) {
  const updates = parsePrePush(await text(process.stdin));
  const claim = options.as
    ? { value: options.as, via: '--as' }
    : {
        value: await localGitEmail(options.repo, {
          globalConfig: process.env.GIT_CONFIG_GLOBAL,
        }),
        via: 'git user.email',
      };
  // git passes the URL as the "remote" when pushing to a URL directly.
  const named = remote && !/[:/]/.test(remote) ? remote : undefined;
  return judgeAndReport(options, {
    repo: options.repo,
    updates,
    claim,
    point: 'pre-push',
    ...(named ? { remote: named } : {}),
  });
}

async function judgeAndReport(options: HookCliOptions, push: PushOptions) {
  if (push.updates.length === 0) return ExitCode.Ok;
  // Every push is judged by the roles, the trailer rule and the secret scan.
  const decisions = await judgePush({
    ...push,
    checks: [trailerPushCheck, secretPushCheck],
  });
  await report(decisions, options);
  return decisions.every(passes) ? ExitCode.Ok : ExitCode.Refused;
}

async function report(decisions: AccessDecision[], options: HookCliOptions) {
  const lines = decisions.map((decision) => JSON.stringify(decision));
  if (options.record) {
    await appendFile(options.record, lines.map((l) => `${l}\n`).join(''));
  }
  if (options.json) for (const line of lines) console.log(line);
  let configuredNoticeShown = false;
  for (const decision of decisions) {
    const rendered = renderDecision(decision);
    if (decision.verdict === 'refused') {
      printError(rendered.join('\n'));
    } else if (decision.verdict === 'overridden') {
      printWarning(rendered.join('\n'));
      // Overrides must stand out wherever output goes: the record too.
      if (!options.json) console.error(JSON.stringify(decision));
    } else if (
      decision.verdict === 'not-configured' &&
      !configuredNoticeShown
    ) {
      printWarning(rendered.join('\n'));
      configuredNoticeShown = true;
    }
  }
}
