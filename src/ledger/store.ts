import { GitwardenError } from '../errors.ts';
import type { Signer } from '../keys/signer.ts';
import { canonicalJson } from './canonical.ts';
import {
  parseCheckpointText,
  parseNote,
  signCheckpoint,
  type Checkpoint,
} from './checkpoint.ts';
import { Frontier } from './frontier.ts';
import {
  readObjects,
  writeBlob,
  writeCommit,
  writeTree,
  parseTree,
  type TreeEntry,
} from './git-objects.ts';
import {
  CHECKPOINT_FILE,
  CHUNK_SIZE,
  CHUNKS_PER_DIR,
  chunkName,
  commitMessage,
  FRONTIER_FILE,
  HEADER_FILE,
  LEDGER_FORMAT,
  RECORDS_DIR,
  type LedgerHeader,
} from './layout.ts';
import { EMPTY_ROOT, HASH_SIZE, leafHash } from './merkle.ts';

/** What an append needs to know about the branch tip. */
export interface LedgerTip {
  commit: string;
  header: LedgerHeader;
  headerSha: string;
  note: string;
  checkpoint: Checkpoint;
  frontier: Frontier;
  size: number;
  /** Entries of records/ (one folder per CHUNKS_PER_DIR chunks). */
  dirs: TreeEntry[];
  /** Entries of the last folder. */
  lastDir: TreeEntry[];
  /** The last chunk's bytes; empty when the log is empty. */
  lastChunk: Buffer;
}

export function corrupt(ref: string, commit: string, message: string) {
  return new GitwardenError(
    'LEDGER_CORRUPT',
    `the ledger at ${ref} (${commit.slice(0, 12)}) is damaged: ${message}`,
    {
      hint: 'gitwarden does not append to a damaged ledger. Run `gitwarden ledger verify` to see what is wrong; nothing in it was changed.',
    },
  );
}

/**
 * Reads and cross-checks the tip: the header, the checkpoint, the frontier
 * that must fold to the checkpoint's root, and the record count the chunk
 * layout implies. Anything inconsistent stops the append, so gitwarden
 * never builds on, or hides, a damaged log.
 */
export async function readTip(
  cwd: string,
  ref: string,
  commit: string,
): Promise<LedgerTip> {
  const idLength = commit.length / 2;
  const [header, note, frontier, records] = await readObjects(cwd, [
    `${commit}:${HEADER_FILE}`,
    `${commit}:${CHECKPOINT_FILE}`,
    `${commit}:${FRONTIER_FILE}`,
    `${commit}:${RECORDS_DIR}`,
  ]);
  if (!header) {
    throw new GitwardenError(
      'LEDGER_CORRUPT',
      `${ref} is not a gitwarden ledger: its tip ${commit.slice(0, 12)} has no ${HEADER_FILE}`,
      {
        hint: 'A ledger lives on an orphan branch made by `gitwarden ledger init`; check ledger.branch in the policy.',
      },
    );
  }
  const fail = (message: string) => corrupt(ref, commit, message);
  const parsedHeader = parseHeader(header.data.toString('utf8'));
  if (!parsedHeader)
    throw fail(`${HEADER_FILE} is not a ${LEDGER_FORMAT} header`);
  if (!note) throw fail(`${CHECKPOINT_FILE} is missing`);
  const noteText = note.data.toString('utf8');
  let checkpoint: Checkpoint;
  try {
    checkpoint = parseCheckpointText(parseNote(noteText).text);
  } catch (error) {
    throw fail(`${CHECKPOINT_FILE}: ${(error as Error).message}`);
  }
  if (checkpoint.origin !== parsedHeader.origin) {
    throw fail(`${CHECKPOINT_FILE} names another log (${checkpoint.origin})`);
  }
  const edge = parseFrontier(frontier?.data.toString('utf8'));
  if (
    !edge ||
    edge.size !== checkpoint.size ||
    !edge.root().equals(checkpoint.root)
  ) {
    throw fail(`${FRONTIER_FILE} does not match ${CHECKPOINT_FILE}`);
  }

  const dirs = records ? parseTree(records.data, idLength) : [];
  checkNames(
    dirs.map((d) => d.name),
    '',
    fail,
  );
  // The checkpoint says which chunk is last: read its folder and it in
  // one go, then check the folder agrees.
  const last =
    checkpoint.size > 0
      ? chunkName(Math.floor((checkpoint.size - 1) / CHUNK_SIZE))
      : undefined;
  const [lastDirTree, chunk] = await readObjects(
    cwd,
    dirs.length && last
      ? [dirs.at(-1)!.sha, `${commit}:${RECORDS_DIR}/${last.dir}/${last.file}`]
      : [],
  );
  const lastDir = lastDirTree ? parseTree(lastDirTree.data, idLength) : [];
  checkNames(
    lastDir.map((c) => c.name),
    '.jsonl',
    fail,
  );
  if (
    last &&
    (dirs.at(-1)?.name !== last.dir || lastDir.at(-1)?.name !== last.file)
  ) {
    throw fail(
      `the last chunk is not ${RECORDS_DIR}/${last.dir}/${last.file}, where the checkpoint's size puts it`,
    );
  }
  const lastChunk = chunk?.data ?? Buffer.alloc(0);
  if (lastChunk.length && lastChunk.at(-1) !== 0x0a) {
    throw fail(
      'the last record is truncated (no newline at the end of its chunk)',
    );
  }
  const linesInLast = countLines(lastChunk);
  const fullChunks =
    Math.max(dirs.length - 1, 0) * CHUNKS_PER_DIR +
    Math.max(lastDir.length - 1, 0);
  const size = fullChunks * CHUNK_SIZE + linesInLast;
  if (size !== checkpoint.size || (lastDir.length > 0 && linesInLast === 0)) {
    throw fail(
      `the branch holds ${size} records but its checkpoint says ${checkpoint.size}`,
    );
  }
  return {
    commit,
    header: parsedHeader,
    headerSha: header.sha,
    note: noteText,
    checkpoint,
    frontier: edge,
    size,
    dirs,
    lastDir,
    lastChunk,
  };
}

export function parseHeader(text: string): LedgerHeader | undefined {
  try {
    const value = JSON.parse(text) as LedgerHeader;
    if (
      value.format === LEDGER_FORMAT &&
      value.chunkSize === CHUNK_SIZE &&
      typeof value.origin === 'string' &&
      /^[^\s+]{1,256}$/.test(value.origin)
    ) {
      return value;
    }
  } catch {
    // not JSON: reported by the caller
  }
  return undefined;
}

export function headerText(origin: string): string {
  return `${canonicalJson({ chunkSize: CHUNK_SIZE, format: LEDGER_FORMAT, origin })}\n`;
}

/** The frontier file: the tree size, then one base64 node per line. */
export function frontierText(frontier: Frontier): string {
  const nodes = frontier.nodes.map((node) => `${node.toString('base64')}\n`);
  return `${frontier.size}\n${nodes.join('')}`;
}

export function parseFrontier(text: string | undefined): Frontier | undefined {
  if (text === undefined || !text.endsWith('\n')) return undefined;
  const [sizeText, ...lines] = text.slice(0, -1).split('\n');
  if (!/^(0|[1-9]\d*)$/.test(sizeText ?? '')) return undefined;
  const nodes = lines.map((line) => Buffer.from(line, 'base64'));
  if (nodes.some((node) => node.length !== HASH_SIZE)) return undefined;
  try {
    return new Frontier(Number(sizeText), nodes);
  } catch {
    return undefined;
  }
}

function checkNames(
  names: string[],
  suffix: string,
  fail: (message: string) => Error,
): void {
  names.forEach((name, index) => {
    if (name !== `${String(index).padStart(3, '0')}${suffix}`) {
      throw fail(
        `unexpected entry ${RECORDS_DIR}/…/${name}: chunks are not numbered in order`,
      );
    }
  });
}

export function countLines(data: Buffer): number {
  let count = 0;
  for (let at = data.indexOf(0x0a); at >= 0; at = data.indexOf(0x0a, at + 1)) {
    count += 1;
  }
  return count;
}

/** Makes the first commit of a new ledger: no records, a size-0 checkpoint. */
export async function buildInitCommit(
  cwd: string,
  origin: string,
  signer: Signer,
): Promise<{ commit: string; note: string }> {
  const frontier = new Frontier();
  const note = await signCheckpoint({ origin, size: 0, root: EMPTY_ROOT }, [
    signer,
  ]);
  const [header, checkpoint, edge] = await Promise.all([
    writeBlob(cwd, headerText(origin)),
    writeBlob(cwd, note),
    writeBlob(cwd, frontierText(frontier)),
  ]);
  const tree = await writeTree(cwd, [
    { mode: '100644', name: HEADER_FILE, sha: header },
    { mode: '100644', name: CHECKPOINT_FILE, sha: checkpoint },
    { mode: '100644', name: FRONTIER_FILE, sha: edge },
  ]);
  const commit = await writeCommit(
    cwd,
    tree,
    undefined,
    commitMessage('ledger: init', note),
  );
  return { commit, note };
}

/**
 * Builds (but does not publish) a commit that appends envelope lines to
 * the tip and carries a new checkpoint signed by the writer.
 */
export async function buildAppendCommit(
  cwd: string,
  tip: LedgerTip,
  lines: readonly string[],
  signer: Signer,
): Promise<{ commit: string; checkpoint: Checkpoint; note: string }> {
  const frontier = tip.frontier.clone();
  for (const line of lines) frontier.push(leafHash(Buffer.from(line, 'utf8')));
  const checkpoint = {
    origin: tip.header.origin,
    size: frontier.size,
    root: frontier.root(),
  };
  const note = await signCheckpoint(checkpoint, [signer]);

  const chunks = chunkContents(tip, lines);
  const chunkShas = await Promise.all(
    chunks.map((chunk) => writeBlob(cwd, chunk.data)),
  );
  const dirs = new Map<string, TreeEntry[]>();
  const lastDirName = tip.dirs.at(-1)?.name;
  chunks.forEach((chunk, i) => {
    const { dir, file } = chunkName(chunk.index);
    const entries =
      dirs.get(dir) ?? (dir === lastDirName ? [...tip.lastDir] : []);
    const entry = { mode: '100644', name: file, sha: chunkShas[i]! };
    const at = entries.findIndex((e) => e.name === file);
    if (at >= 0) entries[at] = entry;
    else entries.push(entry);
    dirs.set(dir, entries);
  });
  const records = tip.dirs.filter((d) => !dirs.has(d.name));
  for (const [name, entries] of dirs) {
    records.push({ mode: '040000', name, sha: await writeTree(cwd, entries) });
  }
  const [recordsTree, noteBlob, edgeBlob] = await Promise.all([
    writeTree(cwd, records),
    writeBlob(cwd, note),
    writeBlob(cwd, frontierText(frontier)),
  ]);
  const tree = await writeTree(cwd, [
    { mode: '100644', name: HEADER_FILE, sha: tip.headerSha },
    { mode: '100644', name: CHECKPOINT_FILE, sha: noteBlob },
    { mode: '100644', name: FRONTIER_FILE, sha: edgeBlob },
    { mode: '040000', name: RECORDS_DIR, sha: recordsTree },
  ]);
  const count = lines.length;
  const subject = `ledger: append ${count} record${count === 1 ? '' : 's'}`;
  const commit = await writeCommit(
    cwd,
    tree,
    tip.commit,
    commitMessage(subject, note),
  );
  return { commit, checkpoint, note };
}

/** The new contents of every chunk the lines land in. */
function chunkContents(tip: LedgerTip, lines: readonly string[]) {
  const chunks: { index: number; data: Buffer }[] = [];
  let position = tip.size;
  let next = 0;
  while (next < lines.length) {
    const index = Math.floor(position / CHUNK_SIZE);
    const room = CHUNK_SIZE - (position % CHUNK_SIZE);
    const take = lines.slice(next, next + room);
    const head = position % CHUNK_SIZE === 0 ? Buffer.alloc(0) : tip.lastChunk;
    const body = Buffer.from(take.map((line) => `${line}\n`).join(''), 'utf8');
    chunks.push({ index, data: Buffer.concat([head, body]) });
    position += take.length;
    next += take.length;
  }
  return chunks;
}
