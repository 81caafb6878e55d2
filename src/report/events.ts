// What reports are built from: events, one per ledger record that matters
// to an SLA or a control. Only records.ts knows how a ledger record looks;
// every other module of src/report reads these types.

/** Fields every event carries: its record's id and when it happened. */
interface EventBase {
  /** The ledger record id: the link a report gives as proof. */
  id: string;
  /** When the record says the thing happened, in ms since the epoch. */
  time: number;
  /** Who acted: an identity name, a login or an email, as recorded. */
  actor: string | undefined;
  agent: string | undefined;
  task: string | undefined;
}

/**
 * How an agent's operation ended. Only the first four are attempts;
 * `denied` (the policy refused to start it) and `cancelled` (stopped by a
 * person) say nothing about the agent's reliability.
 */
export type OperationOutcome =
  'success' | 'failure' | 'error' | 'timeout' | 'denied' | 'cancelled';

/** One run of an agent's command through the audit wrapper, or one CI run. */
export interface OperationEvent extends EventBase {
  type: 'operation';
  source: 'wrapper' | 'workflow-run';
  start: number;
  end: number;
  outcome: OperationOutcome;
}

/** A verdict of a check: a commit's trailers, a push, a path, a command. */
export interface DecisionEvent extends EventBase {
  type: 'decision';
  /** What was judged: `commit`, `push`, `run`, `merge`, ... */
  action: string;
  /** Which check judged it: `trailers`, `roles`, `secrets`, ... */
  check: string | undefined;
  decision: 'allow' | 'deny';
  reason: string | undefined;
  ref: string | undefined;
  /** True when the decision touched a path the policy protects. */
  protectedPath: boolean;
  /** Present when someone overrode the verdict. */
  override: { by: string | undefined; reason: string | undefined } | undefined;
}

/** How a secret finding ended. `open` is a finding nobody dealt with yet. */
export type SecretResolution =
  'blocked' | 'revoked' | 'rotated' | 'false-positive' | 'allowed' | 'open';

export interface SecretFindingEvent extends EventBase {
  type: 'secret';
  /** What was found (the scanner's rule or reason). */
  rule: string;
  resolution: SecretResolution;
}

/** A signing key or a provider secret added, rotated or revoked. */
export interface KeyEvent extends EventBase {
  type: 'key';
  keyId: string;
  change: 'add' | 'rotate' | 'revoke';
  /** For a rotation: the key it replaces. */
  previous: string | undefined;
}

/** A `protect --check`: live protection settings against the policy. */
export interface ProtectionEvent extends EventBase {
  type: 'protection';
  matches: boolean;
  ref: string | undefined;
}

/** A merged pull request, and whether someone other than its author approved it. */
export interface ReviewEvent extends EventBase {
  type: 'review';
  independent: boolean;
  ref: string | undefined;
}

/** A record of an action reports do not use; kept for the audit trail. */
export interface OtherEvent extends EventBase {
  type: 'other';
  action: string;
  decision: string | undefined;
}

export type ReportEvent =
  | OperationEvent
  | DecisionEvent
  | SecretFindingEvent
  | KeyEvent
  | ProtectionEvent
  | ReviewEvent
  | OtherEvent;

/**
 * What the ledger's verifier said about the log the events came from.
 * `not-verified` means nobody handed the report a verdict: integrity
 * controls then have no evidence, rather than passing.
 */
export interface LedgerIntegrity {
  status: 'verified' | 'failed' | 'not-verified';
  /** One line per problem the verifier named (record, what is wrong). */
  problems: string[];
  /** The latest signed checkpoint, when the verifier checked one. */
  checkpoint: { size: number; root: string } | undefined;
  /** False when the verdict has nothing to anchor to (no witness, cache). */
  anchored: boolean | undefined;
}
