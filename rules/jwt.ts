import { defineRule, indexesOf } from './lib/rule.ts';

// A JSON Web Token is a bearer credential: whoever holds it is whoever it
// names until it expires. Its header is base64url JSON, so it starts with
// "eyJ" ('{"'); a token is taken only when the header decodes to JSON with
// an "alg", which rules out source maps and other base64 JSON.

const SEGMENT = /[A-Za-z0-9_-]{0,8192}/y;
const MAX_SEGMENT = 8192;

export const jwt = defineRule({
  id: 'gitwarden/jwt',
  group: 'tokens',
  titles: { JWT: 'JSON Web Token' },
  keywords: ['eyj'],
  *find(content) {
    let resumeAt = 0;
    for (const at of indexesOf(content, 'eyJ')) {
      if (at < resumeAt) continue;
      if (at > 0 && /[A-Za-z0-9_-]/.test(content[at - 1]!)) continue;
      const segments = readSegments(content, at);
      if (!segments) continue;
      const [header, payload, signature] = segments.parts;
      resumeAt = segments.end;
      if (!isTokenHeader(header!) || !isJsonObject(payload!)) continue;
      if (
        signature!.length < 16 &&
        !/"alg"\s*:\s*"none"/i.test(decode(header!))
      ) {
        continue;
      }
      if (isWellKnownExample(payload!)) continue;
      yield { messageId: 'JWT', start: at, end: segments.end };
    }
  },
});

function readSegments(content: string, at: number) {
  const parts: string[] = [];
  let position = at;
  for (let i = 0; i < 3; i++) {
    SEGMENT.lastIndex = position;
    const match = SEGMENT.exec(content)!;
    const part = match[0];
    if (part.length >= MAX_SEGMENT) return undefined;
    parts.push(part);
    position = SEGMENT.lastIndex;
    if (i < 2) {
      if (content[position] !== '.') return undefined;
      position++;
    }
  }
  if (parts[0]!.length < 10 || parts[1]!.length < 10) return undefined;
  return { parts, end: position };
}

function decode(segment: string): string {
  return Buffer.from(segment, 'base64url').toString('utf8');
}

function isTokenHeader(segment: string): boolean {
  const header = parseObject(decode(segment));
  return header !== undefined && typeof header.alg === 'string';
}

function isJsonObject(segment: string): boolean {
  return parseObject(decode(segment)) !== undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The sample token of the JWT documentation sites. */
function isWellKnownExample(payload: string): boolean {
  const claims = parseObject(decode(payload)) ?? {};
  return claims.sub === '1234567890' && claims.name === 'John Doe';
}
