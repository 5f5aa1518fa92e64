/**
 * throttle-debounce 5.0.2 (correct): `debounce(delay, fn)` runs `fn` once,
 * `delay` ms after the last of a burst of calls, with that call's
 * arguments; `throttle(delay, fn)` runs `fn` at most once per `delay` ms
 * while it is being called, and (unless `noTrailing`) "one final time
 * after the last throttled-function call" — with `noLeading: true` that
 * final, trailing run is the only one. Both are plain setTimeout code. Used
 * as its README shows, from threads that call the wrapper between sleeps,
 * yields and plain timers.
 *
 * Checked (its documented guarantees): a debounced run comes no sooner than
 * `delay` ms after the call before it, and the last call of all is run, with
 * its arguments, after it; a throttled run never follows the previous run
 * by less than `delay` ms (a leading run only when more than `delay` has
 * passed, a trailing one on a timer armed `delay` after the previous run);
 * the last throttled call is always followed by a run with its arguments;
 * with `noLeading`, no run ever happens inside a call.
 *
 * The factory is reused by throttle-debounce-4.0.0.ts, the release whose
 * noLeading throttle drops a lone call.
 */
import * as current from 'throttle-debounce';
import { defineScenario, type Runtime, type Scenario } from 'interleave';

export const library = { name: 'throttle-debounce', release: '5.0.2', does: 'debounce and throttle (leading, trailing, noLeading)', expected: 'ok' } as const;

type Lib = Pick<typeof current, 'debounce' | 'throttle'>;

interface Track {
  readonly calls: { arg: string; at: number; seq: number }[];
  readonly runs: { arg: string; at: number; seq: number; inCall: boolean }[];
  inCall: boolean;
}

interface State {
  readonly debounced: Track;
  readonly throttled: Track;
  readonly trailing: Track;
  readonly wrappers: Record<keyof Omit<State, 'wrappers'>, (arg: string) => void>;
}

const DELAY = 30;
/** Virtual time as milliseconds since the execution began (the clock starts at the same instant every execution). */
let epoch = 0;
const now = (): number => Date.now() - epoch;
/** Order of calls and runs, which equal times do not tell. */
let seq = 0;
const track = (): Track => ({ calls: [], runs: [], inCall: false });

function call(t: Track, wrapper: (arg: string) => void, arg: string): void {
  t.calls.push({ arg, at: now(), seq: seq++ });
  t.inCall = true;
  wrapper(arg);
  t.inCall = false;
}

/** One caller's rhythm: calls separated by waits of every kind. */
function caller(key: 'debounced' | 'throttled' | 'trailing', who: string) {
  return async (s: State, rt: Runtime): Promise<void> => {
    const w = s.wrappers[key];
    const t = s[key];
    await rt.yield();
    call(t, w, `${who}1`);
    await rt.sleep(10);
    call(t, w, `${who}2`);
    await new Promise((resolve) => setTimeout(resolve, 45));
    call(t, w, `${who}3`);
    await rt.yield();
    call(t, w, `${who}4`);
  };
}

function checkTrack(key: string, t: Track, final: boolean): string[] {
  const problems: string[] = [];
  for (let i = 0; i < t.runs.length; i++) {
    const run = t.runs[i]!;
    if (key === 'debounced') {
      const before = t.calls.filter((c) => c.seq < run.seq).at(-1);
      if (before !== undefined && run.at - before.at < DELAY && !run.inCall) problems.push(`${key}: ran ${run.arg} at ${run.at}, ${run.at - before.at} ms after the call of ${before.arg}, before ${DELAY} ms of quiet`);
    } else if (i > 0 && run.at - t.runs[i - 1]!.at < DELAY) {
      problems.push(`${key}: runs at ${t.runs[i - 1]!.at} and ${run.at} are only ${run.at - t.runs[i - 1]!.at} ms apart (throttled to one per ${DELAY} ms)`);
    }
    if (key === 'trailing' && run.inCall) problems.push(`${key}: noLeading, yet ${run.arg} ran inside the call`);
  }
  if (final) {
    const last = t.calls.at(-1);
    const lastRun = t.runs.at(-1);
    if (last !== undefined && (lastRun === undefined || lastRun.arg !== last.arg || lastRun.seq < last.seq)) {
      problems.push(`${key}: the last call (${last.arg} at ${last.at}) was never run after it; runs: ${t.runs.map((r) => `${r.arg}@${r.at}`).join(', ') || 'none'}`);
    }
  }
  return problems;
}

export function throttleDebounceScenario(name: string, lib: Lib, expected: 'ok' | 'invariant'): Scenario {
  return defineScenario<State>({
    name,
    setup: () => {
      epoch = Date.now();
      seq = 0;
      const s = { debounced: track(), throttled: track(), trailing: track() } as Omit<State, 'wrappers'>;
      const runner = (t: Track) => (arg: string) => {
        t.runs.push({ arg, at: now(), seq: seq++, inCall: t.inCall });
      };
      return {
        ...s,
        wrappers: {
          debounced: lib.debounce(DELAY, runner(s.debounced)),
          throttled: lib.throttle(DELAY, runner(s.throttled)),
          trailing: lib.throttle(DELAY, runner(s.trailing), { noLeading: true }),
        },
      };
    },
    threads: {
      'debounce-a': caller('debounced', 'a'),
      'debounce-b': caller('debounced', 'b'),
      'throttle-a': caller('throttled', 'a'),
      'throttle-b': caller('throttled', 'b'),
      'trailing-a': async (s, rt) => {
        // A lone call long after the others: noLeading must still run it once, at the end.
        await caller('trailing', 'a')(s, rt);
        await rt.sleep(200);
        call(s.trailing, s.wrappers.trailing, 'lone');
      },
    },
    invariant: (s) => {
      const problems = (['debounced', 'throttled', 'trailing'] as const).flatMap((k) => checkTrack(k, s[k], false));
      return problems.length === 0 || problems.join('; ');
    },
    final: (s) => {
      const problems = (['debounced', 'throttled', 'trailing'] as const).flatMap((k) => checkTrack(k, s[k], true));
      return problems.length === 0 || problems.join('; ');
    },
    outcome: (s) => `debounce runs ${s.debounced.runs.length}, throttle runs ${s.throttled.runs.length}, noLeading runs ${s.trailing.runs.length}`,
    expected,
  });
}

export default throttleDebounceScenario('throttle-debounce', current, 'ok');
