import type { PublicKeyInfo } from '../keys/signer.ts';
import { verifyNote, type SignedNote } from './checkpoint.ts';
import type { LineCheck } from './check-line.ts';
import { verifySignature } from './dsse.ts';
import { Frontier } from './frontier.ts';
import type { HistoryCheckpoint } from './history.ts';
import { isOwnKeySignature, type KeyRing } from './trust.ts';

// The in-order half of verification: key validity by position, unique
// ids, the chain of records, what each writer saw, the checkpoints of
// every commit and the anchors, all checked while the tree grows one leaf
// at a time. Memory holds the tree's right edge, one root per commit and
// the ids. Roots are only computed where a checkpoint or an anchor is.

export interface Fault {
  /** Log position the fault is about (a checkpoint's: its size). */
  index: number;
  id?: string;
  commit?: string;
  message: string;
}

export interface AnchorCheckpoint {
  source: string;
  note: SignedNote;
  origin: string;
  size: number;
  root: Buffer;
}

export interface AnchorResult {
  source: string;
  size: number;
  root: string;
  consistent: boolean;
}

export class LogJudge {
  readonly faults: Fault[] = [];
  readonly anchorResults: AnchorResult[] = [];
  readonly #frontier = new Frontier();
  /** The root at each checkpoint size reached so far. */
  readonly #roots = new Map<number, string>();
  #lastLeaf: Buffer | undefined;
  readonly #ids = new Map<string, number>();
  readonly #checkpoints = new Map<number, HistoryCheckpoint[]>();
  readonly #anchors = new Map<number, AnchorCheckpoint[]>();
  readonly #ring: KeyRing;
  readonly #origin: string;
  readonly #onKey: (key: PublicKeyInfo) => void;

  constructor(options: {
    ring: KeyRing;
    origin: string;
    checkpoints: readonly HistoryCheckpoint[];
    anchors: readonly AnchorCheckpoint[];
    /** Told about each key the log admits, for the worker threads. */
    onKey: (key: PublicKeyInfo) => void;
  }) {
    this.#ring = options.ring;
    this.#origin = options.origin;
    this.#onKey = options.onKey;
    for (const cp of options.checkpoints)
      push(this.#checkpoints, cp.checkpoint.size, cp);
    for (const anchor of options.anchors)
      push(this.#anchors, anchor.size, anchor);
    this.#atSize(0);
  }

  get size(): number {
    return this.#frontier.size;
  }

  root(): Buffer {
    return this.#frontier.root();
  }

  fault(index: number, message: string, extra: Partial<Fault> = {}): void {
    this.faults.push({ index, ...extra, message });
  }

  /** Judges the next record, given what its line says about itself. */
  consume(check: LineCheck): void {
    const index = this.#frontier.size;
    const id = check.id;
    const problem = check.fault ?? this.#judge(check, index);
    if (problem) this.fault(index, problem, { id });
    if (id !== undefined) {
      const first = this.#ids.get(id);
      if (first !== undefined) {
        this.fault(
          index,
          `duplicate id: the same record id appears at record ${first}`,
          { id },
        );
      } else {
        this.#ids.set(id, index);
      }
    }
    this.#frontier.push(check.leafHash);
    this.#lastLeaf = check.leafHash;
    this.#atSize(this.#frontier.size);
  }

  #judge(check: LineCheck, index: number): string | undefined {
    const signers: string[] = [];
    let signedByNewKey = false;
    for (const signature of check.signatures) {
      const status =
        signature.status === 'unknown'
          ? this.#lateCheck(check, signature.keyid)
          : signature.status;
      if (status === 'unknown') {
        return `signed by an unknown key ${signature.keyid}`;
      }
      if (status === 'invalid') {
        return `signature by key ${signature.keyid} does not verify`;
      }
      if (isOwnKeySignature(check.action, check.key, signature.keyid)) {
        signedByNewKey = true;
        continue;
      }
      const invalid = this.#ring.invalidAt(signature.keyid, index);
      if (invalid) return `signed by ${invalid}`;
      signers.push(signature.keyid);
    }
    if (signers.length === 0) {
      return 'no signature by a key valid at this position';
    }
    const observed = this.#observedProblem(check, index);
    if (observed) return observed;
    for (const fingerprint of signers)
      this.#ring.noteSigned(fingerprint, index);
    if (check.action?.startsWith('key.')) {
      const keyProblem = this.#ring.apply(check.action, check.key, index, {
        signers,
        signedByNewKey,
      });
      if (keyProblem) return keyProblem;
      const added = check.key?.publicKey
        ? this.#ring.get(check.key.fingerprint)
        : undefined;
      if (added) this.#onKey(added.info);
    }
    return undefined;
  }

  /** A signer the worker did not know yet: the log admitted it meanwhile. */
  #lateCheck(check: LineCheck, keyid: string) {
    const key = this.#ring.get(keyid);
    const signature = check.unverified?.signatures.find(
      (s) => s.keyid === keyid,
    );
    if (!key || !signature || !check.unverified) return 'unknown';
    return verifySignature(
      check.unverified.message,
      signature.sig,
      key.info.keyObject,
    )
      ? 'valid'
      : 'invalid';
  }

  #observedProblem(check: LineCheck, index: number): string | undefined {
    if (index > 0 && check.previous !== this.#lastLeaf?.toString('base64')) {
      return check.previous === undefined
        ? 'it does not name the record before it'
        : 'the record before it is not the one its writer saw: records were removed, inserted or reordered here';
    }
    if (index === 0 && check.previous !== undefined) {
      return 'the first record names a record before it: records were removed from the start';
    }
    const observed = check.observed;
    if (!observed) return undefined;
    if (observed.size > index) {
      return `its writer saw ${observed.size} records before it, but it is at position ${index}: records before it were removed`;
    }
    const root = this.#roots.get(observed.size);
    if (root === undefined) {
      return `its writer built on a log of ${observed.size} records, a size no checkpoint in this history has: the history was rewritten`;
    }
    if (root !== observed.root) {
      return `its writer saw a different log at size ${observed.size}: records before that position were changed since`;
    }
    return undefined;
  }

  /** Checks every checkpoint and anchor of the size just reached. */
  #atSize(size: number): void {
    const checkpoints = this.#checkpoints.get(size);
    const anchors = this.#anchors.get(size);
    if (!checkpoints && !anchors) return;
    const root = this.#frontier.root();
    this.#roots.set(size, root.toString('base64'));
    for (const cp of checkpoints ?? []) {
      const where = { commit: cp.commit };
      if (cp.checkpoint.origin !== this.#origin) {
        this.fault(
          size,
          `checkpoint names another log (${cp.checkpoint.origin})`,
          where,
        );
      } else if (!cp.checkpoint.root.equals(root)) {
        this.fault(
          size,
          `checkpoint for size ${size} does not match the log: records before it were changed, removed or reordered`,
          where,
        );
      }
      const signed = this.#checkpointSigners(cp.note, size);
      if (signed) {
        this.fault(size, `checkpoint for size ${size}: ${signed}`, where);
      }
    }
    this.#checkpoints.delete(size);
    for (const anchor of anchors ?? []) {
      this.anchorResults.push({
        source: anchor.source,
        size,
        root: anchor.root.toString('base64'),
        consistent: anchor.root.equals(root),
      });
    }
    this.#anchors.delete(size);
  }

  /**
   * A checkpoint for size n must be signed by a key valid at the last
   * record it covers (or from the next, for the checkpoint that admits
   * it); other known keys that sign must verify; unknown ones are ignored,
   * as the note format says.
   */
  #checkpointSigners(note: SignedNote, size: number): string | undefined {
    const keys = this.#ring.all().map((key) => key.info);
    const verdict = verifyNote(note, this.#origin, keys);
    if (verdict.failedBy.length) {
      return `signature by key ${verdict.failedBy[0]} does not verify`;
    }
    const valid = verdict.verifiedBy.filter(
      (fp) =>
        !this.#ring.invalidAt(fp, Math.max(size - 1, 0)) ||
        !this.#ring.invalidAt(fp, size),
    );
    return valid.length
      ? undefined
      : 'not signed by any key trusted at that position';
  }

  /** What is left once the last record is in. */
  finish(): {
    unreached: HistoryCheckpoint[];
    unreachedAnchors: AnchorCheckpoint[];
  } {
    return {
      unreached: [...this.#checkpoints.values()].flat(),
      unreachedAnchors: [...this.#anchors.values()].flat(),
    };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
