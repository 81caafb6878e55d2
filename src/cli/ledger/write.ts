import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { GitwardenError } from '../../errors.ts';
import { git } from '../../git/run.ts';
import { generateEd25519 } from '../../keys/ed25519.ts';
import { appendRecords } from '../../ledger/append.ts';
import { initLedger } from '../../ledger/init.ts';
import type { RecordFields } from '../../ledger/record.ts';
import {
  currentActor,
  currentWhere,
  ledgerContext,
  writerSigner,
  type CommonOptions,
  type KeyOptions,
} from './context.ts';
import { printAppend } from './render.ts';

// The ledger commands that write: init, append, keygen.

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
