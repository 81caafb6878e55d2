import { hash } from 'node:crypto';

// The Merkle tree of RFC 9162 §2.1 (the same as RFC 6962's): leaves and
// interior nodes are hashed with different prefixes, so a leaf can never
// pass for a subtree.

export const HASH_SIZE = 32;

export function sha256(data: Uint8Array): Buffer {
  return hash('sha256', data, 'buffer');
}

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT = sha256(Buffer.alloc(0));

export function leafHash(leaf: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(leaf.length + 1);
  input[0] = 0x00;
  input.set(leaf, 1);
  return sha256(input);
}

const nodeInput = Buffer.allocUnsafe(1 + 2 * HASH_SIZE);

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  nodeInput[0] = 0x01;
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return sha256(nodeInput);
}

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[lo:hi]) over leaf hashes, as RFC 9162 §2.1.1 defines it. */
export function subtreeRoot(
  leaves: readonly Buffer[],
  lo = 0,
  hi = leaves.length,
): Buffer {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[lo]!;
  const k = split(n);
  return nodeHash(
    subtreeRoot(leaves, lo, lo + k),
    subtreeRoot(leaves, lo + k, hi),
  );
}

/** PATH(m, D[lo:hi]): the audit path of leaf m (RFC 9162 §2.1.3.1). */
export function inclusionProof(
  leaves: readonly Buffer[],
  index: number,
  lo = 0,
  hi = leaves.length,
): Buffer[] {
  const n = hi - lo;
  if (index < 0 || index >= n) throw new RangeError('leaf index out of range');
  if (n === 1) return [];
  const k = split(n);
  return index < k
    ? [
        ...inclusionProof(leaves, index, lo, lo + k),
        subtreeRoot(leaves, lo + k, hi),
      ]
    : [
        ...inclusionProof(leaves, index - k, lo + k, hi),
        subtreeRoot(leaves, lo, lo + k),
      ];
}

/** PROOF(m, D[0:n]): consistency of size m with size n (§2.1.4.1). */
export function consistencyProof(
  leaves: readonly Buffer[],
  oldSize: number,
  newSize = leaves.length,
): Buffer[] {
  if (oldSize < 0 || oldSize > newSize || newSize > leaves.length) {
    throw new RangeError('sizes out of range');
  }
  if (oldSize === 0 || oldSize === newSize) return [];
  return subproof(leaves, oldSize, 0, newSize, true);
}

function subproof(
  leaves: readonly Buffer[],
  m: number,
  lo: number,
  hi: number,
  complete: boolean,
): Buffer[] {
  const n = hi - lo;
  if (m === n) return complete ? [] : [subtreeRoot(leaves, lo, hi)];
  const k = split(n);
  return m <= k
    ? [
        ...subproof(leaves, m, lo, lo + k, complete),
        subtreeRoot(leaves, lo + k, hi),
      ]
    : [
        ...subproof(leaves, m - k, lo + k, hi, false),
        subtreeRoot(leaves, lo, lo + k),
      ];
}

/** Verifies an inclusion proof by the algorithm of RFC 9162 §2.1.3.2. */
export function verifyInclusion(
  leaf: Buffer,
  index: number,
  treeSize: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (index < 0 || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** Verifies a consistency proof by the algorithm of RFC 9162 §2.1.4.2. */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  proof: readonly Buffer[],
  oldRoot: Buffer,
  newRoot: Buffer,
): boolean {
  if (oldSize < 0 || oldSize > newSize) return false;
  // The RFC's algorithm starts from a non-empty proof; the two cases it
  // leaves out have no proof at all.
  if (oldSize === newSize) return proof.length === 0 && oldRoot.equals(newRoot);
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(oldRoot) && sr.equals(newRoot) && sn === 0;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}
