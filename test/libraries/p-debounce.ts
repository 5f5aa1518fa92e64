/**
 * p-debounce 5.1.1 (correct): `pDebounce(fn, wait)` returns a function
 * whose calls are collected until `wait` ms pass without another call
 * (a plain setTimeout, re-armed by every call); then `fn` runs once, with
 * the last call's arguments, and every collected call's promise resolves
 * with that one result. Used as its README shows, from two threads calling
 * between sleeps and yields; `fn` itself sleeps and yields.
 *
 * Checked (its documented guarantees): `fn` never starts sooner than
 * `wait` ms after the latest call before it; it runs with the arguments of
 * the latest call before it; every call's promise resolves, with the result
 * of the first run of `fn` that started after that call; `fn` runs at most
 * once per call, and at least once after the last call.
 */
import pDebounce from 'p-debounce';
import { defineScenario, type Runtime } from 'interleave';

export const library = { name: 'p-debounce', release: '5.1.1', does: 'debounce a promise-returning function', expected: 'ok' } as const;

interface Event {
  readonly kind: 'call' | 'run';
  readonly arg: string;
  readonly at: number;
}

interface State {
  readonly events: Event[];
  readonly answers: { arg: string; callIndex: number; result: string }[];
  readonly debounced: (arg: string) => Promise<string>;
  readonly problems: string[];
}

const WAIT = 20;
let epoch = 0;
const now = (): number => Date.now() - epoch;

async function call(s: State, arg: string): Promise<void> {
  const callIndex = s.events.length;
  s.events.push({ kind: 'call', arg, at: now() });
  const result = await s.debounced(arg);
  s.answers.push({ arg, callIndex, result });
}

function caller(who: string) {
  return async (s: State, rt: Runtime): Promise<void> => {
    await rt.yield();
    const first = call(s, `${who}1`);
    await rt.sleep(8);
    const second = call(s, `${who}2`);
    await new Promise((resolve) => setTimeout(resolve, 40));
    const third = call(s, `${who}3`);
    await Promise.all([first, second, third]);
  };
}

export default defineScenario<State>({
  name: 'p-debounce',
  setup: (rt) => {
    epoch = Date.now();
    const s: Omit<State, 'debounced'> = { events: [], answers: [], problems: [] };
    const debounced = pDebounce(async (arg: string) => {
      const runIndex = s.events.length;
      s.events.push({ kind: 'run', arg, at: now() });
      await rt.sleep(3);
      await rt.yield();
      return `run@${runIndex}:${arg}`;
    }, WAIT);
    return { ...s, debounced };
  },
  threads: { a: caller('a'), b: caller('b') },
  invariant: (s) => {
    for (let i = 0; i < s.events.length; i++) {
      const e = s.events[i]!;
      if (e.kind !== 'run') continue;
      const lastCall = s.events.slice(0, i).filter((x) => x.kind === 'call').at(-1);
      if (lastCall === undefined) return `fn ran with ${e.arg} before any call`;
      if (e.at - lastCall.at < WAIT) return `fn ran at ${e.at} ms, ${e.at - lastCall.at} ms after the call with ${lastCall.arg}, before ${WAIT} ms of quiet`;
      if (e.arg !== lastCall.arg) return `fn ran with ${e.arg}, but the latest call before it was ${lastCall.arg}`;
    }
    return true;
  },
  final: (s) => {
    const calls = s.events.filter((e) => e.kind === 'call').length;
    const runs = s.events.filter((e) => e.kind === 'run').length;
    if (s.answers.length !== calls) return `${s.answers.length} of ${calls} calls resolved`;
    if (runs > calls) return `fn ran ${runs} times for ${calls} calls`;
    for (const a of s.answers) {
      const run = s.events.findIndex((e, i) => i > a.callIndex && e.kind === 'run');
      const wanted = run === -1 ? '(no run after the call)' : `run@${run}:${s.events[run]!.arg}`;
      if (a.result !== wanted) return `the call with ${a.arg} got ${a.result}, not the result of the first run after it, ${wanted}`;
    }
    return true;
  },
  outcome: (s) => `runs: ${s.events.filter((e) => e.kind === 'run').map((e) => e.arg).join(',')}`,
  expected: 'ok',
});
