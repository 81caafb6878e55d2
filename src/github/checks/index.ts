import type { Check } from './types.ts';
import { rolesCheck } from './roles.ts';
import { secretsCheck } from './secrets.ts';
import { trailersCheck } from './trailers.ts';

/** The checks the verify action runs, in the order the summary lists them. */
export function verifyChecks(): Check[] {
  return [trailersCheck, rolesCheck, secretsCheck];
}
