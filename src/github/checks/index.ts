import type { Check } from './types.ts';
import { rolesCheck } from './roles.ts';
import { trailersCheck } from './trailers.ts';

/**
 * The checks the verify action runs, in the order the summary lists them.
 * The secret check joins this list when its engine lands on main
 * (src/secrets).
 */
export function verifyChecks(): Check[] {
  return [trailersCheck, rolesCheck];
}
