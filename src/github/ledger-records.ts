import type { AccessDecision } from '../access/decision.ts';
import { GitwardenError } from '../errors.ts';
import type { Decision, RecordFields, Where } from '../ledger/record.ts';
import type { CommandDecision } from './command.ts';
import type { VerifyResult } from './verify.ts';

/**
 * What the ledger action appends: each result file the other actions
 * wrote becomes records. A verify result gives one record for the run
 * (its verdict and counts) and one per access decision; a command
 * decision gives one. JSON lines of record fields (what `gitwarden ledger
 * append --input` takes) pass through as they are.
 */
export interface RecordContext {
  repository: string | undefined;
  where: Where;
}

/** Commits named per record; the ledger caps a record at 64 KiB. */
const MAX_COMMITS = 500;

const VERDICT: Record<VerifyResult['verdict'], Decision> = {
  pass: 'allow',
  refused: 'deny',
  incomplete: 'error',
  nothing: 'info',
};

export function recordsFromFile(
  text: string,
  name: string,
  context: RecordContext,
): RecordFields[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return jsonLines(text, name, context);
  }
  const kind = (value as { schema?: unknown; type?: unknown }) ?? {};
  if (kind.schema === 'gitwarden/verify-result@1') {
    return fromVerify(value as VerifyResult, context);
  }
  if (kind.type === 'gitwarden.command') {
    return [fromCommand(value as CommandDecision, context)];
  }
  if (isRecord(value)) return [withWhere(value, context)];
  throw new GitwardenError(
    'INPUT_INVALID',
    `${name} is neither a verify result, a command decision nor ledger records`,
  );
}

function fromVerify(
  result: VerifyResult,
  context: RecordContext,
): RecordFields[] {
  // A skipped event writes a short result: verdict and notes only.
  const counts = result.counts;
  const commits = (result.commits ?? []).map((row) => row.sha);
  const reason = counts
    ? `${counts.commits} commits judged, ${counts.refused} refused; ${counts.errors} errors, ${counts.warnings} warnings` +
      (result.findings?.length ? `: ${summarise(result)}` : '')
    : (result.notes?.[0] ?? 'nothing judged');
  const run: RecordFields = {
    actor: {
      id: result.actor?.login ?? 'unknown',
      role: result.actor?.role,
    },
    action: `verify.${result.event}`,
    decision: VERDICT[result.verdict],
    reason: reason.slice(0, 2000),
    subject: {
      repository: context.repository,
      ...(result.head
        ? {
            commits: [
              result.head,
              ...commits.filter((c) => c !== result.head),
            ].slice(0, MAX_COMMITS),
          }
        : {}),
    },
    where: context.where,
  };
  const access = (result.decisions ?? []).filter(
    (decision): decision is AccessDecision =>
      (decision as { type?: unknown }).type === 'gitwarden.access',
  );
  return [run, ...access.map((decision) => fromAccess(decision, context))];
}

function summarise(result: VerifyResult): string {
  const byCheck = new Map<string, number>();
  for (const finding of result.findings) {
    byCheck.set(finding.check, (byCheck.get(finding.check) ?? 0) + 1);
  }
  return [...byCheck].map(([check, n]) => `${check} ${n}`).join(', ');
}

function fromAccess(
  decision: AccessDecision,
  context: RecordContext,
): RecordFields {
  const refused = decision.verdict === 'refused';
  return {
    actor: {
      id: decision.identity.name ?? decision.identity.claimed,
      role: decision.identity.roles[0],
    },
    action: 'push.check',
    decision: refused
      ? 'deny'
      : decision.verdict === 'not-configured'
        ? 'info'
        : 'allow',
    reason: (refused
      ? decision.refusals.map((r) => r.reason).join('; ')
      : `${decision.action} ${decision.verdict}`
    ).slice(0, 2000),
    subject: {
      repository: context.repository,
      ref: decision.ref,
      commits: [decision.newSha],
      paths: [
        ...new Set(decision.refusals.flatMap((r) => (r.path ? [r.path] : []))),
      ].slice(0, 100),
    },
    where: context.where,
  };
}

function fromCommand(
  decision: CommandDecision,
  context: RecordContext,
): RecordFields {
  return {
    actor: {
      id: decision.identity.name ?? decision.identity.claimed,
      role: decision.identity.roles[0],
    },
    action: 'command.run',
    decision: decision.verdict === 'allowed' ? 'allow' : 'deny',
    reason: decision.reason.slice(0, 2000),
    subject: {
      repository: context.repository,
      command: [decision.command, ...(decision.args ? [decision.args] : [])],
    },
    where: context.where,
  };
}

function jsonLines(
  text: string,
  name: string,
  context: RecordContext,
): RecordFields[] {
  const records: RecordFields[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new GitwardenError(
        'INPUT_INVALID',
        `${name}:${index + 1}: not JSON (${(error as Error).message})`,
      );
    }
    if (!isRecord(value)) {
      throw new GitwardenError(
        'INPUT_INVALID',
        `${name}:${index + 1}: not a ledger record (needs actor.id and action)`,
      );
    }
    records.push(withWhere(value, context));
  });
  if (records.length === 0) {
    throw new GitwardenError('INPUT_INVALID', `${name} holds no records`);
  }
  return records;
}

function isRecord(value: unknown): value is RecordFields {
  const record = value as RecordFields;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.action === 'string' &&
    typeof record.actor?.id === 'string'
  );
}

function withWhere(record: RecordFields, context: RecordContext): RecordFields {
  return { ...record, where: record.where ?? context.where };
}
