/**
 * Runs the library scenarios on plain Node, as production would, to check
 * a finding against the real event loop: `realRuntime` (rt.sleep is a
 * setTimeout, rt.yield a setImmediate), real timers, each thread started
 * after a random delay (nothing, microtask turns, an immediate or a 0–2 ms
 * timer), and the event loop blocked at random moments for 0–40 ms so that
 * timers fire late, as on a busy process. The invariant is checked after
 * every immediate while the run lasts, and `invariant` and `final` once it
 * has ended (threads done, then 400 ms for trailing timers). Executions run
 * one after another (the scenarios keep a clock origin per module).
 *
 * Read its reports with Node's clock in mind: Node arms a timer from the
 * loop's cached time, not from Date.now(), so a timer can fire a
 * millisecond before `ms` by Date.now() (truncation), or more after the
 * loop was blocked earlier in the same phase. The scenarios' lower bounds
 * ("not before its 50 ms") are exact in virtual time, where the clock stands
 * still within a macrotask as Node's cached time does; here a report of
 * 49 ms for 50 is that clock, not the library. What this script confirms is
 * the rest: which orders and states real Node reaches. REAL_SLACK_MS (1 by
 * default) is added to every positive setTimeout delay to absorb the
 * truncation; the stale loop time after a blocked stretch can still show.
 *
 *   npx tsx test/libraries/real-node.ts [file filters...]   (REAL_RUNS, default 100)
 */
import { realRuntime } from 'interleave';
import { definitionOf, type Scenario } from '../../src/workload/scenario.ts';
import type { Monitor } from '../../src/engine/monitor.ts';
import type { VirtualHost } from '../../src/runtime/virtual/host.ts';
import { seeded } from '../conformance/realNode.ts';
import { loadLibraries } from './run.ts';

function delay(random: () => number): Promise<void> {
  const r = random();
  if (r < 0.3) return Promise.resolve();
  if (r < 0.55) return Promise.resolve().then(() => undefined);
  if (r < 0.8) return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 3)));
}

function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a busy event loop: timers due meanwhile fire late, together
  }
}

/** One real run of a scenario: undefined when every check held, else the first violation. */
export async function realRun(scenario: Scenario, random: () => number): Promise<string | undefined> {
  const definition = definitionOf(scenario)!;
  const host = {} as VirtualHost;
  const state = definition.setup(realRuntime, host);
  const monitors: readonly Monitor[] = definition.monitors(state, host);
  let violation: string | undefined;
  let step = 0;
  let done = false;
  const check = (): void => {
    step++;
    for (const m of monitors) {
      const v = (m.afterStep as ((view: { step: number }) => { message: string } | undefined) | undefined)?.({ step });
      if (v !== undefined && violation === undefined) violation = v.message;
    }
  };
  const poll = (): void => {
    check();
    if (!done) setImmediate(poll);
  };
  setImmediate(poll);
  const blockers = [0, 1, 2, 3].map(() => setTimeout(() => block(random() * 40), random() * 200));
  const threads = definition.bodies.map(async (body) => {
    await delay(random);
    await body(state, realRuntime, host);
  });
  let hung: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    Promise.all(threads).then(() => 'done'),
    new Promise<string>((resolve) => (hung = setTimeout(() => resolve('hang'), 10_000))),
  ]).catch((error: unknown) => `exception: ${String(error)}`);
  clearTimeout(hung);
  await new Promise((resolve) => setTimeout(resolve, 400));
  done = true;
  blockers.forEach(clearTimeout);
  check();
  if (violation !== undefined && process.env.REAL_DEBUG) console.log(JSON.stringify(state, (_k, v: unknown) => (typeof v === 'function' || (typeof v === 'object' && v !== null && v.constructor?.name !== 'Object' && !Array.isArray(v)) ? undefined : v)).slice(0, 600));
  if (violation !== undefined) return violation;
  if (outcome !== 'done') return outcome;
  for (const m of monitors) {
    const v = (m.atEnd as (() => { message: string } | undefined) | undefined)?.();
    if (v !== undefined) return v.message;
  }
  return undefined;
}

/** Adds `slack` ms to every positive setTimeout delay, so a timer never fires before its delay by Date.now() through truncation alone. */
function addSlack(slack: number): void {
  if (slack <= 0) return;
  const original = globalThis.setTimeout;
  const patched = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    original(callback, typeof ms === 'number' && ms > 0 ? ms + slack : ms, ...args)) as unknown as typeof setTimeout;
  Object.assign(patched, original);
  globalThis.setTimeout = patched;
}

async function main(): Promise<void> {
  const runs = Number(process.env.REAL_RUNS ?? 100);
  addSlack(Number(process.env.REAL_SLACK_MS ?? 1));
  const libraries = await loadLibraries(process.argv.slice(2));
  let bad = 0;
  for (const { library, scenarios } of libraries) {
    for (const scenario of scenarios) {
      const random = seeded(134);
      const violations = new Map<string, number>();
      const examples = new Map<string, string>();
      for (let i = 0; i < runs; i++) {
        const v = await realRun(scenario, random);
        if (v === undefined) continue;
        const key = v.replace(/\d+ ms/g, 'N ms').replace(/after step \d+/, 'after step N');
        violations.set(key, (violations.get(key) ?? 0) + 1);
        if (!examples.has(key)) examples.set(key, v);
      }
      const caught = [...violations.values()].reduce((a, b) => a + b, 0);
      const good = library.expected === 'ok' ? caught === 0 : caught > 0;
      if (!good) bad++;
      console.log(`${good ? 'ok  ' : 'BAD '} ${scenario.name} (${library.name} ${library.release}, expected ${library.expected}): ${caught} of ${runs} real runs violated a check`);
      for (const [v, n] of violations) console.log(`       ${n}× ${v}\n          e.g. ${examples.get(v)}`);
    }
  }
  process.exitCode = bad === 0 ? 0 : 1;
}

await main();
