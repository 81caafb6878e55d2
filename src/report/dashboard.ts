// The dashboard: one HTML file that needs no server and no network. The
// tables are rendered here, so the page reads even with scripts off; the
// in-page script (dashboard-page.ts) and uPlot, read from its npm package
// and inlined, add the charts and the audit-trail filters. A content
// security policy forbids every fetch, so nothing can leak from the page.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

import { dashboardPage, type PageData } from './dashboard-page.ts';
import type { TrendPoint } from './trend.ts';
import type {
  AgentServiceLevel,
  ControlResult,
  Report,
  ServiceLevel,
  TrailEntry,
} from './types.ts';

const require = createRequire(import.meta.url);

let uplotAssets: Promise<{ js: string; css: string }> | undefined;

/** uPlot's own minified bundle and stylesheet, from node_modules. */
function loadUplot(): Promise<{ js: string; css: string }> {
  uplotAssets ??= Promise.all([
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  ]).then(([js, css]) => ({ js, css }));
  return uplotAssets;
}

export interface DashboardOptions {
  /** One point per report, oldest first; shown when there are two or more. */
  trend?: TrendPoint[];
}

export async function renderDashboard(
  report: Report,
  options: DashboardOptions = {},
): Promise<string> {
  const uplot = await loadUplot();
  const trendPoints = options.trend ?? [];
  const data: PageData = {
    target: report.sla.target,
    trend: trendPoints.map(({ label, until, availability, agents }) => ({
      label,
      until,
      availability,
      agents,
    })),
    starts: report.sla.series.starts,
    agents: report.sla.series.agents.map(({ agent, availability, p95Ms }) => ({
      agent,
      availability,
      p95Ms,
    })),
  };
  const { since, until } = report.period;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>gitwarden dashboard, ${esc(since)} to ${esc(until)}</title>
<style>${uplot.css}
${STYLE}</style>
</head>
<body>
<nav aria-label="Sections"><ul>
<li><a href="#sla">SLA</a></li>
<li><a href="#compliance">Compliance</a></li>
<li><a href="#trail">Audit trail</a></li>
</ul></nav>
<main>
<h1>gitwarden dashboard</h1>
<p>Period ${esc(since)} to ${esc(until)}; generated ${esc(report.generatedAt)} from ${esc(report.source.ledger)}.</p>
${warnings(report)}
${integrity(report)}
${sla(report)}
${trend(trendPoints)}
${compliance(report)}
${trail(report)}
</main>
<script type="application/json" id="gitwarden-data">${jsonForScript(data)}</script>
<script>${scriptSafe(uplot.js)}</script>
<script>(${scriptSafe(dashboardPage.toString())})();</script>
</body>
</html>
`;
}

function warnings(report: Report): string {
  if (report.warnings.length === 0) return '';
  const items = report.warnings.map((w) => `<li>${esc(w)}</li>`).join('\n');
  return `<section class="warnings" aria-labelledby="warnings-title"><h2 id="warnings-title">Read first</h2><ul>${items}</ul></section>`;
}

function integrity(report: Report): string {
  const { status, problems, checkpoint } = report.integrity;
  const word = {
    verified: 'verified',
    failed: 'FAILED verification',
    'not-verified': 'not verified',
  }[status];
  const cp = checkpoint
    ? ` Checkpoint: size ${checkpoint.size}, root <code>${esc(checkpoint.root)}</code>.`
    : '';
  const list = problems.length
    ? `<ul>${problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`
    : '';
  const { records, inPeriod, skipped } = report.source;
  return `<section aria-labelledby="integrity-title"><h2 id="integrity-title">Ledger integrity</h2>
<p class="status-${status}">The ledger is <strong>${word}</strong>.${cp}</p>${list}
<p>Records read: ${records}; in the period: ${inPeriod}; skipped: ${skipped}.</p></section>`;
}

function sla(report: Report): string {
  const { sla } = report;
  const rows = [
    row('All agents', sla.overall),
    ...sla.agents.map((a) => row(agentLabel(a), a)),
  ].join('\n');
  return `<section id="sla" aria-labelledby="sla-title" tabindex="-1"><h2 id="sla-title">SLA</h2>
<p>Target ${pct(sla.target)} unless the policy sets one per agent; SLO window ${esc(sla.window)}. Percentiles from a ${esc(sla.sketch.algorithm)} sketch, each within ±${pct(sla.sketch.relativeAccuracy)} (relative) of the true value. An attempt: ${esc(sla.definitions.attempt)}</p>
<table><caption>Service level per agent</caption>
<thead><tr><th scope="col">Agent</th><th scope="col">Attempts</th><th scope="col">Availability</th><th scope="col">Target</th><th scope="col">p50</th><th scope="col">p95</th><th scope="col">p99</th><th scope="col">Budget left</th><th scope="col">Alert</th></tr></thead>
<tbody>${rows}</tbody></table>
<figure><figcaption id="chart-availability-title">Availability over time, per agent (buckets of ${Math.round(sla.series.bucketMs / 60_000)} min)</figcaption>
<div id="chart-availability" class="chart" role="img" aria-labelledby="chart-availability-title"></div></figure>
<figure><figcaption id="chart-p95-title">p95 response time over time, per agent</figcaption>
<div id="chart-p95" class="chart" role="img" aria-labelledby="chart-p95-title"></div></figure>
</section>`;
}

function trend(points: TrendPoint[]): string {
  if (points.length < 2) return '';
  const labelled = points.some((p) => p.label !== undefined);
  const rows = [...points]
    .reverse()
    .map((p) => {
      const label = labelled ? `<td>${esc(p.label ?? '')}</td>` : '';
      const availability =
        p.availability === null ? 'no data' : pct(p.availability);
      return `<tr><th scope="row">${esc(new Date(p.until).toISOString())}</th>${label}<td>${availability}</td><td>${p.met}</td><td>${p.notMet}</td><td>${p.noEvidence}</td></tr>`;
    })
    .join('\n');
  const repoHead = labelled ? '<th scope="col">Repository</th>' : '';
  const what = labelled ? 'per repository' : 'overall and per agent';
  return `<section id="trend" aria-labelledby="trend-title" tabindex="-1"><h2 id="trend-title">Trend across ${points.length} reports</h2>
<figure><figcaption id="chart-trend-title">Availability per report, ${what}</figcaption>
<div id="chart-trend" class="chart" role="img" aria-labelledby="chart-trend-title"></div></figure>
<table id="trend-table"><caption>Each report, newest first</caption>
<thead><tr><th scope="col">Period end</th>${repoHead}<th scope="col">Availability</th><th scope="col">Controls met</th><th scope="col">Not met</th><th scope="col">No evidence</th></tr></thead>
<tbody>${rows}</tbody></table></section>`;
}

function agentLabel(agent: AgentServiceLevel): string {
  return agent.known
    ? esc(agent.agent)
    : `${esc(agent.agent)} <em>(not in policy)</em>`;
}

function row(name: string, level: ServiceLevel): string {
  const head = `<tr><th scope="row">${name}</th>`;
  if (level.state === 'no-data') {
    return `${head}<td>0</td><td>no data</td><td>${pct(level.target)}</td><td>–</td><td>–</td><td>–</td><td>–</td><td>${level.alert}</td></tr>`;
  }
  const rt = level.responseTimeMs!;
  return `${head}<td>${level.attempts}</td><td>${pct(level.availability!)}</td><td>${pct(level.target)}</td><td>${ms(rt.p50)}</td><td>${ms(rt.p95)}</td><td>${ms(rt.p99)}</td><td>${pct(level.errorBudget!.remaining)}</td><td class="alert-${level.alert}">${level.alert}</td></tr>`;
}

function compliance(report: Report): string {
  const { totals, controls } = report.compliance;
  return `<section id="compliance" aria-labelledby="compliance-title" tabindex="-1"><h2 id="compliance-title">Compliance</h2>
<p>${totals.met} met, ${totals['not-met']} not met, ${totals['no-evidence']} without evidence. Summaries are gitwarden’s own one-line readings of each criterion, not the published text.</p>
<table id="compliance-table"><caption>Controls and their evidence</caption>
<thead><tr><th scope="col">Control</th><th scope="col">Framework</th><th scope="col">What it asks</th><th scope="col">Status</th><th scope="col">Evidence</th></tr></thead>
<tbody>${controls.map(control).join('\n')}</tbody></table></section>`;
}

function control(c: ControlResult): string {
  const items = c.evidence
    .map((e) => {
      const value = e.value === null ? 'no data' : String(e.value);
      const ids = e.records.map((id) => `<code>${esc(id)}</code>`).join(' ');
      const more =
        e.recordsTotal > e.records.length ? ` (${e.recordsTotal} in all)` : '';
      return `<li>${e.result}: ${esc(e.description)} = ${esc(value)} (expected ${esc(e.expectation)})${ids ? `; records ${ids}${more}` : ''}</li>`;
    })
    .join('');
  const label = {
    met: 'met',
    'not-met': 'not met',
    'no-evidence': 'no evidence',
  }[c.status];
  return `<tr><th scope="row">${esc(c.id)}</th><td>${esc(c.framework)}</td><td>${esc(c.summary)}</td><td class="control-${c.status}">${label}</td><td><ul>${items}</ul></td></tr>`;
}

function trail(report: Report): string {
  const { entries, total, truncated } = report.auditTrail;
  const options = (values: (string | null)[]) =>
    [...new Set(values.filter((v): v is string => !!v))]
      .sort()
      .map((v) => `<option value="${esc(v)}">${esc(v)}</option>`)
      .join('');
  const note = truncated
    ? ` The latest ${entries.length} of ${total} records in the period; the ledger holds them all.`
    : '';
  return `<section id="trail" aria-labelledby="trail-title" tabindex="-1"><h2 id="trail-title">Audit trail</h2>
<p>Filter by agent, task, identity, action and time (UTC).${note}</p>
<form id="trail-filters" role="search" aria-label="Filter the audit trail">
${field('agent', 'Agent', `<select id="f-agent" name="agent"><option value="">any</option>${options(entries.map((e) => e.agent))}</select>`)}
${field('action', 'Action', `<select id="f-action" name="action"><option value="">any</option>${options(entries.map((e) => e.action))}</select>`)}
${field('task', 'Task', '<input id="f-task" name="task" type="text" autocomplete="off">')}
${field('identity', 'Identity', '<input id="f-identity" name="identity" type="text" autocomplete="off">')}
${field('from', 'From (UTC)', '<input id="f-from" name="from" type="datetime-local" step="1">')}
${field('to', 'To (UTC)', '<input id="f-to" name="to" type="datetime-local" step="1">')}
${field('search', 'Search', '<input id="f-search" name="search" type="search" autocomplete="off">')}
<button type="reset">Clear filters</button>
</form>
<p id="trail-status" role="status" aria-live="polite">${entries.length} of ${entries.length} records shown</p>
<table id="trail-table"><caption>Audit trail records</caption>
<thead><tr><th scope="col">Time (UTC)</th><th scope="col">Agent</th><th scope="col">Task</th><th scope="col">Identity</th><th scope="col">Action</th><th scope="col">Outcome</th><th scope="col">Detail</th><th scope="col">Record</th></tr></thead>
<tbody>${entries.map(trailRow).join('\n')}</tbody></table></section>`;
}

/** A labelled form control; the label names it by id for assistive tech. */
function field(name: string, label: string, control: string): string {
  return `<div class="field"><label for="f-${name}">${label}</label>${control}</div>`;
}

function trailRow(e: TrailEntry): string {
  const data = `data-time="${esc(e.time)}" data-agent="${esc(e.agent ?? '')}" data-task="${esc(e.task ?? '')}" data-actor="${esc(e.actor ?? '')}" data-action="${esc(e.action)}"`;
  return `<tr ${data}><td>${esc(e.time.replace('T', ' ').replace('.000Z', 'Z'))}</td><td>${esc(e.agent ?? '')}</td><td>${esc(e.task ?? '')}</td><td>${esc(e.actor ?? '')}</td><td>${esc(e.action)}</td><td>${esc(e.outcome)}</td><td>${esc(e.detail)}</td><td><code>${esc(e.id)}</code></td></tr>`;
}

/** Escapes text for HTML content and double-quoted attributes. */
export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON that cannot close its <script> element or open a comment. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
}

/** Script text that cannot end its <script> element early. */
function scriptSafe(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function pct(ratio: number): string {
  return `${Math.round(ratio * 100_000) / 1000}%`;
}

function ms(value: number): string {
  return value >= 1000
    ? `${(value / 1000).toFixed(2)} s`
    : `${Math.round(value)} ms`;
}

const STYLE = `
:root { color-scheme: light; font-family: system-ui, sans-serif; color: #1b1b1b; background: #fff; }
body { margin: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
nav ul { display: flex; gap: 1.5rem; margin: 0; padding: .75rem 1.5rem; list-style: none; background: #f2f4f7; }
a { color: #0b4fa0; }
a:focus, button:focus, input:focus, select:focus, section:focus { outline: 3px solid #0b4fa0; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #c9ced6; padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f2f4f7; }
code { font-size: .85em; }
.warnings { border: 2px solid #a15c00; background: #fff8e6; padding: .25rem 1rem; margin: 1rem 0; }
.status-failed, .control-not-met, .alert-page { color: #a1170f; font-weight: 600; }
.alert-ticket { color: #7a4300; font-weight: 600; }
.control-met { color: #1e5e22; font-weight: 600; }
.control-no-evidence { color: #4a4f57; }
form { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: end; margin: .5rem 0; }
.field { display: flex; flex-direction: column; gap: .2rem; }
label { font-size: .85rem; }
input, select, button { font: inherit; padding: .3rem .4rem; }
figure { margin: 1rem 0; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
.chart { min-height: 260px; }
tr[hidden] { display: none; }
`;
