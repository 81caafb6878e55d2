import { randomUUID } from 'node:crypto';

import { GitwardenError } from '../errors.ts';
import type { Signer } from '../keys/signer.ts';
import { describeSchemaError, fieldName } from '../policy/errors.ts';
import { canonicalJson } from './canonical.ts';
import { signEnvelope } from './dsse.ts';
import { sha256 } from './merkle.ts';
import validateStatement from './validate-record.generated.js';

// One ledger record is an in-toto Statement v1 (github.com/in-toto/
// attestation) with gitwarden's predicate, in canonical JSON, signed in a
// DSSE envelope. Tools that read in-toto attestations can read it.

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://gitwarden.dev/ledger/record/v1';

/** Size cap for one envelope line; records are small, a giant is an attack. */
export const MAX_LINE_BYTES = 64 * 1024;

export interface Actor {
  id: string;
  role?: string;
  kind?: 'human' | 'agent' | 'bot' | 'service';
}

export interface RecordSubject {
  repository?: string;
  ref?: string;
  commits?: string[];
  paths?: string[];
  command?: string[];
}

export type Decision = 'allow' | 'deny' | 'found' | 'accept' | 'error' | 'info';

export interface Outcome {
  status: 'ok' | 'error';
  durationMs?: number;
  exitCode?: number;
  error?: string;
}

export interface Where {
  host?: string;
  ci?: {
    provider: string;
    runId?: string;
    runAttempt?: string;
    job?: string;
    workflow?: string;
    url?: string;
  };
}

export interface KeyEvent {
  fingerprint: string;
  publicKey?: string;
  previous?: string;
  compromisedFrom?: number;
}

export interface Observed {
  size: number;
  /** Base64 root hash. */
  root: string;
}

/** What a caller says about an event; the ledger adds id, origin, time. */
export interface RecordFields {
  id?: string;
  time?: string;
  actor: Actor;
  agent?: string;
  task?: string;
  action: string;
  subject?: RecordSubject;
  decision?: Decision;
  reason?: string;
  why?: string;
  outcome?: Outcome;
  where?: Where;
  key?: KeyEvent;
}

/** The predicate: a record as the ledger stores it. */
export interface LedgerRecord extends RecordFields {
  id: string;
  origin: string;
  time: string;
  observed?: Observed;
  /** Base64 leaf hash of the record just before this one in the log. */
  previous?: string;
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: typeof PREDICATE_TYPE;
  predicate: LedgerRecord;
}

export function newRecord(
  fields: RecordFields,
  context: { origin: string; now: Date; observed?: Observed },
): LedgerRecord {
  return dropUndefined({
    ...fields,
    id: fields.id ?? randomUUID(),
    origin: context.origin,
    time: fields.time ?? context.now.toISOString(),
    observed: context.observed,
  });
}

/**
 * The record's own subject names it by the digest of its canonical
 * predicate; each commit it concerns follows, so in-toto tooling that
 * matches attestations to commits finds it.
 */
export function statementOf(record: LedgerRecord): Statement {
  return statementWith(record, canonicalJson(record));
}

function statementWith(record: LedgerRecord, canonical: string): Statement {
  const subject = [
    {
      name: `record:${record.id}`,
      digest: { sha256: digestOf(canonical) },
    },
    ...(record.subject?.commits ?? []).map((commit) => ({
      name: record.subject?.repository ?? 'commit',
      digest: { gitCommit: commit },
    })),
  ];
  return {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: PREDICATE_TYPE,
    predicate: record,
  };
}

export function recordDigest(record: LedgerRecord): string {
  return digestOf(canonicalJson(record));
}

function digestOf(canonical: string): string {
  return sha256(Buffer.from(canonical, 'utf8')).toString('hex');
}

/**
 * The statement's canonical text, with the record's canonical text
 * (already made for its digest) spliced in rather than made twice. JCS
 * orders the statement's keys _type, predicate, predicateType, subject
 * (UTF-16 order), and each value's canonical text does not depend on
 * where it sits, so the result equals canonicalJson(statement).
 */
function statementText(statement: Statement, canonical: string): string {
  return (
    `{"_type":${JSON.stringify(statement._type)},"predicate":${canonical}` +
    `,"predicateType":${JSON.stringify(statement.predicateType)}` +
    `,"subject":${canonicalJson(statement.subject)}}`
  );
}

/** The first schema problem of a statement, or undefined when valid. */
export function schemaProblem(statement: unknown): string | undefined {
  if (validateStatement(statement)) return undefined;
  const error = validateStatement.errors?.[0];
  if (!error) return 'does not match the record schema';
  const { segments, message } = describeSchemaError(error);
  return `${fieldName(segments) || '(record)'}: ${message}`;
}

/**
 * Validates, canonicalises and signs a record; returns the envelope line
 * the ledger stores (canonical JSON itself, without the newline).
 */
export async function sealRecord(
  record: LedgerRecord,
  signers: readonly Signer[],
): Promise<string> {
  const canonical = canonicalJson(record);
  const statement = statementWith(record, canonical);
  const problem = schemaProblem(statement);
  if (problem) {
    throw new GitwardenError(
      'INPUT_INVALID',
      `ledger record ${record.id} is not valid: ${problem}`,
      { hint: 'See schemas/ledger-record.schema.json.' },
    );
  }
  const payload = Buffer.from(statementText(statement, canonical), 'utf8');
  const envelope = await signEnvelope(payload, signers);
  const line = canonicalJson(envelope);
  if (Buffer.byteLength(line) > MAX_LINE_BYTES) {
    throw new GitwardenError(
      'INPUT_INVALID',
      `ledger record ${record.id} is larger than ${MAX_LINE_BYTES} bytes`,
    );
  }
  return line;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}
