// gitwarden's library surface: the engine, without the command line.
export { ExitCode, GitwardenError, isGitwardenError } from './errors.ts';
export type { ErrorCode } from './errors.ts';
export {
  DEFAULT_POLICY_PATH,
  defaultPolicy,
  loadPolicyAt,
  loadPolicyFile,
} from './policy/load.ts';
export { parsePolicy } from './policy/parse.ts';
export type { Policy, PolicyDocument, PolicySource } from './policy/types.ts';
export { checkTrailers } from './trailers/check.ts';
export type { CheckOptions, CheckResult } from './trailers/check.ts';
export { parseCommitTrailers, parseTrailers } from './trailers/parse.ts';
export type { Trailer, TrailerSyntax } from './trailers/parse.ts';
export {
  scanHistory,
  scanPaths,
  scanPush,
  scanRange,
  scanStaged,
  scanText,
} from './secrets/scan.ts';
export type { SecretScanReport } from './secrets/scan.ts';
export type { Finding, ScanNotice } from './secrets/types.ts';
export {
  buildReportFromFile,
  buildReportFromStream,
  ReportBuilder,
} from './report/build.ts';
export { generateReport } from './report/generate.ts';
export { loadControls } from './report/controls.ts';
export { writeReportFiles } from './report/files.ts';
export { renderMarkdown } from './report/markdown.ts';
export { renderDashboard } from './report/dashboard.ts';
export { jobSummary, JOB_SUMMARY_LIMIT } from './report/summary.ts';
export { publishReport } from './report/publish.ts';
export type { Report } from './report/types.ts';
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
