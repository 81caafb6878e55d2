// Ledger records for report tests, built in code: DSSE envelopes around
// in-toto Statements with gitwarden's predicate, as `gitwarden ledger
// export` writes them. The signatures are placeholders: reports read
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

export function operation(o: {
  agent?: string;
  task?: string;
  end: number;
  durationMs: number;
  outcome?: string;
  id?: string;
  actor?: string;
}): Predicate {
  return {
    id: o.id ?? nextId('op'),
    time: iso(o.end),
    kind: 'operation',
    actor: o.actor ?? 'ci-bot',
    agent: o.agent,
    task: o.task ?? 'GW-1',
    what: {
      start: iso(o.end - o.durationMs),
      end: iso(o.end),
      outcome: o.outcome ?? 'success',
    },
  };
}

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
  override?: { by?: string; reason?: string };
  id?: string;
}): Predicate {
  return {
    id: o.id ?? nextId('dec'),
    time: iso(o.time),
    kind: 'decision',
    actor: o.actor === null ? undefined : (o.actor ?? 'alice'),
    agent: o.agent,
    task: o.task,
    why: o.why ?? 'policy',
    what: {
      action: o.action ?? 'push',
      check: o.check ?? 'roles',
      decision: o.decision,
      ref: 'refs/heads/main',
      protectedPath: o.protectedPath ?? false,
      override: o.override,
    },
  };
}

export function secretFinding(o: {
  time: number;
  resolution: string;
  id?: string;
}): Predicate {
  return {
    id: o.id ?? nextId('sec'),
    time: iso(o.time),
    kind: 'secret-finding',
    actor: 'alice',
    what: { rule: 'test-rule', resolution: o.resolution },
  };
}

export function keyEvent(o: {
  time: number;
  keyId: string;
  change: 'add' | 'rotate' | 'revoke';
  id?: string;
}): Predicate {
  return {
    id: o.id ?? nextId('key'),
    time: iso(o.time),
    kind: 'key',
    actor: 'owner',
    what: { keyId: o.keyId, change: o.change },
  };
}

export function protectionCheck(o: {
  time: number;
  matches: boolean;
  id?: string;
}): Predicate {
  return {
    id: o.id ?? nextId('prot'),
    time: iso(o.time),
    kind: 'protection-check',
    actor: 'ci-bot',
    what: { ref: 'refs/heads/main', matches: o.matches },
  };
}

export function review(o: {
  time: number;
  author: string;
  approvers: string[];
  id?: string;
}): Predicate {
  return {
    id: o.id ?? nextId('rev'),
    time: iso(o.time),
    kind: 'review',
    actor: 'github',
    what: {
      pullRequest: 7,
      author: o.author,
      approvers: o.approvers,
      mergedBy: o.approvers[0] ?? o.author,
    },
  };
}

/** Writes records as a ledger export, one envelope per line, streamed. */
export async function writeLedger(
  path: string,
  records: Iterable<Predicate>,
): Promise<void> {
  const out = createWriteStream(path);
  for (const record of records) {
    if (!out.write(line(record) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
