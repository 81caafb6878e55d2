import type { KeyObject } from 'node:crypto';

import { parsePublicKey } from '../keys/ed25519.ts';
import type { PublicKeyInfo } from '../keys/signer.ts';
import type { LedgerConfig } from './config.ts';
import type { KeyEvent } from './record.ts';

// Which keys may sign at which position of the log. Root keys and the
// first writer keys come from the policy on the protected branch; the log
// itself can only add, rotate and revoke writer keys, and only through
// records that root keys (or, for rotation, the old key) signed. Validity
// is by position: a key is valid from the record after the one that
// admits it until the record that rotates or revokes it.

export interface KeyState {
  info: PublicKeyInfo;
  role: 'root' | 'writer';
  name: string | undefined;
  /** First position the key may sign at. */
  from: number;
  /** First position it may no longer sign at (undefined: still valid). */
  until: number | undefined;
  endedBy: { index: number; action: string } | undefined;
}

export interface Distrusted {
  fingerprint: string;
  from: number;
  revokedAt: number;
  /** Positions of the records that key signed from `from` on. */
  indexes: number[];
}

export class KeyRing {
  readonly #keys = new Map<string, KeyState>();
  /** Positions each writer key signed, for reporting compromise. */
  readonly #signed = new Map<string, number[]>();
  readonly distrusted: Distrusted[] = [];

  constructor(config: LedgerConfig) {
    for (const key of [...config.rootKeys, ...config.writerKeys]) {
      this.#keys.set(key.fingerprint, {
        info: key,
        role: key.role,
        name: key.name,
        from: 0,
        until: undefined,
        endedBy: undefined,
      });
    }
  }

  get(fingerprint: string): KeyState | undefined {
    return this.#keys.get(fingerprint);
  }

  /** Every public key ever known, valid or not: for the crypto checks. */
  publicKeys(): Map<string, KeyObject> {
    return new Map(
      [...this.#keys].map(([fp, key]) => [fp, key.info.keyObject]),
    );
  }

  all(): KeyState[] {
    return [...this.#keys.values()];
  }

  /** Why a key may not sign at a position, or undefined when it may. */
  invalidAt(fingerprint: string, index: number): string | undefined {
    const key = this.#keys.get(fingerprint);
    if (!key)
      return `key ${fingerprint} is not trusted (not in the policy, never admitted)`;
    if (index < key.from)
      return `key ${fingerprint} was only admitted at record ${key.from - 1}`;
    if (key.until !== undefined && index >= key.until) {
      const how =
        key.endedBy?.action === 'key.rotate' ? 'rotated out' : 'revoked';
      return `key ${fingerprint} was ${how} at record ${key.endedBy?.index}`;
    }
    return undefined;
  }

  noteSigned(fingerprint: string, index: number): void {
    const list = this.#signed.get(fingerprint);
    if (list) list.push(index);
    else this.#signed.set(fingerprint, [index]);
  }

  /**
   * Applies a key record at `index`, signed (validly, by keys valid there)
   * by `signers`, and maybe by the key it names. Returns what is wrong
   * with it, or undefined.
   */
  apply(
    action: string,
    event: KeyEvent | undefined,
    index: number,
    signed: { signers: readonly string[]; signedByNewKey: boolean },
  ): string | undefined {
    const { signers } = signed;
    if (!event) return undefined;
    const byRoot = signers.some((fp) => this.#keys.get(fp)?.role === 'root');
    const target = this.#keys.get(event.fingerprint);
    switch (action) {
      case 'key.add': {
        if (!byRoot) return 'key.add must be signed by a root key';
        if (target) return `key ${event.fingerprint} is already known`;
        this.#admit(event, index);
        return undefined;
      }
      case 'key.rotate': {
        const old = event.previous ? this.#keys.get(event.previous) : undefined;
        if (!old || old.role !== 'writer') {
          return 'key.rotate must replace a writer key (root keys change in the policy)';
        }
        if (!signers.includes(old.info.fingerprint)) {
          return 'key.rotate must be signed by the key it replaces';
        }
        if (!signed.signedByNewKey) {
          return 'key.rotate must be signed by the new key';
        }
        if (target) return `key ${event.fingerprint} is already known`;
        this.#end(old, index, action);
        this.#admit(event, index);
        return undefined;
      }
      case 'key.revoke': {
        if (!byRoot) return 'key.revoke must be signed by a root key';
        if (!target || target.role !== 'writer') {
          return `key.revoke names no writer key (${event.fingerprint})`;
        }
        if (
          event.compromisedFrom !== undefined &&
          event.compromisedFrom > index
        ) {
          return 'key.revoke: compromisedFrom is after the revocation';
        }
        this.#end(target, index, action);
        if (event.compromisedFrom !== undefined) {
          const from = event.compromisedFrom;
          this.distrusted.push({
            fingerprint: event.fingerprint,
            from,
            revokedAt: index,
            indexes: (this.#signed.get(event.fingerprint) ?? []).filter(
              (i) => i >= from,
            ),
          });
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  #admit(event: KeyEvent, index: number): void {
    const info = parsePublicKey(event.publicKey ?? '');
    if (!info) return;
    this.#keys.set(info.fingerprint, {
      info,
      role: 'writer',
      name: undefined,
      from: index + 1,
      until: undefined,
      endedBy: undefined,
    });
  }

  #end(key: KeyState, index: number, action: string): void {
    key.until = index + 1;
    key.endedBy = { index, action };
  }
}

/** The key record a rotation's new key signs to prove it holds the key. */
export function isOwnKeySignature(
  action: string | undefined,
  event: KeyEvent | undefined,
  fingerprint: string,
): boolean {
  return (
    (action === 'key.rotate' || action === 'key.add') &&
    event?.fingerprint === fingerprint
  );
}
