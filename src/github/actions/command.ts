// The `command` action (actions/command): for a slash command in a pull
// request comment (`/deploy staging`), decides whether the commenter's
// role may run it before anything runs, reacts (👍 or 👎), answers a
// refusal in a comment, and writes the decision for the ledger action.
// Inputs and outputs are documented in action.yml.
import { join } from 'node:path';

import * as core from '@actions/core';

import { ExitCode, GitwardenError } from '../../errors.ts';
import { createGitHubClient, type GitHubClient } from '../client.ts';
import {
  handledCommands,
  judgeCommand,
  parseSlashCommand,
  refusalReply,
  type CommandDecision,
} from '../command.ts';
import { githubCall } from '../errors.ts';
import {
  readRunnerContext,
  runAction,
  workspacePath,
  writeJson,
  type RunnerContext,
} from './runtime.ts';

interface CommentEvent {
  action?: string;
  issue?: { number?: number; pull_request?: unknown };
  comment?: {
    id?: number;
    body?: string;
    html_url?: string;
    user?: { login?: string };
  };
}

await runAction(async () => {
  const context = await readRunnerContext();
  const token = core.getInput('token');
  if (!token) {
    throw new GitwardenError(
      'USAGE',
      'input token is empty: the command action answers through the GitHub API',
      {
        hint: 'Leave token at its default (github.token) and give the job `pull-requests: write`.',
      },
    );
  }
  core.setSecret(token);
  const handled = handledCommands(core.getInput('commands'));

  const event = context.payload as CommentEvent;
  const skip = skipReason(context, event);
  if (skip) return ignored(skip, true);
  const parsed = parseSlashCommand(event.comment?.body ?? '');
  if (!parsed) return ignored('the comment is not a slash command', false);
  if (handled && !handled.includes(parsed.word)) {
    return ignored(
      `/${parsed.word} is not one of this step's commands (${handled.join(', ')})`,
      false,
    );
  }
  const login = event.comment?.user?.login;
  const commentId = event.comment?.id;
  const number = event.issue?.number;
  if (!login || !Number.isInteger(commentId) || !Number.isInteger(number)) {
    throw new GitwardenError(
      'INPUT_INVALID',
      'the issue_comment payload has no comment.user.login, comment.id or issue.number',
    );
  }

  const decision = await judgeCommand({
    repo: workspacePath(context, core.getInput('path') || '.'),
    policyRevision: context.sha,
    word: parsed.word,
    args: parsed.args,
    login,
    pullRequest: number,
    comment: { id: commentId!, url: event.comment?.html_url ?? null },
  });
  const decisionPath = join(context.outputDir, 'command-decision.json');
  await writeJson(decisionPath, decision);
  core.setOutput('command', decision.command);
  core.setOutput('args', decision.args);
  core.setOutput('verdict', decision.verdict);
  core.setOutput('allowed', String(decision.verdict === 'allowed'));
  core.setOutput('actor', login);
  core.setOutput('pull-request', String(number));
  core.setOutput('decision-path', decisionPath);

  const client = createGitHubClient({
    token,
    baseUrl: context.apiUrl,
    log: {
      debug: core.debug,
      info: core.info,
      warn: core.warning,
      error: core.error,
    },
  });
  return answer(client, context, decision, login, number!, commentId!);
});

async function answer(
  client: GitHubClient,
  context: RunnerContext,
  decision: CommandDecision,
  login: string,
  number: number,
  commentId: number,
) {
  const [owner, repo] = (context.repository ?? '').split('/') as [
    string,
    string,
  ];
  const allowed = decision.verdict === 'allowed';
  try {
    await githubCall('react to the comment', () =>
      client.request(
        'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
        {
          owner,
          repo,
          comment_id: commentId,
          content: allowed ? '+1' : '-1',
        },
      ),
    );
    if (!allowed) {
      await githubCall('answer the comment', () =>
        client.request(
          'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
          {
            owner,
            repo,
            issue_number: number,
            body: refusalReply(decision, login),
          },
        ),
      );
    }
  } catch (error) {
    // The decision stands either way; only telling the commenter failed.
    const message = (error as Error).message;
    if (allowed) core.warning(`allowed, but ${message}`);
    else core.error(`${message} (the refusal itself stands)`);
  }

  if (allowed) {
    core.info(
      `/${decision.command.replace(/^\//, '')} allowed for ${login}: ${decision.reason}`,
    );
    return ExitCode.Ok;
  }
  core.setFailed(
    `/${decision.command.replace(/^\//, '')} refused for ${login}: ${decision.reason}`,
  );
  return ExitCode.Refused;
}

function skipReason(
  context: RunnerContext,
  event: CommentEvent,
): string | undefined {
  if (context.eventName !== 'issue_comment') {
    return `the ${context.eventName} event carries no comment; the command action runs on issue_comment`;
  }
  if (event.action !== 'created') {
    // An edited comment must not run a command the original did not.
    return `comment ${event.action ?? 'changed'}, not created: only new comments run commands`;
  }
  if (!event.issue?.pull_request)
    return 'the comment is on an issue, not a pull request';
  return undefined;
}

/** Nothing to decide: say why, succeed, and allow nothing. */
function ignored(reason: string, notice: boolean) {
  if (notice) core.notice(`gitwarden command: ${reason}`);
  else core.info(`gitwarden command: ${reason}`);
  core.setOutput('verdict', 'ignored');
  core.setOutput('allowed', 'false');
  return ExitCode.Ok;
}
