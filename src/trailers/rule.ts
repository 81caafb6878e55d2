// The trailer rule: a commit names the agent and the task it serves, and
// the agent is one the commit's identity may speak for.
//
// Decisions (README, "Checking commits"):
// - Every occurrence of a required trailer is judged: each value must
//   match the pattern (or be non-empty when there is none), so a second,
//   later value cannot smuggle anything past the check. Several Agent
//   trailers mean several agents, and each must pass.
// - Agent names compare exactly (case matters); keys compare as git
//   compares them (case-insensitively).
// - With no identities in the policy, the agent-identity binding is "not
//   configured": neither a pass nor a failure, and shown as such.

import picomatch from 'picomatch';

import type { Policy } from '../policy/types.ts';
import {
  parseCommitTrailers,
  type Trailer,
  type TrailerSyntax,
} from './parse.ts';
import { fixCommand, type FixTarget } from './fix.ts';

export interface CommitFacts {
  /** Undefined for a message that is not a commit yet (commit-msg hook). */
  sha: string | undefined;
  parentCount: number;
  authorEmail: string;
  committerEmail: string;
  subject: string;
  message: string;
  /** Things wrong with the commit itself, shown beside the verdict. */
  problems: string[];
}

export type Problem =
  'missing' | 'empty' | 'pattern' | 'unknown-agent' | 'identity';

export interface Violation {
  trailer: string;
  problem: Problem;
  /** The value found, or null when the trailer is missing. */
  found: string | null;
  message: string;
  fix: string;
}

export type Binding = 'pass' | 'fail' | 'not-configured' | 'not-checked';

export interface CommitVerdict {
  sha: string | undefined;
  subject: string;
  status: 'pass' | 'fail' | 'exempt';
  exempt: 'merge' | 'author' | undefined;
  /** The email the binding is judged on (author or committer). */
  identity: string;
  trailers: Trailer[];
  binding: Binding;
  violations: Violation[];
  notes: string[];
}

const syntaxes = new WeakMap<Policy, TrailerSyntax>();

/** How git is told to read trailers for this policy. */
export function trailerSyntax(policy: Policy): TrailerSyntax {
  const known = syntaxes.get(policy);
  if (known) return known;
  const keys: string[] = [];
  const names = [
    ...policy.trailers.required.map((entry) => entry.key),
    policy.trailers.agentKey,
  ];
  for (const key of names) {
    if (!keys.some((known) => known.toLowerCase() === key.toLowerCase())) {
      keys.push(key);
    }
  }
  const syntax = {
    keys,
    separators: policy.trailers.separators,
    commentChar: '#',
  };
  syntaxes.set(policy, syntax);
  return syntax;
}

export function judgeCommit(
  commit: CommitFacts,
  policy: Policy,
  target: FixTarget,
): CommitVerdict {
  const rules = policy.trailers;
  const identity =
    rules.identity === 'committer' ? commit.committerEmail : commit.authorEmail;
  const verdict: CommitVerdict = {
    sha: commit.sha,
    subject: commit.subject,
    status: 'pass',
    exempt: undefined,
    identity,
    trailers: [],
    binding: 'not-checked',
    violations: [],
    notes: [...commit.problems],
  };

  if (rules.exemptMerges && commit.parentCount > 1) {
    return { ...verdict, status: 'exempt', exempt: 'merge' };
  }
  if (isExemptAuthor(commit.authorEmail, rules.exemptAuthors)) {
    return { ...verdict, status: 'exempt', exempt: 'author' };
  }

  verdict.trailers = parseCommitTrailers(commit.message, trailerSyntax(policy));
  const missing: string[] = [];
  for (const required of rules.required) {
    const values = valuesOf(verdict.trailers, required.key);
    if (values.length === 0) missing.push(required.key);
    for (const value of values) {
      const problem = valueProblem(value, required.pattern);
      if (!problem) continue;
      verdict.violations.push({
        trailer: required.key,
        problem,
        found: value,
        message:
          problem === 'empty'
            ? `${required.key} is empty`
            : `${required.key} ${JSON.stringify(value)} does not match ${required.pattern?.source}` +
              (required.description ? ` (${required.description})` : ''),
        fix: '',
      });
    }
  }
  for (const key of missing) {
    verdict.violations.push({
      trailer: key,
      problem: 'missing',
      found: null,
      message: `no ${key} trailer in the message's last paragraph`,
      fix: '',
    });
  }

  const agents = valuesOf(verdict.trailers, rules.agentKey).filter(Boolean);
  verdict.binding = judgeAgents(agents, identity, policy, verdict.violations);

  const fix = fixCommand(verdict.violations, policy, target);
  for (const violation of verdict.violations) violation.fix = fix;
  if (verdict.violations.length) verdict.status = 'fail';
  return verdict;
}

function judgeAgents(
  agents: string[],
  identity: string,
  policy: Policy,
  violations: Violation[],
): Binding {
  const key = policy.trailers.agentKey;
  const listed = Object.keys(policy.agents);
  const unknown = agents.filter(
    (agent) => listed.length > 0 && !listed.includes(agent),
  );
  for (const agent of unknown) {
    violations.push({
      trailer: key,
      problem: 'unknown-agent',
      found: agent,
      message: `${key} ${JSON.stringify(agent)} is not an agent the policy lists (${listed.join(', ')})`,
      fix: '',
    });
  }
  const identities = Object.values(policy.identities);
  if (identities.length === 0) return 'not-configured';
  if (agents.length === 0) return 'not-checked';

  const email = identity.toLowerCase();
  const owners = identities.filter((entry) =>
    (entry.emails ?? []).some((known) => known.toLowerCase() === email),
  );
  const allowed = new Set(owners.flatMap((entry) => entry.agents ?? []));
  let binding: Binding = 'pass';
  for (const agent of agents) {
    // An unknown agent is already reported; nobody may speak for it.
    if (unknown.includes(agent)) {
      binding = 'fail';
      continue;
    }
    if (allowed.has(agent) || allowed.has('*')) continue;
    binding = 'fail';
    violations.push({
      trailer: key,
      problem: 'identity',
      found: agent,
      message: owners.length
        ? `${identity} may not commit as ${JSON.stringify(agent)}` +
          (allowed.size ? ` (allowed: ${[...allowed].join(', ')})` : '')
        : `${identity} is not an identity the policy names, so it may not commit as ${JSON.stringify(agent)}`,
      fix: '',
    });
  }
  return binding;
}

/** Values of a key, compared as git compares keys: ignoring case. */
function valuesOf(trailers: readonly Trailer[], key: string): string[] {
  const wanted = key.toLowerCase();
  return trailers
    .filter((trailer) => trailer.key.toLowerCase() === wanted)
    .map((trailer) => trailer.value);
}

function valueProblem(
  value: string,
  pattern: RegExp | undefined,
): 'empty' | 'pattern' | undefined {
  if (value === '') return 'empty';
  if (pattern && !wholeValue(pattern).test(value)) return 'pattern';
  return undefined;
}

const anchored = new WeakMap<RegExp, RegExp>();

/**
 * The schema promises a pattern matches the whole value unless it has its
 * own anchors: `GW-\d+` must not pass `xGW-1y`.
 */
function wholeValue(pattern: RegExp): RegExp {
  let whole = anchored.get(pattern);
  if (!whole) {
    const source = pattern.source;
    const hasAnchors = source.startsWith('^') || /(?<!\\)\$$/.test(source);
    whole = hasAnchors
      ? pattern
      : new RegExp(`^(?:${source})$`, pattern.flags.replace(/[gy]/g, ''));
    anchored.set(pattern, whole);
  }
  return whole;
}

const globs = new Map<string, (email: string) => boolean>();

/**
 * Exempt authors are email globs. Brackets are literal, so
 * `*[bot]@users.noreply.github.com` means the `[bot]` suffix GitHub gives
 * bot accounts, not "one of b, o, t".
 */
function isExemptAuthor(email: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    let matcher = globs.get(pattern);
    if (!matcher) {
      matcher = picomatch(pattern, {
        nocase: true,
        dot: true,
        literalBrackets: true,
      });
      globs.set(pattern, matcher);
    }
    return matcher(email);
  });
}
