// The Markdown for a GitHub job summary. GitHub refuses a step summary
// over 1 MiB, so a report that would not fit is shortened, in this order,
// until it does: fewer audit-trail rows, no per-control evidence, fewer
// agent rows, and at last a cut at a line. The shortened summary always
// ends with a pointer to the full report; it is never dropped.

import { renderMarkdown, type MarkdownOptions } from './markdown.ts';
import type { Report } from './types.ts';

/** GitHub's limit for one step's summary. */
export const JOB_SUMMARY_LIMIT = 1024 * 1024;

export interface SummaryOptions {
  /** Bytes available; less than the limit when the step wrote some already. */
  limitBytes?: number;
  /** Where the full report is, e.g. the artifact's name or URL. */
  fullReport: string;
}

export interface JobSummary {
  markdown: string;
  shortened: boolean;
}

export function jobSummary(
  report: Report,
  options: SummaryOptions,
): JobSummary {
  const limit = options.limitBytes ?? JOB_SUMMARY_LIMIT;
  const full = renderMarkdown(report, {
    footer: `Full report: ${options.fullReport}.`,
  });
  if (bytes(full) <= limit) return { markdown: full, shortened: false };

  const footer =
    `**Shortened to fit GitHub’s ${Math.floor(limit / 1024)} KiB job summary limit.** ` +
    `The full report (every agent, the evidence per control and the audit trail) is in ${options.fullReport}.`;
  const fits = (o: MarkdownOptions) =>
    bytes(renderMarkdown(report, { ...o, footer })) <= limit;
  const trailMax = report.auditTrail.entries.length;
  const agentMax = report.sla.agents.length;

  let choice: MarkdownOptions | undefined;
  if (fits({ trailRows: 0 })) {
    choice = { trailRows: largest(trailMax, (n) => fits({ trailRows: n })) };
  } else if (fits({ trailRows: 0, evidence: false })) {
    choice = { trailRows: 0, evidence: false };
  } else if (fits({ trailRows: 0, evidence: false, agentRows: 0 })) {
    const base = { trailRows: 0, evidence: false };
    choice = {
      ...base,
      agentRows: largest(agentMax, (n) => fits({ ...base, agentRows: n })),
    };
  }
  if (choice)
    return {
      markdown: renderMarkdown(report, { ...choice, footer }),
      shortened: true,
    };
  return {
    markdown: cut(
      renderMarkdown(report, { trailRows: 0, evidence: false, agentRows: 0 }),
      footer,
      limit,
    ),
    shortened: true,
  };
}

/** The largest n in [0, max] for which ok(n) holds, given ok(0) does. */
function largest(max: number, ok: (n: number) => boolean): number {
  let low = 0;
  let high = max;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (ok(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Cuts at the last whole line that leaves room for the footer. */
function cut(markdown: string, footer: string, limit: number): string {
  const tail = `\n\n---\n\n${footer}\n`;
  const room = limit - bytes(tail);
  const head = Buffer.from(markdown)
    .subarray(0, Math.max(0, room))
    .toString('utf8');
  // A multi-byte character split by the cut decodes as U+FFFD: drop it
  // along with the partial line.
  const end = head.lastIndexOf('\n');
  return head.slice(0, Math.max(0, end)) + tail;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
