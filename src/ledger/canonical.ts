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
  if (quickCanonical(text, value)) return { ok: true, value };
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

/**
 * A fast sufficient test, for verify's hot loop: JCS serialises strings
 * and numbers exactly as JSON.stringify does (RFC 8785 §3.2.2) and only
 * adds key order, so text that JSON.stringify reproduces, from objects
 * whose keys are already in UTF-16 order, is canonical. Text with `\u`
 * escapes (where a lone surrogate could hide) or anything else this
 * cannot vouch for goes to the package, which decides.
 */
function quickCanonical(text: string, value: unknown): boolean {
  return (
    !text.includes('\\u') && keysSorted(value) && JSON.stringify(value) === text
  );
}

function keysSorted(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!keysSorted(item)) return false;
    return true;
  }
  // for...in, not Object.keys: no array per object on verify's hot path.
  // Parsed JSON has only own, enumerable, plain properties.
  let previous: string | undefined;
  for (const key in value) {
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
    if (!keysSorted((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}
