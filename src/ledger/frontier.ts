import { EMPTY_ROOT, nodeHash } from './merkle.ts';

/**
 * The right edge of a growing Merkle tree: one subtree root per set bit of
 * the size, largest (leftmost) first. It is all that is needed to add a
 * leaf or to compute the root, so a log of any length is hashed in
 * O(log n) memory. The ledger branch stores it beside the records so an
 * append need not reread the whole log.
 */
export class Frontier {
  #size: number;
  readonly #nodes: Buffer[];

  constructor(size = 0, nodes: Buffer[] = []) {
    if (nodes.length !== popcount(size)) {
      throw new RangeError('frontier does not match its size');
    }
    this.#size = size;
    this.#nodes = [...nodes];
  }

  get size(): number {
    return this.#size;
  }

  get nodes(): readonly Buffer[] {
    return this.#nodes;
  }

  push(leafHash: Buffer): void {
    this.#nodes.push(leafHash);
    // Each trailing 1 bit of the old size is a complete subtree of the
    // same height as the one just finished: merge them, like a carry.
    for (let s = this.#size; s % 2 === 1; s = Math.floor(s / 2)) {
      const right = this.#nodes.pop()!;
      const left = this.#nodes.pop()!;
      this.#nodes.push(nodeHash(left, right));
    }
    this.#size += 1;
  }

  root(): Buffer {
    const nodes = this.#nodes;
    if (nodes.length === 0) return EMPTY_ROOT;
    let root = nodes[nodes.length - 1]!;
    for (let i = nodes.length - 2; i >= 0; i--)
      root = nodeHash(nodes[i]!, root);
    return root;
  }

  clone(): Frontier {
    return new Frontier(this.#size, this.#nodes);
  }
}

function popcount(n: number): number {
  let count = 0;
  for (let s = n; s > 0; s = Math.floor(s / 2)) count += s % 2;
  return count;
}
