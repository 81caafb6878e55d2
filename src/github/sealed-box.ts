import sodium from 'libsodium-wrappers';

/**
 * Encrypts a secret value the way GitHub requires for Actions secrets: a
 * libsodium sealed box (X25519 + XSalsa20-Poly1305 with an ephemeral key)
 * to the scope's public key, base64 encoded. Only GitHub can open it.
 */
export async function sealForGitHub(
  value: string,
  publicKeyBase64: string,
): Promise<string> {
  await sodium.ready;
  const key = sodium.from_base64(
    publicKeyBase64,
    sodium.base64_variants.ORIGINAL,
  );
  const sealed = sodium.crypto_box_seal(sodium.from_string(value), key);
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL);
}
