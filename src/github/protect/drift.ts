import type { BypassActor, Rule, RulesetBody } from './desired.ts';

/** A ruleset as GitHub returns it (GET /repos/{o}/{r}/rulesets/{id}). */
export interface LiveRuleset {
  id: number;
  name: string;
  target?: string;
  enforcement: string;
  conditions?: { ref_name?: { include?: string[]; exclude?: string[] } } | null;
  rules?: { type: string; parameters?: Record<string, unknown> }[];
  bypass_actors?: BypassActor[];
}

/**
 * Every way a live ruleset falls short of the desired one, one sentence
 * each. Stricter extras (another rule added by hand) are not drift; a
 * weaker one (a missing rule, a check not bound to its app, someone else
 * allowed to bypass) is.
 */
export function rulesetDrift(
  desired: RulesetBody,
  live: LiveRuleset | undefined,
): string[] {
  if (!live) return [`ruleset "${desired.name}" does not exist`];
  const drift: string[] = [];
  const name = `ruleset "${desired.name}"`;
  if (live.enforcement !== 'active') {
    drift.push(`${name} is ${live.enforcement}, not active`);
  }
  if (live.target !== undefined && live.target !== desired.target) {
    drift.push(`${name} targets ${live.target}, not ${desired.target}`);
  }
  const include = live.conditions?.ref_name?.include ?? [];
  const exclude = live.conditions?.ref_name?.exclude ?? [];
  for (const ref of desired.conditions.ref_name.include) {
    if (!include.includes(ref) && !include.includes('~ALL')) {
      drift.push(`${name} does not cover ${ref}`);
    }
  }
  for (const ref of exclude) drift.push(`${name} excludes ${ref}`);
  for (const rule of desired.rules) drift.push(...ruleDrift(name, rule, live));
  for (const actor of live.bypass_actors ?? []) {
    if (!desired.bypass_actors.some((wanted) => sameActor(wanted, actor))) {
      drift.push(
        `${name} lets ${actor.actor_type} ${actor.actor_id ?? ''} bypass it`.replace(
          / +bypass/,
          ' bypass',
        ),
      );
    }
  }
  for (const actor of desired.bypass_actors) {
    if (!(live.bypass_actors ?? []).some((had) => sameActor(actor, had))) {
      drift.push(
        `${name} does not let ${actor.actor_type} ${actor.actor_id} update the branch`,
      );
    }
  }
  return drift;
}

function ruleDrift(name: string, rule: Rule, live: LiveRuleset): string[] {
  const found = (live.rules ?? []).filter((r) => r.type === rule.type);
  if (found.length === 0) return [`${name} lacks the ${rule.type} rule`];
  if (rule.type !== 'required_status_checks') return [];
  const checks = found.flatMap(
    (r) =>
      (r.parameters?.required_status_checks as
        { context: string; integration_id?: number }[] | undefined) ?? [],
  );
  return rule.parameters.required_status_checks.flatMap((wanted) => {
    const same = checks.filter((c) => c.context === wanted.context);
    if (same.length === 0) {
      return [`${name} does not require the "${wanted.context}" check`];
    }
    if (!same.some((c) => c.integration_id === wanted.integration_id)) {
      return [
        `${name} requires "${wanted.context}" from any source, not only app ${wanted.integration_id}: a job of the same name elsewhere would satisfy it`,
      ];
    }
    return [];
  });
}

function sameActor(a: BypassActor, b: BypassActor): boolean {
  return (
    a.actor_type === b.actor_type &&
    (a.actor_id ?? null) === (b.actor_id ?? null) &&
    a.bypass_mode === b.bypass_mode
  );
}
