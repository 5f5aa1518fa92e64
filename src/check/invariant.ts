import type { Monitor } from '../engine/monitor.ts';
import { violationOf } from './predicate.ts';

/** `invariant` after every step; `final` once the execution has ended. Both report kind `invariant`. */
export function invariantMonitor<S>(state: S, invariant?: (state: S) => unknown, final?: (state: S) => unknown): Monitor {
  const monitor: Monitor = {};
  if (invariant !== undefined) {
    monitor.afterStep = (view) => {
      const message = violationOf(() => invariant(state), 'invariant');
      return message === undefined ? undefined : { kind: 'invariant', message: `${message} (after step ${view.step})` };
    };
  }
  if (final !== undefined) {
    monitor.atEnd = () => {
      const message = violationOf(() => final(state), 'final');
      return message === undefined ? undefined : { kind: 'invariant', message };
    };
  }
  return monitor;
}
