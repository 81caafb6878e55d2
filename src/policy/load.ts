import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

import { GitwardenError } from '../errors.ts';
import { git, gitText } from '../git/run.ts';
import { defaultPolicyDocument, resolvePolicy } from './defaults.ts';
import { decodePolicy, readPolicyBytes } from './read.ts';
import type { ParsedPolicy } from './parse.ts';
import type { Policy, PolicySource } from './types.ts';

export const DEFAULT_POLICY_PATH = '.gitwarden/policy.yml';

/**
 * Set by scripts/build.mjs to a hash of the sources and schemas, so a
 * cached policy parsed by one build is never read by another. Undefined
 * when running from source (tests), which turns the cache off.
 */
declare const __GITWARDEN_BUILD__: string | undefined;
const BUILD_ID =
  typeof __GITWARDEN_BUILD__ === 'string' ? __GITWARDEN_BUILD__ : undefined;

/** The built-in policy that applies when a repository has no policy file. */
export function defaultPolicy(): Policy {
  return resolvePolicy(defaultPolicyDocument(), { kind: 'default' });
}

/**
 * Reads and validates a policy file from disk. A missing, unreadable or
 * directory path is an error here: whoever names a file expects it to be
 * used (the built-in default applies only when no file is named).
 */
export async function loadPolicyFile(path: string): Promise<Policy> {
  const bytes = await readPolicyBytes(path);
  const { parsePolicy } = await import('./parse.ts');
  return parsePolicy(decodePolicy(bytes, path), { kind: 'file', path });
}

/**
 * Reads the policy as it is at a revision: the base of a change, never the
 * change itself. With no revision (nothing older exists) or no policy file
 * there, the built-in default applies.
 *
 * A policy blob never changes, so once parsed and validated its document
 * is kept in the repository's git directory under the blob's id: a hook
 * that runs on every commit then skips YAML and the schema validator.
 */
export async function loadPolicyAt(
  repo: string,
  revision: string | undefined,
  path: string = DEFAULT_POLICY_PATH,
  /** The git directory, when the caller knows it: saves a git process. */
  gitCommonDir?: string,
): Promise<Policy> {
  if (revision === undefined) return defaultPolicy();
  const source: PolicySource = { kind: 'revision', revision, path };
  // cat-file --batch answers "missing" for an absent path instead of
  // failing, so one process tells "no policy" from "unreadable". The
  // cache folder is asked for at the same time.
  const [{ stdout }, cacheDir] = await Promise.all([
    git(['cat-file', '--batch'], {
      cwd: repo,
      input: `${revision}:${path}\n`,
    }),
    BUILD_ID ? policyCacheDir(repo, gitCommonDir) : undefined,
  ]);
  const header = stdout.subarray(0, stdout.indexOf(10)).toString('utf8');
  if (header.endsWith(' missing')) return defaultPolicy();
  const [blob, type, size] = header.split(' ');
  if (type !== 'blob') {
    throw new GitwardenError(
      'POLICY_UNREADABLE',
      `${revision}:${path} is a ${type}, not a file`,
    );
  }

  const cacheFile = cacheDir && join(cacheDir, `${blob}.json`);
  const cached = cacheFile && (await readCached(cacheFile));
  if (cached) return fromParsed(cached, source);

  const body = stdout.subarray(
    header.length + 1,
    header.length + 1 + Number(size),
  );
  const { parsePolicyDocument } = await import('./parse.ts');
  const parsed = parsePolicyDocument(
    decodePolicy(body, `${revision}:${path}`),
    source,
  );
  if (cacheFile) await writeCached(cacheFile, parsed);
  return fromParsed(parsed, source);
}

function fromParsed(parsed: ParsedPolicy, source: PolicySource): Policy {
  const policy = resolvePolicy(parsed.document, source);
  return { ...policy, warnings: [...parsed.warnings, ...policy.warnings] };
}

async function policyCacheDir(
  repo: string,
  known: string | undefined,
): Promise<string | undefined> {
  try {
    const dir =
      known ??
      (await gitText(['rev-parse', '--git-common-dir'], { cwd: repo }));
    const gitDir = isAbsolute(dir) ? dir : join(repo, dir);
    return join(gitDir, 'gitwarden', 'policy-cache', BUILD_ID!);
  } catch {
    // Not a repository: cat-file reports that with a proper message.
    return undefined;
  }
}

/** A cache entry, or undefined when there is none or it is unreadable. */
async function readCached(file: string): Promise<ParsedPolicy | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as ParsedPolicy;
    const valid =
      typeof parsed?.document === 'object' &&
      parsed.document !== null &&
      Array.isArray(parsed.warnings);
    return valid ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Best effort: a read-only git directory (a mirror, a server whose hook
 * runs as another user) simply goes without a cache. Written to a
 * temporary name and renamed, so a reader never sees half a file.
 */
async function writeCached(file: string, parsed: ParsedPolicy) {
  try {
    await mkdir(join(file, '..'), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(parsed));
    await rename(temporary, file);
  } catch {
    // Without a cache the next run parses the policy again; nothing else.
  }
}
