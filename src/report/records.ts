// The one boundary between the ledger and the reports: a ledger record in,
// a report event out. A record is an in-toto Statement v1 whose predicate
// follows schemas/ledger-record.schema.json, carried in a DSSE envelope.
// Signatures are not checked here: the ledger's verifier does that, and
// its verdict reaches the report as a LedgerIntegrity.
//
// Reports read the predicate's id, time, actor.id, agent, task, action,
// decision, reason, why, outcome and key, and give these actions meaning
// (every other action shows in the audit trail only):
//   command.run      an agent's command through the audit wrapper: an SLA
//                    operation. Its time is its end; outcome.durationMs its
//                    response time; outcome.status ok = success, error =
//                    failure (outcome.error "timeout" = timeout,
//                    "cancelled" = cancelled); decision deny = denied.
//   workflow.run     a GitHub Actions run of an agent's commit, likewise;
//                    `reason` holds the run's conclusion when there is one.
//   <x>.check[.<rule>]  a verdict (commit.check.trailers, push.check.roles,
//                    push.check.secrets ...): decision allow, or deny/error
//                    (a refusal). subject.paths lists protected paths.
//   override         someone overrode a verdict; `why` is the justification.
//   secret.found     decision deny = blocked, accept = accepted, found = open.
//   secret.revoke | secret.rotate | secret.dismiss   how a finding ended.
//   key.add | key.rotate | key.revoke   signing keys (key.fingerprint).
//   protect.check    live protection against the policy: allow = matches.
//   pull.merge       a merged pull request: allow = approved by someone
//                    other than its author, deny = not.

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
type Base = Pick<ReportEvent, 'id' | 'time' | 'actor' | 'agent' | 'task'>;

/**
 * Parses one line of a ledger export: `gitwarden ledger export` writes
 * `{"index": N, "record": {...}}`, `--raw` the DSSE envelopes themselves.
 */
export function eventFromLine(line: string): ParsedRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return fail(undefined, 'not JSON');
  }
  if (isObject(value) && 'record' in value) {
    return isObject(value.record)
      ? eventFromPredicate(value.record)
      : fail(undefined, `record ${String(value.index)} could not be decoded`);
  }
  return eventFromEnvelope(value);
}

export function eventFromEnvelope(envelope: unknown): ParsedRecord {
  if (!isObject(envelope) || typeof envelope.payload !== 'string') {
    return fail(undefined, 'not a DSSE envelope or an export line');
  }
  if (envelope.payloadType !== PAYLOAD_TYPE) {
    return fail(undefined, 'not an in-toto payload');
  }
  let statement: unknown;
  try {
    statement = JSON.parse(
      Buffer.from(envelope.payload, 'base64').toString('utf8'),
    );
  } catch {
    return fail(undefined, 'payload is not JSON');
  }
  if (
    !isObject(statement) ||
    statement.predicateType !== PREDICATE_TYPE ||
    !isObject(statement.predicate)
  ) {
    return fail(undefined, 'not a gitwarden record');
  }
  return eventFromPredicate(statement.predicate);
}

/** Turns a gitwarden predicate into the event reports need. */
export function eventFromPredicate(record: Fields): ParsedRecord {
  const id = text(record.id);
  const action = text(record.action);
  const time = instant(record.time);
  if (id === undefined) return fail(undefined, 'no id');
  if (action === undefined) return fail(id, 'no action');
  if (time === undefined) return fail(id, 'no valid time');

  const base: Base = {
    id,
    time,
    actor: actorName(record.actor),
    agent: text(record.agent),
    task: text(record.task),
  };
  const decision = text(record.decision);
  const reason = text(record.reason);
  const subject = isObject(record.subject) ? record.subject : {};

  if (action === 'command.run' || action === 'workflow.run') {
    return operation(base, action, decision, reason, record.outcome);
  }
  if (action === 'override') {
    return done({
      ...base,
      type: 'decision',
      action: 'override',
      check: undefined,
      decision: 'allow',
      reason,
      ref: text(subject.ref),
      protectedPath: hasPaths(subject),
      override: { by: base.actor, reason: text(record.why) },
    });
  }
  const parts = action.split('.');
  if (parts[1] === 'check' && parts[0] !== 'protect') {
    if (decision !== 'allow' && decision !== 'deny' && decision !== 'error') {
      return fail(id, `${action} without an allow or deny decision`);
    }
    return done({
      ...base,
      type: 'decision',
      action: parts[0]!,
      check: parts[2],
      // Could not judge is a refusal where gitwarden enforces.
      decision: decision === 'allow' ? 'allow' : 'deny',
      reason,
      ref: text(subject.ref),
      protectedPath: hasPaths(subject),
      override: undefined,
    });
  }
  if (parts[0] === 'secret') return secret(base, action, decision, reason);
  if (parts[0] === 'key') return key(base, action, record.key);
  if (action === 'protect.check' || action === 'pull.merge') {
    if (decision !== 'allow' && decision !== 'deny') {
      return fail(id, `${action} without an allow or deny decision`);
    }
    const ref = text(subject.ref);
    return done(
      action === 'protect.check'
        ? { ...base, type: 'protection', matches: decision === 'allow', ref }
        : { ...base, type: 'review', independent: decision === 'allow', ref },
    );
  }
  return done({ ...base, type: 'other', action, decision });
}

function operation(
  base: Base,
  action: string,
  decision: string | undefined,
  reason: string | undefined,
  outcomeField: unknown,
): ParsedRecord {
  const source = action === 'workflow.run' ? 'workflow-run' : 'wrapper';
  const outcome = isObject(outcomeField) ? outcomeField : undefined;
  const duration = outcome?.durationMs ?? 0;
  if (typeof duration !== 'number' || !(duration >= 0)) {
    return fail(base.id, `${action} with a negative or missing duration`);
  }
  let result: OperationOutcome | undefined;
  if (decision === 'deny') result = 'denied';
  else if (source === 'workflow-run' && reason !== undefined) {
    result = outcomeOfConclusion(reason);
  }
  if (result === undefined && outcome) {
    const error = text(outcome.error);
    if (outcome.status === 'ok') result = 'success';
    else if (outcome.status === 'error') {
      result =
        error === 'timeout'
          ? 'timeout'
          : error === 'cancelled'
            ? 'cancelled'
            : 'failure';
    }
  }
  if (result === undefined) {
    return fail(base.id, `${action} without an outcome`);
  }
  // The record is written when the operation ends: its time is the end.
  return done({
    ...base,
    type: 'operation',
    source,
    start: base.time - duration,
    end: base.time,
    outcome: result,
  });
}

/**
 * A GitHub Actions run's conclusion as an operation outcome: success and
 * failure are attempts; a run that was cancelled, skipped or stopped for
 * approval says nothing about the agent, so it is not one.
 */
export function outcomeOfConclusion(
  conclusion: string,
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

const SECRET_ENDINGS: Record<string, SecretResolution> = {
  'secret.revoke': 'revoked',
  'secret.rotate': 'rotated',
  'secret.dismiss': 'false-positive',
};

function secret(
  base: Base,
  action: string,
  decision: string | undefined,
  reason: string | undefined,
): ParsedRecord {
  let resolution = SECRET_ENDINGS[action];
  if (action === 'secret.found') {
    resolution =
      decision === 'deny'
        ? 'blocked'
        : decision === 'accept'
          ? 'allowed'
          : 'open';
  }
  if (!resolution) return done({ ...base, type: 'other', action, decision });
  return done({
    ...base,
    type: 'secret',
    rule: reason ?? 'secret',
    resolution,
  });
}

function key(base: Base, action: string, field: unknown): ParsedRecord {
  const change = {
    'key.add': 'add',
    'key.rotate': 'rotate',
    'key.revoke': 'revoke',
  }[action] as 'add' | 'rotate' | 'revoke' | undefined;
  const details = isObject(field) ? field : {};
  const keyId = text(details.fingerprint);
  if (!change)
    return done({ ...base, type: 'other', action, decision: undefined });
  if (!keyId) return fail(base.id, `${action} without key.fingerprint`);
  return done({
    ...base,
    type: 'key',
    keyId,
    change,
    previous: text(details.previous),
  });
}

/**
 * Reads the verdict `gitwarden ledger verify --json` prints: `verified`
 * (anchored), `unanchored` (intact, but nothing proves the history was not
 * rewritten) or `tampered` (with its faults). Anything else counts as not
 * verified.
 */
export function integrityFromJson(value: unknown): LedgerIntegrity {
  const fields = isObject(value) ? value : {};
  const verdict = fields.verdict;
  const faults = Array.isArray(fields.faults) ? fields.faults : [];
  const size = fields.size;
  const root = fields.root;
  const checkpoint =
    typeof fields.checkpoints === 'number' &&
    fields.checkpoints > 0 &&
    typeof size === 'number' &&
    typeof root === 'string'
      ? { size, root }
      : undefined;
  if (verdict === 'tampered') {
    return {
      status: 'failed',
      problems: faults.map(describeFault),
      checkpoint,
      anchored: false,
    };
  }
  if (verdict === 'verified' || verdict === 'unanchored') {
    return {
      status: 'verified',
      problems: [],
      checkpoint,
      anchored: verdict === 'verified',
    };
  }
  return NOT_VERIFIED;
}

export const NOT_VERIFIED: LedgerIntegrity = {
  status: 'not-verified',
  problems: [],
  checkpoint: undefined,
  anchored: undefined,
};

function describeFault(fault: unknown): string {
  if (!isObject(fault)) return String(fault);
  const message = text(fault.message) ?? 'problem';
  if (typeof fault.commit === 'string') {
    return `commit ${fault.commit.slice(0, 12)}: ${message}`;
  }
  const id = typeof fault.id === 'string' ? ` (${fault.id})` : '';
  return `record ${String(fault.index)}${id}: ${message}`;
}

function hasPaths(subject: Fields): boolean {
  return Array.isArray(subject.paths) && subject.paths.length > 0;
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

/** Parses an RFC 3339 time; undefined when it is not one. */
function instant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function actorName(value: unknown): string | undefined {
  if (typeof value === 'string') return text(value);
  return isObject(value) ? text(value.id) : undefined;
}
