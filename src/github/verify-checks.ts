import type { Check } from './checks.ts';

/**
 * The checks the verify action runs, in the order the summary lists them.
 * The trailer, role and secret checks join this list as their engines
 * land on main (issue 6 tracks them).
 */
export function verifyChecks(): Check[] {
  return [];
}
