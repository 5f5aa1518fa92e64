import type { Primitive } from '../runtime/virtual/host.ts';
import type { Snapshot } from '../trace/index.ts';
import type { ExecutionView } from './monitor.ts';

/** The state that matters after a step, by name, for a trace. */
export function snapshotOf(
  primitives: readonly Primitive[],
  view: ExecutionView,
  time: number,
  buffer: { size?: number; contents: readonly string[] } | undefined,
): Snapshot {
  const locks: Record<string, string | null> = {};
  const conditions: Record<string, string[]> = {};
  const semaphores: Record<string, { permits: number; waiters: string[] }> = {};
  for (const p of primitives) {
    const s = p.state();
    if (s.type === 'mutex') locks[s.name] = s.holder === null ? null : view.threadName(s.holder);
    else if (s.type === 'condition') conditions[s.name] = s.waiters.map((id) => view.threadName(id));
    else semaphores[s.name] = { permits: s.permits, waiters: s.waiters.map((id) => view.threadName(id)) };
  }
  const snapshot: { -readonly [K in keyof Snapshot]: Snapshot[K] } = { time, locks, conditions, semaphores };
  if (buffer !== undefined) snapshot.buffer = buffer.size === undefined ? { contents: [...buffer.contents] } : { size: buffer.size, contents: [...buffer.contents] };
  return snapshot;
}
