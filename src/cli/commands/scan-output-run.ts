import { readFile } from 'node:fs/promises';

import { ExitCode } from '../../errors.ts';
import { defaultPolicy } from '../../policy/load.ts';
import { decodeBytes } from '../../secrets/decode.ts';
import { secretsSettings } from '../../secrets/policy.ts';
import { redact } from '../../secrets/redact.ts';
import { formatHuman, toJson } from '../../secrets/report.ts';
import { toSarif } from '../../secrets/sarif.ts';
import { scanText, type SecretScanReport } from '../../secrets/scan.ts';
import { emptyResult, mergeResults } from '../../secrets/types.ts';
import { colors, printError } from '../output.ts';

/** Outputs can be large build logs: a higher limit than repository files. */
export const OUTPUT_SIZE_LIMIT = 256 * 1024 * 1024;

export async function runScanOutput(
  inputs: string[],
  options: { redact: boolean; format: 'human' | 'json' | 'sarif' },
): Promise<number> {
  const policy = defaultPolicy();
  policy.document = {
    ...policy.document,
    secrets: { maxFileSize: OUTPUT_SIZE_LIMIT },
  };
  const total: SecretScanReport = {
    ...emptyResult(),
    description: inputs.map(nameOf).join(', '),
    disabled: false,
    settings: secretsSettings(policy),
    baselineSource: undefined,
  };
  let redacted: string | undefined;

  for (const input of inputs) {
    const name = nameOf(input);
    let bytes: Buffer;
    try {
      bytes = input === '-' ? await readStdin() : await readFile(input);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      total.errors.push({
        path: name,
        commit: undefined,
        message: `cannot read: ${code}`,
      });
      continue;
    }
    const report = await scanText(name, bytes, { policy });
    mergeResults(total, report);
    // Text that could not be read as text was not judged: for an output,
    // that is a failure, not a pass.
    for (const notice of report.notices) {
      if (notice.kind === 'binary' || notice.kind === 'too-large') {
        total.errors.push({
          path: name,
          commit: undefined,
          message: notice.message,
        });
      }
    }
    if (options.redact) {
      const decoded = decodeBytes(bytes, OUTPUT_SIZE_LIMIT);
      if (decoded.ok && report.errors.length === 0) {
        redacted = redact(decoded.text, report.findings);
      }
    }
  }

  if (options.redact) {
    if (redacted === undefined || total.errors.length) {
      for (const error of total.errors)
        printError(`${error.path}: ${error.message}`);
      printError('nothing written: the input could not be scanned whole');
      return ExitCode.Incomplete;
    }
    process.stdout.write(redacted);
    if (total.findings.length) {
      console.error(
        `gitwarden: redacted ${total.findings.length} secret${total.findings.length === 1 ? '' : 's'}`,
      );
    }
    return total.findings.length ? ExitCode.Refused : ExitCode.Ok;
  }

  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify(toJson(total), null, 2)}\n`);
  } else if (options.format === 'sarif') {
    const log = toSarif(total, process.env.GITWARDEN_VERSION ?? '0.1.0');
    process.stdout.write(`${JSON.stringify(log, null, 2)}\n`);
  } else {
    process.stdout.write(formatHuman(total, colors));
  }
  for (const error of total.errors)
    printError(`${error.path}: ${error.message}`);
  if (total.errors.length) return ExitCode.Incomplete;
  return total.findings.length ? ExitCode.Refused : ExitCode.Ok;
}

function nameOf(input: string): string {
  return input === '-' ? '<stdin>' : input;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
