import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

import { decodeBytes, NOTICE_TEXT } from './decode.ts';
import type { SecretEngine, UnitOutcome } from './engine.ts';
import type { ScanNotice, ScanUnit } from './types.ts';

// What is handed to an engine (in this thread or a worker): text already
// decoded (a diff's added lines), bytes to decode there, or a file to read
// there, so reading and decoding run in parallel too.

export type ScanInput =
  | { kind: 'unit'; unit: ScanUnit; notice?: ScanNotice['kind'] }
  | { kind: 'bytes'; path: string; commit?: string; bytes: Uint8Array }
  | { kind: 'file'; path: string; file: string };

export interface InputOutcome extends UnitOutcome {
  notice?: Omit<ScanNotice, 'path' | 'commit'>;
  bytes: number;
}

export async function scanInputs(
  engine: SecretEngine,
  inputs: readonly ScanInput[],
  maxFileSize: number,
): Promise<InputOutcome[]> {
  const outcomes: (InputOutcome | undefined)[] = [];
  const units: ScanUnit[] = [];
  const slots: number[] = [];
  for (const [index, input] of inputs.entries()) {
    if (input.kind === 'unit') {
      units.push(input.unit);
      slots.push(index);
      outcomes.push(
        input.notice
          ? {
              findings: [],
              inlineAccepted: 0,
              bytes: 0,
              notice: {
                kind: input.notice,
                message: NOTICE_TEXT[input.notice],
              },
            }
          : undefined,
      );
      continue;
    }
    let bytes: Buffer;
    if (input.kind === 'file') {
      const read = readUpTo(input.file, maxFileSize);
      if (!Buffer.isBuffer(read)) {
        outcomes.push({ findings: [], inlineAccepted: 0, bytes: 0, ...read });
        continue;
      }
      bytes = read;
    } else {
      bytes = Buffer.from(
        input.bytes.buffer,
        input.bytes.byteOffset,
        input.bytes.byteLength,
      );
    }
    const decoded = decodeBytes(bytes, maxFileSize);
    if (!decoded.ok) {
      outcomes.push({
        findings: [],
        inlineAccepted: 0,
        bytes: 0,
        notice: { kind: decoded.kind, message: decoded.message },
      });
      continue;
    }
    units.push({
      path: input.path,
      commit: input.kind === 'bytes' ? input.commit : undefined,
      text: decoded.text,
    });
    slots.push(index);
    outcomes.push(
      decoded.notice
        ? {
            findings: [],
            inlineAccepted: 0,
            bytes: 0,
            notice: {
              kind: decoded.notice,
              message: NOTICE_TEXT[decoded.notice],
            },
          }
        : undefined,
    );
  }
  const results = await engine.scanUnits(units);
  results.forEach((result, i) => {
    const slot = slots[i]!;
    outcomes[slot] = {
      ...result,
      notice: outcomes[slot]?.notice,
      bytes: units[i]!.text.length,
    };
  });
  return outcomes as InputOutcome[];
}

/**
 * A file's bytes, unless it is larger than the limit (its size is checked
 * on the open file before anything is read), gone, or unreadable.
 */
function readUpTo(
  file: string,
  maxFileSize: number,
): Buffer | Pick<InputOutcome, 'notice' | 'error'> {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      return {
        notice: { kind: 'not-a-file', message: NOTICE_TEXT['not-a-file'] },
      };
    }
    if (stat.size > maxFileSize) {
      return {
        notice: {
          kind: 'too-large',
          message: `skipped: ${stat.size} bytes is over the ${maxFileSize}-byte limit`,
        },
      };
    }
    const bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < stat.size) {
      const count = readSync(fd, bytes, read, stat.size - read, read);
      if (count === 0) break;
      read += count;
    }
    return bytes.subarray(0, read);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    if (code === 'ENOENT') {
      return {
        notice: {
          kind: 'not-a-file',
          message: 'skipped: deleted from the work tree',
        },
      };
    }
    return { error: `cannot read: ${code}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
