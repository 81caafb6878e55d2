import type { RotationTarget } from './rotate.ts';

/** Whether a secret is due for rotation, and why. */
export type DueState =
  | { name: string; state: 'due'; reason: string }
  | { name: string; state: 'fresh'; ageDays: number; maxAgeDays: number }
  /** The store keeps no update time (Doppler): rotate it by name. */
  | { name: string; state: 'unknown' };

const DAY_MS = 86_400_000;

/**
 * Decides which secrets of the rotation section are due: those older
 * than their maximum age, and those that do not exist yet in their store.
 */
export async function dueState(
  name: string,
  target: RotationTarget,
  maxAgeDays: number,
  now: Date,
): Promise<DueState> {
  if (!target.updatedAt) return { name, state: 'unknown' };
  const updated = await target.updatedAt();
  if (!updated) {
    return { name, state: 'due', reason: `not in ${target.description} yet` };
  }
  const ageDays = Math.floor((now.getTime() - updated.getTime()) / DAY_MS);
  if (ageDays > maxAgeDays) {
    return {
      name,
      state: 'due',
      reason: `last updated ${ageDays} days ago, limit ${maxAgeDays}`,
    };
  }
  return { name, state: 'fresh', ageDays, maxAgeDays };
}
