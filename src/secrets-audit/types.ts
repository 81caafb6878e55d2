/** The kinds of plain-text secret problems `secrets audit` reports. */
export type AuditRule =
  | 'workflow-secret-echo'
  | 'workflow-secret-to-file'
  | 'artifact-holds-secret'
  | 'kubernetes-secret-literal'
  | 'compose-environment-literal'
  | 'dockerfile-environment-literal'
  | 'unknown-secret-reference';

/**
 * One finding. It names files, lines, keys and secret names, never a
 * value: the value is what must not be copied anywhere else.
 */
export interface AuditFinding {
  rule: AuditRule;
  file: string;
  line: number;
  message: string;
  hint: string;
  /** The secret's name (an Actions secret, a key), when there is one. */
  name?: string;
}

export interface AuditReport {
  findings: AuditFinding[];
  filesRead: number;
  /** Things the audit could not judge, said plainly. */
  notes: string[];
}
