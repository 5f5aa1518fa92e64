import type { JoinedStart, Snapshot, TraceEvent, TraceStep } from '../trace/index.ts';

/**
 * Builds the trace of one execution, step by step: who acted, what it resumed
 * from, what else started in the same macrotask, what happened during the
 * step, and how everything stood once it settled. Only the failing execution
 * is recorded (re-run from its token), so exploration itself never pays for
 * this.
 */
export class StepRecorder {
  readonly steps: TraceStep[] = [];
  private events: TraceEvent[] = [];
  private joinedStarts: JoinedStart[] = [];
  private seq = 0;
  private lastActor = '';
  private current: { readonly actor: string; readonly actorKind: 'thread' | 'timer'; readonly resumed: string; readonly note: string | undefined } | undefined;

  beginStep(actor: string, actorKind: 'thread' | 'timer', resumed: string, note?: string): void {
    this.current = { actor, actorKind, resumed, note };
  }

  /** Another continuation started (or was due to start) in this step's macrotask. */
  joined(actor: string, resumed: string, offset: number, started: boolean): void {
    this.joinedStarts.push({ actor, resumed, offset, started });
  }

  event(thread: string, type: TraceEvent['type'], op: string, object?: string, value?: string): void {
    const event: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = { seq: this.seq++, thread, type, op };
    if (object !== undefined) event.object = object;
    if (value !== undefined) event.value = value;
    this.events.push(event);
  }

  /** Closes the step that has settled; events before the first step (setup's) belong to none. */
  endStep(index: number, threadsAfter: Readonly<Record<string, string>>, snapshot: () => Snapshot): void {
    const current = this.current;
    if (current !== undefined) {
      const step: { -readonly [K in keyof TraceStep]: TraceStep[K] } = {
        index,
        actor: current.actor,
        actorKind: current.actorKind,
        resumed: current.resumed,
        switched: this.lastActor !== '' && this.lastActor !== current.actor,
        events: this.events,
        threadsAfter,
        snapshot: snapshot(),
      };
      if (this.joinedStarts.length > 0) step.joined = this.joinedStarts;
      if (current.note !== undefined) step.note = current.note;
      this.steps.push(step);
      this.lastActor = current.actor;
    }
    this.events = [];
    this.joinedStarts = [];
    this.current = undefined;
  }
}
