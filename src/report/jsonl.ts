// Reads a file of JSON lines without holding it: chunks of a megabyte are
// cut at newlines and each line handed on as it is found, so memory stays
// flat however long the ledger export is.

import { createReadStream } from 'node:fs';

import { GitwardenError } from '../errors.ts';

const NEWLINE = 0x0a;

/** Calls `onLine` for every non-empty line of a byte stream. */
export async function forEachLine(
  chunks: AsyncIterable<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const buffer =
      rest.length === 0 ? Buffer.from(chunk) : Buffer.concat([rest, chunk]);
    let start = 0;
    let end = buffer.indexOf(NEWLINE, start);
    while (end !== -1) {
      emit(buffer, start, end, onLine);
      start = end + 1;
      end = buffer.indexOf(NEWLINE, start);
    }
    rest = buffer.subarray(start);
  }
  emit(rest, 0, rest.length, onLine);
}

function emit(
  buffer: Buffer,
  start: number,
  end: number,
  onLine: (line: string) => void,
): void {
  // Windows line ends are tolerated: a trailing \r is not part of the record.
  const stop = end > start && buffer[end - 1] === 0x0d ? end - 1 : end;
  if (stop > start) onLine(buffer.toString('utf8', start, stop));
}

/** A file's lines, or a clear error naming the file when it cannot be read. */
export async function forEachFileLine(
  path: string,
  onLine: (line: string) => void,
): Promise<void> {
  try {
    await forEachLine(
      createReadStream(path, { highWaterMark: 1 << 20 }),
      onLine,
    );
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === undefined) throw cause;
    throw new GitwardenError(
      'INPUT_UNREADABLE',
      `cannot read ledger export ${path}: ${code}`,
      {
        cause,
        hint: 'write one with `gitwarden ledger export`',
      },
    );
  }
}
