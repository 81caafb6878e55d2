import type { AppendResult } from '../../ledger/append.ts';
import type { ConsistencyProof, InclusionProof } from '../../ledger/prove.ts';
import type { LedgerRecord } from '../../ledger/record.ts';
import type { VerifyReport } from '../../ledger/verify.ts';
import { colors } from '../output.ts';

const MAX_FAULTS_SHOWN = 20;

export function printAppend(result: AppendResult, json: boolean): void {
  const ids = result.records.map((record) => record.id);
  if (json) {
    console.log(
      JSON.stringify({
        ids,
        firstIndex: result.firstIndex,
        size: result.size,
        root: result.root.toString('base64'),
        commit: result.commit,
        retries: result.retries,
      }),
    );
    return;
  }
  const count = ids.length === 1 ? `record ${ids[0]}` : `${ids.length} records`;
  const retried = result.retries ? ` after ${result.retries} retries` : '';
  console.log(
    `appended ${count} at position ${result.firstIndex} (log size ${result.size})${retried}`,
  );
}

export function printVerify(report: VerifyReport, json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ ...report, checkpoint: undefined }));
    return;
  }
  const summary = `${report.size} records, ${report.checkpoints} checkpoints, root ${report.root}`;
  if (report.verdict === 'tampered') {
    console.log(
      `${colors.red('ledger TAMPERED')}: ${report.faults.length} problem(s) in ${report.ref}`,
    );
    for (const fault of report.faults.slice(0, MAX_FAULTS_SHOWN)) {
      const where = fault.commit
        ? `commit ${fault.commit.slice(0, 12)}`
        : `record ${fault.index}${fault.id ? ` (${fault.id})` : ''}`;
      console.log(`  ${where}: ${fault.message}`);
    }
    const more = report.faults.length - MAX_FAULTS_SHOWN;
    if (more > 0) console.log(`  … and ${more} more (--json lists all)`);
    return;
  }
  for (const distrusted of report.distrusted) {
    console.log(
      `${colors.yellow('distrusted')}: key ${distrusted.fingerprint} was compromised from record ${distrusted.from} (revoked at ${distrusted.revokedAt}); it signed ${distrusted.indexes.length} record(s) since: ${distrusted.indexes.slice(0, 20).join(', ')}`,
    );
  }
  if (report.verdict === 'verified') {
    const anchors = report.anchors
      .map((a) => `${a.source} (size ${a.size})`)
      .join(', ');
    console.log(
      `${colors.green('ledger verified')}: ${summary}; extends ${anchors}`,
    );
    return;
  }
  console.log(`${colors.yellow('ledger verified but UNANCHORED')}: ${summary}`);
  console.log(
    'nothing proves this history was not rewritten: commit a checkpoint to the protected branch (`gitwarden ledger export --checkpoint > .gitwarden/ledger.checkpoint`) or pass --anchor',
  );
}

export function printRecordRow(
  index: number,
  record: LedgerRecord | undefined,
  json: boolean,
): void {
  if (json) {
    console.log(JSON.stringify({ index, record: record ?? null }));
    return;
  }
  if (!record) {
    console.log(`${index}\t(unreadable record)`);
    return;
  }
  console.log(
    [
      index,
      record.time,
      record.action,
      record.decision ?? '-',
      record.actor.id,
      record.id,
    ].join('\t'),
  );
}

export function printRecord(
  index: number,
  line: Buffer,
  record: LedgerRecord | undefined,
  json: boolean,
): void {
  let signers: string[] = [];
  try {
    signers = (
      JSON.parse(line.toString('utf8')) as { signatures: { keyid: string }[] }
    ).signatures.map((s) => s.keyid);
  } catch {
    // shown as unreadable below
  }
  if (json) {
    console.log(JSON.stringify({ index, signers, record: record ?? null }));
    return;
  }
  console.log(
    `record ${index}, signed by ${signers.join(', ') || '(unreadable)'}`,
  );
  console.log(JSON.stringify(record ?? null, null, 2));
}

export function printProof(
  proof: InclusionProof | (ConsistencyProof & { consistent: boolean }),
  json: boolean,
) {
  if (json) {
    console.log(JSON.stringify(proof));
    return;
  }
  if ('index' in proof) {
    console.log(
      `record ${proof.index}${proof.id ? ` (${proof.id})` : ''} is in the log of size ${proof.treeSize}`,
    );
    console.log(
      `leaf hash ${proof.leafHash}\nroot hash ${proof.rootHash}\naudit path:`,
    );
  } else {
    const verdict = proof.consistent
      ? colors.green('consistent')
      : colors.red('NOT consistent: the history was rewritten');
    console.log(
      `size ${proof.oldSize} (root ${proof.oldRoot}) → size ${proof.newSize} (root ${proof.newRoot}): ${verdict}`,
    );
    console.log('consistency proof:');
  }
  for (const hash of proof.hashes) console.log(`  ${hash}`);
  process.stdout.write(`checkpoint:\n${proof.checkpoint}`);
}
