import type { Signer } from '../keys/signer.ts';
import { appendRecords } from './append.ts';
import type { AuditSink } from './audit.ts';
import type { LedgerConfig } from './config.ts';
import { resolveRef } from './git-objects.ts';
import { fetchTip, trackingRef } from './remote.ts';
import { readTip } from './store.ts';

/** An audit sink that appends each batch to the ledger in one commit. */
export function ledgerSink(options: {
  cwd: string;
  config: LedgerConfig;
  signer: Signer;
  remote?: string | undefined;
}): AuditSink {
  const { cwd, config, remote } = options;
  return {
    async position() {
      const fetched = remote
        ? await fetchTip(cwd, remote, config.branch)
        : undefined;
      const ref = remote ? trackingRef(remote, config.branch) : config.ref;
      const commit =
        fetched === 'busy' || !remote ? await resolveRef(cwd, ref) : fetched;
      return commit ? (await readTip(cwd, ref, commit)).size : 0;
    },
    async write(records, landedSince) {
      await appendRecords({ ...options, records, landedSince });
    },
  };
}
