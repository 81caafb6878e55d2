import { describe, expect, it } from 'vitest';

import {
  eventFromLine,
  eventFromPredicate,
  integrityFromJson,
} from '../src/report/records.ts';
import {
  decision,
  envelope,
  exportLine,
  keyEvent,
  line,
  operation,
  review,
  secretFinding,
} from './helpers/report-records.ts';

const END = Date.parse('2026-03-01T00:00:00Z');

const eventOf = (predicate: Record<string, unknown>) => {
  const parsed = eventFromPredicate(predicate);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.event;
};

describe('ledger records as report events', () => {
  it('reads a command.run from a DSSE envelope or an export line alike', () => {
    const record = operation({
      id: 'op-1',
      agent: 'coder',
      task: 'GW-4',
      end: END,
      durationMs: 250,
      outcome: 'timeout',
    });
    const expected = {
      ok: true,
      event: {
        type: 'operation',
        source: 'wrapper',
        id: 'op-1',
        time: END,
        actor: 'ci-bot',
        agent: 'coder',
        task: 'GW-4',
        start: END - 250,
        end: END,
        outcome: 'timeout',
      },
    };
    expect(eventFromLine(line(record))).toEqual(expected);
    expect(eventFromLine(exportLine(record, 3))).toEqual(expected);
  });

  it('maps outcomes: ok, error, cancelled, and a denial that is no attempt', () => {
    const outcome = (o: 'success' | 'failure' | 'cancelled' | 'denied') =>
      (
        eventOf(operation({ end: END, durationMs: 5, outcome: o })) as {
          outcome: string;
        }
      ).outcome;
    expect(outcome('success')).toBe('success');
    expect(outcome('failure')).toBe('failure');
    expect(outcome('cancelled')).toBe('cancelled');
    expect(outcome('denied')).toBe('denied');
  });

  it('maps a workflow run’s conclusion to an outcome', () => {
    const run = (conclusion: string) => {
      const record = {
        ...operation({ end: END, durationMs: 1000 }),
        action: 'workflow.run',
        reason: conclusion,
      };
      const parsed = eventFromPredicate(record);
      return parsed.ok && parsed.event.type === 'operation'
        ? [parsed.event.source, parsed.event.outcome]
        : parsed;
    };
    expect(run('success')).toEqual(['workflow-run', 'success']);
    expect(run('failure')).toEqual(['workflow-run', 'failure']);
    expect(run('timed_out')).toEqual(['workflow-run', 'timeout']);
    expect(run('cancelled')).toEqual(['workflow-run', 'cancelled']);
    expect(run('skipped')).toEqual(['workflow-run', 'cancelled']);
  });

  it('reads checks, overrides, secrets, keys and merges', () => {
    expect(
      eventOf(
        decision({
          time: END,
          action: 'commit',
          check: 'trailers',
          decision: 'deny',
          protectedPath: true,
        }),
      ),
    ).toMatchObject({
      type: 'decision',
      action: 'commit',
      check: 'trailers',
      decision: 'deny',
      protectedPath: true,
    });
    const error = {
      ...decision({ time: END, decision: 'allow' }),
      decision: 'error',
    };
    expect(eventOf(error)).toMatchObject({ decision: 'deny' });
    expect(
      eventOf(
        decision({
          time: END,
          decision: 'allow',
          actor: 'carol',
          override: { why: 'hotfix' },
        }),
      ),
    ).toMatchObject({
      action: 'override',
      override: { by: 'carol', reason: 'hotfix' },
    });
    expect(
      eventOf(secretFinding({ time: END, resolution: 'open' })),
    ).toMatchObject({ type: 'secret', resolution: 'open' });
    expect(
      eventOf(secretFinding({ time: END, resolution: 'blocked' })),
    ).toMatchObject({ resolution: 'blocked' });
    expect(
      eventOf(secretFinding({ time: END, resolution: 'revoked' })),
    ).toMatchObject({ resolution: 'revoked' });
    expect(
      eventOf(
        keyEvent({
          time: END,
          keyId: 'ab12',
          change: 'rotate',
          previous: 'cd34',
        }),
      ),
    ).toMatchObject({
      type: 'key',
      keyId: 'ab12',
      change: 'rotate',
      previous: 'cd34',
    });
    expect(
      eventOf(review({ time: END, author: 'alice', approvers: ['alice'] })),
    ).toMatchObject({
      type: 'review',
      independent: false,
    });
  });

  it('names what is wrong with a record it cannot use', () => {
    const base = {
      id: 'r-1',
      time: new Date(END).toISOString(),
      action: 'command.run',
      actor: { id: 'x' },
    };
    expect(
      eventFromPredicate({
        ...base,
        outcome: { status: 'ok', durationMs: -5 },
      }),
    ).toEqual({
      ok: false,
      id: 'r-1',
      problem: 'command.run with a negative or missing duration',
    });
    expect(eventFromPredicate({ ...base, decision: 'allow' })).toMatchObject({
      problem: 'command.run without an outcome',
    });
    expect(
      eventFromPredicate({ ...base, action: 'push.check', decision: 'info' }),
    ).toMatchObject({
      problem: 'push.check without an allow or deny decision',
    });
    expect(eventFromPredicate({ ...base, action: 'key.add' })).toMatchObject({
      problem: 'key.add without key.fingerprint',
    });
    expect(eventFromPredicate({ action: 'x' })).toMatchObject({
      problem: 'no id',
    });
    expect(
      eventFromPredicate({ id: 'd', action: 'x', time: 'soon' }),
    ).toMatchObject({ problem: 'no valid time' });
    const foreign = {
      ...envelope({}),
      payload: Buffer.from('{"predicateType":"other"}').toString('base64'),
    };
    expect(eventFromLine(JSON.stringify(foreign))).toMatchObject({
      problem: 'not a gitwarden record',
    });
    expect(eventFromLine('[1,2]')).toMatchObject({
      problem: 'not a DSSE envelope or an export line',
    });
    expect(eventFromLine('{"index":4,"record":null}')).toMatchObject({
      problem: 'record 4 could not be decoded',
    });
  });

  it('keeps records of actions reports do not use, for the audit trail', () => {
    expect(
      eventOf({
        id: 'x',
        time: '2026-03-01T00:00:00Z',
        action: 'ledger.init',
        actor: { id: 'octo' },
      }),
    ).toMatchObject({
      type: 'other',
      action: 'ledger.init',
      actor: 'octo',
    });
  });
});

describe('the verifier’s verdict (ledger verify --json)', () => {
  const tip = { size: 12, root: 'q83vEjRWeJA=', checkpoints: 3 };

  it('verified, unanchored and tampered', () => {
    expect(
      integrityFromJson({ verdict: 'verified', faults: [], ...tip }),
    ).toEqual({
      status: 'verified',
      problems: [],
      checkpoint: { size: 12, root: 'q83vEjRWeJA=' },
      anchored: true,
    });
    expect(
      integrityFromJson({ verdict: 'unanchored', faults: [], ...tip }),
    ).toMatchObject({
      status: 'verified',
      anchored: false,
    });
    expect(
      integrityFromJson({
        verdict: 'tampered',
        ...tip,
        faults: [
          { index: 4, id: 'abc', message: 'signature does not verify' },
          { index: 9, commit: '0123456789abcdef', message: 'rewritten' },
        ],
      }),
    ).toMatchObject({
      status: 'failed',
      problems: [
        'record 4 (abc): signature does not verify',
        'commit 0123456789ab: rewritten',
      ],
    });
  });

  it('counts anything unclear as not verified', () => {
    expect(integrityFromJson({ verdict: 'fine' }).status).toBe('not-verified');
    expect(integrityFromJson('verified').status).toBe('not-verified');
  });
});
