import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildReportFromEvents } from '../src/report/build.ts';
import { loadControls } from '../src/report/controls.ts';
import { renderDashboard } from '../src/report/dashboard.ts';
import { dashboardFromReports } from '../src/report/dashboard-files.ts';
import type { Report } from '../src/report/types.ts';
import { eventFromPredicate } from '../src/report/records.ts';
import type { ReportEvent } from '../src/report/events.ts';
import { launchChromium, RESULTS_DIR } from './helpers/browser.ts';
import { cleanupTempDirs, runCli, tempDir } from './helpers/repo.ts';
import {
  decision,
  operation,
  protectionCheck,
  secretFinding,
  writeLedger,
  type Predicate,
} from './helpers/report-records.ts';

const HOUR = 3_600_000;
const UNTIL = Date.parse('2026-03-01T00:00:00Z');
const T0 = UNTIL - 72 * HOUR;

/** A small, known audit trail: each row's id says what it is. */
function records(): Predicate[] {
  return [
    operation({
      id: 'op-coder-1',
      agent: 'coder',
      task: 'GW-1',
      actor: 'alice',
      end: T0,
      durationMs: 900,
    }),
    operation({
      id: 'op-coder-2',
      agent: 'coder',
      task: 'GW-2',
      actor: 'bob',
      end: T0 + HOUR,
      durationMs: 1200,
      outcome: 'failure',
    }),
    operation({
      id: 'op-reviewer-1',
      agent: 'reviewer',
      task: 'GW-2',
      actor: 'bob',
      end: T0 + 2 * HOUR,
      durationMs: 300,
    }),
    decision({
      id: 'dec-push-deny',
      time: T0 + 3 * HOUR,
      action: 'push',
      decision: 'deny',
      actor: 'mallory',
      agent: 'coder',
      task: 'GW-3',
      why: 'not allowed <b>here</b>',
    }),
    decision({
      id: 'dec-commit-ok',
      time: T0 + 30 * HOUR,
      action: 'commit',
      check: 'trailers',
      decision: 'allow',
      actor: 'alice',
      agent: 'reviewer',
      task: 'GW-1',
    }),
    secretFinding({ id: 'sec-1', time: T0 + 40 * HOUR, resolution: 'revoked' }),
    protectionCheck({ id: 'prot-1', time: T0 + 50 * HOUR, matches: true }),
    ...Array.from({ length: 40 }, (_, i) =>
      operation({
        id: `op-bulk-${i}`,
        agent: i % 2 ? 'coder' : 'reviewer',
        task: 'GW-9',
        actor: 'ci-bot',
        end: T0 + 60 * HOUR + i * 60_000,
        durationMs: 100 + 10 * i,
      }),
    ),
  ];
}

let context: BrowserContext;
let page: Page;
let dashboardFile: string;
let report: Report;

beforeAll(async () => {
  const events = records().map((r) => {
    const parsed = eventFromPredicate(r);
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.event;
  }) as ReportEvent[];
  report = buildReportFromEvents(events, {
    policy: { agents: { coder: {}, reviewer: {} } },
    period: { since: UNTIL - 7 * 24 * HOUR, until: UNTIL },
    integrity: {
      status: 'verified',
      problems: [],
      checkpoint: { size: 47, root: 'ab'.repeat(32) },
      anchored: true,
    },
    controls: await loadControls(),
    ledger: 'test ledger',
    now: UNTIL,
  });
  dashboardFile = join(tempDir(), 'dashboard.html');
  writeFileSync(dashboardFile, await renderDashboard(report));
  context = await launchChromium();
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  cleanupTempDirs();
});

/** Opens a file from disk, failing on any request that leaves the file. */
async function open(
  file: string,
): Promise<{ errors: string[]; requests: string[] }> {
  const errors: string[] = [];
  const requests: string[] = [];
  page.removeAllListeners('pageerror');
  page.removeAllListeners('request');
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForLoadState('load');
  return { errors, requests };
}

const visibleIds = (p: Page) =>
  p.$$eval('#trail-table tbody tr:not([hidden]) td:last-child code', (cells) =>
    cells.map((c) => c.textContent),
  );

describe('the dashboard in a real browser', () => {
  it('opens from disk with no network, draws the charts and the tables', async () => {
    const { errors, requests } = await open(dashboardFile);
    expect(errors).toEqual([]);
    expect(
      requests.every(
        (url) => url.startsWith('file:') || url.startsWith('data:'),
      ),
    ).toBe(true);
    expect(await page.locator('.uplot').count()).toBe(2);
    expect(await page.locator('#chart-availability canvas').count()).toBe(1);
    expect(await page.locator('#compliance-table tbody tr').count()).toBe(13);
    expect(await page.locator('#trail-table tbody tr').count()).toBe(47);
    // Record text is shown as text, never as markup.
    expect(await page.locator('#trail-table b').count()).toBe(0);
    await page.screenshot({
      path: join(RESULTS_DIR, 'dashboard.png'),
      fullPage: true,
    });
  });

  it('filters the audit trail by agent, identity, action, task and time', async () => {
    await open(dashboardFile);
    await page.getByLabel('Agent', { exact: true }).selectOption('coder');
    await page.getByLabel('Identity', { exact: true }).fill('bob');
    expect(await visibleIds(page)).toEqual(['op-coder-2']);

    await page.getByLabel('Identity', { exact: true }).fill('');
    await page.getByLabel('Action', { exact: true }).selectOption('push');
    expect(await visibleIds(page)).toEqual(['dec-push-deny']);
    await expect
      .poll(() => page.locator('#trail-status').textContent())
      .toBe('1 of 47 records shown');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Task', { exact: true }).fill('gw-2');
    expect(await visibleIds(page)).toEqual(['op-coder-2', 'op-reviewer-1']);

    await page.getByLabel('Task', { exact: true }).fill('');
    await page
      .getByLabel('From (UTC)', { exact: true })
      .fill(new Date(T0 + 25 * HOUR).toISOString().slice(0, 19));
    await page
      .getByLabel('To (UTC)', { exact: true })
      .fill(new Date(T0 + 55 * HOUR).toISOString().slice(0, 19));
    expect(await visibleIds(page)).toEqual([
      'dec-commit-ok',
      'sec-1',
      'prot-1',
    ]);

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Search', { exact: true }).fill('revoked');
    expect(await visibleIds(page)).toEqual(['sec-1']);
    await page.screenshot({
      path: join(RESULTS_DIR, 'dashboard-filtered.png'),
    });
  });

  it('works from the keyboard, and every control has a label', async () => {
    await open(dashboardFile);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'SLA',
    );
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Audit trail',
    );
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#trail');

    // From the section, Tab reaches the filters in order; typing filters.
    const names: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      await page.keyboard.press('Tab');
      names.push(
        await page.evaluate(
          () => (document.activeElement as HTMLInputElement).name,
        ),
      );
    }
    expect(names).toEqual(['agent', 'action', 'task']);
    await page.keyboard.type('GW-3');
    expect(await visibleIds(page)).toEqual(['dec-push-deny']);

    const unlabelled = await page.$$eval('input, select, button', (els) =>
      els
        .filter(
          (el) =>
            !(el as HTMLInputElement).labels?.length && !el.textContent?.trim(),
        )
        .map((el) => el.outerHTML),
    );
    expect(unlabelled).toEqual([]);
  });

  it('has no serious or critical accessibility violation (axe-core)', async () => {
    await open(dashboardFile);
    expect(await seriousViolations()).toEqual([]);
  });

  it('draws a trend across several reports, accessibly', async () => {
    const older = structuredClone(report);
    older.period = {
      since: '2026-02-15T00:00:00.000Z',
      until: '2026-02-22T00:00:00.000Z',
    };
    older.sla.overall.availability = 0.95;
    const file = join(tempDir(), 'trend.html');
    writeFileSync(file, await dashboardFromReports([report, older]));
    const { errors } = await open(file);
    expect(errors).toEqual([]);
    expect(await page.locator('#chart-trend .uplot').count()).toBe(1);
    expect(await page.locator('#trend-table tbody tr').count()).toBe(2);
    expect(await seriousViolations()).toEqual([]);
    await page
      .locator('#trend')
      .screenshot({ path: join(RESULTS_DIR, 'dashboard-trend.png') });
  });

  it('draws one trend line per repository for reports from several', async () => {
    const other = structuredClone(report);
    other.period = {
      since: '2026-02-15T00:00:00.000Z',
      until: '2026-02-22T00:00:00.000Z',
    };
    const file = join(tempDir(), 'org.html');
    writeFileSync(
      file,
      await dashboardFromReports([
        { report, label: 'acme/api' },
        { report: other, label: 'acme/web' },
      ]),
    );
    const { errors } = await open(file);
    expect(errors).toEqual([]);
    const legend = await page.locator('#chart-trend .u-legend').textContent();
    expect(legend).toContain('acme/api');
    expect(legend).toContain('acme/web');
    expect(
      await page
        .locator('#trend-table tbody tr td:first-of-type')
        .allTextContents(),
    ).toEqual(['acme/api', 'acme/web']);
  });

  async function seriousViolations() {
    const axeSource = readFileSync(
      createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
      'utf8',
    );
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (ctx: Document) => Promise<{
              violations: { id: string; impact: string; nodes: unknown[] }[];
            }>;
          };
        }
      ).axe;
      const result = await axe.run(document);
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.length,
      }));
    });
    return violations.filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
  }

  it('works the same when the built command writes it', async () => {
    const dir = tempDir();
    const ledger = join(dir, 'ledger.jsonl');
    await writeLedger(ledger, records());
    const out = join(dir, 'cli-dashboard.html');
    const result = runCli(
      [
        'report',
        '--ledger',
        ledger,
        '--until',
        '2026-03-01',
        '--since',
        '2026-02-22',
        '--format',
        'html',
        '--output',
        out,
      ],
      { cwd: dir },
    );
    expect(result.stderr).not.toMatch(/internal error/);
    const { errors } = await open(out);
    expect(errors).toEqual([]);
    expect(await page.locator('.uplot').count()).toBe(2);
    await page.getByLabel('Agent', { exact: true }).selectOption('reviewer');
    expect((await visibleIds(page)).length).toBe(22);
  });
});
