import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JCS) canonical JSON. Signed bytes in the ledger are always in
 * this form, and a verifier insists on it: two different byte strings can
 * never carry the same record, so a signature covers exactly one meaning.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) {
    throw new TypeError('value has no JSON representation');
  }
  return text;
}

/**
 * Parses JSON text and says whether it was already canonical. Duplicate
 * keys, extra whitespace, escaped characters that need no escaping and
 * numbers like `1.0` all make text non-canonical.
 */
export function parseCanonical(
  text: string,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  let canonical: string;
  try {
    canonical = canonicalJson(value);
  } catch (error) {
    return { ok: false, reason: `not representable: ${String(error)}` };
  }
  if (canonical !== text) {
    return { ok: false, reason: 'not canonical JSON (RFC 8785)' };
  }
  return { ok: true, value };
}
