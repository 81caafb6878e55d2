// The SLA engine: fed one operation at a time, it keeps counters, a
// quantile sketch per agent, window counters for burn rates and a bounded
// series for charts. Its memory depends on the number of agents and
// buckets, never on the number of records.

import { DDSketch } from '@datadog/sketches-js';

import type { OperationEvent } from './events.ts';
import { formatDuration, type Period } from './period.ts';
import { targetFor, type SlaPolicy } from './sla-policy.ts';
import { SeriesAccumulator } from './sla-series.ts';
import type {
  AgentServiceLevel,
  AlertState,
  BurnRateWindow,
  ServiceLevel,
  SlaReport,
} from './types.ts';

/** DDSketch's guarantee: each quantile within 1% of a value of that rank. */
export const RELATIVE_ACCURACY = 0.01;

/** The name operations without an Agent are counted under. */
export const NO_AGENT = '(no agent)';

export const DEFINITIONS = {
  attempt:
    'An operation record (the audit wrapper, or a workflow run of an agent’s commit) that ended as success, failure, error or timeout. Denied and cancelled operations are counted but are not attempts.',
  success: 'An attempt whose outcome is success.',
  responseTime:
    'end minus start of an attempt, in milliseconds, failed attempts included.',
} as const;

const ATTEMPT_OUTCOMES = new Set(['success', 'failure', 'error', 'timeout']);

interface WindowCount {
  attempts: number;
  failures: number;
}

class Tally {
  attempts = 0;
  successes = 0;
  readonly outcomes: Record<string, number> = {};
  sketch = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
  /** Attempts and failures in [until - span, until), by span. */
  readonly windows = new Map<number, WindowCount>();

  constructor(spans: number[]) {
    for (const span of spans)
      this.windows.set(span, { attempts: 0, failures: 0 });
  }
}

export class SlaAccumulator {
  readonly #policy: SlaPolicy;
  readonly #period: Period;
  readonly #spans: number[];
  readonly #overall: Tally;
  readonly #agents = new Map<string, Tally>();
  readonly #series: SeriesAccumulator;
  /** The earliest end time any figure needs: burn windows reach back. */
  readonly horizon: number;

  constructor(policy: SlaPolicy, period: Period) {
    this.#policy = policy;
    this.#period = period;
    const spans = policy.burnRate.flatMap((r) => [r.longMs, r.shortMs]);
    this.#spans = [...new Set(spans)];
    this.#overall = new Tally(this.#spans);
    this.#series = new SeriesAccumulator(period, RELATIVE_ACCURACY);
    const longest = Math.max(0, ...this.#spans);
    this.horizon = Math.min(period.since, period.until - longest);
  }

  add(event: OperationEvent): void {
    const { end } = event;
    if (end >= this.#period.until || end < this.horizon) return;

    const agent = event.agent ?? NO_AGENT;
    let tally = this.#agents.get(agent);
    if (!tally) {
      tally = new Tally(this.#spans);
      this.#agents.set(agent, tally);
    }
    const attempt = ATTEMPT_OUTCOMES.has(event.outcome);
    const failed = attempt && event.outcome !== 'success';

    // Burn-rate windows end at `until` and may reach before the period.
    for (const t of [tally, this.#overall]) {
      for (const [span, count] of t.windows) {
        if (end < this.#period.until - span) continue;
        if (attempt) count.attempts += 1;
        if (failed) count.failures += 1;
      }
    }
    if (end < this.#period.since) return;

    const duration = event.end - event.start;
    for (const t of [tally, this.#overall]) {
      t.outcomes[event.outcome] = (t.outcomes[event.outcome] ?? 0) + 1;
      if (!attempt) continue;
      t.attempts += 1;
      if (!failed) t.successes += 1;
    }
    // Only the agent's sketch is fed; the overall one is their merge,
    // which DDSketch makes exactly (same bins), at half the cost per record.
    if (attempt) {
      tally.sketch.accept(duration);
      this.#series.add(agent, end, duration, failed);
    }
  }

  /**
   * The figures. `listedAgents` are the agents the policy names: each is
   * reported, with "no data" when it did nothing; agents outside the list
   * are reported too, marked unknown.
   */
  result(listedAgents: string[]): SlaReport {
    const policy = this.#policy;
    // Made afresh each time, so asking twice does not count twice.
    this.#overall.sketch = new DDSketch({
      relativeAccuracy: RELATIVE_ACCURACY,
    });
    for (const tally of this.#agents.values()) {
      if (tally.sketch.count > 0) this.#overall.sketch.merge(tally.sketch);
    }
    const listed = new Set(listedAgents);
    const names = [...new Set([...listedAgents, ...this.#agents.keys()])];
    names.sort();
    const agents: AgentServiceLevel[] = names.map((agent) => ({
      agent,
      known: listed.size === 0 || listed.has(agent),
      ...this.#level(
        this.#agents.get(agent) ?? new Tally(this.#spans),
        targetFor(policy, agent),
      ),
    }));
    return {
      target: policy.target,
      window: formatDuration(policy.windowMs),
      minEvents: policy.minEvents,
      sketch: {
        algorithm: 'DDSketch',
        library: '@datadog/sketches-js',
        relativeAccuracy: RELATIVE_ACCURACY,
      },
      definitions: { ...DEFINITIONS },
      overall: this.#level(this.#overall, policy.target),
      agents,
      series: this.#series.result(names),
    };
  }

  #level(tally: Tally, target: number): ServiceLevel {
    const { attempts, successes } = tally;
    const failures = attempts - successes;
    const burnRate = this.#burnRates(tally, target);
    const base = {
      target,
      attempts,
      successes,
      outcomes: { ...tally.outcomes },
      burnRate,
      alert: alertOf(burnRate),
    };
    if (attempts === 0) {
      return {
        ...base,
        state: 'no-data',
        availability: null,
        responseTimeMs: null,
        errorBudget: null,
      };
    }
    const allowedFailures = (1 - target) * attempts;
    const q = (p: number) => round(tally.sketch.getValueAtQuantile(p));
    return {
      ...base,
      state: 'ok',
      availability: successes / attempts,
      responseTimeMs: { p50: q(0.5), p95: q(0.95), p99: q(0.99) },
      errorBudget: {
        allowedFailures,
        failures,
        remaining: 1 - failures / allowedFailures,
      },
    };
  }

  #burnRates(tally: Tally, target: number): BurnRateWindow[] {
    const budget = 1 - target;
    const rate = (count: WindowCount) =>
      count.attempts === 0 ? null : count.failures / count.attempts / budget;
    return this.#policy.burnRate.map((rule) => {
      const long = tally.windows.get(rule.longMs) ?? empty();
      const short = tally.windows.get(rule.shortMs) ?? empty();
      const longBurnRate = rate(long);
      const shortBurnRate = rate(short);
      const tooFewEvents = long.attempts < this.#policy.minEvents;
      // Both windows must burn: the long one shows it is significant, the
      // short one that it is still happening.
      const firing =
        !tooFewEvents &&
        longBurnRate !== null &&
        shortBurnRate !== null &&
        longBurnRate >= rule.factor &&
        shortBurnRate >= rule.factor;
      return {
        severity: rule.severity,
        long: formatDuration(rule.longMs),
        short: formatDuration(rule.shortMs),
        factor: rule.factor,
        longBurnRate: longBurnRate === null ? null : round(longBurnRate),
        shortBurnRate: shortBurnRate === null ? null : round(shortBurnRate),
        longAttempts: long.attempts,
        shortAttempts: short.attempts,
        tooFewEvents,
        firing,
      };
    });
  }
}

function alertOf(windows: BurnRateWindow[]): AlertState {
  if (windows.some((w) => w.firing && w.severity === 'page')) return 'page';
  if (windows.some((w) => w.firing)) return 'ticket';
  if (windows.every((w) => w.longAttempts === 0)) return 'no-data';
  return 'ok';
}

function empty(): WindowCount {
  return { attempts: 0, failures: 0 };
}

/** Four significant decimals: more would claim a precision nobody has. */
function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
