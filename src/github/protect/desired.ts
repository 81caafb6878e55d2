import type { Policy } from '../../policy/types.ts';

/**
 * What `gitwarden protect` makes true on GitHub, as repository rulesets
 * (the REST body of POST /repos/{owner}/{repo}/rulesets). gitwarden owns
 * the rulesets it names and leaves every other one alone.
 */
export interface RulesetBody {
  name: string;
  target: 'branch';
  enforcement: 'active';
  conditions: { ref_name: { include: string[]; exclude: string[] } };
  rules: Rule[];
  bypass_actors: BypassActor[];
}

export type Rule =
  | { type: 'deletion' }
  | { type: 'non_fast_forward' }
  | { type: 'update'; parameters: { update_allows_fetch_and_merge: boolean } }
  | {
      type: 'required_status_checks';
      parameters: {
        strict_required_status_checks_policy: boolean;
        required_status_checks: { context: string; integration_id?: number }[];
      };
    };

export interface BypassActor {
  actor_id: number | null;
  actor_type: string;
  bypass_mode: string;
}

export const VERIFY_RULESET = 'gitwarden: verify required';
export const LEDGER_RULESET = 'gitwarden: ledger';
export const DEFAULT_CHECK_NAME = 'gitwarden verify';
export const DEFAULT_LEDGER_BRANCH = 'gitwarden/ledger';

export interface ProtectionPlan {
  /** Full ref names that require the verify check. */
  protectedRefs: string[];
  ledgerBranch: string;
  /** The job name the check run carries: `gitwarden verify`. */
  checkName: string;
  /** The GitHub App whose check counts: GitHub Actions. */
  checkAppId: number;
  /** The GitHub App allowed to update the ledger branch, if any. */
  ledgerWriterAppId: number | undefined;
}

/**
 * The refs the policy protects: the default branch, every branch a
 * `access.deny` rule names exactly (e.g. `refs: [main]`), and any the user
 * adds. Globs are left out: a ruleset for `release/**` is the user's
 * decision, not something to infer.
 */
export function protectedRefs(
  policy: Policy,
  defaultBranch: string,
  extra: readonly string[] = [],
): string[] {
  const named = (policy.document.access?.deny ?? []).flatMap(
    (rule) => rule.refs ?? [],
  );
  const refs = [defaultBranch, ...named, ...extra]
    .filter((ref) => !/[*?[\]!]/.test(ref))
    .map((ref) => (ref.startsWith('refs/') ? ref : `refs/heads/${ref}`));
  return [...new Set(refs)].sort();
}

/** The ledger branch the policy names, or gitwarden's default. */
export function ledgerBranch(policy: Policy): string {
  const ledger = policy.document.ledger as { branch?: unknown } | undefined;
  return typeof ledger?.branch === 'string' && ledger.branch
    ? ledger.branch
    : DEFAULT_LEDGER_BRANCH;
}

export function desiredRulesets(plan: ProtectionPlan): RulesetBody[] {
  const verify: RulesetBody = {
    name: VERIFY_RULESET,
    target: 'branch',
    enforcement: 'active',
    conditions: { ref_name: { include: plan.protectedRefs, exclude: [] } },
    rules: [
      {
        type: 'required_status_checks',
        parameters: {
          strict_required_status_checks_policy: false,
          // Bound to the app that must report it: a job or a status of
          // the same name from anywhere else does not satisfy it.
          required_status_checks: [
            { context: plan.checkName, integration_id: plan.checkAppId },
          ],
        },
      },
    ],
    bypass_actors: [],
  };
  const writer = plan.ledgerWriterAppId;
  const ledger: RulesetBody = {
    name: LEDGER_RULESET,
    target: 'branch',
    enforcement: 'active',
    conditions: {
      ref_name: { include: [`refs/heads/${plan.ledgerBranch}`], exclude: [] },
    },
    rules: [
      { type: 'deletion' },
      { type: 'non_fast_forward' },
      ...(writer === undefined
        ? []
        : [
            {
              type: 'update' as const,
              parameters: { update_allows_fetch_and_merge: false },
            },
          ]),
    ],
    bypass_actors:
      writer === undefined
        ? []
        : [
            {
              actor_id: writer,
              actor_type: 'Integration',
              bypass_mode: 'always',
            },
          ],
  };
  return [verify, ledger];
}
