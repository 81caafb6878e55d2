import { git } from '../git/run.ts';
import { readObjects } from './git-objects.ts';
import { CHUNK_SIZE, chunkOfPath, RECORDS_DIR } from './layout.ts';
import type { LedgerRecord } from './record.ts';

export interface ChunkRef {
  index: number;
  path: string;
  sha: string;
}

/**
 * Lists the chunk files of a ledger commit in order. Paths that are not
 * chunk files, or gaps in the numbering, are returned as `strays` for the
 * caller to report: a reader never guesses around them.
 */
export async function listChunks(
  cwd: string,
  commit: string,
): Promise<{ chunks: ChunkRef[]; strays: string[] }> {
  const { stdout } = await git(
    ['ls-tree', '-r', '-z', commit, '--', `${RECORDS_DIR}/`],
    { cwd },
  );
  const chunks: ChunkRef[] = [];
  const strays: string[] = [];
  for (const entry of stdout.toString('utf8').split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    const [mode, type, sha] = entry.slice(0, tab).split(' ');
    const path = entry.slice(tab + 1);
    const index = chunkOfPath(path);
    if (index === undefined || type !== 'blob' || mode !== '100644')
      strays.push(path);
    else chunks.push({ index, path, sha: sha! });
  }
  chunks.sort((a, b) => a.index - b.index);
  chunks.forEach((chunk, position) => {
    if (chunk.index !== position) strays.push(chunk.path);
  });
  return { chunks, strays };
}

/**
 * Reads chunk blobs a window at a time, so memory holds a few chunks
 * (a few MB) however long the log is.
 */
export async function* readChunks(
  cwd: string,
  chunks: readonly ChunkRef[],
  window = 16,
): AsyncGenerator<{ chunk: ChunkRef; data: Buffer }> {
  for (let at = 0; at < chunks.length; at += window) {
    const slice = chunks.slice(at, at + window);
    const objects = await readObjects(
      cwd,
      slice.map((chunk) => chunk.sha),
    );
    for (let i = 0; i < slice.length; i++) {
      yield { chunk: slice[i]!, data: objects[i]?.data ?? Buffer.alloc(0) };
    }
  }
}

/** Splits a chunk into its lines; a final piece without newline is `tail`. */
export function splitLines(data: Buffer): { lines: Buffer[]; tail?: Buffer } {
  const lines: Buffer[] = [];
  let start = 0;
  for (let at = data.indexOf(0x0a); at >= 0; at = data.indexOf(0x0a, start)) {
    lines.push(data.subarray(start, at));
    start = at + 1;
  }
  return start < data.length
    ? { lines, tail: data.subarray(start) }
    : { lines };
}

/** Streams the envelope lines in [from, to) of a ledger commit. */
export async function* readLines(
  cwd: string,
  commit: string,
  from = 0,
  to = Number.POSITIVE_INFINITY,
): AsyncGenerator<{ index: number; line: Buffer }> {
  const { chunks } = await listChunks(cwd, commit);
  const first = Math.floor(from / CHUNK_SIZE);
  const wanted = chunks.filter(
    (chunk) => chunk.index >= first && chunk.index * CHUNK_SIZE < to,
  );
  for await (const { chunk, data } of readChunks(cwd, wanted)) {
    const { lines } = splitLines(data);
    for (let i = 0; i < lines.length; i++) {
      const index = chunk.index * CHUNK_SIZE + i;
      if (index >= from && index < to) yield { index, line: lines[i]! };
    }
  }
}

/**
 * The record inside an envelope line, without verifying anything: for
 * showing and exporting. `verify` is what judges a line.
 */
export function decodeRecord(line: Buffer): LedgerRecord | undefined {
  try {
    const envelope = JSON.parse(line.toString('utf8')) as { payload?: unknown };
    if (typeof envelope.payload !== 'string') return undefined;
    const statement = JSON.parse(
      Buffer.from(envelope.payload, 'base64').toString('utf8'),
    ) as {
      predicate?: LedgerRecord;
    };
    return typeof statement.predicate?.id === 'string'
      ? statement.predicate
      : undefined;
  } catch {
    return undefined;
  }
}
