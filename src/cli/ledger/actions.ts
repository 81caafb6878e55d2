import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { ExitCode, GitwardenError } from '../../errors.ts';
import { git } from '../../git/run.ts';
import { generateEd25519 } from '../../keys/ed25519.ts';
import type { AnchorInput } from '../../ledger/anchor.ts';
import { appendRecords } from '../../ledger/append.ts';
import { parseCheckpointText, parseNote } from '../../ledger/checkpoint.ts';
import { resolveRef } from '../../ledger/git-objects.ts';
import { initLedger } from '../../ledger/init.ts';
import { decodeRecord, readLines } from '../../ledger/reader.ts';
import type { RecordFields } from '../../ledger/record.ts';
import { fetchTip, trackingRef } from '../../ledger/remote.ts';
import {
  currentActor,
  currentWhere,
  ledgerContext,
  requireTrust,
  writerSigner,
  type CommonOptions,
  type KeyOptions,
  type LedgerContext,
} from './context.ts';
import {
  printAppend,
  printProof,
  printRecord,
  printRecordRow,
  printVerify,
} from './render.ts';

type InitOptions = CommonOptions & KeyOptions & { origin?: string };

export async function init(options: InitOptions): Promise<void> {
  const context = await ledgerContext(options);
  const signer = await writerSigner(context, options);
  const result = await initLedger({
    cwd: context.cwd,
    config: context.config,
    signer,
    origin: options.origin,
    remote: context.remote,
  });
  if (options.json) {
    console.log(
      JSON.stringify({
        ...result,
        ref: context.config.ref,
        remote: context.remote,
      }),
    );
  } else {
    const where = context.remote
      ? `${context.remote}/${context.config.branch}`
      : context.config.ref;
    console.log(
      result.created
        ? `created the ledger ${result.origin} at ${where}`
        : `the ledger ${result.origin} already exists at ${where}`,
    );
  }
}

type AppendOptions = CommonOptions &
  KeyOptions & {
    action?: string;
    actor?: string;
    role?: string;
    actorKind?: 'human' | 'agent' | 'bot' | 'service';
    agent?: string;
    task?: string;
    decision?: RecordFields['decision'];
    reason?: string;
    why?: string;
    subjectRef?: string;
    commit?: string[];
    path?: string[];
    input?: string;
    cosignKeyEnv?: string;
    cosignKeyFile?: string;
  };

export async function append(options: AppendOptions): Promise<void> {
  const records = options.input
    ? await readInput(options.input)
    : [recordFromFlags(options)];
  const where = currentWhere();
  for (const record of records) record.where ??= where;
  const context = await ledgerContext(options);
  const signer = await writerSigner(context, options);
  const cosign = options.cosignKeyEnv ?? options.cosignKeyFile;
  const cosigners = cosign
    ? [
        await writerSigner(context, {
          keyEnv: options.cosignKeyEnv,
          keyFile: options.cosignKeyFile,
        }),
      ]
    : [];
  const result = await appendRecords({
    cwd: context.cwd,
    config: context.config,
    signer,
    cosigners,
    records,
    remote: context.remote,
  });
  printAppend(result, options.json === true);
}

function recordFromFlags(options: AppendOptions): RecordFields {
  if (!options.action) {
    throw new GitwardenError(
      'USAGE',
      'append needs --action (or --input FILE)',
    );
  }
  const actor = options.actor ?? currentActor();
  if (!actor)
    throw new GitwardenError(
      'USAGE',
      'append needs --actor: no CI actor or user found',
    );
  const subject = {
    ref: options.subjectRef,
    commits: options.commit,
    paths: options.path,
  };
  return {
    actor: { id: actor, role: options.role, kind: options.actorKind },
    agent: options.agent,
    task: options.task,
    action: options.action,
    decision: options.decision,
    reason: options.reason,
    why: options.why,
    subject: Object.values(subject).some((v) => v !== undefined)
      ? subject
      : undefined,
  };
}

/** JSON lines of record fields; a line that does not parse is named. */
async function readInput(file: string): Promise<RecordFields[]> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (cause) {
    throw new GitwardenError(
      'INPUT_UNREADABLE',
      `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
    );
  }
  const records: RecordFields[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const value = JSON.parse(line) as RecordFields;
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Error('not an object');
      records.push(value);
    } catch (error) {
      throw new GitwardenError(
        'INPUT_INVALID',
        `${file}:${index + 1}: not a JSON record (${(error as Error).message})`,
      );
    }
  });
  if (records.length === 0)
    throw new GitwardenError('INPUT_INVALID', `${file} holds no records`);
  return records;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

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

export async function keygen(options: {
  out: string;
  name?: string;
  json?: boolean;
}) {
  const out = resolve(options.out);
  const inside = await git(['rev-parse', '--show-toplevel'], {
    cwd: dirname(out),
    okCodes: [128],
  }).catch(() => undefined);
  if (inside?.code === 0) {
    throw new GitwardenError(
      'USAGE',
      `${out} is inside the repository ${inside.stdout.toString().trim()}`,
      {
        hint: 'Private keys never belong in a repository: write it somewhere else (e.g. ~/.config/gitwarden/).',
      },
    );
  }
  const { privateKeyPem, publicKey } = generateEd25519();
  try {
    await writeFile(out, privateKeyPem, { mode: 0o600, flag: 'wx' });
  } catch (cause) {
    throw new GitwardenError(
      'USAGE',
      `cannot write ${out}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
    );
  }
  const entry = {
    name: options.name ?? 'writer',
    fingerprint: publicKey.fingerprint,
    publicKey: publicKey.spki.toString('base64'),
  };
  if (options.json) {
    console.log(JSON.stringify({ privateKeyFile: out, ...entry }));
    return;
  }
  console.log(`wrote the private key to ${out} (mode 0600)`);
  console.log(
    'add this entry to ledger.writerKeys (or ledger.rootKeys) in the policy:',
  );
  console.log(
    `  - name: ${entry.name}\n    fingerprint: ${entry.fingerprint}\n    publicKey: ${entry.publicKey}`,
  );
}
