import { real } from './realTimers.ts';

/**
 * Knowing, without counting ticks, that a step has settled.
 *
 * Node runs a `process.nextTick` callback queued from inside a microtask only
 * once V8's microtask queue is empty (processTicksAndRejections runs ticks,
 * then drains microtasks, then ticks queued meanwhile). So a sentinel tick
 * armed from a microtask fires exactly when the microtasks have drained,
 * unless user ticks ran ahead of it in the same batch (they may have queued
 * microtasks) or are still queued behind it; user ticks are counted by the
 * routed `process.nextTick`, and in either case the sentinel re-arms. When it
 * fires with no user tick run or pending, both queues are empty.
 */
let userTicksPending = 0;
let userTicksRun = 0;

export function noteUserTickQueued(): void {
  userTicksPending++;
}

export function noteUserTickRun(): void {
  userTicksPending--;
  userTicksRun++;
}

/**
 * Callbacks waiting for the queues to drain. One drain satisfies them all,
 * so a single sentinel serves every execution in the process; the hot path
 * allocates no closure.
 */
let waiting: (() => void)[] = [];
// A reaction on a settled promise is a microtask that costs less than queueMicrotask,
// which builds an AsyncResource per call once async hooks are on (as they are for AsyncLocalStorage).
const settledPromise = Promise.resolve();
let armed = false;
let ranAtArm = 0;

/** Calls `settled` once the microtask and nextTick queues have drained. */
export function whenSettled(settled: () => void): void {
  waiting.push(settled);
  if (!armed) {
    armed = true;
    void settledPromise.then(arm);
  }
}

function arm(): void {
  ranAtArm = userTicksRun;
  real.nextTick(sentinel);
}

function sentinel(): void {
  if (userTicksPending > 0 || userTicksRun !== ranAtArm) {
    void settledPromise.then(arm);
    return;
  }
  armed = false;
  const ready = waiting;
  waiting = [];
  for (const settled of ready) settled();
}

/**
 * Calls `fn` after `turns` microtask turns: 0 calls it now, in the same
 * synchronous block; k queues it behind k hops, so that it runs after the
 * microtasks queued before it, k deep.
 */
export function afterMicrotasks(turns: number, fn: () => void): void {
  if (turns <= 0) fn();
  else void settledPromise.then(() => afterMicrotasks(turns - 1, fn));
}
