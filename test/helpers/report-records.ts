// Ledger records for report tests, built in code: predicates shaped as
// schemas/ledger-record.schema.json (on the ledger branch) describes, in
// DSSE envelopes as `gitwarden ledger export --raw` writes them, or as
// its plain export lines. The signatures are placeholders: reports read
// records the ledger has already verified.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

import {
  PAYLOAD_TYPE,
  PREDICATE_TYPE,
  STATEMENT_TYPE,
} from '../../src/report/records.ts';

export type Predicate = Record<string, unknown>;

let counter = 0;

/** A fresh record id; tests that need stable ids pass their own. */
export function nextId(prefix = 'rec'): string {
  counter += 1;
  return `${prefix}-${String(counter).padStart(7, '0')}`;
}

export function envelope(predicate: Predicate): Record<string, unknown> {
  const statement = {
    _type: STATEMENT_TYPE,
    subject: [{ name: 'ledger', digest: { gitCommit: '0'.repeat(40) } }],
    predicateType: PREDICATE_TYPE,
    predicate,
  };
  return {
    payloadType: PAYLOAD_TYPE,
    payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
    signatures: [{ keyid: 'test', sig: 'AA==' }],
  };
}

export function line(predicate: Predicate): string {
  return JSON.stringify(envelope(predicate));
}

const iso = (ms: number) => new Date(ms).toISOString();
const ORIGIN = 'example.com/test/gitwarden-ledger/v1';

function record(fields: Predicate & { id?: string; time: number }): Predicate {
  const { time, ...rest } = fields;
  return {
    origin: ORIGIN,
    ...rest,
    id: fields.id ?? nextId(),
    time: iso(time),
  };
}

/** An agent's command through the audit wrapper (`command.run`). */
export function operation(o: {
  agent?: string;
  task?: string;
  end: number;
  durationMs: number;
  outcome?: 'success' | 'failure' | 'timeout' | 'cancelled' | 'denied';
  id?: string;
  actor?: string;
}): Predicate {
  const outcome = o.outcome ?? 'success';
  const error =
    outcome === 'timeout' || outcome === 'cancelled' ? outcome : undefined;
  return record({
    id: o.id ?? nextId('op'),
    time: o.end,
    actor: { id: o.actor ?? 'ci-bot', kind: 'bot' },
    agent: o.agent,
    task: o.task ?? 'GW-1',
    action: 'command.run',
    subject: { command: ['npm', 'test'] },
    decision: outcome === 'denied' ? 'deny' : 'allow',
    outcome:
      outcome === 'denied'
        ? undefined
        : {
            status: outcome === 'success' ? 'ok' : 'error',
            durationMs: o.durationMs,
            ...(error ? { error } : {}),
          },
  });
}

/** A verdict: `<action>.check.<check>`, or an `override` record. */
export function decision(o: {
  time: number;
  action?: string;
  check?: string;
  decision: 'allow' | 'deny';
  actor?: string | null;
  agent?: string;
  task?: string;
  why?: string;
  protectedPath?: boolean;
  override?: { why?: string };
  id?: string;
}): Predicate {
  return record({
    id: o.id ?? nextId('dec'),
    time: o.time,
    actor: o.actor === null ? undefined : { id: o.actor ?? 'alice' },
    agent: o.agent,
    task: o.task,
    action: o.override
      ? 'override'
      : `${o.action ?? 'push'}.check.${o.check ?? 'roles'}`,
    subject: {
      ref: 'refs/heads/main',
      ...(o.protectedPath ? { paths: ['.github/workflows/ci.yml'] } : {}),
    },
    decision: o.decision,
    reason: o.why ?? 'policy',
    why: o.override?.why,
  });
}

/** A secret finding (`secret.found`) or how one ended. */
export function secretFinding(o: {
  time: number;
  resolution: 'open' | 'blocked' | 'allowed' | 'revoked' | 'rotated';
  id?: string;
}): Predicate {
  const found = { open: 'found', blocked: 'deny', allowed: 'accept' } as const;
  const ending = {
    revoked: 'secret.revoke',
    rotated: 'secret.rotate',
  } as const;
  const isFound = o.resolution in found;
  return record({
    id: o.id ?? nextId('sec'),
    time: o.time,
    actor: { id: 'alice' },
    action: isFound
      ? 'secret.found'
      : ending[o.resolution as keyof typeof ending],
    decision: isFound ? found[o.resolution as keyof typeof found] : 'info',
    reason: 'test-rule',
  });
}

export function keyEvent(o: {
  time: number;
  keyId: string;
  change: 'add' | 'rotate' | 'revoke';
  previous?: string;
  id?: string;
}): Predicate {
  return record({
    id: o.id ?? nextId('key'),
    time: o.time,
    actor: { id: 'owner' },
    action: `key.${o.change}`,
    key: { fingerprint: o.keyId, previous: o.previous },
  });
}

export function protectionCheck(o: {
  time: number;
  matches: boolean;
  id?: string;
}): Predicate {
  return record({
    id: o.id ?? nextId('prot'),
    time: o.time,
    actor: { id: 'ci-bot' },
    action: 'protect.check',
    subject: { ref: 'refs/heads/main' },
    decision: o.matches ? 'allow' : 'deny',
  });
}

/** A merged pull request: allow when someone other than the author approved. */
export function review(o: {
  time: number;
  author: string;
  approvers: string[];
  id?: string;
}): Predicate {
  return record({
    id: o.id ?? nextId('rev'),
    time: o.time,
    actor: { id: o.approvers[0] ?? o.author },
    action: 'pull.merge',
    subject: { ref: 'refs/pull/7/merge' },
    decision: o.approvers.some((a) => a !== o.author) ? 'allow' : 'deny',
    reason: `by ${o.author}, approved by ${o.approvers.join(', ') || 'nobody'}`,
  });
}

/** One line of `gitwarden ledger export` (without --raw). */
export function exportLine(predicate: Predicate, index: number): string {
  return JSON.stringify({ index, record: predicate });
}

/** Writes records as a ledger export, one envelope per line, streamed. */
export async function writeLedger(
  path: string,
  records: Iterable<Predicate>,
  format: 'raw' | 'export' = 'raw',
): Promise<void> {
  const out = createWriteStream(path);
  let index = 0;
  for (const predicate of records) {
    // Both export forms: DSSE envelopes (--raw) and decoded records.
    const text =
      format === 'raw' ? line(predicate) : exportLine(predicate, index);
    index += 1;
    if (!out.write(text + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
