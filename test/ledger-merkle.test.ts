import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Frontier } from '../src/ledger/frontier.ts';
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  subtreeRoot,
  verifyConsistency,
  verifyInclusion,
} from '../src/ledger/merkle.ts';

// The leaves of the RFC 6962 test tree used by Certificate Transparency
// implementations, and the roots of its first 1..8 leaves.
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((hex) => Buffer.from(hex, 'hex'));
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const leavesOf = (n: number) =>
  Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));

describe('RFC 9162 Merkle tree', () => {
  it('reproduces the Certificate Transparency test roots', () => {
    const hashes = CT_LEAVES.map(leafHash);
    CT_ROOTS.forEach((root, i) => {
      expect(subtreeRoot(hashes.slice(0, i + 1)).toString('hex')).toBe(root);
    });
    expect(EMPTY_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('keeps leaves and interior nodes apart (no second preimage)', () => {
    const leaves = leavesOf(4);
    const fourLeaves = subtreeRoot(leaves);
    // The two interior nodes, passed off as the data of one leaf.
    const nodes = Buffer.concat([
      subtreeRoot(leaves, 0, 2),
      subtreeRoot(leaves, 2, 4),
    ]);
    expect(subtreeRoot([leafHash(nodes)])).not.toEqual(fourLeaves);
  });

  it('frontier roots equal the recursive definition at every size', () => {
    const leaves = leavesOf(70);
    const frontier = new Frontier();
    expect(frontier.root()).toEqual(EMPTY_ROOT);
    leaves.forEach((leaf, i) => {
      frontier.push(leaf);
      expect(frontier.root()).toEqual(subtreeRoot(leaves, 0, i + 1));
    });
    const copy = new Frontier(frontier.size, [...frontier.nodes]);
    expect(copy.root()).toEqual(frontier.root());
    expect(() => new Frontier(3, [leaves[0]!])).toThrow(/does not match/);
  });

  it('inclusion proofs verify for every leaf of trees up to 33', () => {
    for (let n = 1; n <= 33; n++) {
      const leaves = leavesOf(n);
      const root = subtreeRoot(leaves);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(leaves, m);
        expect(verifyInclusion(leaves[m]!, m, n, proof, root)).toBe(true);
        // The same proof says nothing about a neighbour or a position.
        if (n > 1) {
          const other = (m + 1) % n;
          expect(verifyInclusion(leaves[other]!, m, n, proof, root)).toBe(
            false,
          );
          expect(verifyInclusion(leaves[m]!, other, n, proof, root)).toBe(
            false,
          );
        }
      }
    }
  });

  it('consistency proofs verify for every pair of sizes up to 33', () => {
    const leaves = leavesOf(33);
    for (let n = 1; n <= 33; n++) {
      const newRoot = subtreeRoot(leaves, 0, n);
      for (let m = 0; m <= n; m++) {
        const oldRoot = subtreeRoot(leaves, 0, m);
        const proof = consistencyProof(leaves, m, n);
        expect(verifyConsistency(m, n, proof, oldRoot, newRoot)).toBe(true);
        if (m > 0 && m < n) {
          const forged = leafHash(Buffer.from('forged'));
          expect(verifyConsistency(m, n, proof, forged, newRoot)).toBe(false);
          expect(verifyConsistency(m, n, proof, oldRoot, forged)).toBe(false);
        }
      }
    }
  });

  it('rejects any single altered hash in a proof', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 200 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (n, seedM, seedOld, seedHash) => {
          const leaves = leavesOf(n);
          const root = subtreeRoot(leaves);
          const m = seedM % n;
          const inclusion = inclusionProof(leaves, m);
          if (inclusion.length > 0) {
            const bad = [...inclusion];
            const at = seedHash % bad.length;
            bad[at] = leafHash(bad[at]!);
            expect(verifyInclusion(leaves[m]!, m, n, bad, root)).toBe(false);
          }
          const old = 1 + (seedOld % (n - 1));
          const consistency = consistencyProof(leaves, old);
          const oldRoot = subtreeRoot(leaves, 0, old);
          expect(verifyConsistency(old, n, consistency, oldRoot, root)).toBe(
            true,
          );
          if (consistency.length > 0) {
            const bad = [...consistency];
            const at = seedHash % bad.length;
            bad[at] = leafHash(bad[at]!);
            expect(verifyConsistency(old, n, bad, oldRoot, root)).toBe(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
