import type { Snapshot, TraceEvent, TraceStep } from '../trace/index.ts';

/**
 * Builds the trace of one execution, step by step: who acted, what it resumed
 * from, what happened during the step, and how everything stood once it
 * settled. Only the failing execution is recorded (re-run from its token), so
 * exploration itself never pays for this.
 */
export class StepRecorder {
  readonly steps: TraceStep[] = [];
  private events: TraceEvent[] = [];
  private seq = 0;
  private lastActor = '';
  private current: { readonly actor: string; readonly actorKind: 'thread' | 'timer'; readonly resumed: string } | undefined;

  beginStep(actor: string, actorKind: 'thread' | 'timer', resumed: string): void {
    this.current = { actor, actorKind, resumed };
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
      this.steps.push({
        index,
        actor: current.actor,
        actorKind: current.actorKind,
        resumed: current.resumed,
        switched: this.lastActor !== '' && this.lastActor !== current.actor,
        events: this.events,
        threadsAfter,
        snapshot: snapshot(),
      });
      this.lastActor = current.actor;
    }
    this.events = [];
    this.current = undefined;
  }
}
