// The small surface Vault and Doppler offer the rest of gitwarden. The
// ledger's own provider interface (env, file, command providers) is built
// in parallel; these match it in spirit (get a secret; for signing keys,
// sign) and adapt to it once both are on main.

/** Somewhere a named secret can be read from and, for rotation, written. */
export interface SecretStore {
  /** "vault", "doppler"... for messages and the rotation record. */
  readonly type: string;
  /** Reads a secret; a missing one is an error that says so. */
  get(reference: string): Promise<string>;
  /** Writes a new value so that readers see it in one step. */
  set(reference: string, value: string): Promise<void>;
  /** Where a reference points, for messages (no value). */
  describe(reference: string): string;
  /**
   * When the value was last written, undefined when it does not exist;
   * absent when the store keeps no such time (Doppler's API does not).
   */
  updatedAt?(reference: string): Promise<Date | undefined>;
}

/** A signing key whose private half stays with its provider. */
export interface RemoteSigner {
  readonly algorithm: 'ed25519';
  /** The raw 32-byte Ed25519 public key. */
  publicKey(): Promise<Uint8Array>;
  /** The raw 64-byte Ed25519 signature of data. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}
