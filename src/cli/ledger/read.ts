import { ExitCode, GitwardenError } from '../../errors.ts';
import { git } from '../../git/run.ts';
import type { AnchorInput } from '../../ledger/anchor.ts';
import { parseCheckpointText, parseNote } from '../../ledger/checkpoint.ts';
import { resolveRef } from '../../ledger/git-objects.ts';
import { decodeRecord, readLines } from '../../ledger/reader.ts';
import { fetchTip, trackingRef } from '../../ledger/remote.ts';
import {
  ledgerContext,
  requireTrust,
  type CommonOptions,
  type LedgerContext,
} from './context.ts';
import {
  printProof,
  printRecord,
  printRecordRow,
  printVerify,
} from './render.ts';

// The ledger commands that read: verify, show, prove, export.

type ReadOptions = CommonOptions & { ref?: string; fetch?: boolean };

/**
 * The ref to read: --ref, else the remote's ledger (fetched now) when
 * there is one, else the local branch.
 */
async function ledgerRef(
  context: LedgerContext,
  options: ReadOptions,
): Promise<string> {
  if (options.ref) return options.ref;
  const { remote, config, cwd } = context;
  if (!remote) return config.ref;
  const tracking = trackingRef(remote, config.branch);
  if (options.fetch === false) return tracking;
  for (let attempt = 0; attempt < 20; attempt++) {
    const tip = await fetchTip(cwd, remote, config.branch);
    if (tip === undefined) {
      throw new GitwardenError(
        'USAGE',
        `${remote} has no ledger branch ${config.branch}`,
        {
          hint: 'Create it with `gitwarden ledger init`.',
        },
      );
    }
    if (tip !== 'busy') return tracking;
    await new Promise((done) => setTimeout(done, 50 + Math.random() * 100));
  }
  throw new GitwardenError(
    'GIT_FAILED',
    `could not fetch the ledger from ${remote}`,
  );
}

type VerifyOptions = ReadOptions & {
  anchor?: string[];
  cache?: boolean;
  threads?: string;
};

export async function verify(options: VerifyOptions): Promise<void> {
  // Loaded here, not above: an append need not load the verifier.
  const { verifyLedger } = await import('../../ledger/verify.ts');
  const {
    cachePath,
    readAnchorArgument,
    readCachedAnchor,
    readPolicyAnchor,
    writeCachedAnchor,
  } = await import('../../ledger/anchor.ts');
  const context = await ledgerContext(options);
  requireTrust(context.config);
  const ref = await ledgerRef(context, options);
  const anchors: AnchorInput[] = [];
  for (const spec of options.anchor ?? [])
    anchors.push(await readAnchorArgument(context.cwd, spec));
  if (context.policyRev) {
    const policyAnchor = await readPolicyAnchor(
      context.cwd,
      context.config,
      context.policyRev,
    );
    if (policyAnchor) anchors.push(policyAnchor);
  }
  const cache =
    options.cache === false
      ? undefined
      : await cachePath(context.cwd, context.config);
  const cached = cache ? await readCachedAnchor(cache) : undefined;
  if (cached) anchors.push(cached);
  const threads =
    options.threads === undefined ? undefined : Number(options.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 0)) {
    throw new GitwardenError(
      'USAGE',
      `--threads expects a whole number, not ${options.threads}`,
    );
  }

  const report = await verifyLedger({
    cwd: context.cwd,
    config: context.config,
    ref,
    anchors,
    threads,
  });
  if (cache && report.verdict !== 'tampered' && report.checkpoint) {
    await writeCachedAnchor(cache, report.checkpoint);
  }
  printVerify(report, options.json === true);
  process.exitCode =
    report.verdict === 'verified'
      ? ExitCode.Ok
      : report.verdict === 'tampered'
        ? ExitCode.Refused
        : ExitCode.Incomplete;
}

export async function show(
  record: string | undefined,
  options: ReadOptions & { limit?: string },
) {
  const context = await ledgerContext(options);
  const commit = await commitOf(context, await ledgerRef(context, options));
  if (record !== undefined) {
    for await (const { index, line } of readLines(context.cwd, commit)) {
      const decoded = decodeRecord(line);
      if (String(index) === record || decoded?.id === record) {
        printRecord(index, line, decoded, options.json === true);
        return;
      }
    }
    throw new GitwardenError('USAGE', `no record ${record} in the ledger`);
  }
  const limit =
    options.limit === undefined
      ? Number.POSITIVE_INFINITY
      : Number(options.limit);
  const last: { index: number; line: Buffer }[] = [];
  for await (const entry of readLines(context.cwd, commit)) {
    last.push(entry);
    if (last.length > limit) last.shift();
  }
  for (const { index, line } of last)
    printRecordRow(index, decodeRecord(line), options.json === true);
}

export async function prove(
  record: string | undefined,
  options: ReadOptions & { consistency?: string; since?: string },
) {
  const { proveConsistency, proveInclusion } =
    await import('../../ledger/prove.ts');
  const { readAnchorArgument } = await import('../../ledger/anchor.ts');
  const context = await ledgerContext(options);
  const commit = await commitOf(context, await ledgerRef(context, options));
  if (options.since || options.consistency !== undefined) {
    let size = Number(options.consistency);
    let root: Buffer | undefined;
    if (options.since) {
      const anchor = await readAnchorArgument(context.cwd, options.since);
      const checkpoint = parseCheckpointText(parseNote(anchor.note).text);
      size = checkpoint.size;
      root = checkpoint.root;
    }
    if (!Number.isInteger(size) || size < 0) {
      throw new GitwardenError('USAGE', '--consistency expects a tree size');
    }
    const proof = await proveConsistency(context.cwd, commit, size, root);
    printProof(proof, options.json === true);
    process.exitCode = proof.consistent ? ExitCode.Ok : ExitCode.Refused;
    return;
  }
  if (record === undefined) {
    throw new GitwardenError(
      'USAGE',
      'prove needs a record id or position, --consistency SIZE or --since CHECKPOINT',
    );
  }
  printProof(
    await proveInclusion(context.cwd, commit, record),
    options.json === true,
  );
}

export async function exportLedger(
  options: ReadOptions & { raw?: boolean; checkpoint?: boolean },
) {
  const context = await ledgerContext(options);
  const commit = await commitOf(context, await ledgerRef(context, options));
  if (options.checkpoint) {
    const { stdout } = await git(['cat-file', 'blob', `${commit}:checkpoint`], {
      cwd: context.cwd,
    });
    process.stdout.write(stdout);
    return;
  }
  for await (const { index, line } of readLines(context.cwd, commit)) {
    if (options.raw) {
      process.stdout.write(Buffer.concat([line, Buffer.from('\n')]));
    } else {
      process.stdout.write(
        `${JSON.stringify({ index, record: decodeRecord(line) ?? null })}\n`,
      );
    }
  }
}

async function commitOf(context: LedgerContext, ref: string): Promise<string> {
  const commit = await resolveRef(context.cwd, ref);
  if (!commit) {
    throw new GitwardenError('USAGE', `there is no ledger at ${ref}`, {
      hint: 'Create one with `gitwarden ledger init`.',
    });
  }
  return commit;
}
