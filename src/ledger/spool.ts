import { randomBytes } from 'node:crypto';
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import { join } from 'node:path';

// A folder of JSON-lines files that holds acknowledged audit records
// until they are in the ledger. A record is acknowledged only after its
// line is on disk (fsync), so a crash loses nothing acknowledged; a file
// moves through states by rename, which is atomic, so two processes never
// send the same file:
//
//   <base>.open                 this process appends to it
//   <base>.ready                closed, not sent yet
//   <base>.send-<size>-<pid>    <pid> is sending it; the ledger had <size>
//                               records before, so a resend can skip what
//                               already landed
//
// <base> starts with the writing process's pid; files of a process that
// is gone are taken over by the next one that flushes.

export interface SpooledBatch {
  file: string;
  lines: string[];
  /** Set when an earlier send may have landed: the log size before it. */
  landedSince: number | undefined;
  /** Lines cut short by a crash mid-write: never acknowledged. */
  torn: number;
}

export class Spool {
  readonly dir: string;
  #handle: FileHandle | undefined;
  #base: string | undefined;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Appends lines and returns once they are on disk. */
  async append(lines: readonly string[]): Promise<void> {
    if (!this.#handle) {
      await mkdir(this.dir, { recursive: true });
      this.#base = `${process.pid}-${Date.now()}-${randomBytes(4).toString('hex')}`;
      this.#handle = await open(
        join(this.dir, `${this.#base}.open`),
        'a',
        0o600,
      );
    }
    await this.#handle.write(lines.map((line) => `${line}\n`).join(''));
    await this.#handle.sync();
  }

  /** Closes the file being written, so it can be sent. */
  async seal(): Promise<void> {
    if (!this.#handle) return;
    await this.#handle.close();
    this.#handle = undefined;
    await rename(
      join(this.dir, `${this.#base}.open`),
      join(this.dir, `${this.#base}.ready`),
    );
  }

  /**
   * Takes every file this process may send: its own sealed ones and those
   * of processes that are gone. Each is renamed to mark it as being sent.
   */
  async claim(position: () => Promise<number>): Promise<SpooledBatch[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).sort();
    } catch {
      return [];
    }
    const batches: SpooledBatch[] = [];
    for (const name of names) {
      const parsed = parseName(name);
      if (!parsed || !claimable(parsed, this.#base)) continue;
      const landedSince = parsed.state === 'send' ? parsed.size : undefined;
      const size = landedSince ?? (await position());
      const file = join(this.dir, `${parsed.base}.send-${size}-${process.pid}`);
      try {
        await rename(join(this.dir, name), file);
      } catch {
        continue; // another process claimed it first
      }
      const { lines, torn } = splitSpool(await readFile(file, 'utf8'));
      batches.push({ file, lines, landedSince, torn });
    }
    return batches;
  }

  /** The batch is in the ledger: forget it. */
  async done(batch: SpooledBatch): Promise<void> {
    await unlink(batch.file);
  }
}

interface SpoolName {
  base: string;
  pid: number;
  state: 'open' | 'ready' | 'send';
  size?: number;
  owner?: number;
}

function parseName(name: string): SpoolName | undefined {
  const match = /^((\d+)-\d+-[0-9a-f]+)\.(open|ready|send-(\d+)-(\d+))$/.exec(
    name,
  );
  if (!match) return undefined;
  const state = match[3]!.startsWith('send')
    ? 'send'
    : (match[3] as 'open' | 'ready');
  return {
    base: match[1]!,
    pid: Number(match[2]),
    state,
    size: match[4] === undefined ? undefined : Number(match[4]),
    owner: match[5] === undefined ? undefined : Number(match[5]),
  };
}

function claimable(name: SpoolName, ownBase: string | undefined): boolean {
  if (name.base === ownBase) return name.state !== 'open';
  switch (name.state) {
    case 'ready':
      return name.pid === process.pid || !alive(name.pid);
    case 'open':
      return !alive(name.pid);
    case 'send':
      // Our own: an earlier flush of this process that failed.
      return name.owner === process.pid || !alive(name.owner!);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Complete lines; a last line without its newline was never acknowledged. */
function splitSpool(text: string): { lines: string[]; torn: number } {
  const parts = text.split('\n');
  const tail = parts.pop();
  return { lines: parts.filter((line) => line !== ''), torn: tail ? 1 : 0 };
}
