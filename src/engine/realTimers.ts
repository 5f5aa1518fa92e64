/**
 * The host's real timer and clock functions, captured when Interleave loads
 * and before they are routed. Only code outside executions reaches them, plus
 * the exploration loop's own yields to the event loop between executions
 * (which touch no trace, so determinism is unaffected).
 */
const hrtime = process.hrtime;

export const real = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
  setImmediate: globalThis.setImmediate,
  clearImmediate: globalThis.clearImmediate,
  Date: globalThis.Date,
  performanceNow: globalThis.performance.now.bind(globalThis.performance),
  nextTick: process.nextTick,
  queueMicrotask: globalThis.queueMicrotask,
  exit: process.exit.bind(process),
  hrtime: (previous?: [number, number]): [number, number] => hrtime(previous),
  hrtimeBigint: (): bigint => hrtime.bigint(),
  abortSignalTimeout: AbortSignal.timeout.bind(AbortSignal),
} as const;
