import { git } from './run.ts';

/** What git says about a commit's signature (`%G?` and friends). */
export interface SignatureFacts {
  /** git's `%G?`: G good, U good but untrusted, N none, B bad, E unknown key... */
  status: string;
  /** `%GS`: the signer; for SSH, the principal from the allowed-signers file. */
  signer: string;
  /** `%GF` and `%GP`: fingerprints of the signing key and its primary key. */
  fingerprint: string;
  primaryFingerprint: string;
}

export interface CommitChanges {
  sha: string;
  parents: string[];
  /** Every path the commit changes (see `readChanges`), in git's order. */
  paths: string[];
  signature: SignatureFacts | undefined;
}

export interface ReadChangesOptions {
  /** Ask git to verify signatures too (costs a gpg/ssh-keygen per commit). */
  signatures?: boolean;
  /** Extra `-c name=value` settings, e.g. `gpg.ssh.allowedSignersFile`. */
  config?: Record<string, string>;
}

const BASE_FIELDS = ['%H', '%P'];
const SIGNATURE_FIELDS = ['%G?', '%GS', '%GF', '%GP'];

/**
 * Lists the commits the revisions select and the paths each changes, with
 * ONE `git log --raw -z` (and, when asked, git's own signature checks in
 * the same process).
 *
 * What "changes a path" means:
 * - Added, deleted, modified, type-changed (file <-> symlink <-> submodule)
 *   and mode-only changes all count: every raw entry names its path.
 * - Renames are never paired (`--no-renames`): a rename shows as the
 *   deletion of the old path and the addition of the new one, so both
 *   are judged, whatever the similarity.
 * - A root commit changes every path it adds (`--root`).
 * - A merge commit changes the paths where it differs from EVERY parent
 *   (git's combined diff, `-c`): what the merge itself introduced, such as
 *   a conflict resolution or an "evil merge". The commits it brings in
 *   are listed and judged on their own.
 */
export async function readChanges(
  repo: string,
  revisions: readonly string[],
  options: ReadChangesOptions = {},
): Promise<CommitChanges[]> {
  if (revisions.length === 0) return [];
  const fields = options.signatures
    ? [...BASE_FIELDS, ...SIGNATURE_FIELDS]
    : BASE_FIELDS;
  const config = Object.entries(options.config ?? {}).flatMap(
    ([name, value]) => ['-c', `${name}=${value}`],
  );
  const { stdout } = await git(
    [
      ...config,
      'log',
      '-z',
      '--raw',
      '-c',
      '--root',
      '--no-renames',
      '--no-color',
      '--no-show-signature',
      `--format=GW${fields.join('%x00')}`,
      ...revisions,
      '--',
    ],
    { cwd: repo, env: { GIT_NO_REPLACE_OBJECTS: '1' } },
  );
  return parseRawLog(stdout, fields.length, options.signatures === true);
}

const utf8 = new TextDecoder('utf-8');

/**
 * Reads `git log -z --raw` output: a header (`GW` + fields, NUL between)
 * then raw entries, each `:meta` NUL `path` NUL. Paths are taken by
 * position, never by their look, so a path that starts with `:` or `GW`,
 * or holds a newline, is still a path.
 */
export function parseRawLog(
  stdout: Buffer,
  fieldCount: number,
  withSignature: boolean,
): CommitChanges[] {
  const commits: CommitChanges[] = [];
  let current: CommitChanges | undefined;
  let header: string[] | undefined;
  let expectPath = false;
  let start = 0;
  while (start < stdout.length) {
    let end = stdout.indexOf(0, start);
    if (end === -1) end = stdout.length;
    const token = utf8.decode(stdout.subarray(start, end));
    start = end + 1;

    if (header) {
      header.push(token);
      if (header.length === fieldCount) {
        current = toCommit(header, withSignature);
        commits.push(current);
        header = undefined;
      }
    } else if (expectPath) {
      current?.paths.push(token);
      expectPath = false;
    } else {
      const text = token.startsWith('\n') ? token.slice(1) : token;
      if (text.startsWith('GW')) header = [text.slice(2)];
      else if (text.startsWith(':')) expectPath = true;
      // Anything else is the empty separator git writes after a header.
    }
  }
  return commits;
}

function toCommit(fields: string[], withSignature: boolean): CommitChanges {
  const [sha = '', parents = '', status, signer, fingerprint, primary] = fields;
  return {
    sha,
    parents: parents ? parents.split(' ') : [],
    paths: [],
    signature: withSignature
      ? {
          status: status ?? 'N',
          signer: signer ?? '',
          fingerprint: fingerprint ?? '',
          primaryFingerprint: primary ?? '',
        }
      : undefined,
  };
}
