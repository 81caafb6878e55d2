import { describe, expect, it } from 'vitest';

import {
  eventFromLine,
  eventFromPredicate,
  integrityFromJson,
} from '../src/report/records.ts';
import { envelope, line, operation } from './helpers/report-records.ts';

const END = Date.parse('2026-03-01T00:00:00Z');

describe('ledger records as report events', () => {
  it('reads an operation from a DSSE envelope, timed at its end', () => {
    const parsed = eventFromLine(
      line(
        operation({
          id: 'op-1',
          agent: 'coder',
          task: 'GW-4',
          end: END,
          durationMs: 250,
          outcome: 'timeout',
        }),
      ),
    );
    expect(parsed).toEqual({
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
    });
  });

  it('maps a workflow run’s conclusion to an outcome', () => {
    const run = (conclusion: string) => {
      const record = operation({ end: END, durationMs: 1000 });
      const what = record.what as Record<string, unknown>;
      delete what.outcome;
      Object.assign(what, { source: 'workflow-run', conclusion });
      const parsed = eventFromPredicate(record);
      return parsed.ok && parsed.event.type === 'operation'
        ? parsed.event.outcome
        : parsed;
    };
    expect(run('success')).toBe('success');
    expect(run('failure')).toBe('failure');
    expect(run('timed_out')).toBe('timeout');
    expect(run('cancelled')).toBe('cancelled');
    expect(run('skipped')).toBe('cancelled');
    expect(run('mystery')).toMatchObject({
      ok: false,
      problem: 'operation without a known outcome',
    });
  });

  it('names what is wrong with a record it cannot use', () => {
    const base = {
      id: 'r-1',
      time: new Date(END).toISOString(),
      kind: 'operation',
    };
    expect(
      eventFromPredicate({
        ...base,
        what: { start: 'x', end: 'y', outcome: 'success' },
      }),
    ).toEqual({
      ok: false,
      id: 'r-1',
      problem: 'operation without start and end',
    });
    expect(
      eventFromPredicate({
        ...base,
        what: {
          start: '2026-03-01T00:00:02Z',
          end: '2026-03-01T00:00:01Z',
          outcome: 'success',
        },
      }),
    ).toMatchObject({ problem: 'operation ends before it starts' });
    expect(eventFromPredicate({ kind: 'decision' })).toMatchObject({
      problem: 'no id',
    });
    expect(
      eventFromPredicate({ id: 'd', kind: 'decision', time: 'soon' }),
    ).toMatchObject({ problem: 'no valid time' });
    const foreign = {
      ...envelope({}),
      payload: Buffer.from('{"predicateType":"other"}').toString('base64'),
    };
    expect(eventFromLine(JSON.stringify(foreign))).toMatchObject({
      problem: 'not a gitwarden record',
    });
    expect(eventFromLine('[1,2]')).toMatchObject({
      problem: 'not a DSSE envelope',
    });
  });

  it('keeps records of kinds reports do not use, for the audit trail', () => {
    const parsed = eventFromPredicate({
      id: 'x',
      time: '2026-03-01T00:00:00Z',
      kind: 'checkpoint',
      actor: { login: 'octo' },
    });
    expect(parsed).toMatchObject({
      ok: true,
      event: { type: 'other', kind: 'checkpoint', actor: 'octo' },
    });
  });
});

describe('the verifier’s verdict', () => {
  it('is read from verify --json, and anything unclear counts as not verified', () => {
    expect(
      integrityFromJson({
        status: 'verified',
        checkpoint: { size: 3, root: 'ab' },
        anchored: true,
        problems: [],
      }),
    ).toEqual({
      status: 'verified',
      problems: [],
      checkpoint: { size: 3, root: 'ab' },
      anchored: true,
    });
    expect(
      integrityFromJson({
        status: 'failed',
        problems: [{ index: 4, message: 'edited' }],
      }),
    ).toMatchObject({
      status: 'failed',
      problems: ['4: edited'],
    });
    expect(integrityFromJson({ status: 'ok' }).status).toBe('not-verified');
    expect(integrityFromJson('verified').status).toBe('not-verified');
  });
});
