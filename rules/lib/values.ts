// Judging a candidate value: is it random enough to be a credential, or a
// placeholder, a reference to one, or code? Shared by the rules that match
// on a name (password = ...) rather than on a token's own shape.

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** How many of: lower case, upper case, digits, anything else. */
export function characterClasses(value: string): number {
  return (
    Number(/[a-z]/.test(value)) +
    Number(/[A-Z]/.test(value)) +
    Number(/[0-9]/.test(value)) +
    Number(/[^A-Za-z0-9]/.test(value))
  );
}

// Words that documentation, templates and tests put where a secret goes.
// Any value containing one is taken as a stand-in, not a credential.
const PLACEHOLDER_WORDS =
  /example|sample|placeholder|changeme|change[_-]me|your[_-]?|dummy|redacted|replace|insert|fixme|todo|xxxx|\*\*\*|\.\.\.|password|passwd|secret|token|mysecret|test[_-]?key|fake|lorem|<|>|\{\{|\}\}/i;

// For a token found by its format, words like "secret" or "token" are part
// of real values (AGE-SECRET-KEY-1..., access_token$production$...): only
// what documentation puts in place of a real token counts.
const TOKEN_PLACEHOLDER =
  /example|your[_-]|dummy|placeholder|redacted|xxxx|\*\*\*|\.\.\.|<|>|\{\{/i;

/** A token-shaped value that is a documented stand-in, not a credential. */
export function isTokenPlaceholder(value: string): boolean {
  if (TOKEN_PLACEHOLDER.test(value) || /^(.)\1*$/.test(value)) return true;
  const most = Math.max(...countChars(value).values());
  return value.length >= 8 && most / value.length > 0.6;
}

/** A value that stands in for a secret rather than being one. */
export function isPlaceholder(value: string): boolean {
  if (PLACEHOLDER_WORDS.test(value)) return true;
  // One character repeated (xxxxxxxx, 00000000, ********).
  if (/^(.)\1*$/.test(value)) return true;
  // Mostly one character: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1234
  const most = Math.max(...countChars(value).values());
  return most / value.length > 0.6;
}

function countChars(value: string) {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  return counts;
}

/**
 * A value that names where a secret comes from instead of holding it:
 * `${VAR}`, `$VAR`, `%(var)s`, `process.env.X`, `os.environ[...]`, a
 * function call, a member access, a file path or a plain URL.
 */
export function isReference(value: string): boolean {
  return (
    /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(value) ||
    /\$\{|\$\(|%\(|\{\d*\}|#\{/.test(value) ||
    /^(?:process\.env|os\.environ|env|ENV|System\.getenv|getenv|config|settings|secrets|vault|self|this|params|props|args|options|opts|req|request|ctx)\b[.[(]/.test(
      value,
    ) ||
    /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?:\(\))?$/.test(value) ||
    /^[A-Za-z_$][\w$.]*\(.*\)?$/.test(value) ||
    /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)[\w./\\-]*$/.test(value) ||
    /^[\w./-]+\.(?:pem|key|crt|cer|p12|pfx|json|ya?ml|txt|env|conf|cfg|ini|properties|toml)$/i.test(
      value,
    ) ||
    /^(?:https?|file):\/\/[^@\s]*$/i.test(value)
  );
}

/** Booleans, nulls, numbers and type names: never a secret. */
export function isTrivial(value: string): boolean {
  return (
    /^(?:true|false|yes|no|on|off|null|nil|none|undefined|required|optional|string|str|bool|boolean|number|int|integer|bytes|any|object|text|varchar|char)$/i.test(
      value,
    ) || /^[+-]?\d+(?:\.\d+)?(?:e\d+)?[a-z]{0,2}$/i.test(value)
  );
}

/**
 * Whether a value found beside a secret-like name looks like a credential:
 * long enough, mixed, random enough, and none of the stand-ins above.
 */
export function looksLikeCredential(value: string): boolean {
  if (value.length < 8 || value.length > 512) return false;
  if (isTrivial(value) || isReference(value) || isPlaceholder(value)) {
    return false;
  }
  if (/\s/.test(value)) return false;
  // A few lower-case words joined up is a setting's value, not a secret:
  // 'false-positive', 'read_only', 'us-east.primary'.
  if (/^[a-z]+(?:[-_.][a-z]+){0,3}$/.test(value)) return false;
  if (looksLikeIdentifier(value)) return false;
  return characterClasses(value) >= 2 && entropy(value) >= 3;
}

/**
 * Words run together as code names them: `matchString`, `byLastLine`,
 * `URLPatternComponentResult`, `matchResult?.pass`. Random values mix in
 * digits and one-letter runs; identifiers are words of two letters or more.
 */
export function looksLikeIdentifier(value: string): boolean {
  const core = value.replace(/^[^A-Za-z0-9]+/, '');
  if (!/^[A-Za-z][A-Za-z0-9_$.?-]*$/.test(core)) return false;
  if ((core.match(/[0-9]/g)?.length ?? 0) > 2) return false;
  const words = core
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_$.?-]+/)
    .filter(Boolean);
  return (
    words.length >= 2 &&
    words.every((word) => /^[A-Za-z]{2,}[0-9]{0,2}$/.test(word))
  );
}
