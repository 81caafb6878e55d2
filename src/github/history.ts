import { GitwardenError, isGitwardenError } from '../errors.ts';
import { hasCommit } from '../git/repo.ts';
import { git, gitText } from '../git/run.ts';
import type { HistoryNeeds } from './event.ts';

/**
 * CI clones are usually shallow (actions/checkout fetches one commit by
 * default), and a shallow clone cannot tell which commits a push brings.
 * These helpers fetch what is missing, step by step from cheap to
 * complete, and otherwise fail with the exact fix. A range is never judged
 * on history that stops short of it: the range resolver and commit reader
 * throw HISTORY_INCOMPLETE when they reach a shallow edge, and this module
 * only decides whether to fetch more and try again.
 */
export interface HistoryOptions {
  repo: string;
  remote: string;
  needs: HistoryNeeds;
  /** Whether fetching is allowed at all (the action's `fetch` input). */
  fetch: boolean;
  /** Progress lines for the log. */
  log?: (line: string) => void;
}

export const CHECKOUT_FIX =
  'Give actions/checkout `fetch-depth: 0` (the full history), or leave the' +
  " verify action's `fetch` input at true so it can fetch what is missing.";

/** How far each deepening step reaches below the shallow edge. */
const DEEPEN_STEPS = [100, 1000];

/**
 * Runs `attempt` (resolve the range and read its commits) until the clone
 * holds enough history for it, fetching more between tries.
 */
export async function withHistory<T>(
  options: HistoryOptions,
  attempt: () => Promise<T>,
): Promise<T> {
  const log = options.log ?? (() => {});
  await fetchRequired(options, log);

  const steps = options.fetch ? fetchSteps(options) : [];
  for (let step = 0; ; step++) {
    try {
      return await attempt();
    } catch (error) {
      const next = steps[step];
      if (!isMissingHistory(error)) throw error;
      if (next === undefined) throw explain(error, options);
      log(`history incomplete (${(error as Error).message}); ${next.what}`);
      await next.run();
    }
  }
}

function isMissingHistory(error: unknown): error is GitwardenError {
  return (
    isGitwardenError(error) &&
    (error.code === 'HISTORY_INCOMPLETE' || error.code === 'UNKNOWN_REVISION')
  );
}

function explain(error: GitwardenError, options: HistoryOptions) {
  return new GitwardenError(
    'HISTORY_INCOMPLETE',
    `${error.message}; the clone does not hold the history this run must judge`,
    {
      hint: options.fetch
        ? `Fetching did not help. ${CHECKOUT_FIX}`
        : CHECKOUT_FIX,
      cause: error,
    },
  );
}

/**
 * The commits the event names, and (for new refs) every branch, before
 * the first try: without them the first try would not fail, it would
 * judge the wrong set.
 */
async function fetchRequired(
  options: HistoryOptions,
  log: (line: string) => void,
) {
  const { repo, remote, needs } = options;
  const missing = await missingCommits(repo, needs.required);
  const missingOptional = await missingCommits(repo, needs.optional);
  const branchesMissing = needs.allBranches && (await isShallow(repo));

  if (!options.fetch) {
    if (missing.length > 0) {
      throw new GitwardenError(
        'HISTORY_INCOMPLETE',
        `commit ${missing[0]!.slice(0, 12)} named by the event is not in this clone, and fetching is turned off`,
        { hint: CHECKOUT_FIX },
      );
    }
    return;
  }

  if (branchesMissing || (needs.allBranches && missing.length > 0)) {
    log(`fetching every branch of ${remote}`);
    await fetch(repo, [
      '--no-tags',
      ...((await isShallow(repo)) ? ['--unshallow'] : []),
      remote,
      `+refs/heads/*:refs/remotes/${remote}/*`,
    ]);
  }
  // Fetched one by one: a commit the server no longer has (an old tip
  // that a forced push left behind) must not stop the others.
  for (const sha of await missingCommits(repo, missing)) {
    log(`fetching ${sha.slice(0, 12)} from ${remote}`);
    await fetch(repo, ['--no-tags', remote, sha]).catch((error: unknown) => {
      throw new GitwardenError(
        'HISTORY_INCOMPLETE',
        `commit ${sha.slice(0, 12)} named by the event is not in this clone and could not be fetched: ${(error as Error).message}`,
        { hint: CHECKOUT_FIX, cause: error },
      );
    });
  }
  for (const sha of await missingCommits(repo, missingOptional)) {
    log(`fetching ${sha.slice(0, 12)} from ${remote} (optional)`);
    await fetch(repo, ['--no-tags', remote, sha]).catch(() => {
      log(`${sha.slice(0, 12)} is gone from ${remote}; judging without it`);
    });
  }
}

function fetchSteps(options: HistoryOptions) {
  const { repo, remote } = options;
  const deepen = DEEPEN_STEPS.map((depth) => ({
    what: `deepening the clone by ${depth} commits`,
    run: async () => {
      if (await isShallow(repo)) {
        await fetch(repo, ['--no-tags', `--deepen=${depth}`, remote]);
      }
    },
  }));
  return [
    ...deepen,
    {
      what: 'fetching the full history',
      run: async () => {
        await fetch(repo, [
          '--no-tags',
          ...((await isShallow(repo)) ? ['--unshallow'] : []),
          remote,
          `+refs/heads/*:refs/remotes/${remote}/*`,
        ]);
      },
    },
  ];
}

async function missingCommits(repo: string, shas: readonly string[]) {
  const missing: string[] = [];
  for (const sha of shas) {
    if (!(await hasCommit(repo, sha))) missing.push(sha);
  }
  return missing;
}

export async function isShallow(repo: string): Promise<boolean> {
  return (
    (await gitText(['rev-parse', '--is-shallow-repository'], { cwd: repo })) ===
    'true'
  );
}

async function fetch(repo: string, args: string[]) {
  try {
    await git(['fetch', '--quiet', '--no-write-fetch-head', ...args], {
      cwd: repo,
    });
  } catch (error) {
    if (isGitwardenError(error) && error.code === 'GIT_FAILED') {
      throw new GitwardenError(
        'HISTORY_INCOMPLETE',
        `${error.message} (git fetch ${args.join(' ')})`,
        { hint: CHECKOUT_FIX, cause: error },
      );
    }
    throw error;
  }
}
