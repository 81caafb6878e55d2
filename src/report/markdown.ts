// The report as Markdown: for a terminal, a pull request comment, or a
// GitHub job summary. Text from records (agents, tasks, reasons) is
// escaped, since a job summary renders HTML.

import type {
  AgentServiceLevel,
  ControlResult,
  Report,
  ServiceLevel,
} from './types.ts';

export interface MarkdownOptions {
  /** Audit-trail rows to show, newest last; default: all in the report. */
  trailRows?: number;
  /** Per-control evidence details (values, expectations, record ids). */
  evidence?: boolean;
  /** Agent rows in the SLA table; default: all. */
  agentRows?: number;
  /** A line closing the document, e.g. where the full report is. */
  footer?: string;
}

const STATUS = {
  met: '✅ met',
  'not-met': '❌ not met',
  'no-evidence': '⚪ no evidence',
};

export function renderMarkdown(
  report: Report,
  options: MarkdownOptions = {},
): string {
  const out: string[] = [];
  const { since, until } = report.period;
  out.push(
    `# gitwarden report`,
    '',
    `Period: ${since} to ${until} (generated ${report.generatedAt}).`,
    '',
  );

  if (report.warnings.length > 0) {
    for (const warning of report.warnings)
      out.push(`> **Warning:** ${cell(warning)}`, '>');
    out.pop();
    out.push('');
  }
  out.push(
    ...integrity(report),
    ...sla(report, options),
    ...compliance(report, options),
  );
  out.push(...trail(report, options.trailRows));
  if (options.footer) out.push('---', '', options.footer, '');
  return out.join('\n');
}

function integrity(report: Report): string[] {
  const { status, problems, checkpoint } = report.integrity;
  const word = {
    verified: '✅ verified',
    failed: '❌ FAILED',
    'not-verified': '⚪ not verified',
  }[status];
  const lines = ['## Ledger integrity', '', `Verification: ${word}.`];
  if (checkpoint)
    lines.push(
      `Checkpoint: size ${checkpoint.size}, root \`${checkpoint.root}\`.`,
    );
  for (const problem of problems.slice(0, 20)) lines.push(`- ${cell(problem)}`);
  if (problems.length > 20) lines.push(`- … and ${problems.length - 20} more`);
  const { records, inPeriod, skipped } = report.source;
  lines.push(
    '',
    `Records read: ${records}; in the period: ${inPeriod}; skipped: ${skipped}.`,
    '',
  );
  return lines;
}

function sla(report: Report, options: MarkdownOptions): string[] {
  const { sla } = report;
  const lines = [
    '## SLA',
    '',
    `Target ${percent(sla.target)} unless the policy sets one per agent; SLO window ${sla.window}. ` +
      `Percentiles from a ${sla.sketch.algorithm} sketch: each within ±${percent(sla.sketch.relativeAccuracy)} (relative) of the true value.`,
    '',
    '| agent | attempts | availability | target | p50 | p95 | p99 | budget left | alert |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    row('**all agents**', sla.overall),
  ];
  const shown = sla.agents.slice(0, options.agentRows ?? sla.agents.length);
  for (const agent of shown) lines.push(row(agentName(agent), agent));
  if (shown.length < sla.agents.length) {
    lines.push(
      `| … ${sla.agents.length - shown.length} more agents in the full report | | | | | | | | |`,
    );
  }
  const firing = [sla.overall, ...sla.agents].flatMap((level) =>
    level.burnRate
      .filter((w) => w.firing)
      .map(
        (w) =>
          `- **${w.severity}**: ${'agent' in level ? cell(String(level.agent)) : 'all agents'} burn ${w.longBurnRate}× over ${w.long} and ${w.shortBurnRate}× over ${w.short} (threshold ${w.factor}×)`,
      ),
  );
  if (firing.length > 0)
    lines.push('', 'Burn-rate alerts firing:', '', ...firing.slice(0, 50));
  lines.push(
    '',
    `<details><summary>What is counted</summary>\n\n- Attempt: ${cell(sla.definitions.attempt)}\n- Success: ${cell(sla.definitions.success)}\n- Response time: ${cell(sla.definitions.responseTime)}\n\n</details>`,
    '',
  );
  return lines;
}

function agentName(agent: AgentServiceLevel): string {
  return agent.known
    ? cell(agent.agent)
    : `${cell(agent.agent)} (not in policy)`;
}

function row(name: string, level: ServiceLevel): string {
  if (level.state === 'no-data') {
    return `| ${name} | 0 | no data | ${percent(level.target)} | – | – | – | – | ${level.alert} |`;
  }
  const rt = level.responseTimeMs!;
  const budget = level.errorBudget!;
  return `| ${name} | ${level.attempts} | ${percent(level.availability!)} | ${percent(level.target)} | ${ms(rt.p50)} | ${ms(rt.p95)} | ${ms(rt.p99)} | ${percent(budget.remaining)} | ${level.alert} |`;
}

function compliance(report: Report, options: MarkdownOptions): string[] {
  const { totals, controls } = report.compliance;
  const lines = [
    '## Compliance',
    '',
    `${totals.met} met, ${totals['not-met']} not met, ${totals['no-evidence']} without evidence. ` +
      'Summaries are gitwarden’s own one-line readings of each criterion, not the published text.',
    '',
    '| control | framework | what it asks | status |',
    '| --- | --- | --- | --- |',
    ...controls.map(
      (c) =>
        `| ${cell(c.id)} | ${cell(c.framework)} | ${cell(c.summary)} | ${STATUS[c.status]} |`,
    ),
    '',
  ];
  if (options.evidence !== false) {
    lines.push('<details><summary>Evidence per control</summary>', '');
    for (const control of controls) lines.push(...evidence(control));
    lines.push('</details>', '');
  }
  return lines;
}

function evidence(control: ControlResult): string[] {
  const lines = [`**${cell(control.id)}** (${STATUS[control.status]})`, ''];
  for (const e of control.evidence) {
    const value = e.value === null ? 'no data' : String(e.value);
    const proof =
      e.records.length === 0
        ? ''
        : `; records: ${e.records.map((id) => `\`${cell(id)}\``).join(', ')}${e.recordsTotal > e.records.length ? ` (${e.recordsTotal} in all)` : ''}`;
    lines.push(
      `- ${e.result}: ${cell(e.description)} = ${value} (expected ${e.expectation})${proof}`,
    );
  }
  lines.push('');
  return lines;
}

function trail(report: Report, rows?: number): string[] {
  const { entries, total } = report.auditTrail;
  const shown =
    rows === undefined
      ? entries
      : entries.slice(Math.max(0, entries.length - rows));
  const lines = [
    '## Audit trail',
    '',
    `The latest ${shown.length} of ${total} records in the period.`,
    '',
  ];
  if (shown.length === 0) return lines;
  lines.push(
    '| time | agent | task | actor | action | outcome | detail | record |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const e of shown) {
    lines.push(
      `| ${e.time} | ${cell(e.agent ?? '')} | ${cell(e.task ?? '')} | ${cell(e.actor ?? '')} | ${cell(e.action)} | ${cell(e.outcome)} | ${cell(e.detail)} | \`${cell(e.id)}\` |`,
    );
  }
  lines.push('');
  return lines;
}

/** Makes record text safe inside a table cell of GitHub-flavoured Markdown. */
export function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/`/g, "'")
    .replace(/[\r\n]+/g, ' ');
}

function percent(ratio: number): string {
  return `${(Math.round(ratio * 100_000) / 1000).toString()}%`;
}

function ms(value: number): string {
  return value >= 1000
    ? `${(value / 1000).toFixed(2)} s`
    : `${Math.round(value)} ms`;
}
