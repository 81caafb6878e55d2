// Per-agent figures over time for the dashboard's charts: the period cut
// into at most MAX_BUCKETS buckets of a round size, each with its attempt
// and failure counts and a small quantile sketch for p95.

import { DDSketch } from '@datadog/sketches-js';

import type { Period } from './period.ts';
import type { SlaSeries } from './types.ts';

const MAX_BUCKETS = 200;
const MINUTE = 60_000;
const BUCKET_SIZES = [5, 15, 60, 360, 1440, 10_080].map((m) => m * MINUTE);

interface Bucket {
  attempts: number;
  failures: number;
  sketch: DDSketch;
}

export function bucketSizeFor(period: Period): number {
  const span = period.until - period.since;
  const fits = BUCKET_SIZES.find((size) => span / size <= MAX_BUCKETS);
  // Longer than 200 weeks: widen whole weeks until it fits.
  return (
    fits ?? Math.ceil(span / MAX_BUCKETS / BUCKET_SIZES[5]!) * BUCKET_SIZES[5]!
  );
}

export class SeriesAccumulator {
  readonly #since: number;
  readonly #bucketMs: number;
  readonly #count: number;
  readonly #accuracy: number;
  /** Per agent, buckets made only when an attempt lands in them. */
  readonly #agents = new Map<string, (Bucket | undefined)[]>();

  constructor(period: Period, accuracy: number) {
    this.#since = period.since;
    this.#bucketMs = bucketSizeFor(period);
    this.#count = Math.ceil((period.until - period.since) / this.#bucketMs);
    this.#accuracy = accuracy;
  }

  add(agent: string, end: number, duration: number, failed: boolean): void {
    let buckets = this.#agents.get(agent);
    if (!buckets) {
      buckets = new Array(this.#count).fill(undefined);
      this.#agents.set(agent, buckets);
    }
    const index = Math.floor((end - this.#since) / this.#bucketMs);
    let bucket = buckets[index];
    if (!bucket) {
      bucket = {
        attempts: 0,
        failures: 0,
        sketch: new DDSketch({ relativeAccuracy: this.#accuracy }),
      };
      buckets[index] = bucket;
    }
    bucket.attempts += 1;
    if (failed) bucket.failures += 1;
    bucket.sketch.accept(duration);
  }

  result(agents: string[]): SlaSeries {
    const starts = Array.from(
      { length: this.#count },
      (_, i) => this.#since + i * this.#bucketMs,
    );
    return {
      bucketMs: this.#bucketMs,
      starts,
      agents: agents.map((agent) => {
        const buckets = this.#agents.get(agent) ?? [];
        const at = (i: number) => buckets[i];
        return {
          agent,
          attempts: starts.map((_, i) => at(i)?.attempts ?? 0),
          availability: starts.map((_, i) => {
            const b = at(i);
            return b ? (b.attempts - b.failures) / b.attempts : null;
          }),
          p95Ms: starts.map((_, i) => {
            const b = at(i);
            return b ? Math.round(b.sketch.getValueAtQuantile(0.95)) : null;
          }),
        };
      }),
    };
  }
}
