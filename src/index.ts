// gitwarden's library surface: the engine, without the command line.
export { ExitCode, GitwardenError, isGitwardenError } from './errors.ts';
export type { ErrorCode } from './errors.ts';
export {
  DEFAULT_POLICY_PATH,
  defaultPolicy,
  loadPolicyFile,
  parsePolicy,
} from './policy/load.ts';
export type { Policy, PolicyDocument, PolicySource } from './policy/types.ts';
export { createAuditor } from './ledger/audit.ts';
export type {
  AuditEvent,
  Auditor,
  AuditorOptions,
  AuditSink,
} from './ledger/audit.ts';
export { ledgerSink } from './ledger/audit-sink.ts';
export { appendRecords } from './ledger/append.ts';
export { initLedger } from './ledger/init.ts';
export { verifyLedger } from './ledger/verify.ts';
export type { VerifyReport } from './ledger/verify.ts';
export { isLedgerRef, resolveLedgerConfig } from './ledger/config.ts';
export type { LedgerConfig, LedgerSection } from './ledger/config.ts';
export type { RecordFields } from './ledger/record.ts';
export { createSecretProvider } from './keys/providers.ts';
export type { ProviderConfig } from './keys/providers.ts';
export { signerFromProvider } from './keys/ed25519.ts';
export type { SecretProvider } from './keys/secret.ts';
export type { Signer } from './keys/signer.ts';
