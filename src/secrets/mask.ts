import { createHash } from 'node:crypto';

/**
 * Shows a secret without revealing it. Tokens found by their format keep
 * their first four characters, a public type prefix such as "ghp_" or
 * "AKIA" (`revealPrefix`); passwords and other values found by their name
 * keep nothing; private keys keep their armour line. The length is given
 * so a reader can tell values apart.
 */
export function maskSecret(secret: string, revealPrefix: boolean): string {
  const armour = /^-{4,5} ?BEGIN [A-Z0-9 ]{1,60}-{4,5}/.exec(secret);
  if (armour) return `${armour[0]}… (${secret.length} chars)`;
  const shown = revealPrefix && secret.length >= 20 ? secret.slice(0, 4) : '';
  return `${shown}${'*'.repeat(8)} (${secret.length} chars)`;
}

/**
 * The fingerprint a baseline keeps: sha256 over rule, path and secret.
 * Line and commit are left out so an accepted value stays accepted when
 * lines move. The secret itself cannot be read back; a weak password could
 * still be guessed from it, which is why only accepted (already known)
 * values are ever written down.
 */
export function fingerprintOf(rule: string, path: string, secret: string) {
  return createHash('sha256')
    .update(`gitwarden:secret:v1\0${rule}\0${path}\0${secret}`)
    .digest('hex');
}
