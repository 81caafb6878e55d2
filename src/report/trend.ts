// A trend across reports: one point per report (a workflow run, a week),
// for the dashboard's "over time" view when it is given several reports,
// e.g. those `gitwarden dashboard --from-artifacts` collects.

import type { Report } from './types.ts';

export interface TrendPoint {
  /** Where the report came from (a repository), when reports span several. */
  label: string | undefined;
  /** The end of the report's period, ms since the epoch. */
  until: number;
  /** Overall availability; null when the report had no attempt. */
  availability: number | null;
  agents: Record<string, number | null>;
  met: number;
  notMet: number;
  noEvidence: number;
}

export interface LabelledReport {
  report: Report;
  label?: string;
}

export function trendOf(items: LabelledReport[]): TrendPoint[] {
  return items
    .map(({ report, label }) => ({
      label,
      until: Date.parse(report.period.until),
      availability: report.sla.overall.availability,
      agents: Object.fromEntries(
        report.sla.agents.map((a) => [a.agent, a.availability]),
      ),
      met: report.compliance.totals.met,
      notMet: report.compliance.totals['not-met'],
      noEvidence: report.compliance.totals['no-evidence'],
    }))
    .sort((a, b) => a.until - b.until);
}

/** The report the dashboard shows in full: the one whose period ends last. */
export function latestReport(reports: Report[]): Report {
  return reports.reduce((latest, report) =>
    Date.parse(report.period.until) > Date.parse(latest.period.until)
      ? report
      : latest,
  );
}
