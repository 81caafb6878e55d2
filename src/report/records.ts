// The one boundary between the ledger and the reports: a ledger record in,
// a report event out. A record is a DSSE envelope whose payload is an
// in-toto Statement v1 with gitwarden's predicate. Signatures are not
// checked here: the ledger's verifier does that, and hands its verdict to
// the report as a LedgerIntegrity.
//
// The predicate fields read here (all others are ignored):
//   id, time (RFC 3339), kind, actor (string or {identity|login|email}),
//   agent, task, why (the reason), and `what`, which depends on kind:
//   operation        {start, end, outcome, source?}
//   decision         {action, check?, decision: allow|deny, ref?,
//                     protectedPath?, override?: {by, reason}}
//   secret-finding   {rule, resolution}
//   key | key_add | key_rotate | key_revoke   {keyId, change?}
//   protection-check {ref?, matches}
//   review           {pullRequest, author, approvers[], mergedBy}

import type {
  LedgerIntegrity,
  OperationOutcome,
  ReportEvent,
  SecretResolution,
} from './events.ts';

export const PREDICATE_TYPE = 'https://gitwarden.dev/ledger/record/v1';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** A record turned into an event, or the reason it could not be. */
export type ParsedRecord =
  | { ok: true; event: ReportEvent }
  | { ok: false; id: string | undefined; problem: string };

type Fields = Record<string, unknown>;

const OUTCOMES: readonly OperationOutcome[] = [
  'success',
  'failure',
  'error',
  'timeout',
  'denied',
  'cancelled',
];
const RESOLUTIONS: readonly SecretResolution[] = [
  'blocked',
  'revoked',
  'rotated',
  'false-positive',
  'allowed',
  'open',
];

/** Parses one line of a ledger export (one DSSE envelope as JSON). */
export function eventFromLine(line: string): ParsedRecord {
  let envelope: unknown;
  try {
    envelope = JSON.parse(line);
  } catch {
    return { ok: false, id: undefined, problem: 'not JSON' };
  }
  return eventFromEnvelope(envelope);
}

export function eventFromEnvelope(envelope: unknown): ParsedRecord {
  if (!isObject(envelope) || typeof envelope.payload !== 'string') {
    return { ok: false, id: undefined, problem: 'not a DSSE envelope' };
  }
  if (envelope.payloadType !== PAYLOAD_TYPE) {
    return { ok: false, id: undefined, problem: 'not an in-toto payload' };
  }
  let statement: unknown;
  try {
    statement = JSON.parse(
      Buffer.from(envelope.payload, 'base64').toString('utf8'),
    );
  } catch {
    return { ok: false, id: undefined, problem: 'payload is not JSON' };
  }
  if (
    !isObject(statement) ||
    statement.predicateType !== PREDICATE_TYPE ||
    !isObject(statement.predicate)
  ) {
    return { ok: false, id: undefined, problem: 'not a gitwarden record' };
  }
  return eventFromPredicate(statement.predicate);
}

/** Turns a gitwarden predicate into the event reports need. */
export function eventFromPredicate(predicate: Fields): ParsedRecord {
  const id = text(predicate.id);
  const kind = text(predicate.kind);
  if (id === undefined) return fail(undefined, 'no id');
  if (kind === undefined) return fail(id, 'no kind');
  // An operation's time is its end; parsing its record time as well would
  // cost a date parse per record for nothing on the SLA's hot path.
  const time = kind === 'operation' ? 0 : instant(predicate.time);
  if (time === undefined) return fail(id, 'no valid time');

  const base = {
    id,
    time,
    actor: actorName(predicate.actor),
    agent: text(predicate.agent),
    task: text(predicate.task),
  };
  const what = isObject(predicate.what) ? predicate.what : {};
  const why = text(predicate.why);

  switch (kind) {
    case 'operation':
      return operation(base, what);
    case 'decision':
      return decision(base, what, why);
    case 'secret-finding': {
      const resolution = oneOf(what.resolution, RESOLUTIONS) ?? 'open';
      const rule = text(what.rule) ?? 'unknown rule';
      return done({ ...base, type: 'secret', rule, resolution });
    }
    case 'key':
    case 'key_add':
    case 'key_rotate':
    case 'key_revoke': {
      const change =
        oneOf(what.change, ['add', 'rotate', 'revoke'] as const) ??
        oneOf(kind.slice(4), ['add', 'rotate', 'revoke'] as const);
      const keyId = text(what.keyId);
      if (!change || !keyId) return fail(id, 'key record without keyId');
      return done({ ...base, type: 'key', keyId, change });
    }
    case 'protection-check': {
      if (typeof what.matches !== 'boolean') {
        return fail(id, 'protection-check without matches');
      }
      const ref = text(what.ref);
      return done({ ...base, type: 'protection', matches: what.matches, ref });
    }
    case 'review':
      return review(base, what);
    default:
      return done({ ...base, type: 'other', kind });
  }
}

type Base = Pick<ReportEvent, 'id' | 'time' | 'actor' | 'agent' | 'task'>;

function operation(base: Base, what: Fields): ParsedRecord {
  const start = instant(what.start);
  const end = instant(what.end);
  const source = what.source === 'workflow-run' ? 'workflow-run' : 'wrapper';
  const outcome =
    oneOf(what.outcome, OUTCOMES) ??
    (source === 'workflow-run'
      ? outcomeOfConclusion(what.conclusion)
      : undefined);
  if (start === undefined || end === undefined) {
    return fail(base.id, 'operation without start and end');
  }
  if (end < start) return fail(base.id, 'operation ends before it starts');
  if (!outcome) return fail(base.id, 'operation without a known outcome');
  // An operation is judged at its end: that is when it succeeded or not.
  return done({
    type: 'operation',
    id: base.id,
    time: end,
    actor: base.actor,
    agent: base.agent,
    task: base.task,
    source,
    start,
    end,
    outcome,
  });
}

/**
 * A GitHub Actions run's conclusion as an operation outcome: success and
 * failure are attempts; a run that was cancelled, skipped or stopped for
 * approval says nothing about the agent, so it is not one.
 */
export function outcomeOfConclusion(
  conclusion: unknown,
): OperationOutcome | undefined {
  switch (conclusion) {
    case 'success':
      return 'success';
    case 'failure':
    case 'startup_failure':
      return 'failure';
    case 'timed_out':
      return 'timeout';
    case 'cancelled':
    case 'skipped':
    case 'neutral':
    case 'action_required':
    case 'stale':
      return 'cancelled';
    default:
      return undefined;
  }
}

function decision(
  base: Base,
  what: Fields,
  why: string | undefined,
): ParsedRecord {
  const verdict = oneOf(what.decision, ['allow', 'deny'] as const);
  const action = text(what.action);
  if (!verdict || !action) {
    return fail(base.id, 'decision without action and allow/deny');
  }
  const override = isObject(what.override)
    ? { by: actorName(what.override.by), reason: text(what.override.reason) }
    : undefined;
  return done({
    ...base,
    type: 'decision',
    action,
    check: text(what.check),
    decision: verdict,
    reason: why,
    ref: text(what.ref),
    protectedPath: what.protectedPath === true,
    override,
  });
}

function review(base: Base, what: Fields): ParsedRecord {
  const pullRequest = what.pullRequest;
  if (typeof pullRequest !== 'number' || !Number.isInteger(pullRequest)) {
    return fail(base.id, 'review without a pull request number');
  }
  const approvers = Array.isArray(what.approvers)
    ? what.approvers.map(actorName).filter((a) => a !== undefined)
    : [];
  return done({
    ...base,
    type: 'review',
    pullRequest,
    author: actorName(what.author),
    approvers,
    mergedBy: actorName(what.mergedBy),
  });
}

/**
 * Reads the verdict `gitwarden ledger verify --json` prints. Anything that
 * is not a clear "verified" or "failed" counts as not verified.
 */
export function integrityFromJson(value: unknown): LedgerIntegrity {
  const fields = isObject(value) ? value : {};
  const status =
    fields.status === 'verified' || fields.status === 'failed'
      ? fields.status
      : 'not-verified';
  const problems = Array.isArray(fields.problems)
    ? fields.problems.map((p) => (typeof p === 'string' ? p : describe(p)))
    : [];
  const cp = isObject(fields.checkpoint) ? fields.checkpoint : undefined;
  const checkpoint =
    cp && typeof cp.size === 'number' && typeof cp.root === 'string'
      ? { size: cp.size, root: cp.root }
      : undefined;
  const anchored =
    typeof fields.anchored === 'boolean' ? fields.anchored : undefined;
  return { status, problems, checkpoint, anchored };
}

export const NOT_VERIFIED: LedgerIntegrity = {
  status: 'not-verified',
  problems: [],
  checkpoint: undefined,
  anchored: undefined,
};

function describe(problem: unknown): string {
  if (!isObject(problem)) return String(problem);
  const where = problem.record ?? problem.index ?? problem.id;
  const what = problem.message ?? problem.problem ?? JSON.stringify(problem);
  return where === undefined ? String(what) : `${String(where)}: ${what}`;
}

function done(event: ReportEvent): ParsedRecord {
  return { ok: true, event };
}

function fail(id: string | undefined, problem: string): ParsedRecord {
  return { ok: false, id, problem };
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}

/** Parses an RFC 3339 time (or epoch ms); undefined when it is not one. */
function instant(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function actorName(value: unknown): string | undefined {
  if (typeof value === 'string') return text(value);
  if (!isObject(value)) return undefined;
  return text(value.identity) ?? text(value.login) ?? text(value.email);
}
