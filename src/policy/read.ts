import { readFile } from 'node:fs/promises';

import { GitwardenError } from '../errors.ts';
import { PolicyError } from './errors.ts';

/**
 * A policy is a short hand-written file. Anything larger is a mistake (the
 * wrong file) or an attack on the parser, and is refused before parsing.
 */
export const MAX_POLICY_BYTES = 1024 * 1024;

/** Reads a policy file's bytes, with a message a user can act on. */
export async function readPolicyBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? '';
    throw new GitwardenError(
      'POLICY_UNREADABLE',
      `cannot read policy ${path}: ${unreadableReason(code, cause)}`,
      { cause, hint: unreadableHint(code) },
    );
  }
}

function unreadableReason(code: string, cause: unknown): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return code || String(cause);
  }
}

function unreadableHint(code: string): string | undefined {
  if (code === 'ENOENT') {
    return 'Create one with `gitwarden init`, or name an existing file.';
  }
  if (code === 'EISDIR') return 'Name the policy file itself, e.g. ' + POLICY;
  return undefined;
}

const POLICY = '.gitwarden/policy.yml';

/**
 * Decodes policy bytes as UTF-8, strictly: a replacement character would
 * silently change a pattern or a name. The problem names the line and
 * column of the first byte that is not UTF-8.
 */
export function decodePolicy(bytes: Uint8Array, file: string): string {
  if (bytes.length > MAX_POLICY_BYTES) {
    throw new PolicyError([
      {
        file,
        line: 1,
        column: 1,
        field: '',
        message: `the file is ${bytes.length} bytes; a policy may be at most ${MAX_POLICY_BYTES} (is this the right file?)`,
      },
    ]);
  }
  if (startsWithUtf16Mark(bytes)) {
    throw new PolicyError([
      {
        file,
        line: 1,
        column: 1,
        field: '',
        message: 'the file is UTF-16 text; save it as UTF-8',
      },
    ]);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const { line, column } = positionOf(bytes, offset);
    const byte = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
    throw new PolicyError([
      {
        file,
        line,
        column,
        field: '',
        message: `not UTF-8 text (byte 0x${byte}); save the policy as UTF-8`,
      },
    ]);
  }
}

function startsWithUtf16Mark(bytes: Uint8Array): boolean {
  const [a, b] = bytes;
  return (a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff);
}

/** Offset of the first byte that does not start a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  while (offset < bytes.length) {
    const length = sequenceLength(bytes[offset] ?? 0);
    if (length === 0 || offset + length > bytes.length) return offset;
    if (length > 1) {
      // The decoder knows the fine print (overlong forms, surrogates).
      try {
        decoder.decode(bytes.subarray(offset, offset + length));
      } catch {
        return offset;
      }
    }
    offset += length;
  }
  return offset;
}

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function positionOf(bytes: Uint8Array, offset: number) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // Columns count characters, as the YAML errors do; the line before the
  // bad byte is valid UTF-8.
  const before = Buffer.from(bytes.subarray(lineStart, offset)).toString();
  return { line, column: [...before].length + 1 };
}
