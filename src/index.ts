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
