/**
 * What a watchdog outside the execution can read of it while its thread is
 * stuck in code that never yields: shared memory the engine writes at every
 * step and every decision, and the watchdog reads from another thread.
 *
 * Layout (Int32): [0] beats, one per step; [1] the step; [2] the step's
 * actor (a thread's index, or -1 - seq for a timer); [3] the operation the
 * actor resumed from (an index into OPERATIONS); [4] the execution's index
 * in its exploration; [5] how many choices are on the tape; [6] how many
 * other continuations the step started in the same macrotask (the actor is
 * then the last of them to start); then the tape.
 */
export const BEATS = 0;
export const STEP = 1;
export const ACTOR = 2;
export const OPERATION = 3;
export const EXECUTION = 4;
export const TAPE_LENGTH = 5;
export const JOINED = 6;
export const TAPE = 7;

/** The actor while an execution's setup runs, before its first step. */
export const SETUP_ACTOR = -0x7fffffff;

/** Operations a step resumes from, by the index the heartbeat stores. */
export const OPERATIONS = ['start', 'put', 'take', 'yield', 'lock', 'wait', 'acquire', 'sleep', 'timer', 'pause', 'other'] as const;

/** Room for this many choices of the tape: a hang's execution replays from them (past it, no token). */
export const TAPE_CAPACITY = 1 << 20;

export function createHeartbeat(): Int32Array {
  return new Int32Array(new SharedArrayBuffer((TAPE + TAPE_CAPACITY) * 4));
}

export function operationCode(op: string): number {
  const i = (OPERATIONS as readonly string[]).indexOf(op);
  return i < 0 ? OPERATIONS.length - 1 : i;
}

/**
 * Writes an execution's heartbeat: an observer (observer.ts) the runner hands
 * to executions a watchdog watches, so that the engine knows nothing of it.
 */
export class HeartbeatObserver {
  constructor(private readonly heartbeat: Int32Array) {}

  /** A new execution: what hangs from now on hangs in its setup, until its first step says otherwise. */
  began(): void {
    const heartbeat = this.heartbeat;
    heartbeat[STEP] = 0;
    heartbeat[ACTOR] = SETUP_ACTOR;
    heartbeat[TAPE_LENGTH] = 0;
    heartbeat[JOINED] = 0;
    Atomics.add(heartbeat, BEATS, 1);
  }

  /** The step has begun, and whose: if it never settles, this is what hung. */
  stepBegan(step: number, actor: number, op: string): void {
    const heartbeat = this.heartbeat;
    heartbeat[STEP] = step;
    heartbeat[ACTOR] = actor;
    heartbeat[OPERATION] = operationCode(op);
    heartbeat[JOINED] = 0;
    Atomics.add(heartbeat, BEATS, 1);
  }

  /** A continuation joined the step: if the step never settles, this one (the last to start) is the likelier culprit. No new beat: it is the same step. */
  joined(thread: number, op: string): void {
    const heartbeat = this.heartbeat;
    heartbeat[ACTOR] = thread;
    heartbeat[OPERATION] = operationCode(op);
    heartbeat[JOINED] = (heartbeat[JOINED] ?? 0) + 1;
  }

  decided(count: number, value: number): void {
    const heartbeat = this.heartbeat;
    if (count <= heartbeat.length - TAPE) heartbeat[TAPE + count - 1] = value;
    heartbeat[TAPE_LENGTH] = count;
  }
}
