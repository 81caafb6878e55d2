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
