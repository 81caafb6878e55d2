// Time spans in the forms a policy and the command line use: durations
// like `5m`, `6h`, `30d`, and points in time given as RFC 3339 dates or as
// a duration before now (`--since 7d`).

import { GitwardenError } from '../errors.ts';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export interface Period {
  /** Inclusive start, ms since the epoch. */
  since: number;
  /** Exclusive end, ms since the epoch. */
  until: number;
}

/** Parses `5m`, `1h`, `3d` into milliseconds. */
export function parseDuration(value: string): number {
  const match = /^([1-9][0-9]*)([mhd])$/.exec(value);
  if (!match) {
    throw new GitwardenError('USAGE', `'${value}' is not a duration`, {
      hint: 'write a whole number and a unit: 5m, 6h, 30d',
    });
  }
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Formats a whole-unit duration back to its short form (3600000 -> 1h). */
export function formatDuration(ms: number): string {
  if (ms % UNIT_MS.d === 0) return `${ms / UNIT_MS.d}d`;
  if (ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  return `${Math.round(ms / UNIT_MS.m)}m`;
}

/** A point in time: an RFC 3339 date, or a duration before `now`. */
export function parseInstant(value: string, now: number): number {
  if (/^[1-9][0-9]*[mhd]$/.test(value)) return now - parseDuration(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new GitwardenError('USAGE', `'${value}' is not a date or duration`, {
      hint: 'use a date (2026-01-31 or 2026-01-31T12:00:00Z) or 7d, 12h',
    });
  }
  return ms;
}

/**
 * The period a report covers: `until` defaults to now and `since` to one
 * SLO window before it, so an unqualified report covers what the error
 * budget is counted over.
 */
export function resolvePeriod(
  options: { since?: string; until?: string },
  now: number,
  defaultWindowMs: number,
): Period {
  const until =
    options.until === undefined ? now : parseInstant(options.until, now);
  const since =
    options.since === undefined
      ? until - defaultWindowMs
      : parseInstant(options.since, now);
  if (since >= until) {
    throw new GitwardenError(
      'USAGE',
      `the period is empty: --since ${new Date(since).toISOString()} is not before --until ${new Date(until).toISOString()}`,
    );
  }
  return { since, until };
}
