/// <reference lib="dom" />
// The dashboard's in-page script. It runs in the browser, not in Node:
// dashboard.ts inlines it with Function.prototype.toString, so it must
// stay self-contained (no imports used at run time, no outer variables).
// It draws the SLA charts with uPlot and filters the audit trail.

import type uPlot from 'uplot';

export interface PageData {
  target: number;
  /** One point per report when the dashboard shows several. */
  trend: {
    label: string | undefined;
    until: number;
    availability: number | null;
    agents: Record<string, number | null>;
  }[];
  starts: number[];
  agents: {
    agent: string;
    availability: (number | null)[];
    p95Ms: (number | null)[];
  }[];
}

export function dashboardPage(): void {
  const data = JSON.parse(
    document.getElementById('gitwarden-data')!.textContent!,
  ) as PageData;

  drawCharts();
  drawTrend();
  wireFilters();

  function drawCharts(): void {
    const Plot = (window as unknown as { uPlot?: typeof uPlot }).uPlot;
    if (!Plot || data.agents.length === 0) return;
    // Colours chosen for contrast on white and for telling lines apart.
    const colours = [
      '#1f5fa8',
      '#b3261e',
      '#2e7d32',
      '#7b1fa2',
      '#a15c00',
      '#00695c',
      '#5d4037',
      '#37474f',
    ];
    const xs = data.starts.map((ms) => ms / 1000);
    const series = (label: string, values: (number | null)[], i: number) => ({
      label,
      stroke: colours[i % colours.length],
      width: 2,
      spanGaps: false,
      points: { show: values.filter((v) => v !== null).length < 60 },
    });
    const draw = (
      id: string,
      yLabel: string,
      pick: (a: PageData['agents'][number]) => (number | null)[],
      scale: (v: number | null) => number | null,
      extra: uPlot.Series[] = [],
      extraData: (number | null)[][] = [],
    ) => {
      const host = document.getElementById(id);
      if (!host) return;
      const width = Math.max(320, host.clientWidth || 720);
      const opts: uPlot.Options = {
        width,
        height: 260,
        series: [
          {},
          ...data.agents.map((a, i) => series(a.agent, pick(a), i)),
          ...extra,
        ],
        axes: [{}, { label: yLabel, size: 70 }],
        scales: { x: { time: true } },
      };
      const values = [
        xs,
        ...data.agents.map((a) => pick(a).map(scale)),
        ...extraData,
      ] as uPlot.AlignedData;
      new Plot(opts, values, host);
    };
    const percent = (v: number | null) =>
      v === null ? null : Math.round(v * 100_000) / 1000;
    draw(
      'chart-availability',
      'availability %',
      (a) => a.availability,
      percent,
      [{ label: 'target', stroke: '#555', dash: [6, 4], width: 1 }],
      [xs.map(() => percent(data.target))],
    );
    draw(
      'chart-p95',
      'p95 response time, ms',
      (a) => a.p95Ms,
      (v) => v,
    );
  }

  function drawTrend(): void {
    const Plot = (window as unknown as { uPlot?: typeof uPlot }).uPlot;
    const host = document.getElementById('chart-trend');
    if (!Plot || !host || data.trend.length < 2) return;
    const names = Array.from(
      new Set(data.trend.flatMap((p) => Object.keys(p.agents))),
    ).sort();
    const colours = [
      '#37474f',
      '#1f5fa8',
      '#b3261e',
      '#2e7d32',
      '#7b1fa2',
      '#a15c00',
      '#00695c',
      '#5d4037',
    ];
    const pct = (v: number | null | undefined) =>
      v === null || v === undefined ? null : Math.round(v * 100_000) / 1000;
    // Reports from several repositories: one line per repository, joined
    // across the other repositories' points. Otherwise: overall and agents.
    const repos = Array.from(
      new Set(data.trend.map((p) => p.label).filter((l) => l !== undefined)),
    ).sort() as string[];
    const lines =
      repos.length > 1
        ? repos.map((repo) => ({
            label: repo,
            values: data.trend.map((p) =>
              p.label === repo ? pct(p.availability) : null,
            ),
          }))
        : [
            {
              label: 'all agents',
              values: data.trend.map((p) => pct(p.availability)),
            },
            ...names.map((name) => ({
              label: name,
              values: data.trend.map((p) => pct(p.agents[name])),
            })),
          ];
    const opts: uPlot.Options = {
      width: Math.max(320, host.clientWidth || 720),
      height: 260,
      series: [
        {},
        ...lines.map((line, i) => ({
          label: line.label,
          stroke: colours[i % colours.length],
          width: i === 0 && repos.length <= 1 ? 3 : 1.5,
          spanGaps: repos.length > 1,
        })),
      ],
      axes: [{}, { label: 'availability %', size: 70 }],
      scales: { x: { time: true } },
    };
    const values = [
      data.trend.map((p) => p.until / 1000),
      ...lines.map((line) => line.values),
    ] as uPlot.AlignedData;
    new Plot(opts, values, host);
  }

  function wireFilters(): void {
    const form = document.getElementById(
      'trail-filters',
    ) as HTMLFormElement | null;
    const status = document.getElementById('trail-status');
    if (!form || !status) return;
    const rows = Array.from(
      document.querySelectorAll<HTMLTableRowElement>('#trail-table tbody tr'),
    );
    const field = (name: string) =>
      (
        form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement
      ).value
        .trim()
        .toLowerCase();

    const apply = () => {
      const agent = field('agent');
      const action = field('action');
      const task = field('task');
      const identity = field('identity');
      const text = field('search');
      // datetime-local has no zone; the labels say the times are UTC.
      const from = field('from') ? Date.parse(`${field('from')}Z`) : -Infinity;
      const to = field('to') ? Date.parse(`${field('to')}Z`) : Infinity;
      let shown = 0;
      for (const row of rows) {
        const d = row.dataset;
        const low = (v: string | undefined) => (v ?? '').toLowerCase();
        const time = Date.parse(d.time ?? '');
        const ok =
          (!agent || low(d.agent) === agent) &&
          (!action || low(d.action) === action) &&
          (!task || low(d.task).includes(task)) &&
          (!identity || low(d.actor).includes(identity)) &&
          (!text || (row.textContent ?? '').toLowerCase().includes(text)) &&
          time >= from &&
          time <= to;
        row.hidden = !ok;
        if (ok) shown += 1;
      }
      status.textContent = `${shown} of ${rows.length} records shown`;
    };
    form.addEventListener('input', apply);
    form.addEventListener('change', apply);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      apply();
    });
    form.addEventListener('reset', () => setTimeout(apply, 0));
    apply();
  }
}
