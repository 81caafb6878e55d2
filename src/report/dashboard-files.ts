// `gitwarden dashboard`: one dashboard from one or more report JSON files.
// The report whose period ends last is shown in full; with several, a
// trend across them is added.

import { writeFile } from 'node:fs/promises';

import { GitwardenError } from '../errors.ts';
import { renderDashboard } from './dashboard.ts';
import { readReport } from './read-report.ts';
import { latestReport, trendOf, type LabelledReport } from './trend.ts';
import type { Report } from './types.ts';

/** Reports may carry a label (their repository) for the trend. */
export async function dashboardFromReports(
  items: (Report | LabelledReport)[],
): Promise<string> {
  const labelled = items.map((item) =>
    'report' in item ? item : { report: item },
  );
  const reports = labelled.map((item) => item.report);
  if (reports.length === 0) {
    throw new GitwardenError('USAGE', 'no report to show', {
      hint: 'pass report JSON files made by `gitwarden report --format json`',
    });
  }
  return renderDashboard(latestReport(reports), { trend: trendOf(labelled) });
}

export async function writeDashboard(
  reportFiles: string[],
  output: string,
): Promise<string> {
  const reports: Report[] = [];
  for (const file of reportFiles) reports.push(await readReport(file));
  await writeFile(output, await dashboardFromReports(reports));
  return output;
}
