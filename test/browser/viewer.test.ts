/**
 * The viewer and the run index in a real browser (headless Chromium): pages
 * written by writeReports for real failures of the scenario library, a
 * hostile trace, a damaged page, and a 10,000-step trace. Screenshots go to
 * a temporary folder, named in the output.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Failure, Trace } from '../../src/index.ts';
import { renderTraceHtml, runSummary, summarize, writeReports, writeSummary, type ScenarioSummary } from '../../src/report/index.ts';
import { libraryFailure } from '../fixtures/report/library.ts';
import { failureOf, HOSTILE, hostileTrace, syntheticTrace } from '../fixtures/report/traces.ts';
import { launch, watchErrors, type Browser } from './chromium.ts';
import { explore } from 'interleave';
import { syncLoop } from '../fixtures/hang/scenarios.ts';

let browser: Browser | undefined;
/** Why Chromium could not start: every test fails with it (counted as failures, not skipped). */
let launchError: unknown;
let dir: string;
let shots: string;
const viewers = new Map<string, { failure: Failure; html: string }>();
const summaries: ScenarioSummary[] = [];

/** Real failures: a runtime-world monitor, semaphores, a plain-promise queue (producerConsumer), and a defineScenario without a buffer. */
const LIBRARY = ['monitor-check-then-wait', 'semaphore-wrong-order', 'promise-queue-single-waiter', 'limiter-check-then-act'];

beforeAll(async () => {
  try {
    browser = await launch();
  } catch (error) {
    launchError = error;
  }
  dir = await mkdtemp(join(tmpdir(), 'interleave-browser-'));
  shots = await mkdtemp(join(tmpdir(), 'interleave-screenshots-'));
  console.log(`browser suite: screenshots in ${shots}`);
  for (const name of LIBRARY) {
    const { scenario, failure, file } = await libraryFailure(name);
    const written = await writeReports(dir, scenario.name, failure, file);
    viewers.set(name, { failure, html: written.html });
    const { dir: _, ...reports } = written;
    summaries.push(summarize(scenario, { ok: false, failure, executions: 1, steps: failure.trace.steps.length, elapsedMs: 1, seed: 1, exhausted: false, strategy: 'portfolio' }, { file, reports }));
  }
  summaries.push(summarize({ name: 'a passing scenario', expected: 'ok' }, { ok: true, executions: 100, steps: 1000, elapsedMs: 5, seed: 1, exhausted: false, strategy: 'random' }));
  await writeSummary(dir, runSummary(summaries));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function newPage(): Promise<Page> {
  if (browser === undefined) throw launchError;
  return browser.context.newPage();
}

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await newPage();
  const errors = watchErrors(page);
  await page.goto(pathToFileURL(path).href);
  return { page, errors };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

/** What every working viewer shows: a lane per thread, the failing step highlighted, selected and in view, its state beside it. */
async function expectViewer(page: Page, trace: Trace, step: number, timeout = 10_000): Promise<void> {
  await page.waitForSelector('body[data-ready="true"]', { timeout });
  const lanes = await page.$$eval('.labels .label:not(.head) .name', (names) => names.map((n) => n.textContent));
  expect(lanes.slice(0, trace.threads.length)).toEqual(trace.threads);
  const failing = page.locator('.step.failing');
  await expect.poll(() => failing.count()).toBe(1);
  expect(await failing.getAttribute('class')).toContain('selected');
  expect(await failing.locator('.head .index').textContent()).toMatch(new RegExp(`^(⇄ )?${step}$`));
  const box = (await failing.boundingBox())!;
  const area = (await page.locator('#lanes').boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(area.x);
  expect(box.x + box.width).toBeLessThanOrEqual(area.x + area.width + 1);
  expect(await page.locator('#state h2').textContent()).toBe(`Step ${step} of ${trace.steps.length}`);
}

describe('the trace viewer, on real failures', () => {
  it.each(LIBRARY)('%s: lanes, the failing step highlighted and scrolled to, its state; no console errors', async (name) => {
    const { failure, html } = viewers.get(name)!;
    const { page, errors } = await open(html);
    await expectViewer(page, failure.trace, failure.step);
    expect(await page.locator('.kind-badge').first().textContent()).toBe(failure.kind);
    expect(await page.locator('#replay-command').textContent()).toBe(`npx interleave replay scenarios/${name}.ts ${failure.replay}`);
    const blocked = failure.trace.outcome.blocked ?? [];
    if (blocked.length > 0) expect(await page.locator('.cell.status-blocked, .cell.status-parked').count()).toBeGreaterThan(0);
    await shot(page, name);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('ArrowLeft and ArrowRight move the selected step, and the state panel follows; a click selects a step', async () => {
    const { failure, html } = viewers.get('monitor-check-then-wait')!;
    const { page, errors } = await open(html);
    await expectViewer(page, failure.trace, failure.step);
    const state = page.locator('#state');
    const atFailure = await state.textContent();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await page.getAttribute('body', 'data-step')).toBe(String(failure.step - 2));
    expect(await page.locator('.step.selected .head .index').textContent()).toMatch(new RegExp(`^(⇄ )?${failure.step - 2}$`));
    expect(await page.locator('#state h2').textContent()).toBe(`Step ${failure.step - 2} of ${failure.trace.steps.length}`);
    expect(await state.textContent()).not.toBe(atFailure);
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('body', 'data-step')).toBe(String(failure.step - 1));
    await page.keyboard.press('Home');
    expect(await page.getAttribute('body', 'data-step')).toBe('1');
    // The first step's state: nothing taken yet, and the buffer as it began.
    expect(await state.textContent()).toContain('Step 1 of');
    await page.keyboard.press('End');
    expect(await page.getAttribute('body', 'data-step')).toBe(String(failure.trace.steps.length));
    await page.keyboard.press('Home');
    await page.locator('.step[data-step="2"] .head').click();
    expect(await page.getAttribute('body', 'data-step')).toBe('3');
    expect(await page.locator('#state h2').textContent()).toBe(`Step 3 of ${failure.trace.steps.length}`);
    await shot(page, 'stepped');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows who took which items so far, the buffer, locks and conditions at the selected step', async () => {
    const { failure, html } = viewers.get('monitor-check-then-wait')!;
    const { page } = await open(html);
    await page.waitForSelector('body[data-ready="true"]');
    const text = (await page.locator('#state').textContent())!;
    const took = failure.trace.steps.flatMap((s) => s.events.filter((e) => e.op === 'take' && e.type === 'response').map((e) => e.value));
    expect(took.length).toBeGreaterThan(0);
    expect(text).toContain(`consumer-0took ${took.join(', ')}`);
    expect(text).toContain('Locks');
    expect(text).toContain('notEmptywaiting: consumer-0');
    expect(text).toMatch(/Buffersize \d/);
    await page.close();
  });

  it('draws the buffer occupancy chart where the trace has a buffer, and none where it has not', async () => {
    for (const name of ['semaphore-wrong-order', 'promise-queue-single-waiter']) {
      const { failure, html } = viewers.get(name)!;
      const { page } = await open(html);
      await page.waitForSelector('body[data-ready="true"]');
      const points = await page.$$eval('svg.occupancy polyline.reported', (lines) => lines.flatMap((l) => (l.getAttribute('points') ?? '').trim().split(/\s+/)));
      expect(points.length).toBe(2 * failure.trace.steps.length);
      for (const p of points) expect(p).toMatch(/^\d+(\.\d)?,\d+(\.\d)?$/);
      const heights = new Set(points.map((p) => p.split(',')[1]));
      expect(heights.size, 'occupancy changes over the trace').toBeGreaterThan(1);
      expect(await page.locator('svg.occupancy rect.marker').getAttribute('width')).not.toBeNull();
      await page.close();
    }
    const { page } = await open(viewers.get('limiter-check-then-act')!.html);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('svg.occupancy').count()).toBe(0);
    await page.close();
  });

  it('the copy button copies the replay command or selects it, and never throws on file://', async () => {
    const { page, errors } = await open(viewers.get('semaphore-wrong-order')!.html);
    await page.waitForSelector('body[data-ready="true"]');
    await page.locator('#copy-replay').click();
    await expect.poll(() => page.locator('#copy-status').textContent()).toMatch(/^(Copied\.|Selected: press Ctrl\+C)/);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the trace viewer, on made traces', () => {
  it('six threads fit a 1366x768 screen: every lane and the state panel in view; joined macrotasks and notes marked', async () => {
    const trace = syntheticTrace({ steps: 60, producers: 3, consumers: 3, capacity: 3 });
    const path = join(dir, 'six.html');
    await writeFile(path, renderTraceHtml(failureOf(trace), { scenario: 'six threads' }));
    const { page, errors } = await open(path);
    await expectViewer(page, trace, 60);
    for (const label of await page.locator('.labels .label').all()) {
      const box = (await label.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(768);
    }
    const panel = (await page.locator('#state').boundingBox())!;
    expect(panel.x + panel.width).toBeLessThanOrEqual(1366);
    expect(panel.width).toBeGreaterThan(300);
    // Step 54 (a multiple of six) has a continuation joined to its macrotask; step 60 a note.
    await page.keyboard.press('End');
    expect(await page.locator('.step.failing .note-mark').count()).toBe(1);
    expect(await page.locator('#state').textContent()).toContain("'s task, run by ");
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
    expect(await page.locator('.step.selected .macrotask').textContent()).toBe('∥2');
    expect(await page.locator('.step.selected .cell.joined').count()).toBe(2);
    expect(await page.locator('#state').textContent()).toContain('in the same macrotask as');
    expect(await page.locator('svg.occupancy line.capacity').count()).toBe(1);
    await shot(page, 'six-threads');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows names, items and messages that hold HTML or script as text, and never runs them', async () => {
    const trace = hostileTrace();
    const path = join(dir, 'hostile.html');
    await writeFile(path, renderTraceHtml(failureOf(trace), { scenario: HOSTILE.script, file: HOSTILE.img }));
    const { page, errors } = await open(path);
    await expectViewer(page, trace, trace.steps.length);
    expect(await page.evaluate(() => (window as unknown as { pwned?: unknown }).pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script:not([type])').count()).toBe(1);
    expect(await page.locator('.labels .label .name').allTextContents()).toEqual(trace.threads);
    expect(await page.locator('#message').textContent()).toBe(trace.outcome.message);
    expect(await page.locator('.scenario').textContent()).toBe(HOSTILE.script);
    await expect.poll(() => page.getByText(HOSTILE.script, { exact: true }).first().isVisible()).toBe(true);
    expect(await page.locator('#state .item').allTextContents()).toContain(HOSTILE.script);
    expect(await page.title()).toBe(`lost-wakeup in ${HOSTILE.script} · Interleave`);
    await shot(page, 'hostile');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a message and an item of 300,000 letters: cut where they are shown, the whole a click away, and the page quick to open', async () => {
    const trace = syntheticTrace({ steps: 12, producers: 1, consumers: 1, capacity: 1, message: 'a'.repeat(300_000), item: (i) => (i === 0 ? 'b'.repeat(300_000) : `item-${i}`) });
    const path = join(dir, 'long.html');
    await writeFile(path, renderTraceHtml(failureOf(trace), { scenario: 'long texts' }));
    const { page, errors } = await open(path);
    await expectViewer(page, trace, trace.steps.length);
    // Until asked, nothing shows a long text whole: not the header, the lanes, the state panel or a tooltip.
    expect(await page.evaluate(() => document.getElementById('app')!.textContent!.length)).toBeLessThan(20_000);
    expect(await page.$$eval('[title]', (nodes) => Math.max(0, ...nodes.map((n) => n.getAttribute('title')!.length)))).toBeLessThan(2_000);
    const started = performance.now();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await page.evaluate(() => document.body.getBoundingClientRect().height);
    console.log(`long texts: 8 steps in ${Math.round(performance.now() - started)} ms`);
    // The header's message: its start, then a button that shows it all.
    const header = page.locator('#summary .show-all');
    expect(await header.textContent()).toMatch(/^show all 300,\d{3} characters$/);
    expect((await page.locator('#message').textContent())!.length).toBeLessThan(5_000);
    await header.click();
    expect((await page.locator('#message').textContent())!).toContain('a'.repeat(300_000));
    // The state panel's finding, and the item in the buffer at the step that put it.
    await page.keyboard.press('End');
    await page.locator('#state .finding .show-all').click();
    expect(await page.locator('#state .finding').textContent()).toContain('a'.repeat(300_000));
    await page.keyboard.press('Home');
    await page.locator('#state .item .show-all').first().click();
    expect(await page.locator('#state .item').first().textContent()).toBe('b'.repeat(300_000));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a hang, whose steps died with its worker: says why there are no lanes, and offers the replay", async () => {
    const found = await explore(syncLoop, { isolate: true, stepTimeoutMs: 400, runs: 20, seed: 1 });
    const failure = found.failure!;
    expect(failure.kind).toBe('hang');
    const path = join(dir, 'hang.html');
    await writeFile(path, renderTraceHtml(failure, { scenario: syncLoop.name, file: 'test/fixtures/hang/scenarios.ts' }));
    const { page, errors } = await open(path);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('.notice').textContent()).toMatch(/^No steps recorded: the worker running this execution was terminated in the step that never ended/);
    expect(await page.locator('.meta').textContent()).toMatch(new RegExp(`^Detected at step ${failure.step} · strategy`));
    expect(await page.locator('#replay-command').textContent()).toBe(`npx interleave replay test/fixtures/hang/scenarios.ts ${failure.replay}`);
    await shot(page, 'hang');
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);

  it('says so, instead of drawing lanes, when the embedded data is removed or damaged (and the checks above then fail)', async () => {
    const { failure, html } = viewers.get('monitor-check-then-wait')!;
    const good = await readFile(html, 'utf8');
    const block = /(<script type="application\/json" id="trace-data">)[\s\S]*?(<\/script>)/;
    const broken = {
      cut: good.replace(block, (_, open: string, close: string) => `${open}{"schema":"interleave-trace","version":1,"steps":[${close}`),
      removed: good.replace(block, ''),
      foreign: good.replace(block, (_, open: string, close: string) => `${open}{"schema":"something-else"}${close}`),
    };
    const said = { cut: 'is not valid JSON', removed: 'has no #trace-data block', foreign: 'is not an Interleave trace' };
    for (const [how, text] of Object.entries(broken) as [keyof typeof broken, string][]) {
      expect(text).not.toBe(good);
      const path = join(dir, `broken-${how}.html`);
      await writeFile(path, text);
      const { page } = await open(path);
      await page.waitForSelector('body[data-error]');
      const error = page.locator('#viewer-error');
      expect(await error.isVisible()).toBe(true);
      expect(await error.textContent()).toContain('This trace viewer cannot show its trace');
      expect(await error.textContent()).toContain(said[how]);
      expect(await page.locator('.labels .label').count()).toBe(0);
      await expect(expectViewer(page, failure.trace, failure.step, 500)).rejects.toThrow();
      await shot(page, `broken-${how}`);
      await page.close();
    }
  });

  it('opens a 10,000-step trace of six threads (time printed, not asserted) and steps through it', async () => {
    const trace = syntheticTrace({ steps: 10_000, producers: 3, consumers: 3, capacity: 4 });
    const path = join(dir, 'long.html');
    const html = renderTraceHtml(failureOf(trace), { scenario: 'ten thousand steps' });
    await writeFile(path, html);
    const page = await newPage();
    const errors = watchErrors(page);
    const started = performance.now();
    await page.goto(pathToFileURL(path).href);
    await page.waitForSelector('body[data-ready="true"]');
    const opened = performance.now() - started;
    const inPage = await page.evaluate(() => performance.now());
    console.log(
      `viewer for a 10,000-step, 6-thread trace (${(html.length / 1e6).toFixed(1)} MB): open to ready in ${opened.toFixed(0)} ms ` +
        `(${inPage.toFixed(0)} ms of it in the page); ${await page.locator('.step').count()} step columns in the DOM`,
    );
    await expectViewer(page, trace, 10_000);
    await page.keyboard.press('Home');
    expect(await page.getAttribute('body', 'data-step')).toBe('1');
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#state h2').textContent()).toBe('Step 2 of 10000');
    await shot(page, 'ten-thousand');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the run index', () => {
  it('lists every scenario of the run, with links that lead to its reports', async () => {
    const { page, errors } = await open(join(dir, 'index.html'));
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(summaries.length);
    for (const [i, s] of summaries.entries()) {
      const row = rows.nth(i);
      expect(await row.textContent()).toContain(s.scenario);
      expect(await row.locator('.outcome').textContent()).toBe(s.kind === undefined ? 'passed' : 'expected bug found');
    }
    const links = await page.$$eval('a', (as) => as.map((a) => ({ label: a.textContent, href: a.href })));
    expect(links.length).toBe(4 * LIBRARY.length);
    for (const link of links) expect(existsSync(fileURLToPath(link.href)), `${link.label}: ${link.href}`).toBe(true);
    await shot(page, 'index');
    await page.locator('tbody tr').first().getByRole('link', { name: 'viewer' }).click();
    await page.waitForSelector('body[data-ready="true"]');
    expect(page.url()).toBe(pathToFileURL(viewers.get(LIBRARY[0]!)!.html).href);
    expect(errors).toEqual([]);
    await page.close();
  });
});
