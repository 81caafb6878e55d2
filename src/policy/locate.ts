import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  visit,
  type Document,
  type LineCounter,
  type Node,
} from 'yaml';

import type { ProblemTarget } from './errors.ts';

/** Line and column (both from 1) of a byte offset in the policy text. */
export function linePos(
  counter: LineCounter,
  offset: number,
): [number, number] {
  const pos = counter.linePos(offset);
  return [pos.line, pos.col];
}

/**
 * Finds the line and column of a field in the parsed YAML. With target
 * 'key' the key itself is named (an unknown field, a bad name: the user
 * must change the key); with 'value' its value (a wrong type, a bad
 * pattern). When the path does not exist, the nearest existing parent is
 * named, so a missing field points at the mapping that lacks it.
 */
export function locate(
  root: Node | null,
  segments: readonly (string | number)[],
  counter: LineCounter,
  target: ProblemTarget = 'value',
): [number, number] {
  let node: unknown = root;
  let best: [number, number] = [1, 1];
  const mark = (candidate: unknown) => {
    const range = (candidate as Node | null)?.range;
    if (range) best = linePos(counter, range[0]);
  };

  mark(node);
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => keyText(item.key) === String(segment),
      );
      if (!pair) break;
      mark(pair.key);
      if (last && target === 'key') break;
      node = pair.value;
      mark(pair.value);
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (!node) break;
      mark(node);
    } else {
      break;
    }
  }
  return best;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/**
 * The field path of the key written at `offset`, e.g. for a duplicate key,
 * which yaml reports by position only.
 */
export function keyPathAt(
  doc: Document.Parsed,
  offset: number,
): (string | number)[] | undefined {
  let found: (string | number)[] | undefined;
  visit(doc, {
    Pair(_key, pair, path) {
      if ((pair.key as Node | null)?.range?.[0] !== offset) return;
      found = segmentsOf([...path, pair]);
      return visit.BREAK;
    },
  });
  return found;
}

function segmentsOf(path: readonly unknown[]): (string | number)[] {
  const segments: (string | number)[] = [];
  path.forEach((item, index) => {
    if (isPair(item)) segments.push(keyText(item.key));
    if (isSeq(item)) {
      const position = item.items.indexOf(path[index + 1]);
      if (position >= 0) segments.push(position);
    }
  });
  return segments;
}
