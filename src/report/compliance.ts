// Judges each control against the measures: met when every evidence item
// holds, not met when one fails, "no evidence" when a required item has
// no record to be judged on.

import type { Control, EvidenceRule } from './controls.ts';
import { METRICS, type Measure, type MetricName } from './evidence.ts';
import type {
  ComplianceReport,
  ControlResult,
  ControlStatus,
  EvidenceResult,
} from './types.ts';

export function judgeControls(
  controls: Control[],
  files: string[],
  measures: Record<MetricName, Measure>,
): ComplianceReport {
  const results = controls.map((control) => judge(control, measures));
  const totals: Record<ControlStatus, number> = {
    met: 0,
    'not-met': 0,
    'no-evidence': 0,
  };
  for (const result of results) totals[result.status] += 1;
  return { mappings: files, totals, controls: results };
}

function judge(
  control: Control,
  measures: Record<MetricName, Measure>,
): ControlResult {
  const evidence = control.evidence.map((rule) =>
    check(rule, measures[rule.metric]),
  );
  const missing = evidence.filter(
    (e, i) => e.result === 'no-evidence' && !control.evidence[i]!.optional,
  );
  const passed = evidence.some((e) => e.result === 'pass');
  let status: ControlStatus = 'met';
  if (evidence.some((e) => e.result === 'fail')) status = 'not-met';
  else if (missing.length > 0 || !passed) status = 'no-evidence';
  return {
    id: control.id,
    framework: control.framework,
    summary: control.summary,
    status,
    evidence,
  };
}

function check(rule: EvidenceRule, measure: Measure): EvidenceResult {
  const { value } = measure;
  let result: EvidenceResult['result'];
  if (value === null) result = 'no-evidence';
  else if (rule.equals !== undefined)
    result = value === rule.equals ? 'pass' : 'fail';
  else if (typeof value !== 'number') result = 'fail';
  else if (rule.atLeast !== undefined)
    result = value >= rule.atLeast ? 'pass' : 'fail';
  else result = value <= rule.atMost! ? 'pass' : 'fail';
  return {
    metric: rule.metric,
    description: METRICS[rule.metric],
    value:
      typeof value === 'number' ? Math.round(value * 10_000) / 10_000 : value,
    expectation: expectation(rule),
    result,
    records: measure.records,
    recordsTotal: measure.recordsTotal,
  };
}

function expectation(rule: EvidenceRule): string {
  if (rule.equals !== undefined) return `= ${rule.equals}`;
  if (rule.atLeast !== undefined) return `≥ ${rule.atLeast}`;
  return `≤ ${rule.atMost}`;
}
