import type { Check } from './types.ts';
import { trailersCheck } from './trailers.ts';

/**
 * The checks the verify action runs, in the order the summary lists them.
 * The role and secret checks join this list when their engines land on
 * main (src/access, src/secrets).
 */
export function verifyChecks(): Check[] {
  return [trailersCheck];
}
