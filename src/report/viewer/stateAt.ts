import type { Trace } from '../../trace/index.ts';

/** What a buffer workload's threads have done so far: items put (calls completed) and taken, per thread, in order. */
export interface OutcomeSoFar {
  readonly puts: ReadonlyMap<string, readonly string[]>;
  readonly takes: ReadonlyMap<string, readonly string[]>;
}

/**
 * The outcome up to and including step position `upTo`: for each thread, the
 * items of its completed puts (the item is named by the call, the response
 * only says `done`) and the results of its completed takes.
 */
export function outcomeSoFar(trace: Trace, upTo: number): OutcomeSoFar {
  const puts = new Map<string, string[]>();
  const takes = new Map<string, string[]>();
  const putting = new Map<string, string>();
  const last = Math.min(upTo, trace.steps.length - 1);
  for (let s = 0; s <= last; s++) {
    for (const event of trace.steps[s]!.events) {
      if (event.op === 'put' && event.type === 'invoke') putting.set(event.thread, event.value ?? 'undefined');
      else if (event.op === 'put' && event.type === 'response') {
        const item = putting.get(event.thread);
        putting.delete(event.thread);
        if (item !== undefined) listOf(puts, event.thread).push(item);
      } else if (event.op === 'take' && event.type === 'response') listOf(takes, event.thread).push(event.value ?? 'undefined');
    }
  }
  return { puts, takes };
}

function listOf(map: Map<string, string[]>, key: string): string[] {
  let list = map.get(key);
  if (list === undefined) map.set(key, (list = []));
  return list;
}

/** Occupancy per step: what the implementation reports (`size`) and what the model says is inside; undefined where a step has no buffer. */
export interface Occupancy {
  readonly reported: readonly (number | undefined)[];
  readonly held: readonly (number | undefined)[];
}

export function occupancy(trace: Trace): Occupancy | undefined {
  if (!trace.steps.some((step) => step.snapshot.buffer !== undefined)) return undefined;
  return {
    reported: trace.steps.map(({ snapshot: { buffer } }) => (buffer === undefined ? undefined : (buffer.size ?? buffer.contents.length))),
    held: trace.steps.map(({ snapshot: { buffer } }) => buffer?.contents.length),
  };
}
