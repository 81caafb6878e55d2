// The secret scanner's vocabulary. A Finding never holds the secret: only
// where it is, which rule saw it, a masked form and a one-way fingerprint.

/** Text to scan, already decoded, with where each of its lines lives. */
export interface ScanUnit {
  /** Repository-relative path, a file path, or a name like "<stdin>". */
  path: string;
  /** The commit that added these lines, for range and history scans. */
  commit?: string;
  /** The lines to scan, joined with "\n". */
  text: string;
  /**
   * The 1-based line number in the real file of each line of `text`, for
   * the added lines of a diff. Absent: line i of text is line i + 1.
   */
  lineNumbers?: number[];
}

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Short rule id: "secretlint/aws", "gitwarden/jwt". */
  rule: string;
  /** The rule's message id, e.g. "AWSSecretAccessKey". */
  messageId: string;
  title: string;
  severity: Severity;
  path: string;
  commit: string | undefined;
  /** 1-based line and column (UTF-16 code units) where the secret starts. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The secret with all but a harmless prefix hidden. */
  masked: string;
  /** sha256 over rule, path and secret: what a baseline stores. */
  fingerprint: string;
}

/** Something the scan skipped or read with care, said out loud. */
export interface ScanNotice {
  path: string;
  commit: string | undefined;
  kind:
    | 'binary'
    | 'too-large'
    | 'lfs-pointer'
    | 'submodule'
    | 'invalid-utf8'
    | 'utf16'
    | 'allowlisted'
    | 'not-a-file';
  message: string;
}

/** Something that kept the scan from finishing: the verdict is incomplete. */
export interface ScanError {
  path: string;
  commit: string | undefined;
  message: string;
}

export interface ScanResult {
  findings: Finding[];
  /** Findings accepted by an allow comment or the baseline (not shown). */
  accepted: { inline: number; baseline: number };
  notices: ScanNotice[];
  errors: ScanError[];
  /** How much was read: units (files or file-in-commit) and bytes. */
  scanned: { units: number; bytes: number };
}

export function emptyResult(): ScanResult {
  return {
    findings: [],
    accepted: { inline: 0, baseline: 0 },
    notices: [],
    errors: [],
    scanned: { units: 0, bytes: 0 },
  };
}

export function mergeResults(into: ScanResult, from: ScanResult): void {
  into.findings.push(...from.findings);
  into.accepted.inline += from.accepted.inline;
  into.accepted.baseline += from.accepted.baseline;
  into.notices.push(...from.notices);
  into.errors.push(...from.errors);
  into.scanned.units += from.scanned.units;
  into.scanned.bytes += from.scanned.bytes;
}
