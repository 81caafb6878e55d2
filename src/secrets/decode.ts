import type { ScanNotice } from './types.ts';

// Turning bytes into text to scan, or saying why not. Every skip is a
// notice: a scan never passes over a file silently.

export type Decoded =
  | { ok: true; text: string; notice?: ScanNotice['kind'] }
  | { ok: false; kind: ScanNotice['kind']; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');
const utf16le = new TextDecoder('utf-16le');
const utf16be = new TextDecoder('utf-16be');

const LFS_POINTER = Buffer.from('version https://git-lfs.github.com/spec/');

export function decodeBytes(bytes: Buffer, maxSize: number): Decoded {
  if (bytes.length > maxSize) {
    return {
      ok: false,
      kind: 'too-large',
      message: `skipped: ${bytes.length} bytes is over the ${maxSize}-byte limit`,
    };
  }
  // A byte-order mark says how to read the rest, NULs included.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return {
      ok: true,
      text: utf16le.decode(bytes.subarray(2)),
      notice: 'utf16',
    };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return {
      ok: true,
      text: utf16be.decode(bytes.subarray(2)),
      notice: 'utf16',
    };
  }
  const body =
    bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
      ? bytes.subarray(3)
      : bytes;
  if (body.includes(0)) {
    return {
      ok: false,
      kind: 'binary',
      message: 'skipped: binary file (contains a NUL byte)',
    };
  }
  if (bytes.subarray(0, LFS_POINTER.length).equals(LFS_POINTER)) {
    return {
      ok: true,
      text: body.toString('latin1'),
      notice: 'lfs-pointer',
    };
  }
  return decodeUtf8(body);
}

/** Strict UTF-8, or a lenient reading (U+FFFD for bad bytes) with a notice. */
export function decodeUtf8(bytes: Buffer): Decoded {
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return {
      ok: true,
      text: utf8Lenient.decode(bytes),
      notice: 'invalid-utf8',
    };
  }
}

export const NOTICE_TEXT: Record<ScanNotice['kind'], string> = {
  binary: 'skipped: binary file',
  'too-large': 'skipped: over the size limit',
  'lfs-pointer':
    'git LFS pointer: the pointer was scanned, the stored object was not',
  submodule: 'submodule pointer: its commits are not scanned here',
  'invalid-utf8': 'not valid UTF-8: scanned with invalid bytes replaced',
  utf16: 'UTF-16 text: decoded and scanned',
  allowlisted: 'skipped: path allowlisted by the policy',
  'not-a-file': 'skipped: not a regular file',
};
