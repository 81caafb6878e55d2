import { describe, expect, it } from 'vitest';

import type { OperationEvent, OperationOutcome } from '../src/report/events.ts';
import { SlaAccumulator } from '../src/report/sla.ts';
import { resolveSlaPolicy } from '../src/report/sla-policy.ts';
import type { PolicyDocument } from '../src/policy/types.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const UNTIL = Date.parse('2026-03-01T00:00:00Z');
const period = { since: UNTIL - 30 * 24 * HOUR, until: UNTIL };

let n = 0;
function op(
  agent: string | undefined,
  end: number,
  outcome: OperationOutcome = 'success',
  durationMs = 1000,
): OperationEvent {
  n += 1;
  return {
    type: 'operation',
    source: 'wrapper',
    id: `op-${n}`,
    time: end,
    actor: 'bot',
    agent,
    task: 'GW-1',
    start: end - durationMs,
    end,
    outcome,
  };
}

function accumulate(events: OperationEvent[], document: PolicyDocument = {}) {
  const sla = new SlaAccumulator(resolveSlaPolicy(document), period);
  for (const event of events) sla.add(event);
  return sla.result(Object.keys(document.agents ?? {}));
}

/** A repeatable pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('availability and outcomes', () => {
  it('counts successes over attempts; denied and cancelled are not attempts', () => {
    const t = UNTIL - 48 * HOUR;
    const result = accumulate([
      op('coder', t, 'success'),
      op('coder', t, 'success'),
      op('coder', t, 'failure'),
      op('coder', t, 'timeout'),
      op('coder', t, 'denied'),
      op('coder', t, 'cancelled'),
      op('reviewer', t, 'success'),
    ]);
    const coder = result.agents.find((a) => a.agent === 'coder')!;
    expect(coder.attempts).toBe(4);
    expect(coder.successes).toBe(2);
    expect(coder.availability).toBe(0.5);
    expect(coder.outcomes).toEqual({
      success: 2,
      failure: 1,
      timeout: 1,
      denied: 1,
      cancelled: 1,
    });
    expect(result.overall.attempts).toBe(5);
    expect(result.overall.availability).toBe(0.6);
  });

  it('reports an agent the policy lists but that did nothing as no data', () => {
    const result = accumulate([op('coder', UNTIL - HOUR)], {
      agents: { coder: {}, idle: {} },
    });
    const idle = result.agents.find((a) => a.agent === 'idle')!;
    expect(idle).toMatchObject({
      state: 'no-data',
      attempts: 0,
      availability: null,
      responseTimeMs: null,
      errorBudget: null,
      alert: 'no-data',
      known: true,
    });
  });

  it('marks agents the policy does not list as unknown, and keeps their figures', () => {
    const result = accumulate(
      [op('stranger', UNTIL - HOUR), op(undefined, UNTIL - HOUR)],
      {
        agents: { coder: {} },
      },
    );
    const stranger = result.agents.find((a) => a.agent === 'stranger')!;
    expect(stranger.known).toBe(false);
    expect(stranger.attempts).toBe(1);
    expect(result.agents.map((a) => a.agent)).toContain('(no agent)');
  });

  it('gives an empty input no figures at all', () => {
    const result = accumulate([]);
    expect(result.overall.state).toBe('no-data');
    expect(result.overall.availability).toBeNull();
    expect(result.agents).toEqual([]);
  });
});

describe('response-time percentiles', () => {
  it('stay within the sketch’s stated relative error of the exact values', () => {
    const next = random(42);
    const durations: number[] = [];
    const events: OperationEvent[] = [];
    for (let i = 0; i < 20_000; i += 1) {
      // Long-tailed, like real command durations: 10 ms to minutes.
      const d = Math.round(10 * Math.exp(next() * 9));
      durations.push(d);
      events.push(op('coder', UNTIL - 1 - (i % 1000) * MINUTE, 'success', d));
    }
    const result = accumulate(events);
    const accuracy = result.sketch.relativeAccuracy;
    durations.sort((a, b) => a - b);
    for (const [q, key] of [
      [0.5, 'p50'],
      [0.95, 'p95'],
      [0.99, 'p99'],
    ] as const) {
      const rank = q * (durations.length - 1);
      const low = durations[Math.floor(rank)]!;
      const high = durations[Math.ceil(rank)]!;
      const got = result.overall.responseTimeMs![key];
      expect(got).toBeGreaterThanOrEqual(low * (1 - accuracy) - 1e-9);
      expect(got).toBeLessThanOrEqual(high * (1 + accuracy) + 1e-9);
    }
  });
});

describe('the overall figures', () => {
  it('come from the merged agents’ sketches, within the stated error', () => {
    const sla = new SlaAccumulator(resolveSlaPolicy({}), period);
    for (let i = 1; i <= 100; i += 1) {
      sla.add(
        op(i % 2 ? 'coder' : 'reviewer', UNTIL - i * MINUTE, 'success', i * 10),
      );
    }
    const first = sla.result([]).overall;
    const second = sla.result([]).overall;
    expect(second).toEqual(first);
    expect(first.responseTimeMs!.p50).toBeGreaterThanOrEqual(500 * 0.99);
    expect(first.responseTimeMs!.p50).toBeLessThanOrEqual(510 * 1.01);
  });
});

describe('error budget', () => {
  it('is what the target allows, less what failed', () => {
    const t = UNTIL - 10 * 24 * HOUR;
    const events = Array.from({ length: 10_000 }, (_, i) =>
      op('coder', t + i, i < 5 ? 'failure' : 'success'),
    );
    const budget = accumulate(events).agents[0]!.errorBudget!;
    expect(budget.allowedFailures).toBeCloseTo(10, 6);
    expect(budget.failures).toBe(5);
    expect(budget.remaining).toBeCloseTo(0.5, 6);
  });

  it('uses an agent’s own target from the policy, and goes negative when overspent', () => {
    const t = UNTIL - 10 * 24 * HOUR;
    const events = Array.from({ length: 1000 }, (_, i) =>
      op('coder', t + i, i < 20 ? 'failure' : 'success'),
    );
    const result = accumulate(events, {
      sla: { agents: { coder: { target: 0.99 } } },
    });
    const coder = result.agents[0]!;
    expect(coder.target).toBe(0.99);
    expect(coder.errorBudget!.remaining).toBeCloseTo(1 - 20 / 10, 6);
    expect(result.overall.target).toBe(0.999);
  });
});

describe('burn-rate alerts (SRE workbook, multiwindow)', () => {
  /** `count` attempts spread evenly over [UNTIL - span, UNTIL), every k-th failing. */
  function spread(span: number, count: number, failEvery: number) {
    return Array.from({ length: count }, (_, i) =>
      op(
        'coder',
        UNTIL - span + Math.floor(((i + 0.5) * span) / count),
        failEvery > 0 && i % failEvery === 0 ? 'failure' : 'success',
      ),
    );
  }

  it('pages when both the 1h and the 5m window burn faster than 14.4', () => {
    // 5% errors in the last hour: burn rate 50 against a 0.1% budget.
    const result = accumulate(spread(HOUR, 600, 20));
    const fast = result.overall.burnRate.find((w) => w.long === '1h')!;
    expect(fast).toMatchObject({ short: '5m', factor: 14.4, firing: true });
    expect(fast.longBurnRate).toBeCloseTo(50, 1);
    expect(result.overall.alert).toBe('page');
  });

  it('does not page once the short window has recovered', () => {
    const burning = spread(HOUR, 600, 20).filter(
      (e) => e.end < UNTIL - 10 * MINUTE,
    );
    const recent = Array.from({ length: 50 }, (_, i) =>
      op('coder', UNTIL - 1 - i * 1000),
    );
    const result = accumulate([...burning, ...recent]);
    const fast = result.overall.burnRate.find((w) => w.long === '1h')!;
    expect(fast.longBurnRate!).toBeGreaterThan(14.4);
    expect(fast.shortBurnRate).toBe(0);
    expect(fast.firing).toBe(false);
  });

  it('opens a ticket for a slow burn over 3 days that never pages', () => {
    // 0.2% errors for three days: burn rate 2 (>= 1), far below 6 and 14.4.
    const result = accumulate(spread(72 * HOUR, 30_000, 500));
    const slow = result.overall.burnRate.find((w) => w.long === '3d')!;
    expect(slow.firing).toBe(true);
    expect(
      result.overall.burnRate
        .filter((w) => w.severity === 'page')
        .some((w) => w.firing),
    ).toBe(false);
    expect(result.overall.alert).toBe('ticket');
  });

  it('does not alert on too few attempts (low-traffic guard)', () => {
    const result = accumulate([op('coder', UNTIL - MINUTE, 'failure')]);
    const fast = result.overall.burnRate.find((w) => w.long === '1h')!;
    expect(fast.tooFewEvents).toBe(true);
    expect(fast.firing).toBe(false);
    expect(result.overall.alert).toBe('ok');
  });

  it('counts operations from before the period in the windows, not in the period', () => {
    const shortPeriod = { since: UNTIL - HOUR, until: UNTIL };
    const sla = new SlaAccumulator(resolveSlaPolicy({}), shortPeriod);
    sla.add(op('coder', UNTIL - 2 * 24 * HOUR, 'failure'));
    sla.add(op('coder', UNTIL - 4 * 24 * HOUR, 'failure'));
    const result = sla.result([]);
    expect(result.overall.attempts).toBe(0);
    const slow = result.overall.burnRate.find((w) => w.long === '3d')!;
    expect(slow.longAttempts).toBe(1);
  });

  it('follows the policy’s own windows', () => {
    const result = accumulate(spread(HOUR, 100, 2), {
      sla: {
        minEvents: 1,
        burnRate: [
          { long: '2h', short: '10m', factor: 100, severity: 'ticket' },
        ],
      },
    });
    expect(result.overall.burnRate).toHaveLength(1);
    expect(result.overall.burnRate[0]).toMatchObject({
      long: '2h',
      short: '10m',
      firing: true,
    });
    expect(result.overall.alert).toBe('ticket');
  });
});
