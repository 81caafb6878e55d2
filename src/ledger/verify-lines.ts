import { createPublicKey, type KeyObject } from 'node:crypto';

import { checkLine, type LineCheck, type LineContext } from './check-line.ts';
import { HASH_SIZE, leafHash, sha256 } from './merkle.ts';
import { splitLines } from './reader.ts';

// Checks a chunk's lines, the part of verification that needs no
// position-dependent state. The caller keeps order; this part only has to
// be fast. Shared by the worker threads and the in-thread path.

export interface ChunkJob {
  /** Log position of the chunk's first line. */
  start: number;
  data: Uint8Array;
}

export interface ChunkResult {
  checks: LineCheck[];
  /** The chunk ended without a newline: its last "line" is cut short. */
  truncated: boolean;
}

export interface LineSettings {
  origin: string;
  nowMs: number;
  maxSkewMs: number;
  /** [fingerprint, base64 SPKI] of every key known at the start. */
  keys: [string, string][];
}

export function keyMap(
  keys: readonly [string, string][],
): Map<string, KeyObject> {
  return new Map(keys.map(([fp, spki]) => [fp, spkiKey(spki)]));
}

export function spkiKey(spki: string): KeyObject {
  return createPublicKey({
    key: Buffer.from(spki, 'base64'),
    format: 'der',
    type: 'spki',
  });
}

export function checkChunk(job: ChunkJob, context: LineContext): ChunkResult {
  const data = Buffer.from(
    job.data.buffer,
    job.data.byteOffset,
    job.data.byteLength,
  );
  const { lines, tail } = splitLines(data);
  const checks = lines.map((line) =>
    checkLine(line, context, leafInPlace(data, line)),
  );
  if (tail) {
    checks.push({
      leafHash: leafHash(tail),
      signatures: [],
      fault: 'record is truncated (its chunk does not end in a newline)',
    });
  }
  return { checks, truncated: tail !== undefined };
}

/**
 * The leaf hash of a line, SHA-256(0x00 || line), hashed where it lies:
 * the newline just before it briefly stands in for the 0x00 prefix, which
 * spares copying every record once more. The first line has no byte
 * before it and is hashed the ordinary way.
 */
function leafInPlace(data: Buffer, line: Buffer): Buffer {
  const start = line.byteOffset - data.byteOffset;
  if (start === 0) return leafHash(line);
  data[start - 1] = 0x00;
  const leaf = sha256(data.subarray(start - 1, start + line.length));
  data[start - 1] = 0x0a;
  return leaf;
}

/** What a worker sends back: the leaf hashes packed in one buffer. */
export interface WorkerReply {
  job: number;
  leaves: Uint8Array<ArrayBuffer>;
  checks: LineCheck[];
  truncated: boolean;
}

/** Packs a result for the trip to the main thread (leaf hashes transferred). */
export function pack(job: number, result: ChunkResult): WorkerReply {
  const leaves = new Uint8Array(result.checks.length * HASH_SIZE);
  result.checks.forEach((check, i) => {
    leaves.set(check.leafHash, i * HASH_SIZE);
    check.leafHash = EMPTY;
  });
  return { job, leaves, checks: result.checks, truncated: result.truncated };
}

export function unpack(reply: WorkerReply): ChunkResult {
  const leaves = Buffer.from(reply.leaves.buffer, reply.leaves.byteOffset);
  reply.checks.forEach((check, i) => {
    check.leafHash = leaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
    const unverified = check.unverified;
    if (unverified) {
      unverified.message = Buffer.from(unverified.message);
      for (const s of unverified.signatures) s.sig = Buffer.from(s.sig);
    }
  });
  return { checks: reply.checks, truncated: reply.truncated };
}

const EMPTY = Buffer.alloc(0);
