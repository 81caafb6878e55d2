import { fakeKinds } from '../../bench/corpus/fakes.ts';
import { createRandom } from '../../bench/corpus/random.ts';
import { SecretEngine, type EngineOptions } from '../../src/secrets/engine.ts';
import type { Finding } from '../../src/secrets/types.ts';

/** A fake credential of a kind, different for each seed. */
export function fake(kind: keyof typeof fakeKinds | string, seed = 1): string {
  const maker = fakeKinds[kind];
  if (!maker) throw new Error(`no fake kind ${kind}`);
  return maker.make(createRandom(seed * 7919 + kind.length));
}

const engines = new Map<string, SecretEngine>();

/** Scans text as one file; returns the findings. */
export async function findIn(
  text: string,
  path = 'file.txt',
  options: EngineOptions = {},
): Promise<Finding[]> {
  const key = JSON.stringify(options);
  let engine = engines.get(key);
  if (!engine) {
    engine = new SecretEngine(options);
    engines.set(key, engine);
  }
  const outcome = await engine.scanUnit({ path, text });
  if (outcome.error) throw new Error(outcome.error);
  return outcome.findings;
}

/** line:column of each finding, with its rule. */
export function places(findings: readonly Finding[]) {
  return findings.map((f) => `${f.rule}@${f.line}:${f.column}`);
}
