// How the ledger sits on its branch. Records are envelope lines in chunk
// files of CHUNK_SIZE lines, CHUNKS_PER_DIR chunks to a folder:
//
//   ledger.json              format, origin, chunk size (written once)
//   checkpoint               the newest signed checkpoint (C2SP note)
//   frontier                 the tree's right edge, so appends need not
//                            reread the log (checked against checkpoint)
//   records/000/000.jsonl    records 0..255
//   records/000/001.jsonl    records 256..511, and so on
//
// An append rewrites only the last chunk (at most 256 lines), one folder
// tree of at most 1000 entries and the small top trees, however long the
// log grows: 256 million records fit before the folder names widen.
// Each commit's message carries the checkpoint it made, so the history of
// checkpoints is read from `git log` without reading old trees.

export const LEDGER_FORMAT = 'gitwarden-ledger/v1';
export const CHUNK_SIZE = 256;
export const CHUNKS_PER_DIR = 1000;

export const HEADER_FILE = 'ledger.json';
export const CHECKPOINT_FILE = 'checkpoint';
export const FRONTIER_FILE = 'frontier';
export const RECORDS_DIR = 'records';

export interface LedgerHeader {
  format: string;
  origin: string;
  chunkSize: number;
}

export function chunkName(chunk: number): { dir: string; file: string } {
  return {
    dir: pad(Math.floor(chunk / CHUNKS_PER_DIR)),
    file: `${pad(chunk % CHUNKS_PER_DIR)}.jsonl`,
  };
}

export function chunkPath(chunk: number): string {
  const { dir, file } = chunkName(chunk);
  return `${RECORDS_DIR}/${dir}/${file}`;
}

/** The chunk number of a path written by chunkPath, or undefined. */
export function chunkOfPath(path: string): number | undefined {
  const match = /^records\/(\d{3})\/(\d{3})\.jsonl$/.exec(path);
  if (!match) return undefined;
  return Number(match[1]) * CHUNKS_PER_DIR + Number(match[2]);
}

function pad(n: number): string {
  return String(n).padStart(3, '0');
}

export function commitMessage(subject: string, note: string): string {
  return `${subject}\n\n${note}`;
}

/** The checkpoint note in a ledger commit's message, or undefined. */
export function noteOfMessage(message: string): string | undefined {
  const split = message.indexOf('\n\n');
  return split < 0 ? undefined : message.slice(split + 2);
}
